import CModSecurity
import Foundation
import Why403Core

/// A ModSecurity rule set loaded once into libmodsecurity, and requests run through it the way a
/// server connector runs them: connection, URI, headers, body (always, even when empty: the engine runs
/// phase 2 there), stopping at the first disruptive intervention.
public final class ModSecurityEngine: @unchecked Sendable {
    /// What the engine answered for one request.
    public struct Outcome: Sendable, Equatable {
        /// The intervention's status when a rule was disruptive (403 unless the rule says otherwise).
        public var status: Int?
        /// A redirect intervention's URL.
        public var redirect: String?
        /// The phase that stopped the request (1 headers, 2 body).
        public var phase: Int?
        /// Every message a rule logged, in order (the disruptive one last), duplicates removed.
        public var messages: [RuleMessage]
        /// The engine's lines that carry no rule id (kept as evidence).
        public var otherLines: [String]
    }

    /// One piece of the configuration, loaded in order.
    public enum Part: Sendable, Equatable {
        /// A configuration file (its `Include`s resolve relative to it).
        case file(String)
        /// Directives given as text; `origin` names them in errors.
        case text(String, origin: String)
    }

    /// The library it runs on.
    public let library: ModSecurityLibrary
    /// The configuration, as loaded.
    public let parts: [Part]
    private let msc: UnsafeMutableRawPointer
    private let rules: UnsafeMutableRawPointer
    private let lock = NSLock()

    /// Loads `parts` into a new rule set. A part the engine refuses is an `InputError` with the engine's
    /// own message, and the file and line it names.
    public init(library: ModSecurityLibrary, parts: [Part]) throws {
        self.library = library
        self.parts = parts
        guard let msc = library.initialize() else {
            throw InputError(file: nil, message: "msc_init failed in \(library.path)")
        }
        library.setConnectorInfo(msc, "why403 (offline evaluation)")
        library.setLogCallback(msc, { data, message in
            guard let data, let message else { return }
            let sink = Unmanaged<LogSink>.fromOpaque(data).takeUnretainedValue()
            sink.lines.append(String(cString: message.assumingMemoryBound(to: CChar.self)))
        })
        guard let rules = library.createRulesSet() else {
            library.cleanup(msc)
            throw InputError(file: nil, message: "msc_create_rules_set failed in \(library.path)")
        }
        self.msc = msc
        self.rules = rules
        // The engine's rule lexer echoes text it cannot match to standard output (flex's default
        // action): keep it off ours, where the report goes.
        let quiet = StandardOutputSilencer()
        defer { quiet.restore() }
        for part in parts {
            var error: UnsafePointer<CChar>? = nil
            let origin: String
            let result: Int32
            switch part {
            case .file(let path):
                origin = path
                result = library.rulesAddFile(rules, path, &error)
            case .text(let text, let o):
                origin = o
                result = library.rulesAdd(rules, text, &error)
            }
            if result < 0 {
                let message = error.map { String(cString: $0) } ?? "the engine refused the rules"
                if let error { free(UnsafeMutableRawPointer(mutating: error)) }
                // Every stored property is set: deinit frees the rule set and the engine.
                throw Self.loadError(message, origin: origin)
            }
        }
    }

    deinit {
        _ = library.rulesCleanup(rules)
        library.cleanup(msc)
    }

    /// The engine's load error as an `InputError`: libmodsecurity writes
    /// `Rules error. File: F. Line: N. Column: C. <what>`; F is "<<reference missing or not informed>>"
    /// for text given directly, where `origin` names it instead.
    static func loadError(_ message: String, origin: String) -> InputError {
        let text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        func field(_ name: String) -> String? {
            guard let r = text.range(of: "\(name): ") else { return nil }
            let rest = text[r.upperBound...]
            return rest.range(of: ". ").map { String(rest[..<$0.lowerBound]) }
        }
        var file = field("File") ?? origin
        if file.hasPrefix("<<") { file = origin }
        var line = field("Line").flatMap(Int.init)
        let column = field("Column").flatMap(Int.init)
        var what = text
        if let c = text.range(of: "Column: "), let dot = text[c.upperBound...].range(of: ". ") {
            what = String(text[dot.upperBound...])
        } else if let l = text.range(of: "Line: "), let dot = text[l.upperBound...].range(of: ". ") {
            what = String(text[dot.upperBound...])
        }
        // Some messages name the file by a pointer instead: "Rules must have an ID. File: 0x7f5664051520 at line: 3".
        if let f = what.range(of: " File: 0x") {
            if line == nil, let l = what[f.upperBound...].range(of: "at line: ") {
                line = Int(what[l.upperBound...].prefix(while: \.isNumber))
            }
            what = String(what[..<f.lowerBound])
        }
        return InputError(file: file, line: line, column: column, message: "libmodsecurity refused the rules: \(what)",
                          help: "the engine's own message; fix the rule, or check that the file loads in the server (apachectl -t, nginx -t)")
    }

    /// Runs one request through the rule set.
    public func evaluate(_ request: Request, serverPort: Int? = nil) -> Outcome {
        lock.lock(); defer { lock.unlock() }
        let sink = LogSink()
        let l = library
        let t = l.newTransaction(msc, rules, Unmanaged.passUnretained(sink).toOpaque())!
        defer { l.transactionCleanup(t) }
        var outcome = Outcome(status: nil, redirect: nil, phase: nil, messages: [], otherLines: [])

        func intervened(phase: Int) -> Bool {
            var it = why403_msc_intervention(status: 200, pause: 0, url: nil, log: nil, disruptive: 0)
            guard l.intervention(t, &it) != 0 else { return false }
            if let log = it.log { sink.lines.append(String(cString: log)); free(log) }
            if let url = it.url { outcome.redirect = String(cString: url); free(url) }
            guard it.disruptive != 0 else { return false }
            outcome.status = Int(it.status)
            outcome.phase = phase
            return true
        }

        let client = request.clientAddress?.description ?? "127.0.0.1"
        let port = serverPort ?? request.target.port
        _ = l.processConnection(t, client, 50000, "127.0.0.1", Int32(port))
        var stopped = intervened(phase: 0)
        if !stopped {
            _ = l.processURI(t, request.target.requestURI, request.method, "1.1")
            stopped = intervened(phase: 0)
        }
        if !stopped {
            for (name, value) in Self.headers(of: request) {
                let n = Array(name.utf8), v = Array(value.utf8)
                _ = l.addRequestHeader(t, n, n.count, v, v.count)
            }
            _ = l.processRequestHeaders(t)
            stopped = intervened(phase: 1)
        }
        if !stopped {
            if let body = request.body, !body.isEmpty {
                _ = body.withUnsafeBytes { raw in
                    l.appendRequestBody(t, raw.bindMemory(to: UInt8.self).baseAddress, raw.count)
                }
            }
            _ = l.processRequestBody(t)
            stopped = intervened(phase: 2)
        }
        _ = l.processLogging(t)
        var seen = Set<String>()
        for line in sink.lines {
            if let m = RuleMessage(text: line) {
                // The disruptive rule is logged twice (log callback and intervention); keep the one that
                // says "Access denied".
                let key = m.id + "|" + (m.variable ?? "")
                if seen.insert(key).inserted { outcome.messages.append(m) }
                else if m.denied, let i = outcome.messages.firstIndex(where: { $0.id + "|" + ($0.variable ?? "") == key }) {
                    outcome.messages[i] = m
                }
            } else {
                outcome.otherLines.append(line)
            }
        }
        return outcome
    }

    /// The headers as the server hands them to the engine: `Host` first (from the URL when `-H` gave
    /// none), then the request's own, then `Content-Length` for a body.
    static func headers(of request: Request) -> [(String, String)] {
        var out: [(String, String)] = []
        if request.header("Host") == nil {
            let t = request.target
            let h = t.host.contains(":") ? "[\(t.host)]" : t.host
            out.append(("Host", t.hasExplicitPort ? "\(h):\(t.port)" : h))
        }
        for field in request.headers { out.append((field.name.rawName, field.value)) }
        if let body = request.body, request.header("Content-Length") == nil {
            out.append(("Content-Length", String(body.count)))
        }
        return out
    }
}

/// Points file descriptor 1 at /dev/null until `restore()` (flushing C's stdout buffer both ways).
final class StandardOutputSilencer {
    private var saved: Int32 = -1

    init() {
        fflush(nil)
        let null = open("/dev/null", O_WRONLY)
        guard null >= 0 else { return }
        saved = dup(1)
        dup2(null, 1)
        close(null)
    }

    func restore() {
        guard saved >= 0 else { return }
        fflush(nil)
        dup2(saved, 1)
        close(saved)
        saved = -1
    }
}

/// Collects the engine's log lines of one transaction (the callback's `data` points to it).
final class LogSink {
    var lines: [String] = []
}
