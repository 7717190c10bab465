/// why403 as a library: every analyser and the report model behind one import.
///
/// A Swift server application (a Hummingbird or Vapor service, an admin tool) can ask why403 the same
/// questions as its command line, in process: build a `Request`, hand it to a layer's analyser with its
/// input (configuration, file system view, clock), and read the `Report` — the JSON contract of
/// report-v1, typed. Nothing here prints, exits or changes anything on the machine; the analysers only
/// read (through the `FileSystemView` they are given) and, for `ProbeAnalyzer`, send the one request
/// asked for.
///
/// ```swift
/// import Why403
///
/// let request = try Request(url: "http://shop.test/admin/", clientIP: "203.0.113.9")
/// let report = try NginxAnalyzer.analyze(.init(config: .file("/etc/nginx/nginx.conf"), request: request,
///                                              fileSystem: LiveFileSystem()))
/// print(report.verdict.cause)            // access.ip
/// print(Renderer.text(report, color: false))
/// ```
///
/// The layers: `NginxAnalyzer`, `ApacheAnalyzer`, `FSAnalyzer`, `TokenAnalyzer`, `S3Analyzer`, `AWSWAFAnalyzer`,
/// `ResponseAnalyzer`, `ProbeAnalyzer`, `LogsAnalyzer`, and the combinations `DiagnoseAnalyzer` and
/// `AuditAnalyzer`. The vocabulary they share (`Request`, `IPAddress`, `Report`, `Verdict`, `Cause`,
/// `Layer`, `InputError`) is in Why403Core; rendering (text, JSON, Markdown, SARIF) in Why403Render.
@_exported import Why403Core
@_exported import Why403Render
@_exported import Why403FileSystem
@_exported import Why403Response
@_exported import Why403Token
@_exported import Why403Probe
@_exported import Why403Nginx
@_exported import Why403Cloudflare
@_exported import Why403Apache
@_exported import Why403S3
@_exported import Why403AWSWAF
@_exported import Why403Logs
@_exported import Why403Diagnose
