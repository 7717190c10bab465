import Foundation
import XCTest
import Why403Core
import Why403Response
import Why403TestSupport

/// The catalogue and its fixtures agree, and every fixture is identified: the accuracy figure.
final class SignatureCatalogueTests: XCTestCase {
    static let folder = Fixtures.url("responses")

    func fixtureFolders() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { name in
            var dir: ObjCBool = false
            return FileManager.default.fileExists(atPath: Self.folder.appendingPathComponent(name).path, isDirectory: &dir) && dir.boolValue
        }.sorted()
    }

    func files(_ id: String, _ kind: String) throws -> [URL] {
        let dir = Self.folder.appendingPathComponent(id)
        return try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.contains(".\(kind).") }.sorted().map { dir.appendingPathComponent($0) }
    }

    func testIdsAreUnique() {
        let ids = Signatures.all.map(\.id)
        XCTAssertEqual(ids.count, Set(ids).count, "duplicate signature ids")
    }

    /// Every registered signature has a fixture folder with a hit, a miss and a SOURCE.md; every folder names a signature.
    func testEverySignatureHasFixturesAndEveryFixtureASignature() throws {
        let folders = Set(try fixtureFolders())
        let ids = Set(Signatures.all.map(\.id))
        for id in ids.sorted() {
            XCTAssertTrue(folders.contains(id), "signature \(id) has no folder Tests/Fixtures/responses/\(id)/")
            guard folders.contains(id) else { continue }
            XCTAssertFalse(try files(id, "hit").isEmpty, "\(id): no *.hit.* fixture")
            XCTAssertFalse(try files(id, "miss").isEmpty, "\(id): no *.miss.* fixture")
            XCTAssertTrue(FileManager.default.fileExists(atPath: Self.folder.appendingPathComponent("\(id)/SOURCE.md").path), "\(id): no SOURCE.md")
        }
        for f in folders.subtracting(ids).sorted() {
            XCTFail("fixture folder responses/\(f)/ names no registered signature")
        }
    }

    /// Each fixture's SOURCE.md says where every capture came from.
    func testSourceNotesNameEveryFixture() throws {
        for id in try fixtureFolders() {
            let source = try Fixtures.string("responses/\(id)/SOURCE.md")
            for f in try files(id, "hit") + files(id, "miss") {
                XCTAssertTrue(source.contains(f.lastPathComponent), "\(id)/SOURCE.md does not mention \(f.lastPathComponent)")
            }
            XCTAssertTrue(source.contains("captured live here") || source.contains("reconstructed from"), "\(id)/SOURCE.md says nothing of provenance")
        }
    }

    static func analyze(_ url: URL) throws -> ResponseAnalysis {
        let capture = try ResponseReader.read(Array(try Data(contentsOf: url)), file: url.lastPathComponent)
        return ResponseAnalyzer.identify(capture.responses[0])
    }

    /// Layer-identification accuracy over every fixture: a hit must be answered by its signature's
    /// layer (cause-only signatures: by its cause), a miss must not match the signature.
    func testLayerIdentificationAccuracy() throws {
        var total = 0, right = 0
        var wrong: [String] = []
        for sig in Signatures.all {
            for url in try files(sig.id, "hit") {
                total += 1
                let a = try Self.analyze(url)
                let p = a.findings.first
                let ok: Bool
                if sig.causeOnly {
                    ok = p?.rule == sig.id || p?.details?["cause_rule"] == .string(sig.id)
                } else {
                    ok = p?.layer == sig.layer && p?.rule == sig.id && a.layer == sig.layer
                }
                if ok { right += 1 } else {
                    wrong.append("\(sig.id)/\(url.lastPathComponent): got \(p?.layer.rawValue ?? "-") \(p?.rule ?? "-") \(p?.cause.rawValue ?? "-") matched \(a.matched)")
                }
            }
            for url in try files(sig.id, "miss") {
                total += 1
                let a = try Self.analyze(url)
                if a.matched.contains(sig.id) {
                    wrong.append("\(sig.id)/\(url.lastPathComponent): a miss matched (primary \(a.findings.first?.rule ?? "-"))")
                } else { right += 1 }
            }
        }
        let pct = Double(right) / Double(max(total, 1)) * 100
        print("layer identification accuracy: \(right)/\(total) fixtures (\(String(format: "%.1f", pct))%) over \(Signatures.all.count) signatures")
        XCTAssertEqual(wrong, [], "misidentified fixtures")
    }

    /// The fixtures are whole responses: none is cut short of its Content-Length.
    func testFixturesAreNotTruncated() throws {
        for id in try fixtureFolders() {
            for url in try files(id, "hit") + files(id, "miss") {
                let c = try ResponseReader.read(Array(try Data(contentsOf: url)), file: url.lastPathComponent)
                XCTAssertFalse(c.notes.contains { $0.contains("truncated") }, "\(id)/\(url.lastPathComponent): \(c.notes)")
            }
        }
    }

    /// Certain findings always carry evidence beyond the status line, and every finding carries evidence.
    func testCertainFindingsCarryEvidence() throws {
        for sig in Signatures.all {
            for url in try files(sig.id, "hit") {
                for f in try Self.analyze(url).findings {
                    XCTAssertFalse(f.evidence.isEmpty, "\(url.lastPathComponent): finding without evidence")
                    if f.confidence == .certain {
                        XCTAssertGreaterThan(f.evidence.count, 1, "\(sig.id)/\(url.lastPathComponent): certain with only the status as evidence")
                    }
                    // A signature names its product from what it matched: that text is shown, whichever branch of an
                    // `any` or `all` matched (an `all` once showed nothing but the status line).
                    if f.rule == sig.id {
                        XCTAssertGreaterThan(f.evidence.count, 1, "\(sig.id)/\(url.lastPathComponent): only the status as evidence")
                    }
                    if f.cause == .unknown { XCTAssertFalse(f.checks?.isEmpty ?? true, "\(sig.id): unknown cause without checks") }
                }
            }
        }
    }
}
