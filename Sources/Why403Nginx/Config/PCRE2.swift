#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// libpcre2-8, the library nginx compiles its regular expressions with, loaded at run time with `dlopen` (the package
/// never links it) to check a configuration's regexes as nginx does when it loads it: one nginx refuses is an error in
/// nginx's words, never a verdict. Without the library (Debian's libpcre2-8-0, which nginx depends on) the check is
/// skipped and the simulation's note on a regex it cannot read stays. Written by hand: no Swift package wraps PCRE2,
/// and Swift's `Regex` accepts and refuses other patterns than PCRE2 does.
enum PCRE2 {
    typealias Compile = @convention(c) (UnsafePointer<UInt8>?, Int, UInt32, UnsafeMutablePointer<Int32>?,
                                        UnsafeMutablePointer<Int>?, OpaquePointer?) -> OpaquePointer?
    typealias Free = @convention(c) (OpaquePointer?) -> Void
    typealias Message = @convention(c) (Int32, UnsafeMutablePointer<UInt8>?, Int) -> Int32

    struct Functions: @unchecked Sendable {
        var compile: Compile
        var free: Free
        var message: Message
    }

    // INVARIANT: loaded once, never written afterwards; pcre2_compile is reentrant.
    static let functions: Functions? = {
        for name in ["libpcre2-8.so.0", "libpcre2-8.so"] {
            guard let h = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            guard let c = dlsym(h, "pcre2_compile_8"), let f = dlsym(h, "pcre2_code_free_8"),
                  let m = dlsym(h, "pcre2_get_error_message_8") else { return nil }
            return Functions(compile: unsafeBitCast(c, to: Compile.self), free: unsafeBitCast(f, to: Free.self),
                             message: unsafeBitCast(m, to: Message.self))
        }
        return nil
    }()

    /// Whether libpcre2-8 was found.
    static var available: Bool { functions != nil }

    /// nginx's message when PCRE2 refuses `pattern` (`pcre2_compile() failed: missing closing parenthesis in "^/(a"`,
    /// as ngx_regex_compile writes it), else nil; nil too without the library.
    static func refusal(_ pattern: String, caseless: Bool) -> String? {
        guard let fn = functions else { return nil }
        let bytes = Array(pattern.utf8) + [0]
        var code: Int32 = 0
        var offset = 0
        let re = bytes.withUnsafeBufferPointer { fn.compile($0.baseAddress, bytes.count - 1, caseless ? 0x0000_0008 : 0, &code, &offset, nil) }
        if let re { fn.free(re); return nil }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = fn.message(code, &buffer, buffer.count)
        let text = n > 0 ? String(decoding: buffer[0..<Int(n)], as: UTF8.self) : "error \(code)"
        var out = "pcre2_compile() failed: \(text) in \"\(pattern)\""
        if offset < bytes.count - 1 { out += " at \"\(String(decoding: bytes[offset..<(bytes.count - 1)], as: UTF8.self))\"" }
        return out
    }
}
