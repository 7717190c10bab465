// libFuzzer harness for the Apache configuration reader and the request simulator.
// Built by build.sh (the package's sources compiled into one module with -sanitize=fuzzer,address);
// every input must parse or throw InputError/InputErrors: a crash, hang or sanitizer report is a bug.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzApacheConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var fs = InMemoryFileSystem()
    fs.user("www-data", uid: 33, gid: 33)
    fs.file("/c/inc/a.conf", "Listen 80\n")
    fs.file("/var/www/index.html", "x")
    fs.file("/var/www/.htaccess", String(decoding: bytes.suffix(256), as: UTF8.self))
    fs.file("/c/httpd.conf", String(decoding: bytes, as: UTF8.self))
    do {
        var p = ApacheConfigParser(fileSystem: fs)
        _ = try p.parse(mainFile: "/c/httpd.conf")
        let req = try Request(url: "http://a.test/index.html", clientIP: "10.1.2.3")
        _ = try ApacheAnalyzer.analyze(ApacheAnalyzer.Input(configPath: "/c/httpd.conf", request: req, fileSystem: fs))
    } catch is InputError {
    } catch is InputErrors {
    } catch {
        fatalError("unexpected error type: \(error)")
    }
    return 0
}
