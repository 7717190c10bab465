import Foundation
import Why403Core

/// `why403 modsecurity`: which ModSecurity rules a request trips, evaluated by the real engine
/// (libmodsecurity 3, opened at run time), with the narrowest exclusion that lets it through,
/// re-evaluated by the engine before it is printed.
public enum ModSecurityAnalyzer {
    /// What to evaluate.
    public struct Input: Sendable {
        /// The request (method, URL, headers, body, client address).
        public var request: Request
        /// The rules.
        public var rules: RuleSource
        /// The library to open (nil: `libmodsecurity.so.3` from the loader's path).
        public var libraryPath: String?
        /// Reads a rule file's text, for the tags and phase of the rules that matched (nil when missing).
        public var readFile: @Sendable (String) -> String?

        /// An input; `readFile` defaults to the real file system.
        public init(request: Request, rules: RuleSource, libraryPath: String? = nil,
                    readFile: @escaping @Sendable (String) -> String? = { try? String(contentsOfFile: $0, encoding: .utf8) }) {
            self.request = request
            self.rules = rules
            self.libraryPath = libraryPath
            self.readFile = readFile
        }
    }

    /// Evaluates the request and explains the engine's answer. Throws `InputError` when the library is
    /// missing (naming the package) or the rules do not load (the engine's message, file and line).
    public static func analyze(_ input: Input) throws -> Report {
        let session = try Session(rules: input.rules, libraryPath: input.libraryPath, readFile: input.readFile)
        return session.report(for: input.request)
    }

    /// A rule set loaded once, for many requests (`--replay`, the differential tests).
    public final class Session: @unchecked Sendable {
        /// The rules.
        public let rules: RuleSource
        /// The engine with the rules as given.
        public let engine: ModSecurityEngine
        let library: ModSecurityLibrary
        let readFile: @Sendable (String) -> String?
        private var ruleTexts: [String: [Substring]] = [:]
        private var parsedRules: [String: RuleText?] = [:]
        private var forcedOn: ModSecurityEngine?

        /// Opens the library and loads the rules.
        public init(rules: RuleSource, libraryPath: String? = nil,
                    readFile: @escaping @Sendable (String) -> String? = { try? String(contentsOfFile: $0, encoding: .utf8) }) throws {
            self.rules = rules
            self.readFile = readFile
            library = try ModSecurityLibrary.load(path: libraryPath)
            engine = try ModSecurityEngine(library: library, parts: rules.parts(exclusions: nil))
        }

        /// The engine's answer for one request.
        public func evaluate(_ request: Request) -> Evaluation {
            Evaluation(outcome: engine.evaluate(request), texts: texts(of:))
        }

        /// The full report for one request: evaluation, findings, and the exclusion re-evaluated.
        public func report(for request: Request) -> Report {
            let evaluation = evaluate(request)
            var notes: [String] = []
            if let why = ServerFirst.reason(for: request) {
                notes.append("nginx and Apache answer this request before ModSecurity sees it: \(why); what follows is what the engine says when it gets the request")
            }
            let subject = Subject(kind: .modsecurity, url: request.url, method: request.method,
                                  clientIP: request.clientIP, config: rules.description)
            if evaluation.blocked {
                let fix = exclusion(for: request, evaluation: evaluation)
                let findings = ModSecurityFindings.blocked(evaluation, request: request, fix: fix, rules: rules)
                if evaluation.disruptive?.message.variable?.uppercased().hasPrefix("REQBODY_ERROR") ?? false {
                    notes.append("the body could not be parsed: libmodsecurity 3 (nginx) answers with this rule's status; mod_security2 2.9 (Apache) answers 500 before the rule runs (at paranoia level 2 and above CRS then turns that 500 into 403)")
                }
                return Report(subject: subject, status: evaluation.outcome.status, findings: findings, answeredBy: .modsecurity, notes: notes)
            }
            // No intervention. With messages but the engine not blocking, ask the same rules with
            // `SecRuleEngine On`: DetectionOnly (or a rule set with the engine off) reports what would block.
            var wouldBlock: Evaluation? = nil
            if !evaluation.matched.isEmpty, let on = forcedEngine() {
                let e = Evaluation(outcome: on.evaluate(request), texts: texts(of:))
                if e.blocked { wouldBlock = e }
            }
            if let wouldBlock {
                notes.append("SecRuleEngine is not On in this configuration (DetectionOnly): the server logs these rules and lets the request through; with SecRuleEngine On it would answer \(wouldBlock.outcome.status ?? 403)")
            }
            let findings = ModSecurityFindings.passed(evaluation, wouldBlock: wouldBlock, request: request,
                                                      fix: wouldBlock.map { exclusion(for: request, evaluation: $0, forceEngineOn: true) })
            if evaluation.matched.isEmpty { notes.append("no rule matched this request") }
            return Report(subject: subject, status: nil, findings: findings, answeredBy: .modsecurity, notes: notes)
        }

        private func forcedEngine() -> ModSecurityEngine? {
            if forcedOn == nil { forcedOn = try? ModSecurityEngine(library: library, parts: rules.parts(exclusions: nil, forceEngineOn: true)) }
            return forcedOn
        }

        /// The exclusion that lets this request through, found with the engine: target exclusions for
        /// every rule that scored (each scoped to the path), re-evaluated; rules that still block are
        /// added round by round; a rule whose match names no removable variable is removed for the path.
        func exclusion(for request: Request, evaluation: Evaluation, forceEngineOn: Bool = false) -> Exclusion.Result {
            var exclusion = Exclusion(path: request.target.path)
            var current = evaluation
            for _ in 0..<6 {
                let added = exclusion.add(current.contributors)
                guard added else { break }
                var loaded: ModSecurityEngine? = nil
                for _ in 0..<20 {
                    do {
                        loaded = try ModSecurityEngine(library: library, parts: rules.parts(exclusions: exclusion.text, forceEngineOn: forceEngineOn))
                        break
                    } catch let e as InputError where e.message.contains("is duplicated") {
                        exclusion.id += 1   // the configuration already uses this id
                    } catch {
                        break
                    }
                }
                guard let engine = loaded else {
                    return Exclusion.Result(exclusion: exclusion, passes: nil, stillBlockedBy: [], home: rules.exclusionHome)
                }
                current = Evaluation(outcome: engine.evaluate(request), texts: texts(of:))
                if !current.blocked {
                    return Exclusion.Result(exclusion: exclusion, passes: true, stillBlockedBy: [], home: rules.exclusionHome)
                }
            }
            return Exclusion.Result(exclusion: exclusion, passes: false, stillBlockedBy: current.contributors.map(\.message.id),
                                    home: rules.exclusionHome)
        }

        /// The rule text at a message's file and line (files and rules cached: a replay meets the same
        /// rules again and again).
        func texts(of message: RuleMessage) -> RuleText? {
            guard let file = message.file, let line = message.line else { return nil }
            let key = "\(line):\(file)"
            if let cached = parsedRules[key] { return cached }
            let parsed = readRuleText(file: file, line: line)
            parsedRules[key] = .some(parsed)
            return parsed
        }

        private func readRuleText(file: String, line: Int) -> RuleText? {
            if ruleTexts[file] == nil {
                ruleTexts[file] = (readFile(file) ?? "").split(separator: "\n", omittingEmptySubsequences: false)
            }
            guard let lines = ruleTexts[file], line >= 1, line <= lines.count else { return nil }
            return RuleText(text: lines[(line - 1)...].prefix(40).joined(separator: "\n"), line: 1)
        }
    }
}
