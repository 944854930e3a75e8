import Foundation
import ImgrepoCore
import Testing
@testable import ImgrepoOutput

/// Pins the JSON shape byte for byte against golden files in Snapshots/. A change here is a
/// change to the contract in docs/json.md: when it is deliberate, regenerate with
///
///     IMGREPO_UPDATE_SNAPSHOTS=1 swift test --filter ImgrepoOutputTests.JSONSnapshotTests
///
/// review the diff, update docs/json.md, and bump `jsonSchemaVersion` unless the change only
/// adds keys.
@Suite struct JSONSnapshotTests {
    @Test func schemaVersion() {
        #expect(jsonSchemaVersion == 2, "the JSON schema version changed: update docs/json.md and the snapshots with it")
    }

    @Test func fullyPopulatedRecord() throws {
        try assertSnapshot(Fixtures.render(.json, records: [Fixtures.full]), JSONSnapshots.listFull, named: "listFull")
    }

    @Test func sparseRecordHasNullsNotEmptyStrings() throws {
        try assertSnapshot(Fixtures.render(.json, records: [Fixtures.sparse]), JSONSnapshots.listSparse, named: "listSparse")
    }

    @Test func ndjsonOfBoth() throws {
        try assertSnapshot(Fixtures.render(.ndjson, records: [Fixtures.full, Fixtures.sparse]), JSONSnapshots.listNDJSON, named: "listNDJSON")
    }

    @Test func derivedFieldsWhenAskedFor() throws {
        let fields = try RecordField.parse("id,dimensions,pixels,camera")
        try assertSnapshot(Fixtures.render(.ndjson, fields: fields, records: [Fixtures.full, Fixtures.sparse]), JSONSnapshots.derivedNDJSON, named: "derivedNDJSON")
    }

    @Test func everyDocumentedKeyIsInDocsJSON() throws {
        let docs = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("docs/json.md"), encoding: .utf8)
        for field in RecordField.all {
            #expect(docs.contains("`\(field.key)`"), "docs/json.md does not document `\(field.key)`")
        }
        #expect(docs.contains("`schema_version`"))
    }

    static let snapshots = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("Snapshots")
    static let repositoryRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Compares `actual` byte for byte with the golden `expected` (the contents of
    /// Snapshots/<Name>.swift; a multi-line literal drops its last line break, hence the `\n`),
    /// or rewrites that file under IMGREPO_UPDATE_SNAPSHOTS=1.
    func assertSnapshot(_ actual: String, _ expected: String, named name: String,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = Self.snapshots.appendingPathComponent(name.prefix(1).uppercased() + name.dropFirst() + ".swift")
        if ProcessInfo.processInfo.environment["IMGREPO_UPDATE_SNAPSHOTS"] == "1" {
            precondition(actual.hasSuffix("\n") && !actual.contains("\"\"\"##"), "snapshot text must end in a line break")
            let source = """
            // Golden output pinned by JSONSnapshotTests; regenerate with IMGREPO_UPDATE_SNAPSHOTS=1 (see there).
            // A Swift file rather than a .json so that SwiftPM needs no resource or exclude rule for it.
            extension JSONSnapshots {
                static let \(name) = ##\"\"\"
            \(actual)\"\"\"##
            }

            """
            try Data(source.utf8).write(to: file)
            return
        }
        #expect(Array((expected + "\n").utf8) == Array(actual.utf8), """
            JSON output differs from \(file.path) — the JSON contract (docs/json.md) changed.
            If that is deliberate: IMGREPO_UPDATE_SNAPSHOTS=1 swift test --filter ImgrepoOutputTests, review the diff, \
            update docs/json.md, and bump jsonSchemaVersion unless keys were only added.
            actual:
            \(actual)
            """, sourceLocation: sourceLocation)
    }
}

/// Golden outputs, one per file in Snapshots/.
enum JSONSnapshots {}
