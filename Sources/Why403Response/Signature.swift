import Why403Core

/// One entry of the signature catalogue: how to recognise a product's refusal in a response, what it
/// proves (layer, cause, confidence), which identifiers to quote as evidence, and the next steps.
///
/// Signatures are plain values: one file per product under `Signatures/`, one line per product in
/// `Signatures.all`, and one fixture folder `Tests/Fixtures/responses/<id>/` each (see docs/signatures.md).
public struct Signature: Sendable {
    /// Stable id, also the fixture folder name and `Finding.rule` (e.g. `cloudflare-1020`).
    public var id: String
    /// The product as people name it ("Cloudflare").
    public var product: String
    /// The layer a match names.
    public var layer: Layer
    /// The cause a match proves (`unknown` when the response cannot prove one).
    public var cause: Cause
    /// How sure a match makes us: `certain` only when the page or header itself proves the cause.
    public var confidence: Confidence
    /// Statuses this signature applies to; empty means any status of 400 or more.
    public var statuses: Set<Int>
    /// Conditions that must all hold.
    public var when: [Condition]
    /// Summary read after "403 from <Layer>: ". `{key}` is an extracted identifier; a part in
    /// `[...]` is dropped when one of its keys was not extracted.
    public var summary: String
    /// Identifiers to extract and quote as evidence (Ray ID, request ids, incident ids, ...).
    public var extract: [Extract]
    /// Where to look the identifiers up, with `{key}` placeholders (a dropped `[...]` as in `summary`).
    public var lookup: String?
    /// Next steps, in order, where the response cannot prove the cause (shown as "check, in order").
    public var checks: [String]
    /// Fixes, with `{key}` placeholders.
    public var fixes: [Fix]
    /// Refinements by an extracted value (an error code, a sub-status): the first that matches wins.
    public var variants: [Variant]
    /// Higher wins when several signatures match: a product's specific page beats its generic headers,
    /// and a body that names a product beats headers a CDN adds to every response.
    public var specificity: Int
    /// True when the signature says the cause (an RFC 6750 challenge) but not who answered: when
    /// another signature names the layer and leaves the cause unknown, this cause fills it in.
    public var causeOnly: Bool
    /// True when the page is a refusal whatever status it came with (an API's "request denied" inside a
    /// 200, a 400 or a 500): the verdict then names the layer even when the cause stays `unknown`. Leave it
    /// false for a page that may also be an ordinary error (a gateway's 500 when its backend fails).
    public var disguised: Bool
    /// Other products that answer in this one's format, each told apart by a mark of its own (MinIO's
    /// `Server: MinIO` on S3's XML errors): the first whose condition holds is named as the product, with its
    /// mark as evidence; the layer stays this signature's.
    public var compatible: [Compatible]

    /// A signature; see the properties for the meaning of each argument.
    public init(id: String, product: String, layer: Layer, cause: Cause, confidence: Confidence,
                statuses: Set<Int> = [], when: [Condition], summary: String, extract: [Extract] = [],
                lookup: String? = nil, checks: [String] = [], fixes: [Fix] = [], variants: [Variant] = [],
                specificity: Int, causeOnly: Bool = false, disguised: Bool = false, compatible: [Compatible] = []) {
        self.id = id
        self.product = product
        self.layer = layer
        self.cause = cause
        self.confidence = confidence
        self.statuses = statuses
        self.when = when
        self.summary = summary
        self.extract = extract
        self.lookup = lookup
        self.checks = checks
        self.fixes = fixes
        self.variants = variants
        self.specificity = specificity
        self.causeOnly = causeOnly
        self.disguised = disguised
        self.compatible = compatible
    }
}

/// A product that answers in another's format, and the mark that tells it apart (see `Signature.compatible`).
public struct Compatible: Sendable {
    /// The product as people name it ("MinIO").
    public var product: String
    /// What shows it is this product (a condition of its own, not the format's).
    public var when: Condition
    /// Where to look the identifiers up in this product, in place of the signature's `lookup`.
    public var lookup: String?
    /// The next steps in this product, in place of the signature's (which may name the other product's consoles and
    /// support); a matched variant's own checks still win (give the variant an `also` on the mark where the product
    /// means something else by the same code). Nil keeps the signature's.
    public var checks: [String]?

    /// A compatible product and its mark.
    public init(_ product: String, when: Condition, lookup: String? = nil, checks: [String]? = nil) {
        self.product = product
        self.when = when
        self.lookup = lookup
        self.checks = checks
    }
}

/// A condition on a response. Text comparisons are case-insensitive.
public indirect enum Condition: Sendable {
    /// The header is present.
    case header(String)
    /// The header is present and one of its values contains the text.
    case headerContains(String, String)
    /// The body contains the text.
    case body(String)
    /// The whole body, without the white space around it, is the text (a framework's one-line default such as
    /// Rack::Attack's `Retry later`, which inside a longer page would name nothing).
    case bodyIs(String)
    /// Any of the conditions holds.
    case any([Condition])
    /// Every one of the conditions holds (inside an `any`; a signature's `when` list already means "all"). Its
    /// evidence is every part's, so a person sees each text that had to be there.
    case all([Condition])
    /// The condition does not hold.
    case not(Condition)
    /// A `WWW-Authenticate` challenge of this scheme (nil: any) whose `error` parameter is `error`
    /// (nil: any error or none; "": no error parameter).
    case challenge(scheme: String?, error: String?)
    /// The request is known (curl -v, HAR, probe) and did (true) or did not (false) carry credentials
    /// (Authorization, Cookie, X-Api-Key ...).
    case requestCredentials(Bool)
    /// The body is JSON (an object) with one of these keys at the top level, or one level down
    /// (`{"results": {"error": …}}`).
    case jsonKey([String])
    /// The response's status is one of these (to treat one status apart, e.g. an error inside a 200).
    case status(Set<Int>)
    /// The status line's reason phrase contains the text (an application that puts its message there: PyPI's
    /// `403 Invalid API Token: …`).
    case reason(String)
}

/// An identifier to extract, tried from each source in order.
public struct Extract: Sendable {
    /// The placeholder name used in `summary` and `lookup` (`ray`).
    public var key: String
    /// How people call it ("Ray ID").
    public var label: String
    /// The sources, tried in order.
    public var from: [ValueSource]

    /// An identifier extracted from the first source that has it.
    public init(_ key: String, _ label: String, from: [ValueSource]) {
        self.key = key
        self.label = label
        self.from = from
    }
}

/// Where an identifier is read.
public enum ValueSource: Sendable {
    /// A header's whole value.
    case header(String)
    /// A header's value up to `separator` (`cf-ray: 8a1b…-FRA` -> `8a1b…`).
    case headerPrefix(String, separator: Character)
    /// The first run of `chars` right after `marker` in a header's value, case-insensitive (`server: nginx/1.18.0
    /// (Ubuntu)`, marker `nginx/` -> `1.18.0`).
    case headerAfter(String, marker: String, chars: CharClass)
    /// The first run of `chars` after `marker` in the body, skipping markup and spaces (at most 120
    /// characters between them).
    case body(after: String, chars: CharClass)
    /// The text of the first XML element `<name>…</name>`.
    case xml(String)
    /// A string (or number) value of a top-level or one-level-nested JSON key.
    case json(String)
    /// A string value of `key` in the first object of the top-level JSON list `list`
    /// (`{"errors": [{"code": "UNAUTHORIZED", "message": "…"}]}`: registries, JFrog, GraphQL).
    case jsonListItem(list: String, key: String)
    /// A parameter of the first `WWW-Authenticate` challenge of `scheme` (`*`: any scheme).
    case challenge(scheme: String, parameter: String)
    /// The scheme of the first `WWW-Authenticate` challenge.
    case challengeScheme
    /// The status line's reason phrase.
    case reason
    /// The body's first non-empty line, trimmed (at most 300 characters): a one-line text answer read whole.
    case bodyLine
}

/// The characters an identifier is made of.
public enum CharClass: Sendable {
    /// Hexadecimal digits, decimal digits, ASCII letters and digits.
    case hex, digits, alphanumeric
    /// Letters, digits and `.-_:` (request ids, references).
    case identifier
    /// Up to the end of the line or the next markup.
    case line
    /// `line`, stopping at a double quote too: a phrase inside a JSON string ("…, expected any of: read:grants").
    case phrase

    /// A text, not an identifier: leading spaces and colons are skipped, and punctuation alone is a value.
    var isText: Bool { self == .line || self == .phrase }

    func contains(_ c: Character) -> Bool {
        switch self {
        case .hex: return c.isHexDigit
        case .digits: return c.isASCII && c.isNumber
        case .alphanumeric: return c.isASCII && (c.isLetter || c.isNumber)
        case .identifier: return c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-" || c == "_" || c == ":" || c == "/" || c == "+" || c == "=")
        case .line: return !c.isNewline && c != "<"
        case .phrase: return !c.isNewline && c != "<" && c != "\""
        }
    }
}

/// A refinement of a signature by the value of an extracted key (an error code, a sub-status).
public struct Variant: Sendable {
    /// The extracted key compared.
    public var key: String
    /// Matching values, case-insensitive; `*` stands for any text (`text*` a prefix, `*text*` a substring, `a*b*` both).
    public var values: [String]
    /// The cause when the value matches.
    public var cause: Cause
    /// The confidence when the value matches.
    public var confidence: Confidence
    /// Replaces the signature's summary when non-nil.
    public var summary: String?
    /// Replace the signature's checks and fixes when non-nil.
    public var checks: [String]?
    /// Replacement fixes.
    public var fixes: [Fix]?
    /// A condition on the response that must hold too (a code that means one thing from one product and another from
    /// a compatible one); nil: none.
    public var also: Condition?

    /// A refinement: when extracted `key` is one of `values` (and `also` holds), these cause and words apply.
    public init(_ key: String, _ values: [String], also: Condition? = nil, cause: Cause, confidence: Confidence, summary: String? = nil,
                checks: [String]? = nil, fixes: [Fix]? = nil) {
        self.key = key
        self.values = values
        self.also = also
        self.cause = cause
        self.confidence = confidence
        self.summary = summary
        self.checks = checks
        self.fixes = fixes
    }

    func matches(_ value: String) -> Bool {
        let v = value.lowercased()
        return values.contains { Self.glob($0.lowercased(), v) }
    }

    /// `*` stands for any text, anywhere in the pattern: "abc*" is a prefix, "*abc*" a substring, "a: *b*" a prefix
    /// followed somewhere by "b"; without `*` the value must equal the pattern.
    static func glob(_ pattern: String, _ value: String) -> Bool {
        let pieces = pattern.split(separator: "*", omittingEmptySubsequences: false)
        guard pieces.count > 1 else { return value == pattern }
        var rest = Substring(value)
        guard rest.hasPrefix(pieces[0]) else { return false }
        rest = rest.dropFirst(pieces[0].count)
        for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
            guard let r = rest.range(of: piece) else { return false }
            rest = rest[r.upperBound...]
        }
        return rest.hasSuffix(pieces.last!)
    }
}

extension Signature {
    /// Fills `{key}` placeholders; a `[...]` part holding a placeholder is dropped when a key inside it has no
    /// value, and a key outside brackets without a value reads "unknown". Brackets around no placeholder are
    /// text ("a RewriteRule [R=429]"), and so are braces around anything but a key (a JSON body quoted in a text).
    static func fill(_ template: String, _ values: [String: String]) -> String {
        var unfilled: [String] = []
        return fill(template, values, unfilled: &unfilled)
    }

    /// `fill`, adding to `unfilled` each key outside brackets that had no value (so read "unknown"): a
    /// template that needs a value its signature does not always extract, which the catalogue tests
    /// forbid (an id that may be absent goes in brackets, where its absence drops the words around it).
    static func fill(_ template: String, _ values: [String: String], unfilled: inout [String]) -> String {
        var out = ""
        var i = template.startIndex
        while i < template.endIndex {
            let c = template[i]
            if c == "[", let close = template[i...].firstIndex(of: "]") {
                let inner = template[template.index(after: i)..<close]
                if hasPlaceholder(inner) {
                    if let filled = fillStrict(inner, values) { out += filled }
                    i = template.index(after: close)
                    continue
                }
            }
            if c == "{", let (key, end) = placeholder(template[i...]) {
                if let v = values[key] { out += v } else { out += "unknown"; unfilled.append(key) }
                i = end
                continue
            }
            out.append(c)
            i = template.index(after: i)
        }
        return out
    }

    /// The placeholder `{key}` at the start of `text` (a key is letters, digits and `_`, not starting with a
    /// digit) and the index after it; nil for other braces, which are text (a JSON body quoted in a summary,
    /// `{ windowMs, limit }`).
    private static func placeholder(_ text: Substring) -> (key: String, end: Substring.Index)? {
        guard text.first == "{" else { return nil }
        var j = text.index(after: text.startIndex)
        let start = j
        while j < text.endIndex, let a = text[j].asciiValue, a == 0x5F || (a >= 0x30 && a <= 0x39) || (a | 0x20 >= 0x61 && a | 0x20 <= 0x7A) {
            j = text.index(after: j)
        }
        guard j > start, j < text.endIndex, text[j] == "}", !(text[start].asciiValue.map { $0 >= 0x30 && $0 <= 0x39 } ?? false)
        else { return nil }
        return (String(text[start..<j]), text.index(after: j))
    }

    private static func hasPlaceholder(_ text: Substring) -> Bool {
        var rest = text
        while let open = rest.firstIndex(of: "{") {
            if placeholder(rest[open...]) != nil { return true }
            rest = rest[rest.index(after: open)...]
        }
        return false
    }

    /// A bracketed part filled, or nil when one of its placeholders has no value (the part holds no `]`, so no
    /// bracket inside it is taken for another part).
    private static func fillStrict(_ template: Substring, _ values: [String: String]) -> String? {
        var unfilled: [String] = []
        let out = fill(String(template), values, unfilled: &unfilled)
        return unfilled.isEmpty ? out : nil
    }
}
