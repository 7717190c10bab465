import XCTest
import Why403Core
import Why403Htpasswd
import Why403TestSupport

/// htpasswd parsing and verification, checked against hashes the real `htpasswd` tool writes.
final class HtpasswdTests: XCTestCase {
    /// `htpasswd -nb FLAG user password` -> the hash it prints.
    func realHash(_ flag: String, user: String = "alice", password: String) throws -> String {
        let tool = try RealTools.require("htpasswd")
        let r = try Run.program(tool, ["-nb" + flag, user, password])
        XCTAssertEqual(r.status, 0, r.stderr)
        let line = r.stdout.split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertTrue(line.hasPrefix(user + ":"), line)
        return String(line.dropFirst(user.count + 1))
    }

    func check(_ flag: String, format: String, passwords: [String]) throws {
        for pw in passwords {
            let hash = try realHash(flag, password: pw)
            XCTAssertEqual(HtpasswdHash.formatName(hash), format, hash)
            let file = try HtpasswdFile(path: "/t/.htpasswd", contents: "# users\n\nbob:{SHA}x\nalice:\(hash)\n")
            XCTAssertEqual(file.verify(user: "alice", password: pw), .match(line: 4), "\(flag) \(pw)")
            XCTAssertEqual(file.verify(user: "alice", password: pw + "x"), .mismatch(line: 4), "\(flag) \(pw)")
            XCTAssertEqual(file.verify(user: "alice", password: ""), pw.isEmpty ? .match(line: 4) : .mismatch(line: 4))
            XCTAssertEqual(file.verify(user: "carol", password: pw), .unknownUser)
        }
    }

    static let passwords = ["secret", "", "pässwörd", "a:b c$d", String(repeating: "long", count: 20), "12345678x"]

    func testApr1FromRealHtpasswd() throws { try check("m", format: "apr1-MD5", passwords: Self.passwords) }
    func testBcryptFromRealHtpasswd() throws {
        try check("B", format: "bcrypt", passwords: ["secret", "", "pässwörd", "a:b c$d"])
    }
    func testSHA1FromRealHtpasswd() throws { try check("s", format: "SHA-1", passwords: Self.passwords) }
    func testDESCryptFromRealHtpasswd() throws {
        try check("d", format: "crypt (DES)", passwords: ["secret", "pw", "1234567"])
        // DES crypt uses only the first 8 characters, as the servers do.
        let hash = try realHash("d", password: "12345678")
        XCTAssertEqual(HtpasswdHash.verify(password: "12345678-ignored", hash: hash), .match)
    }
    func testSHA256CryptFromRealHtpasswd() throws { try check("2", format: "SHA-256-crypt", passwords: ["secret", "x y"]) }
    func testSHA512CryptFromRealHtpasswd() throws { try check("5", format: "SHA-512-crypt", passwords: ["secret", "x y"]) }

    /// Differential against the real tool's own verification (`htpasswd -vb`, apr-util): for every
    /// format, right and wrong passwords give the same answer.
    func testAgreesWithHtpasswdVerify() throws {
        let tool = try RealTools.require("htpasswd")
        let tmp = try TemporaryDirectory(prefix: "why403-htpasswd")
        defer { tmp.remove() }
        var rng = SplitMix64(seed: 7)
        var compared = 0
        for flag in ["m", "s", "B", "d", "2", "5"] {
            for n in 0..<4 {
                let length = Int(rng.next() % 12) + (flag == "d" ? 1 : 0)
                let alphabet = Array("abcXYZ019 :$!é")
                let pw = String((0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
                let file = tmp.path + "/f\(flag)\(n)"
                let made = try Run.program(tool, ["-cb" + flag, file, "u\(n)", pw])
                XCTAssertEqual(made.status, 0, made.stderr)
                let parsed = try HtpasswdFile(path: file, contents: String(contentsOfFile: file, encoding: .utf8))
                for attempt in [pw, pw + "1", String(pw.dropLast()), pw.uppercased()] {
                    let real = try Run.program(tool, ["-vb", file, "u\(n)", attempt]).status == 0
                    let ours = parsed.verify(user: "u\(n)", password: attempt, server: .apache)
                    XCTAssertEqual(ours == .match(line: 1), real, "-\(flag) \(pw.debugDescription) vs \(attempt.debugDescription): \(ours)")
                    compared += 1
                }
            }
        }
        XCTAssertEqual(compared, 96)
    }

    func testPlainTextIsUnsupportedOnLinux() throws {
        let hash = try realHash("p", password: "secret")
        XCTAssertEqual(hash, "secret")
        let file = try HtpasswdFile(path: "/t/p", contents: "alice:secret\n")
        guard case .unsupported(let format, 1) = file.verify(user: "alice", password: "secret") else {
            return XCTFail("plain text must be reported as unsupported")
        }
        XCTAssertTrue(format.hasPrefix("plain text"), format)
    }

    func testMD5CryptKnownVector() {
        // As `openssl passwd -1 -salt saltstri password` prints it.
        XCTAssertEqual(HtpasswdHash.md5Crypt(Array("password".utf8), setting: "$1$saltstri", magic: "$1$"),
                       "$1$saltstri$qQY4WxjABChYG1ccLpfkz/")
        XCTAssertEqual(HtpasswdHash.verify(password: "password", hash: "$1$saltstri$qQY4WxjABChYG1ccLpfkz/"), .match)
    }

    func testApr1AgainstOpenSSL() throws {
        let openssl = try RealTools.require("openssl")
        for (pw, salt) in [("myPassword", "r31....."), ("", "abc"), ("x", "12345678")] {
            let r = try Run.program(openssl, ["passwd", "-apr1", "-salt", salt, pw])
            XCTAssertEqual(r.status, 0, r.stderr)
            let expected = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            XCTAssertEqual(HtpasswdHash.md5Crypt(Array(pw.utf8), setting: "$apr1$" + salt, magic: "$apr1$"), expected)
        }
    }

    /// `{SSHA}` = base64(SHA1(password + salt) + salt), computed by Python's hashlib.
    func ssha(_ pw: String, salt: String) throws -> String {
        let python = try RealTools.require("python3")
        let r = try Run.program(python, ["-c", "import hashlib,base64,sys; p=sys.argv[1].encode(); s=sys.argv[2].encode(); "
            + "print(base64.b64encode(hashlib.sha1(p+s).digest()+s).decode())", pw, salt])
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testNginxOnlyFormats() throws {
        let file = try HtpasswdFile(path: "/t/p", contents: "a:{PLAIN}secret\nb:{SSHA}\(try ssha("secret", salt: "saltsalt"))\n")
        XCTAssertEqual(file.verify(user: "a", password: "secret", server: .nginx), .match(line: 1))
        XCTAssertEqual(file.verify(user: "a", password: "nope", server: .nginx), .mismatch(line: 1))
        XCTAssertEqual(file.verify(user: "b", password: "secret", server: .nginx), .match(line: 2))
        XCTAssertEqual(file.verify(user: "b", password: "secreT", server: .nginx), .mismatch(line: 2))
        guard case .unsupported = file.verify(user: "a", password: "secret", server: .apache) else {
            return XCTFail("Apache does not know {PLAIN}")
        }
    }

    func testFirstEntryWinsCommentsAndCRLF() throws {
        let a = try realHash("s", password: "one")
        let b = try realHash("s", password: "two")
        let file = try HtpasswdFile(path: "/t/p", contents: "# comment\r\n  \r\nalice:\(a)\r\nalice:\(b)\r\nbob:\(b):extra field\n")
        XCTAssertEqual(file.entries.count, 3)
        XCTAssertEqual(file.verify(user: "alice", password: "one"), .match(line: 3))
        XCTAssertEqual(file.verify(user: "alice", password: "two"), .mismatch(line: 3))
        XCTAssertEqual(file.verify(user: "bob", password: "two"), .match(line: 5))
    }

    func testMalformedLinesNamePathAndLine() {
        let cases: [(String, Int, String)] = [
            ("alice:{SHA}x\nno colon here\n", 2, "expected 'user:hash'"),
            (":hash\n", 1, "expected a user name"),
            ("ok:x\n\nalice:\n", 3, "expected a hash"),
            ("a:b\nbin\u{01}ary:x\n", 2, "control character"),
        ]
        for (text, line, message) in cases {
            XCTAssertThrowsError(try HtpasswdFile(path: "/etc/nginx/.htpasswd", contents: text)) { error in
                guard let e = error as? InputError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.file, "/etc/nginx/.htpasswd")
                XCTAssertEqual(e.line, line, text)
                XCTAssertTrue(e.message.contains(message), e.message)
            }
        }
    }

    func testLenientParseSkipsMalformedLinesLikeTheServers() throws {
        let file = try HtpasswdFile(path: "/p", contents: "junk\nalice:{SHA}x\n:nouser\nbob:{SHA}y\n", strict: false)
        XCTAssertEqual(file.entries.map(\.user), ["alice", "bob"])
        XCTAssertEqual(file.entries.map(\.line), [2, 4])
        XCTAssertEqual(file.skipped.compactMap(\.line), [1, 3])
    }

    func testMalformedLineNeverShowsItsText() {
        XCTAssertThrowsError(try HtpasswdFile(path: "/p", contents: "hunter2\n")) { error in
            XCTAssertFalse(String(describing: error).contains("hunter2"))
        }
    }

    func testBinaryBytesAreAnInputError() {
        XCTAssertThrowsError(try HtpasswdFile(path: "/p", bytes: Array("a:b\n".utf8) + [0xFF, 0xFE, 0x00])) { error in
            XCTAssertEqual((error as? InputError)?.line, 2)
        }
        XCTAssertNoThrow(try HtpasswdFile(path: "/p", bytes: Array("a:{SHA}x\n".utf8)))
    }

    /// Bounded mutation fuzzing: random and mutated files never crash and either parse or give an
    /// InputError with a line; verification never crashes on any hash.
    func testFuzzParseAndVerify() throws {
        var rng = SplitMix64(seed: 0x403)
        let seeds = ["alice:$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/\n", "bob:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=\n",
                     "c:$2y$04$abcdefghijklmnopqrstuu5GSO.7CXrkdm6JCh1Pv.aJ8NU4qQ3Mq\n", "d:abJnggxhB/yWI\n",
                     "# c\n\ne:$6$salt$abc\n", "f:{SSHA}AAAA\n", "g:$1$$\n", "h:$apr1$\n", "i:{SHA}\n", "j:$5$rounds=9$x$\n"]
        let alphabet = Array("$:{}/.#\n\r\t ab12APR=".unicodeScalars)
        for i in 0..<3000 {
            var text = Array(seeds[i % seeds.count].unicodeScalars)
            for _ in 0..<(rng.next() % 6) {
                let pos = text.isEmpty ? 0 : Int(rng.next() % UInt64(text.count))
                switch rng.next() % 3 {
                case 0 where !text.isEmpty: text.remove(at: pos)
                case 1: text.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: pos)
                default: text.insert(Unicode.Scalar(UInt8(truncatingIfNeeded: rng.next())), at: pos)
                }
            }
            var s = ""
            s.unicodeScalars.append(contentsOf: text)
            do {
                let file = try HtpasswdFile(path: "/fuzz", contents: s)
                for e in file.entries { _ = file.verify(user: e.user, password: "pw\(i)") }
            } catch let e as InputError {
                XCTAssertNotNil(e.line)
            }
            var bytes = [UInt8](repeating: 0, count: Int(rng.next() % 64))
            for j in bytes.indices { bytes[j] = UInt8(truncatingIfNeeded: rng.next()) }
            do { _ = try HtpasswdFile(path: "/fuzz", bytes: bytes) } catch let e as InputError { XCTAssertNotNil(e.line) }
        }
    }
}
