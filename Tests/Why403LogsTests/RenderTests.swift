import XCTest
import Why403Core
import Why403Logs
import Why403Render
import Why403TestSupport

/// The text page (tables, sparkline) and the self-contained HTML page.
final class RenderTests: XCTestCase {
    func testSparkline() {
        XCTAssertEqual(LogsTextRenderer.sparkline([0, 1, 2, 4, 8]), " ▁▂▄█")
        XCTAssertEqual(LogsTextRenderer.sparkline([]), "")
        XCTAssertEqual(LogsTextRenderer.sparkline(Array(repeating: 1, count: 120), width: 60).count, 60)
    }

    func testTextPageHasATablePerDimensionAndTheFix() throws {
        let r = try analyzeFiles([recorded("nginx-access.log"), recorded("nginx-error.log")], statuses: [401, 403, 429])
        let text = LogsTextRenderer.render(r.redacted(by: Redactor()), summary: try summary(r).redacted(by: Redactor()))
        for heading in ["causes\n", "paths\n", "clients\n", "user agents\n", "timeline (refusals per minute", "cause [certain] fs.permission", "fix: ", "$ namei -l"] {
            XCTAssertTrue(text.contains(heading), "missing \(heading) in\n\(text)")
        }
        XCTAssertTrue(text.contains("log \(recorded("nginx-error.log")):"), text)
    }

    func testMarkdownHasTables() throws {
        let r = try analyzeFiles([recorded("nginx-access.log"), recorded("nginx-error.log")], statuses: [401, 403, 429])
        let md = LogsMarkdownRenderer.render(r.redacted(by: Redactor()), summary: try summary(r).redacted(by: Redactor()))
        XCTAssertTrue(md.hasPrefix("## why403 logs: 10 refused requests"), md)
        XCTAssertTrue(md.contains("| count | cause | layer | confidence | rule |"))
        XCTAssertTrue(md.contains("### paths"))
        XCTAssertTrue(md.contains("**fix**"))
    }

    func testHTMLIsSelfContained() throws {
        let r = try analyzeFiles([recorded("apache-access.log"), recorded("apache-error.log")], statuses: [401, 403])
        let html = LogsHTMLRenderer.render(r.redacted(by: Redactor()), summary: try summary(r).redacted(by: Redactor()))
        XCTAssertTrue(html.hasPrefix("<!doctype html>"))
        XCTAssertTrue(html.contains("<svg"))
        XCTAssertFalse(html.contains("<script"), "no script, and log text is escaped")
        XCTAssertTrue(html.contains("&lt;script&gt;") || !html.contains("script"), "log text escaped")
        for bad in ["src=", "href=", "@import", "url("] { XCTAssertFalse(html.contains(bad), bad) }
        XCTAssertFalse(html.contains("<link"))
        XCTAssertFalse(html.contains("<img"))
    }
}
