import Foundation
import Why403Core

/// The edge's own rules (issue 12): a Cloudflare custom rule and an AWS WAF rule that each block a
/// legitimate request, explained offline from the exports a team keeps (the Rulesets API JSON, the
/// `aws wafv2 get-web-acl` and `get-ip-set` output), by rule and sub-expression, with the patch.
///
/// `request` is the rules file (Cloudflare) or the web ACL (AWS WAF); `arguments` hold the URL
/// (`url`), the method (`method`), the body file (`data`, AWS WAF) and the IP set file (`ip-set`).
/// The files stay in the scenario folder with `why403 lab --keep` to try the commands on.
extension LabScenario {
    /// A zone's custom rules: an API rule that demands the app key on every `/api/` path also refuses
    /// the mobile app's start-up health check, which is sent before the app has loaded its key.
    static let cloudflareHealthCheck = LabScenario(
        id: "cloudflare-api-health-check",
        story: "Cloudflare: a custom rule blocks /api/ requests without the X-App-Key header, and also catches the mobile app's start-up health check",
        kind: .cloudflare,
        files: [File("zone-custom.json", """
        {
          "result": {
            "id": "2c0fc9fa937b11eaa1b71c4d701ab86e",
            "name": "default",
            "description": "Zone-level custom rules of shop.example.com (GET /zones/{zone_id}/rulesets/phases/http_request_firewall_custom/entrypoint)",
            "kind": "zone",
            "version": "7",
            "phase": "http_request_firewall_custom",
            "rules": [
              {
                "id": "0b6e7a2c5b7d4c1e9f3a8d2e1c4b5a6f",
                "ref": "skip-office",
                "description": "Office network: skip the remaining custom rules",
                "expression": "ip.src in {198.51.100.0/24}",
                "action": "skip",
                "action_parameters": {"ruleset": "current"},
                "logging": {"enabled": true},
                "enabled": true
              },
              {
                "id": "3a1b2c3d4e5f60718293a4b5c6d7e8f9",
                "ref": "api-require-app-key",
                "description": "API calls must carry the app key",
                "expression": "(starts_with(http.request.uri.path, \\"/api/\\") and not any(http.request.headers.names[*] eq \\"x-app-key\\"))",
                "action": "block",
                "action_parameters": {"response": {"status_code": 403, "content": "{\\"error\\": \\"missing app key\\"}", "content_type": "application/json"}},
                "enabled": true
              },
              {
                "id": "5c3d4e5f60718293a4b5c6d7e8f9a0b1",
                "ref": "no-scanners",
                "description": "Known scanners by User-Agent",
                "expression": "(lower(http.user_agent) contains \\"sqlmap\\" or lower(http.user_agent) contains \\"nikto\\")",
                "action": "block",
                "enabled": true
              }
            ]
          },
          "success": true,
          "errors": [],
          "messages": []
        }

        """)],
        request: "zone-custom.json",
        headers: [("User-Agent", "ShopApp/4.2.0 (Android 14; okhttp/4.12.0)"), ("Accept", "application/json")],
        clientIP: "203.0.113.77",
        arguments: ["url": "https://shop.example.com/api/health"],
        expectedStatus: 403, expectedCause: .wafRule)

    /// The support form's JSON body with a screenshot attached: about 12 KB, over the 8 KB limit.
    static let supportTicket: String = {
        // A deterministic "screenshot": Base64 of 9,000 bytes, as the form's script would attach it.
        let bytes = (0..<9_000).map { UInt8(truncatingIfNeeded: ($0 &* 31) ^ ($0 >> 3)) }
        return #"{"subject": "Checkout fails with a card from my bank", "email": "ana@example.org", "#
            + #""message": "The payment page spins forever, screenshot attached.", "#
            + #""attachment": {"name": "checkout.png", "type": "image/png", "data": ""# + Data(bytes).base64EncodedString() + "\"}}\n"
    }()

    /// The size of `supportTicket` in bytes (what the size rule compares).
    public static var supportTicketSize: Int { supportTicket.utf8.count }

    /// A regional web ACL in front of the shop's load balancer: a size rule meant for the JSON API
    /// (body over 8 KB) also refuses the support form when a customer attaches a screenshot.
    static let awsWAFUploadSize = LabScenario(
        id: "aws-waf-support-upload",
        story: "AWS WAF: a rule meant to stop oversized API bodies (over 8 KB) blocks the support form when a customer attaches a screenshot",
        kind: .awsWAF,
        files: [
            File("web-acl.json", """
            {
              "WebACL": {
                "Name": "shop-acl",
                "Id": "b7c8d9e0-1234-45ab-9cde-EXAMPLE33333",
                "ARN": "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/shop-acl/b7c8d9e0-1234-45ab-9cde-EXAMPLE33333",
                "DefaultAction": {
                  "Allow": {}
                },
                "Description": "shop.example.com (the Application Load Balancer shop-alb)",
                "Rules": [
                  {
                    "Name": "AllowMonitoring",
                    "Priority": 0,
                    "Statement": {
                      "IPSetReferenceStatement": {
                        "ARN": "arn:aws:wafv2:eu-west-1:111122223333:regional/ipset/monitoring/c1d2e3f4-5678-90ab-cdef-EXAMPLE44444"
                      }
                    },
                    "Action": {
                      "Allow": {}
                    },
                    "VisibilityConfig": {
                      "SampledRequestsEnabled": true,
                      "CloudWatchMetricsEnabled": true,
                      "MetricName": "AllowMonitoring"
                    }
                  },
                  {
                    "Name": "LimitRequestBody",
                    "Priority": 1,
                    "Statement": {
                      "SizeConstraintStatement": {
                        "FieldToMatch": {
                          "Body": {
                            "OversizeHandling": "MATCH"
                          }
                        },
                        "ComparisonOperator": "GT",
                        "Size": 8192,
                        "TextTransformations": [
                          {
                            "Priority": 0,
                            "Type": "NONE"
                          }
                        ]
                      }
                    },
                    "Action": {
                      "Block": {}
                    },
                    "VisibilityConfig": {
                      "SampledRequestsEnabled": true,
                      "CloudWatchMetricsEnabled": true,
                      "MetricName": "LimitRequestBody"
                    }
                  },
                  {
                    "Name": "BlockAdminFromInternet",
                    "Priority": 2,
                    "Statement": {
                      "ByteMatchStatement": {
                        "SearchString": "L2FkbWlu",
                        "FieldToMatch": {
                          "UriPath": {}
                        },
                        "TextTransformations": [
                          {
                            "Priority": 0,
                            "Type": "URL_DECODE"
                          },
                          {
                            "Priority": 1,
                            "Type": "LOWERCASE"
                          }
                        ],
                        "PositionalConstraint": "STARTS_WITH"
                      }
                    },
                    "Action": {
                      "Block": {}
                    },
                    "VisibilityConfig": {
                      "SampledRequestsEnabled": true,
                      "CloudWatchMetricsEnabled": true,
                      "MetricName": "BlockAdminFromInternet"
                    }
                  }
                ],
                "VisibilityConfig": {
                  "SampledRequestsEnabled": true,
                  "CloudWatchMetricsEnabled": true,
                  "MetricName": "shop-acl"
                },
                "Capacity": 12,
                "LabelNamespace": "awswaf:111122223333:webacl:shop-acl:"
              },
              "LockToken": "2222abcd-33ef-44aa-55bb-666677778888"
            }

            """),
            File("ip-set.json", """
            {
              "IPSet": {
                "Name": "monitoring",
                "Id": "c1d2e3f4-5678-90ab-cdef-EXAMPLE44444",
                "ARN": "arn:aws:wafv2:eu-west-1:111122223333:regional/ipset/monitoring/c1d2e3f4-5678-90ab-cdef-EXAMPLE44444",
                "Description": "the uptime monitor",
                "IPAddressVersion": "IPV4",
                "Addresses": [
                  "192.0.2.0/28"
                ]
              },
              "LockToken": "3333abcd-44ef-55aa-66bb-777788889999"
            }

            """),
            File("support-ticket.json", supportTicket),
        ],
        request: "web-acl.json",
        headers: [("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"),
                  ("Content-Type", "application/json")],
        clientIP: "203.0.113.77",
        arguments: ["url": "https://shop.example.com/support/tickets", "method": "POST", "data": "support-ticket.json",
                    "ip-set": "ip-set.json"],
        expectedStatus: 403, expectedCause: .wafRule)

    /// A real server (nginx, Apache httpd with ModSecurity) can be started to answer the scenario.
    public var runsServer: Bool { kind == .nginx || kind == .apache || kind == .modsecurity }

    /// The scenario is one of the edge's rules (Cloudflare, AWS WAF): explained from exports, with a patch.
    public var isEdge: Bool { kind == .cloudflare || kind == .awsWAF }

    /// The command that explains the scenario from its files in `dir` (the edge scenarios and the logs), to
    /// try after `why403 lab --keep`; nil for the others.
    public func command(in dir: String) -> String? {
        func quoted(_ s: String) -> String {
            s.allSatisfy { $0.isLetter || $0.isNumber || "/.:_-=@".contains($0) } ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
        let url = arguments["url"] ?? ""
        var words: [String]
        switch kind {
        case .cloudflare:
            words = ["why403", "cloudflare", url] + request.split(separator: " ").flatMap { ["--rules", dir + "/" + $0] }
        case .awsWAF:
            words = ["why403", "aws-waf", url, "--web-acl", dir + "/" + request]
            if let s = arguments["ip-set"] { words += ["--ip-set", dir + "/" + s] }
        case .logs:
            return (["why403", "logs"] + request.split(separator: " ").map { dir + "/" + $0 }).map(quoted).joined(separator: " ")
        default:
            return nil
        }
        if let m = arguments["method"], m != "GET" { words += ["-X", m] }
        for (name, value) in headers { words += ["-H", "\(name): \(value)"] }
        if let d = arguments["data"] { words += ["--data", "@" + dir + "/" + d] }
        words += ["--client-ip", clientIP]
        return words.map(quoted).joined(separator: " ")
    }
}
