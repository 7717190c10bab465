import Foundation
import XCTest
import Why403Core
import Why403TestSupport
@testable import Why403ModSecurity

/// The real engine and CRS, or a skip (a failure under `CI=true`, where `.ci/run` installs
/// libmodsecurity3 and modsecurity-crs).
enum EngineSupport {
    static func library(file: StaticString = #filePath, line: UInt = #line) throws -> ModSecurityLibrary {
        do {
            return try ModSecurityLibrary.load()
        } catch {
            let message = "libmodsecurity 3 is not installed (apt-get install libmodsecurity3; .ci/run does): \(error)"
            if RealTools.isCI { XCTFail(message, file: file, line: line) }
            throw XCTSkip(message)
        }
    }

    static func crs(paranoia: Int = 1, file: StaticString = #filePath, line: UInt = #line) throws -> RuleSource {
        _ = try library(file: file, line: line)
        guard let c = CRSInstallation.find(read: { try? String(contentsOfFile: $0, encoding: .utf8) }) else {
            let message = "the OWASP CRS is not installed (apt-get install modsecurity-crs; .ci/run does)"
            if RealTools.isCI { XCTFail(message, file: file, line: line) }
            throw XCTSkip(message)
        }
        return .crs(c, paranoia: paranoia)
    }

    nonisolated(unsafe) static var sessions: [Int: ModSecurityAnalyzer.Session] = [:]
    static let lock = NSLock()

    /// One CRS session per paranoia level for the whole test run (loading CRS takes a moment).
    static func session(paranoia: Int = 1) throws -> ModSecurityAnalyzer.Session {
        let source = try crs(paranoia: paranoia)
        lock.lock(); defer { lock.unlock() }
        if let s = sessions[paranoia] { return s }
        let s = try ModSecurityAnalyzer.Session(rules: source)
        sessions[paranoia] = s
        return s
    }

    static let browser = [("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
                          ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")]

    static func request(_ url: String, method: String = "GET", headers: [(String, String)] = browser,
                        body: String? = nil) throws -> Request {
        try Request(method: method, url: url, headers: headers.map { (name: $0.0, value: $0.1) }, clientIP: "127.0.0.1",
                    body: body.map { Array($0.utf8) })
    }
}
