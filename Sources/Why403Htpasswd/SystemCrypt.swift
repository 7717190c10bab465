#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The C library's `crypt` (libxcrypt on Debian: bcrypt `$2b$/$2y$/$2a$`, `$5$`, `$6$`, DES), loaded at
/// run time with `dlopen` so the package needs no C shim or link flag. httpd and nginx call the same
/// function on Linux for these formats, so the answer is theirs.
enum SystemCrypt {
    typealias CryptRN = @convention(c) (UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafeMutableRawPointer?, Int32)
        -> UnsafeMutablePointer<CChar>?
    typealias CryptR = @convention(c) (UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafeMutableRawPointer?)
        -> UnsafeMutablePointer<CChar>?

    struct Functions: @unchecked Sendable {
        var rn: CryptRN?
        var r: CryptR?
    }

    // INVARIANT: loaded once, never written afterwards; the functions are reentrant (per-call data).
    static let functions: Functions = {
        var handle: UnsafeMutableRawPointer? = nil
        for name in ["libcrypt.so.1", "libcrypt.so.2", "libcrypt.so"] {
            handle = dlopen(name, RTLD_NOW | RTLD_LOCAL)
            if handle != nil { break }
        }
        guard let handle else { return Functions(rn: nil, r: nil) }
        let rn = dlsym(handle, "crypt_rn").map { unsafeBitCast($0, to: CryptRN.self) }
        let r = dlsym(handle, "crypt_r").map { unsafeBitCast($0, to: CryptR.self) }
        return Functions(rn: rn, r: r)
    }()

    /// Whether a system crypt was found.
    static var available: Bool { functions.rn != nil || functions.r != nil }

    /// `crypt(phrase, setting)`, or nil when the setting is not supported (libxcrypt answers NULL or a
    /// string starting with `*`).
    static func crypt(_ phrase: String, setting: String) -> String? {
        // struct crypt_data is 32 KiB in libxcrypt and about 128 KiB in old glibc: give plenty.
        let size = 256 * 1024
        let data = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer {
            data.initializeMemory(as: UInt8.self, repeating: 0, count: size)  // no password left in memory
            data.deallocate()
        }
        data.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        let out: UnsafeMutablePointer<CChar>?
        if let rn = functions.rn {
            out = rn(phrase, setting, data, Int32(size))
        } else if let r = functions.r {
            out = r(phrase, setting, data)
        } else {
            return nil
        }
        guard let out else { return nil }
        let s = String(cString: out)
        if s.hasPrefix("*") || s.isEmpty { return nil }
        return s
    }
}
