import Why403Core
import Why403FileSystem

extension Simulation {
    // MARK: the handler (default handler, mod_dir, mod_autoindex, ErrorDocument)

    /// The handler phase for the file the walk reached: 404 when it does not exist, mod_dir's 301 or
    /// the directory's index or listing, else the file itself (AH00132 when the server user cannot read it).
    mutating func handle(_ walk: DirectoryWalk, uri: String, who: UserIdentity) -> Outcome {
        let finalPath = walk.finalPath
        if walk.missing {
            return Outcome(status: 404, findings: [Finding(cause: .none, layer: .apache, confidence: .certain,
                                                           summary: "\(finalPath) does not exist: httpd answers 404",
                                                           evidence: [Evidence(source: finalPath, text: "no such file or directory")])])
        }
        if walk.isDir {
            if !uri.hasSuffix("/") && config.hasModule("dir") {
                return Outcome(status: 301, findings: [Finding(cause: .none, layer: .apache, confidence: .certain,
                                                               summary: "\(uri) is a directory: mod_dir redirects to \(uri)/ (DirectorySlash)")])
            }
            return serveDirectory(finalPath, dc: walk.dc, who: who, uri: uri)
        }
        let access = PathWalk.check(finalPath, as: who, need: .read, in: fs)
        if case .denied = access.outcome {
            var findings = access.findings
            if findings.isEmpty {
                findings = [Finding(cause: .fsPermission, layer: .filesystem, confidence: .certain,
                                    summary: "\(who.name) may not read \(finalPath)")]
            }
            findings[0].rule = "AH00132"
            findings[0].summary = "\(who.name) may not read \(finalPath): AH00132 file permissions deny server access: \(finalPath)"
            return Outcome(status: 403, findings: findings)
        }
        return defaultHandler()
    }

    /// Methods httpd knows (server/protocol.c's registry; HEAD is GET); another one is invalid.
    static let knownMethods: Set<String> = ["GET", "HEAD", "PUT", "POST", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
                                            "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK",
                                            "VERSION-CONTROL", "CHECKOUT", "UNCHECKOUT", "CHECKIN", "UPDATE", "LABEL",
                                            "REPORT", "MKWORKSPACE", "MKACTIVITY", "BASELINE-CONTROL", "MERGE"]

    /// The default handler on a readable file (server/core.c default_handler): GET, HEAD and POST are
    /// served; an unknown method is 501 (AH00135 is logged for it), another known one 405. Checked
    /// against httpd 2.4 by the bypass differential test.
    mutating func defaultHandler() -> Outcome {
        let m = req.method
        if !Self.knownMethods.contains(m) {
            notes.append("httpd does not know the method \(m): the default handler answers 501 (AH00135)")
            return Outcome(status: 501, findings: [])
        }
        if !["GET", "HEAD", "POST", "OPTIONS"].contains(m) {
            notes.append("the default handler serves files to GET, HEAD and POST only: \(m) gets 405")
            return Outcome(status: 405, findings: [])
        }
        return Outcome(status: 200, findings: [])
    }

    /// The status the client sees once `ErrorDocument` is applied (ap_send_error_response): a full URL
    /// (`scheme:…`, not quoted text, not for a 401) turns the error into a 302 redirect to it; a local
    /// path or text keeps the status. Checked against httpd 2.4 by ApacheSectionDifferentialTests.
    mutating func errorDocumentStatus(_ outcome: Outcome) -> Int {
        guard outcome.status >= 400, outcome.status != 401, let doc = errorDocuments[String(outcome.status)],
              doc.args.count >= 2 else { return outcome.status }
        // The raw second argument: text starts with a double quote.
        let raw = doc.text.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst(2).first.map(String.init) ?? ""
        guard !raw.hasPrefix("\""), Self.isURL(doc.args[1]) else { return outcome.status }
        notes.append("ErrorDocument \(outcome.status) at \(doc.location) is a full URL: httpd answers the \(outcome.status) with a 302 redirect to \(doc.args[1]) (the client never sees the \(outcome.status) status)")
        return 302
    }

    /// httpd's ap_is_url: a scheme (letters, digits, `+`, `-`, `.`) then `:`.
    static func isURL(_ s: String) -> Bool {
        guard let colon = s.firstIndex(of: ":"), colon != s.startIndex else { return false }
        return s[..<colon].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }
    }

    /// Tells that an `ErrorDocument` replaces httpd's page for `status` (the client sees that document).
    mutating func noteErrorDocument(for status: Int) {
        if let doc = errorDocuments[String(status)] {
            notes.append("ErrorDocument \(status) is set (\(doc.location): \(doc.text)): the client sees that document, not httpd's default \(status) page")
        }
    }

    /// A 403 from a denied walk: the walk's findings, the first one named with httpd's log code.
    static func denied(_ access: PathAccess, rule: String, summary: String) -> Outcome {
        var findings = access.findings
        if findings.isEmpty { findings = [Finding(cause: .fsPermission, layer: .filesystem, confidence: .certain, summary: "")] }
        findings[0].rule = rule
        findings[0].summary = summary
        return Outcome(status: 403, findings: findings)
    }

    /// A directory: the first `DirectoryIndex` file that exists, else a mod_autoindex listing when
    /// `Options Indexes` allows one, else 403 (AH01276).
    mutating func serveDirectory(_ dir: String, dc: DirConfig, who: UserIdentity, uri: String) -> Outcome {
        let base = dir.hasSuffix("/") ? dir : dir + "/"
        if config.hasModule("dir") {
            for name in dc.directoryIndex {
                let p = name.hasPrefix("/") ? resolve(Self.normalize(mapToRootRelative(name))) : base + name
                if let info = finalKind(p), info.kind == .regular {
                    let access = PathWalk.check(p, as: who, need: .read, in: fs)
                    if case .denied = access.outcome {
                        return Self.denied(access, rule: "AH00132",
                                           summary: "\(who.name) may not read the index \(p): AH00132 file permissions deny server access: \(p)")
                    }
                    notes.append("DirectoryIndex serves \(p)")
                    return defaultHandler()
                }
            }
        }
        if dc.indexes && config.hasModule("autoindex") {
            let access = PathWalk.check(dir, as: who, need: .list, in: fs)
            if case .denied = access.outcome {
                return Self.denied(access, rule: "AH01275",
                                   summary: "\(who.name) may not list \(dir): AH01275 Can't open directory for index: \(base)")
            }
            notes.append("no index file in \(base); Options Indexes is on, so mod_autoindex lists the directory")
            return Outcome(status: 200, findings: [])
        }
        var ev: [Evidence] = []
        if let o = dc.optionsSource { ev.append(o.evidence) }
        if let d = dc.directoryIndexSource { ev.append(d.evidence) }
        ev.append(Evidence(source: base, text: "no \(dc.directoryIndex.isEmpty ? "DirectoryIndex" : dc.directoryIndex.joined(separator: ", ")) here"))
        let names = dc.directoryIndex.joined(separator: ",")
        let create = "printf '<!doctype html>\\n' > \(PathWalk.shellQuote(base + (dc.directoryIndex.first ?? "index.html")))"
        func missing(_ status: Int, _ rule: String, _ summary: String, _ fix: String) -> Outcome {
            Outcome(status: status, findings: [Finding(cause: .indexMissing, layer: .apache, confidence: .certain, summary: summary, evidence: ev,
                                                       fixes: [Fix(summary: fix, commands: [create])], rule: rule)])
        }
        // AH01276 is mod_autoindex's: without it the directory reaches the default handler, which will not serve a
        // directory (AH00129 Attempt to serve directory) and answers 404 whatever Options says.
        if !config.hasModule("autoindex") {
            return missing(404, "AH00129", "\(base) has no index file and mod_autoindex is not loaded: the default handler refuses to serve a directory (AH00129 Attempt to serve directory: \(base)) and answers 404",
                           "add an index file (a listing would need mod_autoindex loaded and Options +Indexes for this directory)")
        }
        return missing(403, "AH01276", "\(base) has no index file and listing is off (Options without Indexes): AH01276 Cannot serve directory \(base): No matching DirectoryIndex (\(names)) found, and server-generated directory index forbidden by Options directive",
                       "add an index file (or, if a listing is really wanted, Options +Indexes for this directory)")
    }
}
