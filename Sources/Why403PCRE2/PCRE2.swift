#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// libpcre2-8, the library nginx and Apache httpd compile their regular expressions with, loaded at run time with
/// `dlopen` (the package never links it): a configuration's regexes are compiled and matched by the servers' own
/// engine, and one the server refuses is an error in its words. Without the library (Debian's libpcre2-8-0, which nginx
/// and httpd depend on) the simulations fall back to Swift's `Regex` (nginx) and ICU (Apache), which read the common
/// subset the same way. Written by hand: no Swift package in the project's set wraps PCRE2.
public enum PCRE2 {
    /// `PCRE2_CASELESS`.
    public static let caseless: UInt32 = 0x0000_0008
    /// `PCRE2_DOLLAR_ENDONLY` (httpd's default since 2.4.30, `RegexDefaultOptions DOLLAR_ENDONLY`).
    public static let dollarEndOnly: UInt32 = 0x0000_0010

    typealias Compile = @convention(c) (UnsafePointer<UInt8>?, Int, UInt32, UnsafeMutablePointer<Int32>?,
                                        UnsafeMutablePointer<Int>?, OpaquePointer?) -> OpaquePointer?
    typealias Free = @convention(c) (OpaquePointer?) -> Void
    typealias Message = @convention(c) (Int32, UnsafeMutablePointer<UInt8>?, Int) -> Int32
    typealias MatchDataCreate = @convention(c) (OpaquePointer?, OpaquePointer?) -> OpaquePointer?
    typealias Match = @convention(c) (OpaquePointer?, UnsafePointer<UInt8>?, Int, Int, UInt32, OpaquePointer?, OpaquePointer?) -> Int32
    typealias Ovector = @convention(c) (OpaquePointer?) -> UnsafeMutablePointer<Int>?
    typealias Info = @convention(c) (OpaquePointer?, UInt32, UnsafeMutableRawPointer?) -> Int32

    struct Functions: @unchecked Sendable {
        var compile: Compile
        var free: Free
        var message: Message
        var matchData: MatchDataCreate
        var match: Match
        var ovector: Ovector
        var freeMatchData: Free
        var info: Info
    }

    // INVARIANT: loaded once, never written afterwards; pcre2_compile is reentrant.
    static let functions: Functions? = {
        for name in ["libpcre2-8.so.0", "libpcre2-8.so"] {
            guard let h = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            guard let c = dlsym(h, "pcre2_compile_8"), let f = dlsym(h, "pcre2_code_free_8"),
                  let m = dlsym(h, "pcre2_get_error_message_8"), let md = dlsym(h, "pcre2_match_data_create_from_pattern_8"),
                  let mt = dlsym(h, "pcre2_match_8"), let ov = dlsym(h, "pcre2_get_ovector_pointer_8"),
                  let fmd = dlsym(h, "pcre2_match_data_free_8"), let inf = dlsym(h, "pcre2_pattern_info_8") else { return nil }
            return Functions(compile: unsafeBitCast(c, to: Compile.self), free: unsafeBitCast(f, to: Free.self),
                             message: unsafeBitCast(m, to: Message.self), matchData: unsafeBitCast(md, to: MatchDataCreate.self),
                             match: unsafeBitCast(mt, to: Match.self), ovector: unsafeBitCast(ov, to: Ovector.self),
                             freeMatchData: unsafeBitCast(fmd, to: Free.self), info: unsafeBitCast(inf, to: Info.self))
        }
        return nil
    }()

    /// Whether libpcre2-8 was found.
    public static var available: Bool { functions != nil }

    /// nginx's message when PCRE2 refuses `pattern` (`pcre2_compile() failed: missing closing parenthesis in "^/(a"`,
    /// as ngx_regex_compile writes it), else nil; nil too without the library.
    public static func refusal(_ pattern: String, caseless: Bool) -> String? {
        guard let fn = functions else { return nil }
        switch compile(pattern, options: caseless ? PCRE2.caseless : 0, fn) {
        case .success(let code):
            fn.free(code)
            return nil
        case .failure(let e):
            var buffer = [UInt8](repeating: 0, count: 256)
            let n = fn.message(e.code, &buffer, buffer.count)
            let text = n > 0 ? String(decoding: buffer[0..<Int(n)], as: UTF8.self) : "error \(e.code)"
            let bytes = Array(pattern.utf8)
            var out = "pcre2_compile() failed: \(text) in \"\(pattern)\""
            if e.offset < bytes.count { out += " at \"\(String(decoding: bytes[e.offset...], as: UTF8.self))\"" }
            return out
        }
    }

    /// `pcre2_compile`: the code, or the error code and the offset where compiling stopped.
    static func compile(_ pattern: String, options: UInt32, _ fn: Functions) -> Result<OpaquePointer, PCRE2Error> {
        let bytes = Array(pattern.utf8) + [0]
        var code: Int32 = 0
        var offset = 0
        let re = bytes.withUnsafeBufferPointer { fn.compile($0.baseAddress, bytes.count - 1, options, &code, &offset, nil) }
        if let re { return .success(re) }
        return .failure(PCRE2Error(code: code, offset: offset))
    }
}

/// A pattern PCRE2 compiled, matched as the servers match it (`ngx_regex_exec`, `ap_regexec`: the subject's bytes, from
/// its start, no match options). INVARIANT: the compiled code is read-only once made (PCRE2 allows sharing it between
/// threads); each match makes its own match data; the code is freed with this object.
public final class PCRE2Code: @unchecked Sendable {
    private let fn: PCRE2.Functions
    private let code: OpaquePointer
    /// Named groups: (group number, name).
    public let names: [(Int, String)]
    /// The pattern's groups.
    public let groupCount: Int

    /// Compiles `pattern` with `options` (`PCRE2.caseless`, …); nil when PCRE2 refuses it or is absent.
    public convenience init?(_ pattern: String, caseless: Bool) {
        self.init(pattern, options: caseless ? PCRE2.caseless : 0)
    }

    /// Compiles `pattern` with `options`; nil when PCRE2 refuses it or is absent.
    public init?(_ pattern: String, options: UInt32) {
        guard let fn = PCRE2.functions, case .success(let code) = PCRE2.compile(pattern, options: options, fn) else { return nil }
        self.fn = fn
        self.code = code
        var count: UInt32 = 0, size: UInt32 = 0
        var table: UnsafePointer<UInt8>? = nil
        var names: [(Int, String)] = []
        if fn.info(code, 17, &count) == 0, count > 0, fn.info(code, 18, &size) == 0, fn.info(code, 19, &table) == 0, let table {
            // Each entry: the group number in two bytes (big-endian), then the name, NUL-terminated.
            for i in 0..<Int(count) {
                let e = table + i * Int(size)
                let n = Int(e[0]) << 8 | Int(e[1])
                names.append((n, String(cString: e + 2)))
            }
        }
        self.names = names
        var groups: UInt32 = 0
        groupCount = fn.info(code, 4, &groups) == 0 ? Int(groups) : 0
    }

    deinit {
        fn.free(code)
    }

    /// The groups of the first match in `subject` (0 the whole match; "" for a group that took no part), nil when
    /// there is none; `.failure` when PCRE2 stops with an error (a match limit), which nginx answers with a 500.
    public func firstMatch(in subject: String) -> Result<[String]?, PCRE2Error> {
        run(subject) { rc, ovector, u in
            // rc 0: the ovector was too small, which match data made from the pattern never is.
            let pairs = rc == 0 ? 1 : Int(rc)
            var groups: [String] = []
            for i in 0..<pairs {
                let a = ovector[2 * i], b = ovector[2 * i + 1]
                if a < 0 || b < a || b > u.count { groups.append(""); continue }  // PCRE2_UNSET is ~0
                groups.append(String(decoding: UnsafeBufferPointer(rebasing: u[a..<b]), as: UTF8.self))
            }
            while groups.count <= groupCount { groups.append("") }  // the groups after the last one set
            return groups
        }
    }

    /// Whether the pattern matches `subject` (no group is made); `.failure` as `firstMatch`.
    public func matches(_ subject: String) -> Result<Bool, PCRE2Error> {
        run(subject) { _, _, _ in true }.map { $0 ?? false }
    }

    /// One `pcre2_match` over `subject`'s UTF-8, with match data of its own; `found` reads a match's ovector.
    private func run<T>(_ subject: String, found: (Int32, UnsafeMutablePointer<Int>, UnsafeBufferPointer<UInt8>) -> T)
        -> Result<T?, PCRE2Error> {
        guard let data = fn.matchData(code, nil) else { return .failure(PCRE2Error(code: -48)) }  // PCRE2_ERROR_NOMEMORY
        defer { fn.freeMatchData(data) }
        var s = subject
        return s.withUTF8 { u -> Result<T?, PCRE2Error> in
            let rc = fn.match(code, u.baseAddress ?? UnsafePointer(bitPattern: 1), u.count, 0, 0, data, nil)
            if rc == -1 { return .success(nil) }
            if rc < 0 { return .failure(PCRE2Error(code: rc)) }
            guard let ov = fn.ovector(data) else { return .success(nil) }
            return .success(found(rc, ov, u))
        }
    }
}

/// PCRE2 refused a pattern, or stopped a match with an error (`pcre2_match()` < -1).
public struct PCRE2Error: Error {
    /// PCRE2's error code (`PCRE2_ERROR_MATCHLIMIT` is -47).
    public var code: Int32
    /// For a pattern that did not compile, the offset where compiling stopped.
    public var offset = 0
}
