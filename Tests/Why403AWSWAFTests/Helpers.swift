import Foundation
import XCTest
import Why403Core
@testable import Why403AWSWAF
import Why403TestSupport

/// Builds requests and runs the analyser on fixtures of `Tests/Fixtures/aws-waf/`.
enum WAF {
    static func fixture(_ relative: String) -> String { Fixtures.url("aws-waf/" + relative).path }

    static func request(_ url: String, method: String = "GET", headers: [String] = [], clientIP: String? = nil,
                        body: String? = nil) throws -> Request {
        try Request(method: method, url: url, headers: try headers.map(Request.parseHeaderLine), clientIP: clientIP,
                    body: body.map { Array($0.utf8) })
    }

    /// A web ACL from JSON text (the envelope is added when missing).
    static func acl(_ json: String, file: String = "web-acl.json") throws -> WebACL {
        try WAFReader.webACL(Array(json.utf8), file: file)
    }

    /// Analyses `request` against a web ACL written inline.
    static func analyze(_ json: String, _ request: Request, country: String? = nil, ipSets: [IPSet] = []) throws -> Report {
        try AWSWAFAnalyzer.analyze(.init(webACL: try acl(json), ipSets: ipSets, request: request, country: country))
    }

    /// A one-rule web ACL around `statement` with `action`.
    static func oneRule(_ statement: String, action: String = "{\"Block\": {}}", defaultAction: String = "{\"Allow\": {}}") -> String {
        """
        {"WebACL": {"Name": "t", "ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/t/x",
          "DefaultAction": \(defaultAction),
          "Rules": [{"Name": "R", "Priority": 0, "Statement": \(statement), "Action": \(action),
                     "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "R"}}]}}
        """
    }

    static func b64(_ s: String) -> String { Base64.encode(Array(s.utf8)) }
}
