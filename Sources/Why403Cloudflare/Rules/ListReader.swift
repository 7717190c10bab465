import Foundation
import Why403Core

/// One custom list (`$name` in expressions) as exported: its items as text (an address or network, an
/// ASN, a hostname), or nil when the export names the list without its items.
public struct ListExport: Sendable, Equatable {
    /// The list's name, as expressions write it after `$`.
    public var name: String
    /// `ip`, `asn`, `hostname` or `redirect`, when the export says.
    public var kind: String?
    /// The items, or nil when only the list's existence is known (the index of lists).
    public var items: [String]?
    /// Where it was read from (file, and resource or JSON path).
    public var origin: String

    /// A list.
    public init(name: String, kind: String? = nil, items: [String]?, origin: String) {
        self.name = name
        self.kind = kind
        self.items = items
        self.origin = origin
    }
}

/// Reads the files people export Cloudflare lists in
/// (https://developers.cloudflare.com/waf/tools/lists/lists-api/):
/// - with a name given (`--list NAME=FILE`): one item per line (`#` comments), or the response of
///   `GET /accounts/{id}/rules/lists/{list_id}/items` (`{"result": [...]}` or the bare array), whose
///   items carry `ip`, `asn`, `hostname.url_hostname` or `redirect`;
/// - a file that names its lists (`--list FILE`): the response of `GET /accounts/{id}/rules/lists`
///   (`result[].name`/`kind`: the lists exist, their items are not in it), Terraform HCL with
///   `resource "cloudflare_list"` blocks (provider v4 `item { value { ip = ... } }` blocks or v5
///   `items = [{ ip = ... }]`), or `terraform show -json` output holding `cloudflare_list` resources.
///
/// Managed lists (`$cf.open_proxies`, `$cf.anonymizer`, `$cf.vpn`, `$cf.malware`, `$cf.botnetcc`) are
/// Cloudflare's own: no export holds them, a rule reading one is `possible`.
public enum ListReader {
    /// Cloudflare's managed IP lists and what they hold
    /// (https://developers.cloudflare.com/waf/tools/lists/managed-lists/).
    public static let managed: [String: String] = [
        "cf.open_proxies": "open proxies", "cf.anonymizer": "anonymizers (open proxies, VPNs and similar)",
        "cf.vpn": "VPN exit addresses", "cf.malware": "sources of malware", "cf.botnetcc": "botnet command-and-control servers",
    ]

    /// Reads the items of the list `name` from `text` (`file` names it in errors).
    public static func readItems(text: String, file: String, name: String) throws -> ListExport {
        let trimmed = text.drop { $0.isWhitespace }
        guard trimmed.first == "{" || trimmed.first == "[" else {
            let items = text.split(whereSeparator: \.isNewline).map { $0.trimmingScalars(" \t\r") }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
            return ListExport(name: name, items: items, origin: file)
        }
        let doc = try json(text, file: file)
        let arr = doc["result"] ?? doc
        guard let a = arr.array else {
            throw InputError(file: file, message: "expected the items of list \(InputError.quote(name)): an array of items (objects with ip, asn, hostname or redirect) or its API envelope {\"result\": [...]}, found another value at \(arr.jsonPath)")
        }
        return ListExport(name: name, kind: nil, items: try a.compactMap { try item($0, file: file) }, origin: file)
    }

    /// Reads a file that names its lists (index of lists, HCL, `terraform show -json`).
    public static func readNamed(text: String, file: String) throws -> [ListExport] {
        let trimmed = text.drop { $0.isWhitespace }
        if trimmed.first == "{" || trimmed.first == "[" {
            let doc = try json(text, file: file)
            if let root = doc["values"]?["root_module"] ?? doc["planned_values"]?["root_module"] {
                var out: [ListExport] = []
                func walk(_ module: Doc) throws {
                    for r in module["resources"]?.array ?? [] where r["type"]?.string == "cloudflare_list" {
                        if let v = r["values"] { out.append(try resource(v, file: file, origin: "\(file) (\(r["address"]?.string ?? "cloudflare_list"))")) }
                    }
                    for c in module["child_modules"]?.array ?? [] { try walk(c) }
                }
                try walk(root)
                guard !out.isEmpty else { throw InputError(file: file, message: "expected cloudflare_list resources in this terraform show -json output, found none") }
                return out
            }
            let result = doc["result"] ?? doc
            guard let a = result.array, a.allSatisfy({ $0["name"]?.string != nil }) else {
                throw InputError(file: file, message: "expected lists: the response of GET /accounts/{id}/rules/lists (result[] with name and kind), cloudflare_list resources (HCL or terraform show -json), found neither at \(result.jsonPath)",
                                 help: "for a file of items (GET .../lists/{list_id}/items, or one item per line), name the list: --list NAME=FILE")
            }
            return a.map { ListExport(name: $0["name"]!.string!, kind: $0["kind"]?.string, items: nil, origin: "\(file) \($0.jsonPath)") }
        }
        var reader = HCLReader(text: text, file: file)
        let doc: Doc
        do { doc = try reader.read() } catch let e as InputError {
            throw InputError(file: e.file, line: e.line, column: e.column, message: e.message,
                             help: "--list FILE takes a file that names its lists (cloudflare_list resources, terraform show -json, GET .../rules/lists); for a file of items (one per line, or GET .../lists/{list_id}/items), name the list: --list NAME=FILE")
        }
        var out: [ListExport] = []
        if case .object(let entries) = doc.v {
            for (key, value) in entries where key.hasPrefix("resource.cloudflare_list.") {
                for block in value.array ?? [] {
                    out.append(try resource(block, file: file, origin: "\(file):\(block.line ?? 1) (\(key.dropFirst("resource.".count)))"))
                }
            }
        }
        guard !out.isEmpty else {
            throw InputError(file: file, message: "expected resource \"cloudflare_list\" blocks, found none",
                             help: "for a file of items (one per line, or GET .../lists/{list_id}/items), name the list: --list NAME=FILE")
        }
        return out
    }

    static func json(_ text: String, file: String) throws -> Doc {
        do { return Doc.from(try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) } catch {
            throw InputError(file: file, message: "expected JSON (a Lists API response or terraform show -json), found malformed JSON: \(RulesReader.jsonErrorText(error))")
        }
    }

    /// A cloudflare_list resource: name, kind, and items (v4 `item` blocks with a `value` block, v5 `items`).
    static func resource(_ d: Doc, file: String, origin: String) throws -> ListExport {
        guard let name = d["name"]?.string else {
            throw InputError(file: file, line: d.line, message: "expected the name of the cloudflare_list at \(d.line == nil ? d.jsonPath : "this resource"), found none")
        }
        var items: [String] = []
        for it in d["item"]?.array ?? [] {
            if let v = it["value"]?.single, let s = try item(v, file: file) { items.append(s) }
        }
        for it in d["items"]?.array ?? [] { if let s = try item(it, file: file) { items.append(s) } }
        return ListExport(name: name, kind: d["kind"]?.string, items: items, origin: origin)
    }

    /// One item as text; nil for a redirect (bulk redirect lists are not read by filter expressions).
    static func item(_ d: Doc, file: String) throws -> String? {
        if let ip = d["ip"]?.string { return ip }
        if let asn = d["asn"]?.int { return String(asn) }
        if let h = d["hostname"]?.single, let u = h["url_hostname"]?.string { return u.lowercased() }
        if d["redirect"] != nil { return nil }
        throw InputError(file: file, line: d.line, message: "expected a list item with ip, asn, hostname.url_hostname or redirect at \(d.line == nil ? d.jsonPath : "this item"), found none")
    }
}
