/// Encodes an `Encodable` value straight into a `JSONValue`, the value `JSONDecoder` would read back from
/// `JSONEncoder`'s text (default strategies): keyed containers become objects (by each key's `stringValue`),
/// unkeyed ones arrays, integers `.int`, an integral `Double` within ±2^53 `.int` as its text reads back.
///
/// Hand-written because Foundation's encoders only write bytes: a report's subject went through
/// `JSONEncoder` and then `JSONDecoder`, most of the work left at the end of a large `why403 logs` run.
public enum JSONValueEncoder {
    /// `value` as a JSON value (an empty object for a value that encodes nothing, as `JSONEncoder` writes one nested;
    /// a top-level one it refuses).
    public static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let root = Node()
        try value.encode(to: NodeEncoder(node: root, codingPath: []))
        return root.value
    }
}

/// One value being built: unset, a finished single value, or a container whose members are nodes (stored
/// properties of a class, so a member is added in place, not by copying the container).
private final class Node {
    var single: JSONValue?
    var members: [String: Node]?
    var items: [Node]?

    var value: JSONValue {
        if let single { return single }
        if let members { return .object(members.mapValues(\.value)) }
        if let items { return .array(items.map(\.value)) }
        return .object([:])
    }

    func set(_ v: JSONValue) {
        single = v; members = nil; items = nil
    }

    /// The member at `key` of this node as an object (made an object if it was not one).
    func member(_ key: String) -> Node {
        makeObject()
        if let n = members![key] { return n }
        let n = Node()
        members![key] = n
        return n
    }

    func makeObject() {
        if members == nil { single = nil; items = nil; members = [:] }
    }

    func makeArray() {
        if items == nil { single = nil; members = nil; items = [] }
    }

    func append() -> Node {
        makeArray()
        let n = Node()
        items!.append(n)
        return n
    }

    var count: Int { items?.count ?? 0 }
}

private struct IndexKey: CodingKey {
    var stringValue: String { "Index \(intValue!)" }
    var intValue: Int?
    init(_ i: Int) { intValue = i }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct SuperKey: CodingKey {
    var stringValue: String { "super" }
    var intValue: Int? { nil }
    init() {}
    init?(stringValue: String) { nil }
    init?(intValue: Int) { nil }
}

private struct NodeEncoder: Encoder {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(Keyed<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return Unkeyed(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        Single(node: node, codingPath: codingPath)
    }
}

/// The JSON value of a scalar, or nil for a type that encodes itself (compared by type: a failing cast
/// of every array and struct to each scalar type cost more than the encoding).
private func scalar<T: Encodable>(_ v: T) -> JSONValue? {
    if T.self == String.self { return .string(v as! String) }
    if T.self == Int.self { return .int(v as! Int) }
    if T.self == Bool.self { return .bool(v as! Bool) }
    if T.self == Int64.self { return .int(Int(v as! Int64)) }
    if T.self == Double.self { return number(v as! Double) }
    if T.self == Int32.self { return .int(Int(v as! Int32)) }
    if T.self == Int16.self { return .int(Int(v as! Int16)) }
    if T.self == Int8.self { return .int(Int(v as! Int8)) }
    if T.self == UInt8.self { return .int(Int(v as! UInt8)) }
    if T.self == UInt16.self { return .int(Int(v as! UInt16)) }
    if T.self == UInt32.self { return .int(Int(v as! UInt32)) }
    if T.self == UInt.self { let i = v as! UInt; return i <= UInt(Int.max) ? .int(Int(i)) : .double(Double(i)) }
    if T.self == UInt64.self { let i = v as! UInt64; return i <= UInt64(Int.max) ? .int(Int(i)) : .double(Double(i)) }
    if T.self == Float.self { return number(Double(v as! Float)) }
    return nil
}

/// A `Double` as it reads back from JSON text: an integral one within ±2^53 is an integer.
private func number(_ d: Double) -> JSONValue {
    if d.isFinite && d == d.rounded() && abs(d) <= 9_007_199_254_740_992 { return .int(Int(d)) }
    return .double(d)
}

private func encodeValue<T: Encodable>(_ v: T, into node: Node, codingPath: [any CodingKey]) throws {
    if let s = scalar(v) { node.set(s); return }
    try v.encode(to: NodeEncoder(node: node, codingPath: codingPath))
}

private struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { node.member(key.stringValue).set(.null) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encodeValue(value, into: node.member(key.stringValue), codingPath: codingPath + [key])
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let n = node.member(key.stringValue)
        n.makeObject()
        return KeyedEncodingContainer(Keyed<NestedKey>(node: n, codingPath: codingPath + [key]))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let n = node.member(key.stringValue)
        n.makeArray()
        return Unkeyed(node: n, codingPath: codingPath + [key])
    }
    mutating func superEncoder() -> any Encoder {
        NodeEncoder(node: node.member("super"), codingPath: codingPath + [SuperKey()])
    }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        NodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key])
    }
}

private struct Unkeyed: UnkeyedEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    var count: Int { node.count }

    mutating func encodeNil() throws { node.append().set(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let key = IndexKey(count)
        try encodeValue(value, into: node.append(), codingPath: codingPath + [key])
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let key = IndexKey(count)
        let n = node.append()
        n.makeObject()
        return KeyedEncodingContainer(Keyed<NestedKey>(node: n, codingPath: codingPath + [key]))
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let key = IndexKey(count)
        let n = node.append()
        n.makeArray()
        return Unkeyed(node: n, codingPath: codingPath + [key])
    }
    mutating func superEncoder() -> any Encoder {
        let key = IndexKey(count)
        return NodeEncoder(node: node.append(), codingPath: codingPath + [key])
    }
}

private struct Single: SingleValueEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.set(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encodeValue(value, into: node, codingPath: codingPath) }
}
