import Why403Core

/// What AWS publishes about its managed rule groups: the rule names (what `ExcludedRules` and
/// `RuleActionOverrides` name), the label namespace and, for a few rules, what they look at. The
/// rules' contents are not published, so a managed group is only ever a `possible` decider.
///
/// Source: AWS WAF Developer Guide, "AWS Managed Rules rule groups list"
/// (https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html) and the
/// pages it links (baseline, use-case specific, IP reputation, bot control).
public enum ManagedRuleGroups {
    /// One documented group.
    public struct Group: Sendable {
        /// `Name` (with `VendorName` AWS).
        public var name: String
        /// The label namespace its rules add labels in.
        public var labelNamespace: String
        /// The documented rule names.
        public var rules: [String]
        /// The cause a match of this group means (bot control → bot.block, IP lists → access.ip).
        public var cause: Cause
    }

    /// The groups documented here, by name.
    public static let groups: [String: Group] = {
        let list = [
            Group(name: "AWSManagedRulesCommonRuleSet", labelNamespace: "awswaf:managed:aws:core-rule-set", rules: [
                "NoUserAgent_HEADER", "UserAgent_BadBots_HEADER", "SizeRestrictions_QUERYSTRING", "SizeRestrictions_Cookie_HEADER",
                "SizeRestrictions_BODY", "SizeRestrictions_URIPATH", "EC2MetaDataSSRF_BODY", "EC2MetaDataSSRF_COOKIE",
                "EC2MetaDataSSRF_URIPATH", "EC2MetaDataSSRF_QUERYARGUMENTS", "GenericLFI_QUERYARGUMENTS", "GenericLFI_URIPATH",
                "GenericLFI_BODY", "RestrictedExtensions_URIPATH", "RestrictedExtensions_QUERYARGUMENTS", "GenericRFI_QUERYARGUMENTS",
                "GenericRFI_BODY", "GenericRFI_URIPATH", "CrossSiteScripting_COOKIE", "CrossSiteScripting_QUERYARGUMENTS",
                "CrossSiteScripting_BODY", "CrossSiteScripting_URIPATH"], cause: .wafRule),
            Group(name: "AWSManagedRulesKnownBadInputsRuleSet", labelNamespace: "awswaf:managed:aws:known-bad-inputs", rules: [
                "JavaDeserializationRCE_HEADER", "JavaDeserializationRCE_BODY", "JavaDeserializationRCE_URIPATH",
                "JavaDeserializationRCE_QUERYSTRING", "Host_localhost_HEADER", "PROPFIND_METHOD", "ExploitablePaths_URIPATH",
                "Log4JRCE_HEADER", "Log4JRCE_QUERYSTRING", "Log4JRCE_BODY", "Log4JRCE_URIPATH"], cause: .wafRule),
            Group(name: "AWSManagedRulesSQLiRuleSet", labelNamespace: "awswaf:managed:aws:sql-database", rules: [
                "SQLi_QUERYARGUMENTS", "SQLiExtendedPatterns_QUERYARGUMENTS", "SQLi_BODY", "SQLiExtendedPatterns_BODY",
                "SQLi_COOKIE", "SQLi_URIPATH"], cause: .wafRule),
            Group(name: "AWSManagedRulesAdminProtectionRuleSet", labelNamespace: "awswaf:managed:aws:admin-protection",
                  rules: ["AdminProtection_URIPATH"], cause: .wafRule),
            Group(name: "AWSManagedRulesLinuxRuleSet", labelNamespace: "awswaf:managed:aws:linux-os",
                  rules: ["LFI_URIPATH", "LFI_QUERYSTRING", "LFI_HEADER"], cause: .wafRule),
            Group(name: "AWSManagedRulesUnixRuleSet", labelNamespace: "awswaf:managed:aws:posix-os",
                  rules: ["UNIXShellCommandsVariables_QUERYSTRING", "UNIXShellCommandsVariables_BODY", "UNIXShellCommandsVariables_HEADER"], cause: .wafRule),
            Group(name: "AWSManagedRulesWindowsRuleSet", labelNamespace: "awswaf:managed:aws:windows-os",
                  rules: ["WindowsShellCommands_COOKIE", "WindowsShellCommands_QUERYARGUMENTS", "WindowsShellCommands_BODY",
                          "PowerShellCommands_COOKIE", "PowerShellCommands_QUERYARGUMENTS", "PowerShellCommands_BODY"], cause: .wafRule),
            Group(name: "AWSManagedRulesPHPRuleSet", labelNamespace: "awswaf:managed:aws:php-app",
                  rules: ["PHPHighRiskMethodsVariables_HEADER", "PHPHighRiskMethodsVariables_QUERYSTRING", "PHPHighRiskMethodsVariables_BODY"], cause: .wafRule),
            Group(name: "AWSManagedRulesWordPressRuleSet", labelNamespace: "awswaf:managed:aws:wordpress-app",
                  rules: ["WordPressExploitableCommands_QUERYSTRING", "WordPressExploitablePaths_URIPATH"], cause: .wafRule),
            Group(name: "AWSManagedRulesAmazonIpReputationList", labelNamespace: "awswaf:managed:aws:amazon-ip-list",
                  rules: ["AWSManagedIPReputationList", "AWSManagedReconnaissanceList", "AWSManagedIPDDoSList"], cause: .accessIP),
            Group(name: "AWSManagedRulesAnonymousIpList", labelNamespace: "awswaf:managed:aws:anonymous-ip-list",
                  rules: ["AnonymousIPList", "HostingProviderIPList"], cause: .accessIP),
            Group(name: "AWSManagedRulesBotControlRuleSet", labelNamespace: "awswaf:managed:aws:bot-control", rules: [
                "CategoryAdvertising", "CategoryArchiver", "CategoryContentFetcher", "CategoryEmailClient", "CategoryHttpLibrary",
                "CategoryLinkChecker", "CategoryMiscellaneous", "CategoryMonitoring", "CategoryScrapingFramework",
                "CategorySearchEngine", "CategorySecurity", "CategorySeo", "CategorySocialMedia", "CategoryAI",
                "SignalAutomatedBrowser", "SignalKnownBotDataCenter", "SignalNonBrowserUserAgent",
                "TGT_VolumetricIpTokenAbsent", "TGT_VolumetricSession", "TGT_SignalAutomatedBrowser", "TGT_SignalBrowserInconsistency",
                "TGT_TokenReuseIp", "TGT_ML_CoordinatedActivityMedium", "TGT_ML_CoordinatedActivityHigh"], cause: .botBlock),
            Group(name: "AWSManagedRulesATPRuleSet", labelNamespace: "awswaf:managed:aws:atp", rules: [
                "UnsupportedCognitoIDP", "VolumetricIpHigh", "VolumetricSession", "AttributeCompromisedCredentials",
                "AttributeUsernameTraversal", "AttributePasswordTraversal", "AttributeLongSession", "TokenRejected",
                "SignalMissingCredential", "VolumetricIpFailedLoginResponseHigh", "VolumetricSessionFailedLoginResponseHigh"], cause: .botBlock),
            Group(name: "AWSManagedRulesACFPRuleSet", labelNamespace: "awswaf:managed:aws:acfp", rules: [
                "UnsupportedCognitoIDP", "AllRequests", "RiskScoreHigh", "SignalCredentialCompromised", "SignalClientHumanInteractivityAbsentLow",
                "AutomatedBrowser", "BrowserInconsistency", "VolumetricIpHigh", "VolumetricSessionHigh", "AttributeUsernameTraversal",
                "AttributePasswordTraversal", "AttributeLongSession", "AttributeSuspiciousRegistration", "TokenRejected",
                "SignalMissingCredential"], cause: .botBlock),
        ]
        return Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0) })
    }()

    /// Documented rules of `group` whose published description fits this request (a long body for
    /// `SizeRestrictions_BODY`, no User-Agent for `NoUserAgent_HEADER`, ...): the likely deciders, best
    /// first, each with the reason. Only the size and presence limits AWS states are checked exactly;
    /// the others are hints.
    public static func likelyRules(_ group: String, request: Request) -> [(name: String, why: String)] {
        var out: [(String, String)] = []
        let path = request.target.path
        let query = request.target.query ?? ""
        let body = request.body ?? []
        let cookie = request.header("Cookie") ?? ""
        let lowerAll = (path + "?" + query + " " + String(decoding: body, as: UTF8.self)).lowercased()
        switch group {
        case "AWSManagedRulesCommonRuleSet":
            if request.header("User-Agent") == nil { out.append(("NoUserAgent_HEADER", "the request has no User-Agent header")) }
            if body.count > 8192 { out.append(("SizeRestrictions_BODY", "the body is \(body.count) bytes, over the rule's 8 KB (8,192 bytes)")) }
            if query.utf8.count > 2048 { out.append(("SizeRestrictions_QUERYSTRING", "the query string is \(query.utf8.count) bytes, over the rule's 2,048")) }
            if cookie.utf8.count > 10240 { out.append(("SizeRestrictions_Cookie_HEADER", "the Cookie header is \(cookie.utf8.count) bytes, over the rule's 10,240")) }
            if path.utf8.count > 1024 { out.append(("SizeRestrictions_URIPATH", "the URI path is \(path.utf8.count) bytes, over the rule's 1,024")) }
            if lowerAll.contains("169.254.169.254") { out.append(("EC2MetaDataSSRF_QUERYARGUMENTS", "the request names the EC2 metadata address 169.254.169.254")) }
            if lowerAll.contains("../") || lowerAll.contains("..%2f") { out.append((path.contains("../") ? "GenericLFI_URIPATH" : "GenericLFI_QUERYARGUMENTS", "the request holds a path traversal (../)")) }
            for ext in [".log", ".ini", ".bak", ".backup", ".cfg", ".conf", ".config", ".env", ".sql", ".inc", ".old", ".tmp"] where path.lowercased().hasSuffix(ext) {
                out.append(("RestrictedExtensions_URIPATH", "the path ends in \(ext), one of the extensions the rule restricts"))
            }
            if InjectionDetection.detect(.xss, in: Array(query.utf8)) { out.append(("CrossSiteScripting_QUERYARGUMENTS", "the query string looks like cross-site scripting")) }
            if InjectionDetection.detect(.xss, in: body) { out.append(("CrossSiteScripting_BODY", "the body looks like cross-site scripting")) }
        case "AWSManagedRulesKnownBadInputsRuleSet":
            if lowerAll.contains("${jndi:") || request.headerPairs.contains(where: { $0.value.lowercased().contains("${jndi:") }) {
                out.append(("Log4JRCE_HEADER", "the request carries a Log4j lookup (${jndi:...)"))
            }
            if request.method.uppercased() == "PROPFIND" { out.append(("PROPFIND_METHOD", "the method is PROPFIND")) }
            if ["localhost", "127.0.0.1"].contains(request.hostName) { out.append(("Host_localhost_HEADER", "the Host header names localhost")) }
        case "AWSManagedRulesSQLiRuleSet":
            if InjectionDetection.detect(.sqli, in: Array(query.utf8)) { out.append(("SQLi_QUERYARGUMENTS", "the query string looks like SQL injection")) }
            if InjectionDetection.detect(.sqli, in: body) { out.append(("SQLi_BODY", "the body looks like SQL injection")) }
        case "AWSManagedRulesBotControlRuleSet":
            let ua = (request.header("User-Agent") ?? "").lowercased()
            if ua.isEmpty || ["curl", "wget", "python", "go-http", "java/", "okhttp", "libwww", "httpclient"].contains(where: ua.contains) {
                out.append(("SignalNonBrowserUserAgent", "the User-Agent is not a browser's (\(ua.isEmpty ? "none" : InputError.quote(ua)))"))
                out.append(("CategoryHttpLibrary", "the User-Agent names an HTTP library"))
            }
        default: break
        }
        return out
    }
}
