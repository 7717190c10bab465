/// Where the rules come from: the configuration a server includes, or the installed OWASP CRS with its
/// recommended setup.
public enum RuleSource: Sendable, Equatable {
    /// `--rules FILE`: the ModSecurity configuration as the server includes it (`SecRuleEngine`,
    /// `Include` with globs, the CRS setup and rules).
    case file(String)
    /// `--crs [--paranoia N]`: the installed CRS with the engine on and the recommended body processors.
    case crs(CRSInstallation, paranoia: Int)

    /// The rules a server assembles from several places (nginx: every `modsecurity_rules_file` and
    /// `modsecurity_rules` from the http block down to the location), in load order.
    case configuration([ModSecurityEngine.Part], name: String)

    /// What the report's subject names as the configuration.
    public var description: String {
        switch self {
        case .configuration(_, let name): name
        case .file(let path): path
        case .crs(let crs, let paranoia): "OWASP CRS (\(crs.rulesDirectory)), paranoia level \(paranoia)"
        }
    }

    /// Where an exclusion for these rules belongs, for the fix's words.
    var exclusionHome: String {
        switch self {
        case .file(let path): "in \(path), before the rules it changes (ahead of the Include of the CRS rules)"
        case .configuration(let parts, _):
            "before the rules it changes (ahead of the first rules file: " + (parts.first.map { p in
                if case .file(let f) = p { return f } else { return "the inline rules" } } ?? "") + ")"
        case .crs(let crs, _): crs.beforeFile.map { "in \($0)" } ?? "before the Include of the CRS rules"
        }
    }

    /// The configuration in load order, with `exclusions` placed where CRS's REQUEST-900 file sits (before
    /// the rules), and the lines that keep the engine from writing anything (why403 only reads).
    func parts(exclusions: String?, forceEngineOn: Bool = false) -> [ModSecurityEngine.Part] {
        // Across separately loaded parts the first setting of a directive wins (libmodsecurity merges
        // only what is still unset), so what why403 imposes comes first: evaluation writes nothing (no
        // audit log, whatever the configuration says), and `forceEngineOn` asks what DetectionOnly would block.
        var parts: [ModSecurityEngine.Part] = [
            .text("SecAuditEngine Off\n" + (forceEngineOn ? "SecRuleEngine On\n" : ""), origin: "why403 (read-only evaluation)"),
        ]
        switch self {
        case .file(let path):
            if let exclusions { parts.append(.text(exclusions, origin: "the exclusion why403 wrote")) }
            parts.append(.file(path))
        case .configuration(let given, _):
            if let exclusions { parts.append(.text(exclusions, origin: "the exclusion why403 wrote")) }
            parts += given
        case .crs(let crs, let paranoia):
            parts.append(.text(Self.recommendedSetup, origin: "why403's CRS setup"))
            parts.append(.file(crs.setupFile))
            if !crs.setsParanoia {
                parts.append(.text("SecAction \"id:900000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level=\(paranoia)\"\n",
                                   origin: "--paranoia"))
            }
            if let before = crs.beforeFile { parts.append(.file(before)) }
            if let exclusions { parts.append(.text(exclusions, origin: "the exclusion why403 wrote")) }
            parts.append(.text("Include \(crs.rulesDirectory)/*.conf\n", origin: crs.rulesDirectory))
            if let after = crs.afterFile { parts.append(.file(after)) }
        }
        return parts
    }

    /// The same configuration as one text a server can include (`Include` for each file): what the
    /// differential tests give real Apache (mod_security2) and nginx (ModSecurity-nginx).
    public func configuration(exclusions: String? = nil) -> String {
        parts(exclusions: exclusions).map { part in
            switch part {
            case .file(let path): "Include \(path)\n"
            case .text(let text, _): text.hasSuffix("\n") ? text : text + "\n"
            }
        }.joined()
    }

    /// What `modsecurity.conf-recommended` sets that decides a request (engine on, request bodies read,
    /// the XML and JSON body processors, the body-error rule), without its audit log.
    static let recommendedSetup = """
        SecRuleEngine On
        SecRequestBodyAccess On
        SecRequestBodyLimit 13107200
        SecRequestBodyNoFilesLimit 131072
        SecRequestBodyLimitAction Reject
        SecRule REQUEST_HEADERS:Content-Type "(?:application(?:/soap\\+|/)|text/)xml" \
             "id:200000,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML"
        SecRule REQUEST_HEADERS:Content-Type "application/json" \
             "id:200001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"
        SecRule REQBODY_ERROR "!@eq 0" \
             "id:200002,phase:2,t:none,log,deny,status:400,msg:'Failed to parse request body.',logdata:'%{reqbody_error_msg}',severity:2"
        SecPcreMatchLimit 1000
        SecPcreMatchLimitRecursion 1000

        """
}

/// An installed OWASP CRS: its setup file, rules directory and the two exclusion files around them.
public struct CRSInstallation: Sendable, Equatable {
    /// `crs-setup.conf`.
    public var setupFile: String
    /// The directory of `REQUEST-*.conf` and `RESPONSE-*.conf`.
    public var rulesDirectory: String
    /// `REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf`, when installed.
    public var beforeFile: String?
    /// `RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf`, when installed.
    public var afterFile: String?
    /// Whether `crs-setup.conf` already sets the paranoia level (its rule 900000 uncommented).
    public var setsParanoia: Bool

    /// A CRS at these paths.
    public init(setupFile: String, rulesDirectory: String, beforeFile: String? = nil, afterFile: String? = nil,
                setsParanoia: Bool = false) {
        self.setupFile = setupFile
        self.rulesDirectory = rulesDirectory
        self.beforeFile = beforeFile
        self.afterFile = afterFile
        self.setsParanoia = setsParanoia
    }

    /// The places packages install the CRS: Debian/Ubuntu `modsecurity-crs` (3.x and 4.x), the older
    /// `owasp-modsecurity-crs`, Fedora/EPEL `mod_security_crs`.
    static let layouts: [(setup: String, rules: String, before: String?, after: String?)] = [
        ("/etc/modsecurity/crs/crs-setup.conf", "/usr/share/modsecurity-crs/rules",
         "/etc/modsecurity/crs/REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf", "/etc/modsecurity/crs/RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf"),
        ("/usr/share/modsecurity-crs/crs-setup.conf", "/usr/share/modsecurity-crs/rules", nil, nil),
        ("/usr/share/owasp-modsecurity-crs/crs-setup.conf", "/usr/share/owasp-modsecurity-crs/rules", nil, nil),
        ("/etc/httpd/modsecurity.d/crs-setup.conf", "/usr/share/mod_modsecurity_crs/rules", nil, nil),
    ]

    /// The first installed layout; `read` reads a file (nil when missing).
    public static func find(read: (String) -> String?) -> CRSInstallation? {
        for l in layouts {
            guard let setup = read(l.setup), read(l.rules + "/REQUEST-901-INITIALIZATION.conf") != nil else { continue }
            let active = setup.split(separator: "\n").filter { !$0.drop { $0 == " " || $0 == "\t" }.hasPrefix("#") }
            return CRSInstallation(setupFile: l.setup, rulesDirectory: l.rules,
                                   beforeFile: l.before.flatMap { read($0) != nil ? $0 : nil },
                                   afterFile: l.after.flatMap { read($0) != nil ? $0 : nil },
                                   setsParanoia: active.contains { $0.contains("id:900000") })
        }
        return nil
    }
}
