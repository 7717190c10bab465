import XCTest
import Why403Core
@testable import Why403S3

/// Builds and analyzes one S3 request from inline policies.
struct Scenario {
    var principal = "arn:aws:iam::111122223333:user/alice"
    var action = "s3:GetObject"
    var resource = "arn:aws:s3:::amzn-bucket/photos/cat.jpg"
    var bucket: String? = nil
    var identity: [String] = []
    var scps: [String] = []
    var boundary: String? = nil
    var session: String? = nil
    var kms: String? = nil
    var context: [(String, String)] = []
    var bpa: PublicAccessBlock? = nil
    var objectMissing = false

    func input() throws -> S3Analyzer.Input {
        try S3Analyzer.Input(principal: Principal.parse(principal), action: action, resource: resource,
                    context: context.map { (key: $0.0, value: $0.1) },
                    bucketPolicy: try bucket.map { try PolicyParser.parse($0, file: "bucket.json", kind: .bucket) },
                    identityPolicies: try identity.enumerated().map { try PolicyParser.parse($1, file: "identity\($0).json", kind: .identity) },
                    scps: try scps.enumerated().map { try PolicyParser.parse($1, file: "scp\($0).json", kind: .scp) },
                    permissionsBoundary: try boundary.map { try PolicyParser.parse($0, file: "boundary.json", kind: .boundary) },
                    sessionPolicy: try session.map { try PolicyParser.parse($0, file: "session.json", kind: .session) },
                    kmsKeyPolicy: try kms.map { try PolicyParser.parse($0, file: "key.json", kind: .kmsKey) },
                    blockPublicAccess: bpa, objectMissing: objectMissing)
    }

    func report() throws -> Report { S3Analyzer.analyze(try input()) }
}

/// A policy document with the given statements (JSON objects as text).
func doc(_ statements: String...) -> String {
    "{\n\"Version\": \"2012-10-17\",\n\"Statement\": [\n" + statements.joined(separator: ",\n") + "\n]\n}"
}

/// A bucket-policy statement.
func stmt(_ effect: String = "Allow", principal: String = "{\"AWS\": \"arn:aws:iam::111122223333:user/alice\"}",
          action: String = "\"s3:GetObject\"", resource: String = "\"arn:aws:s3:::amzn-bucket/*\"", condition: String? = nil,
          sid: String? = nil, notPrincipal: Bool = false) -> String {
    var s = "{"
    if let sid { s += "\"Sid\": \"\(sid)\", " }
    s += "\"Effect\": \"\(effect)\", \"\(notPrincipal ? "NotPrincipal" : "Principal")\": \(principal), \"Action\": \(action), \"Resource\": \(resource)"
    if let condition { s += ", \"Condition\": \(condition)" }
    return s + "}"
}

/// An identity-policy statement.
func istmt(_ effect: String = "Allow", action: String = "\"s3:GetObject\"", resource: String = "\"arn:aws:s3:::amzn-bucket/*\"",
           condition: String? = nil) -> String {
    var s = "{\"Effect\": \"\(effect)\", \"Action\": \(action), \"Resource\": \(resource)"
    if let condition { s += ", \"Condition\": \(condition)" }
    return s + "}"
}

func assertVerdict(_ r: Report, _ status: Int, _ cause: Cause, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(r.verdict.status, status, "status; findings: \(r.findings.map(\.summary))", file: file, line: line)
    XCTAssertEqual(r.verdict.cause, cause, "cause; findings: \(r.findings.map(\.summary))", file: file, line: line)
    if cause != .none { XCTAssertEqual(r.verdict.layer, .s3, file: file, line: line) }
}
