# Writes the AWS WAF fixtures (web ACLs as `aws wafv2 get-web-acl` prints them: SearchString in Base64) and
# each case.json. Run from Tests/Fixtures/aws-waf: python3 generate.py
import json, base64, os
ACC = "111122223333"
def arn(kind, name, id_="a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"):
    return f"arn:aws:wafv2:us-east-1:{ACC}:regional/{kind}/{name}/{id_}"
def b64(s): return base64.b64encode(s.encode()).decode()
NONE = [{"Priority": 0, "Type": "NONE"}]
def vis(name): return {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": name}
def rule(name, prio, stmt, action=None, override=None, labels=None):
    r = {"Name": name, "Priority": prio, "Statement": stmt}
    if action is not None: r["Action"] = action
    if override is not None: r["OverrideAction"] = override
    if labels: r["RuleLabels"] = [{"Name": l} for l in labels]
    r["VisibilityConfig"] = vis(name)
    return r
def acl(name, rules, default={"Allow": {}}, bodies=None, envelope=True):
    a = {"Name": name, "Id": "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", "ARN": arn("webacl", name),
         "DefaultAction": default, "Description": "", "Rules": rules, "VisibilityConfig": vis(name), "Capacity": 100,
         "LabelNamespace": f"awswaf:{ACC}:webacl:{name}:"}
    if bodies: a["CustomResponseBodies"] = bodies
    return {"WebACL": a, "LockToken": "1111abcd-22ef-33aa-44bb-555566667777"} if envelope else a
def byte(field, search, constraint, transforms=NONE):
    return {"ByteMatchStatement": {"SearchString": b64(search), "FieldToMatch": field, "TextTransformations": transforms, "PositionalConstraint": constraint}}
def write(folder, name, obj):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "w") as f: json.dump(obj, f, indent=2); f.write("\n")
def case(folder, page, files, requests):
    c = {"page": page}; c.update(files); c["requests"] = requests
    write(folder, "case.json", c)
UA = {"SingleHeader": {"Name": "user-agent"}}
C = "cases/"
# 1 string match
write(C+"string-match", "web-acl.json", acl("shop-acl", [
    rule("BlockBadBot", 0, byte(UA, "BadBot", "CONTAINS_WORD"), {"Block": {}}),
    rule("BlockAdminPath", 1, byte({"UriPath": {}}, "/admin", "STARTS_WITH",
         [{"Priority": 0, "Type": "URL_DECODE"}, {"Priority": 1, "Type": "LOWERCASE"}]), {"Block": {}}),
]))
case(C+"string-match", "https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-string-match.html",
     {"web_acl": "web-acl.json"}, [
    {"id": "word-after-space", "url": "https://shop.example.com/", "headers": ["User-Agent: Mozilla/5.0 BadBot;"], "expected": {"status": 403, "cause": "bot.block", "rule": "BlockBadBot", "confidence": "certain"}},
    {"id": "word-after-semicolon", "url": "https://shop.example.com/", "headers": ["User-Agent: ;BadBot"], "expected": {"status": 403, "cause": "bot.block", "rule": "BlockBadBot"}},
    {"id": "not-a-word", "url": "https://shop.example.com/", "headers": ["User-Agent: BadBotX/1.0"], "expected": {"status": None, "cause": "none"}},
    {"id": "path-encoded-and-upper", "url": "https://shop.example.com/%41DMIN/users", "headers": ["User-Agent: Mozilla/5.0"], "expected": {"status": 403, "cause": "waf.rule", "rule": "BlockAdminPath", "value": "/admin/users"}},
    {"id": "other-path", "url": "https://shop.example.com/products", "headers": ["User-Agent: Mozilla/5.0"], "expected": {"status": None, "cause": "none"}},
])
# 2 IP set
write(C+"ip-set", "ip-set.json", {"IPSet": {"Name": "blocked-clients", "Id": "a1b2c3d4-5678-90ab-cdef-EXAMPLE22222",
      "ARN": arn("ipset", "blocked-clients", "a1b2c3d4-5678-90ab-cdef-EXAMPLE22222"), "Description": "", "IPAddressVersion": "IPV4",
      "Addresses": ["192.0.2.0/24", "203.0.113.77/32"]}, "LockToken": "1111abcd-22ef-33aa-44bb-555566667777"})
ipref = arn("ipset", "blocked-clients", "a1b2c3d4-5678-90ab-cdef-EXAMPLE22222")
write(C+"ip-set", "web-acl.json", acl("api-acl", [
    rule("BlockListedClients", 0, {"IPSetReferenceStatement": {"ARN": ipref}}, {"Block": {}}),
    rule("BlockListedForwarded", 1, {"IPSetReferenceStatement": {"ARN": ipref, "IPSetForwardedIPConfig": {
        "HeaderName": "X-Forwarded-For", "FallbackBehavior": "MATCH", "Position": "FIRST"}}}, {"Block": {}}),
]))
case(C+"ip-set", "https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-ipset-match.html",
     {"web_acl": "web-acl.json", "ip_sets": ["ip-set.json"]}, [
    {"id": "client-in-set", "url": "https://api.example.com/v1/items", "client_ip": "192.0.2.44", "expected": {"status": 403, "cause": "access.ip", "rule": "BlockListedClients", "confidence": "certain"}},
    {"id": "client-outside", "url": "https://api.example.com/v1/items", "client_ip": "198.51.100.1", "expected": {"status": None, "cause": "none"}},
    {"id": "forwarded-first-in-set", "url": "https://api.example.com/v1/items", "client_ip": "198.51.100.1", "headers": ["X-Forwarded-For: 203.0.113.77, 10.0.0.1"], "expected": {"status": 403, "cause": "access.ip", "rule": "BlockListedForwarded"}},
    {"id": "forwarded-last-only-in-set", "url": "https://api.example.com/v1/items", "client_ip": "198.51.100.1", "headers": ["X-Forwarded-For: 10.0.0.1, 203.0.113.77"], "expected": {"status": None, "cause": "none"}},
    {"id": "forwarded-invalid-fallback-match", "url": "https://api.example.com/v1/items", "client_ip": "198.51.100.1", "headers": ["X-Forwarded-For: unknown"], "expected": {"status": 403, "cause": "access.ip", "rule": "BlockListedForwarded"}},
    {"id": "no-client-ip", "url": "https://api.example.com/v1/items", "expected": {"status": 403, "cause": "access.ip", "rule": "BlockListedClients", "confidence": "possible"}},
])
# 3 geo + labels
write(C+"geo-match", "web-acl.json", acl("geo-acl", [
    rule("LabelNorthAmerica", 0, {"GeoMatchStatement": {"CountryCodes": ["US", "CA"]}}, {"Count": {}}),
    rule("BlockCanadaByLabel", 1, {"LabelMatchStatement": {"Scope": "LABEL", "Key": "awswaf:clientip:geo:country:CA"}}, {"Block": {}}),
    rule("BlockEmbargoed", 2, {"GeoMatchStatement": {"CountryCodes": ["KP", "IR"]}}, {"Block": {}}),
]))
case(C+"geo-match", "https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-geo-match.html",
     {"web_acl": "web-acl.json"}, [
    {"id": "label-from-count-rule", "url": "https://example.com/", "country": "CA", "expected": {"status": 403, "cause": "geo.block", "rule": "BlockCanadaByLabel", "confidence": "certain"}},
    {"id": "counted-not-blocked", "url": "https://example.com/", "country": "US", "expected": {"status": None, "cause": "none"}},
    {"id": "direct-geo-block", "url": "https://example.com/", "country": "kp", "expected": {"status": 403, "cause": "geo.block", "rule": "BlockEmbargoed"}},
    {"id": "country-unknown", "url": "https://example.com/", "expected": {"status": 403, "cause": "geo.block", "confidence": "possible"}},
])
# 4 label match with rule labels
write(C+"label-match", "web-acl.json", acl("label-acl", [
    rule("TagDebugRequests", 0, byte({"QueryString": {}}, "debug=1", "CONTAINS"), {"Count": {}}, labels=["debug:request"]),
    rule("BlockDebugOutsideStaging", 1, {"AndStatement": {"Statements": [
        {"LabelMatchStatement": {"Scope": "LABEL", "Key": "debug:request"}},
        {"NotStatement": {"Statement": byte({"SingleHeader": {"Name": "host"}}, "staging.example.com", "EXACTLY", [{"Priority": 0, "Type": "LOWERCASE"}])}}]}}, {"Block": {}}),
    rule("BlockDebugNamespace", 2, {"LabelMatchStatement": {"Scope": "NAMESPACE", "Key": "debug:"}}, {"Block": {}}),
]))
case(C+"label-match", "https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-label-match.html",
     {"web_acl": "web-acl.json"}, [
    {"id": "label-then-block", "url": "https://www.example.com/?debug=1", "expected": {"status": 403, "cause": "waf.rule", "rule": "BlockDebugOutsideStaging", "confidence": "certain"}},
    {"id": "namespace-match", "url": "https://staging.example.com/?debug=1", "expected": {"status": 403, "cause": "waf.rule", "rule": "BlockDebugNamespace"}},
    {"id": "no-label", "url": "https://www.example.com/?page=2", "expected": {"status": None, "cause": "none"}},
])
# 5 size constraint + custom response
write(C+"size-constraint", "web-acl.json", acl("upload-acl", [
    rule("LimitCommentBody", 0, {"SizeConstraintStatement": {"FieldToMatch": {"Body": {"OversizeHandling": "MATCH"}}, "ComparisonOperator": "GT", "Size": 100, "TextTransformations": NONE}},
         {"Block": {"CustomResponse": {"ResponseCode": 413, "CustomResponseBodyKey": "too-large", "ResponseHeaders": [{"Name": "x-reason", "Value": "size"}]}}}),
], bodies={"too-large": {"ContentType": "TEXT_PLAIN", "Content": "Comment too long."}}))
case(C+"size-constraint", "https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-size-constraint-match.html",
     {"web_acl": "web-acl.json"}, [
    {"id": "large-body", "url": "https://example.com/comments", "method": "POST", "body": "x" * 150, "expected": {"status": 413, "cause": "waf.rule", "rule": "LimitCommentBody", "confidence": "certain"}},
    {"id": "small-body", "url": "https://example.com/comments", "method": "POST", "body": "hello", "expected": {"status": None, "cause": "none"}},
])
# 6 regex
regexarn = arn("regexpatternset", "internal-hosts", "a1b2c3d4-5678-90ab-cdef-EXAMPLE33333")
write(C+"regex", "regex-set.json", {"RegexPatternSet": {"Name": "internal-hosts", "Id": "a1b2c3d4-5678-90ab-cdef-EXAMPLE33333", "ARN": regexarn,
      "Description": "", "RegularExpressionList": [{"RegexString": "^admin\\."}, {"RegexString": "\\.internal$"}]}, "LockToken": "1111abcd-22ef-33aa-44bb-555566667777"})
write(C+"regex", "web-acl.json", acl("regex-acl", [
    rule("BlockInternalApi", 0, {"RegexMatchStatement": {"RegexString": "^/api/v[0-9]+/internal", "FieldToMatch": {"UriPath": {}}, "TextTransformations": [{"Priority": 0, "Type": "NORMALIZE_PATH"}]}}, {"Block": {}}),
    rule("BlockInternalHosts", 1, {"RegexPatternSetReferenceStatement": {"ARN": regexarn, "FieldToMatch": {"SingleHeader": {"Name": "host"}}, "TextTransformations": [{"Priority": 0, "Type": "LOWERCASE"}]}}, {"Block": {}}),
]))
case(C+"regex", "https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-regex-match.html",
     {"web_acl": "web-acl.json", "regex_sets": ["regex-set.json"]}, [
    {"id": "normalized-path", "url": "https://example.com/api/v2/public/../internal/users", "expected": {"status": 403, "cause": "waf.rule", "rule": "BlockInternalApi", "confidence": "certain"}},
    {"id": "pattern-set", "url": "https://Admin.example.com/", "expected": {"status": 403, "cause": "waf.rule", "rule": "BlockInternalHosts"}},
    {"id": "public", "url": "https://www.example.com/api/v2/public", "expected": {"status": None, "cause": "none"}},
])
# 7 rate-based
write(C+"rate-based", "web-acl.json", acl("login-acl", [
    rule("LoginRateLimit", 0, {"RateBasedStatement": {"Limit": 100, "EvaluationWindowSec": 300, "AggregateKeyType": "IP",
         "ScopeDownStatement": byte({"UriPath": {}}, "/login", "STARTS_WITH")}}, {"Block": {"CustomResponse": {"ResponseCode": 429}}}),
]))
case(C+"rate-based", "https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html",
     {"web_acl": "web-acl.json"}, [
    {"id": "in-scope", "url": "https://example.com/login", "method": "POST", "client_ip": "198.51.100.7", "expected": {"status": 429, "cause": "rate.limit", "rule": "LoginRateLimit", "confidence": "possible"}},
    {"id": "out-of-scope", "url": "https://example.com/home", "client_ip": "198.51.100.7", "expected": {"status": None, "cause": "none"}},
])
# 8 managed rule groups
write(C+"managed", "web-acl.json", acl("managed-acl", [
    rule("AWS-AWSManagedRulesCommonRuleSet", 0, {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": "AWSManagedRulesCommonRuleSet",
         "ExcludedRules": [{"Name": "SizeRestrictions_QUERYSTRING"}],
         "RuleActionOverrides": [{"Name": "SizeRestrictions_BODY", "ActionToUse": {"Count": {}}}],
         "ScopeDownStatement": {"NotStatement": {"Statement": byte({"UriPath": {}}, "/healthz", "EXACTLY")}}}}, override={"None": {}}),
    rule("AWS-AWSManagedRulesBotControlRuleSet", 1, {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": "AWSManagedRulesBotControlRuleSet"}}, override={"Count": {}}),
]))
case(C+"managed", "https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html",
     {"web_acl": "web-acl.json"}, [
    {"id": "no-user-agent", "url": "https://example.com/app", "expected": {"status": 403, "cause": "waf.rule", "rule": "AWS-AWSManagedRulesCommonRuleSet", "confidence": "possible", "patch_contains": "NoUserAgent_HEADER"}},
    {"id": "scope-down-excludes", "url": "https://example.com/healthz", "expected": {"status": None, "cause": "none"}},
])
# 9 captcha / challenge
write(C+"captcha-challenge", "web-acl.json", acl("signup-acl", [
    rule("CaptchaSignup", 0, byte({"UriPath": {}}, "/signup", "STARTS_WITH"), {"Captcha": {}}),
    rule("ChallengeLogin", 1, byte({"UriPath": {}}, "/login", "STARTS_WITH"), {"Challenge": {}}),
]))
case(C+"captcha-challenge", "https://docs.aws.amazon.com/waf/latest/developerguide/waf-captcha-and-challenge.html",
     {"web_acl": "web-acl.json"}, [
    {"id": "captcha", "url": "https://example.com/signup", "expected": {"status": 405, "cause": "bot.block", "rule": "CaptchaSignup", "confidence": "certain"}},
    {"id": "challenge", "url": "https://example.com/login", "expected": {"status": 202, "cause": "bot.block", "rule": "ChallengeLogin"}},
])
# 10 rule group
rgarn = arn("rulegroup", "scanner-rules", "a1b2c3d4-5678-90ab-cdef-EXAMPLE44444")
write(C+"rule-group", "rule-group.json", {"RuleGroup": {"Name": "scanner-rules", "Id": "a1b2c3d4-5678-90ab-cdef-EXAMPLE44444", "ARN": rgarn, "Capacity": 50,
      "Rules": [rule("BlockScanner", 0, byte(UA, "sqlmap", "CONTAINS", [{"Priority": 0, "Type": "LOWERCASE"}]), {"Block": {}}),
                rule("BlockWpLogin", 1, byte({"UriPath": {}}, "/wp-login.php", "EXACTLY"), {"Block": {}})],
      "VisibilityConfig": vis("scanner-rules"), "LabelNamespace": f"awswaf:{ACC}:rulegroup:scanner-rules:"}, "LockToken": "1111abcd-22ef-33aa-44bb-555566667777"})
write(C+"rule-group", "web-acl.json", acl("group-acl", [
    rule("ScannerRules", 0, {"RuleGroupReferenceStatement": {"ARN": rgarn, "RuleActionOverrides": [{"Name": "BlockWpLogin", "ActionToUse": {"Count": {}}}]}}, override={"None": {}}),
]))
case(C+"rule-group", "https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rule-group.html",
     {"web_acl": "web-acl.json", "rule_groups": ["rule-group.json"]}, [
    {"id": "group-rule-named", "url": "https://example.com/", "headers": ["User-Agent: SQLMap/1.7"], "expected": {"status": 403, "cause": "bot.block", "rule": "BlockScanner", "confidence": "certain"}},
    {"id": "overridden-to-count", "url": "https://example.com/wp-login.php", "headers": ["User-Agent: Mozilla/5.0"], "expected": {"status": None, "cause": "none"}},
])
# 11 default block with an allow list
okarn = arn("ipset", "office", "a1b2c3d4-5678-90ab-cdef-EXAMPLE55555")
write(C+"default-block", "ip-set.json", {"IPSet": {"Name": "office", "Id": "a1b2c3d4-5678-90ab-cdef-EXAMPLE55555", "ARN": okarn,
      "IPAddressVersion": "IPV4", "Addresses": ["10.20.0.0/16"]}, "LockToken": "1111abcd-22ef-33aa-44bb-555566667777"})
write(C+"default-block", "web-acl.json", acl("intranet-acl", [
    rule("AllowOffice", 0, {"IPSetReferenceStatement": {"ARN": okarn}}, {"Allow": {}}),
], default={"Block": {}}))
case(C+"default-block", "https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-default-action.html",
     {"web_acl": "web-acl.json", "ip_sets": ["ip-set.json"]}, [
    {"id": "outside-office", "url": "https://intranet.example.com/", "client_ip": "203.0.113.9", "expected": {"status": 403, "cause": "access.ip", "rule": "DefaultAction", "confidence": "certain", "patch_contains": "203.0.113.9/32"}},
    {"id": "in-office", "url": "https://intranet.example.com/", "client_ip": "10.20.3.4", "expected": {"status": None, "cause": "none"}},
])
# 12 SQLi / XSS
write(C+"sqli-xss", "web-acl.json", acl("app-acl", [
    rule("BlockSqli", 0, {"SqliMatchStatement": {"FieldToMatch": {"AllQueryArguments": {}}, "TextTransformations": [{"Priority": 0, "Type": "URL_DECODE"}], "SensitivityLevel": "LOW"}}, {"Block": {}}),
    rule("BlockXss", 1, {"XssMatchStatement": {"FieldToMatch": {"Body": {}}, "TextTransformations": [{"Priority": 0, "Type": "HTML_ENTITY_DECODE"}]}}, {"Block": {}}),
]))
case(C+"sqli-xss", "https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-sqli-match.html",
     {"web_acl": "web-acl.json"}, [
    # libinjection approximates AWS's detectors: likely, never certain (possible without libmodsecurity).
    {"id": "sqli-likely", "url": "https://example.com/item?id=1%27%20or%20%271%27=%271", "expected": {"status": 403, "cause": "waf.rule", "rule": "BlockSqli", "confidence": "likely"}},
    {"id": "xss-entity-encoded", "url": "https://example.com/comment", "method": "POST", "body": "&lt;script&gt;alert(1)&lt;/script&gt;", "expected": {"status": 403, "cause": "waf.rule", "rule": "BlockXss", "confidence": "likely"}},
    {"id": "clean", "url": "https://example.com/item?id=42", "expected": {"status": None, "cause": "none"}},
])
# 13 logical
write(C+"logical", "ip-set.json", {"IPSet": {"Name": "office", "Id": "a1b2c3d4-5678-90ab-cdef-EXAMPLE55555", "ARN": okarn,
      "IPAddressVersion": "IPV4", "Addresses": ["10.20.0.0/16"]}, "LockToken": "1111abcd-22ef-33aa-44bb-555566667777"})
write(C+"logical", "web-acl.json", acl("admin-acl", [
    rule("AdminOnlyFromOffice", 0, {"AndStatement": {"Statements": [
        byte({"UriPath": {}}, "/admin", "STARTS_WITH"),
        {"NotStatement": {"Statement": {"IPSetReferenceStatement": {"ARN": okarn}}}}]}}, {"Block": {}}),
    rule("BlockOldMethods", 1, {"OrStatement": {"Statements": [
        byte({"Method": {}}, "TRACE", "EXACTLY"), byte({"Method": {}}, "TRACK", "EXACTLY")]}}, {"Block": {}}),
]))
case(C+"logical", "https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-logical.html",
     {"web_acl": "web-acl.json", "ip_sets": ["ip-set.json"]}, [
    {"id": "admin-from-outside", "url": "https://example.com/admin/users", "client_ip": "203.0.113.9", "expected": {"status": 403, "cause": "access.ip", "rule": "AdminOnlyFromOffice", "confidence": "certain", "patch_contains": "AndStatement/Statements/-"}},
    {"id": "admin-from-office", "url": "https://example.com/admin/users", "client_ip": "10.20.1.1", "expected": {"status": None, "cause": "none"}},
    {"id": "trace-method", "url": "https://example.com/", "method": "TRACE", "client_ip": "10.20.1.1", "expected": {"status": 403, "cause": "waf.rule", "rule": "BlockOldMethods"}},
])
# 14 ASN match: the AS number comes from --asn ("asn" here); without it the rule is possible.
write(C+"asn-match", "web-acl.json", acl("asn-acl", [
    rule("BlockHostingASNs", 0, {"AsnMatchStatement": {"AsnList": [64496, 64511]}}, {"Block": {}}),
    rule("BlockForwardedASN", 1, {"AsnMatchStatement": {"AsnList": [64500], "ForwardedIPConfig": {"HeaderName": "X-Forwarded-For", "FallbackBehavior": "NO_MATCH"}}}, {"Block": {}}),
]))
case(C+"asn-match", "https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-asn-match.html",
     {"web_acl": "web-acl.json"}, [
    {"id": "listed-asn", "url": "https://example.com/", "asn": 64511, "expected": {"status": 403, "cause": "access.ip", "rule": "BlockHostingASNs", "confidence": "certain"}},
    {"id": "other-asn", "url": "https://example.com/", "asn": 13335, "expected": {"status": None, "cause": "none"}},
    {"id": "asn-unknown", "url": "https://example.com/", "expected": {"status": 403, "cause": "access.ip", "rule": "BlockHostingASNs", "confidence": "possible"}},
    {"id": "forwarded-invalid", "url": "https://example.com/", "asn": 64500, "headers": ["X-Forwarded-For: unknown"], "expected": {"status": None, "cause": "none"}},
])
# 15 body inspection limit: a REGIONAL web ACL (ALB 8 KB, API Gateway 16 KB by default, here raised to 32 KB)
write(C+"body-limit", "web-acl.json", (lambda a: (a["WebACL"].update({"AssociationConfig": {"RequestBody": {"API_GATEWAY": {"DefaultSizeInspectionLimit": "KB_32"}}}}), a)[1])(acl("upload-acl", [
    rule("BlockScriptInUpload", 0, byte({"Body": {"OversizeHandling": "CONTINUE"}}, "<script", "CONTAINS", [{"Priority": 0, "Type": "LOWERCASE"}]), {"Block": {}}),
    rule("BlockHugeJson", 1, {"AndStatement": {"Statements": [
        byte({"UriPath": {}}, "/api/", "STARTS_WITH"),
        byte({"JsonBody": {"MatchPattern": {"All": {}}, "MatchScope": "VALUE", "InvalidFallbackBehavior": "EVALUATE_AS_STRING", "OversizeHandling": "MATCH"}}, "DROP TABLE", "CONTAINS")]}}, {"Block": {}}),
])))
late = "x" * 12000 + "<SCRIPT>"
case(C+"body-limit", "https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html",
     {"web_acl": "web-acl.json"}, [
    {"id": "late-script-alb", "url": "https://example.com/upload", "method": "POST", "body": late, "resource_type": "alb", "expected": {"status": None, "cause": "none"}},
    {"id": "late-script-api-gateway", "url": "https://example.com/upload", "method": "POST", "body": late, "resource_type": "api-gateway", "expected": {"status": 403, "cause": "waf.rule", "rule": "BlockScriptInUpload", "confidence": "certain"}},
    {"id": "late-script-unknown", "url": "https://example.com/upload", "method": "POST", "body": late, "expected": {"status": 403, "cause": "waf.rule", "rule": "BlockScriptInUpload", "confidence": "possible"}},
    {"id": "huge-json-oversize-match", "url": "https://example.com/api/import", "method": "POST", "body": "{\"a\": \"" + "y" * 40000 + "\"}", "resource_type": "api-gateway", "expected": {"status": 403, "cause": "waf.rule", "rule": "BlockHugeJson", "confidence": "certain"}},
])
# bare WebACL form (not enveloped) for the reader
write("readers", "bare-web-acl.json", acl("bare-acl", [rule("BlockAdminPath", 0, byte({"UriPath": {}}, "/admin", "STARTS_WITH"), {"Block": {}})], envelope=False))
