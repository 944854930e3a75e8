import ImgrepoCore
import ImgrepoSQL
@testable import ImgrepoSQLite
import Testing

/// The statements the benchmarks time use the version 2 indexes (EXPLAIN QUERY PLAN), so a
/// change to the compiler or the schema that loses an index fails here, not in a benchmark.
@Suite struct QueryPlanTests {
    func plan(_ query: ImageQuery, count: Bool = false) throws -> String {
        try withTemporaryFolder { folder throws in
            let store = try SQLiteMetadataStore(path: folder.path("plan.sqlite"))
            let fragment = count
                ? try ImageQuerySQL.count(matching: query.predicate, dialect: .sqlite)
                : try ImageQuerySQL.select(SQLiteMetadataStore.recordColumns, matching: query, anchor: nil, dialect: .sqlite)
            return try store.connection.prepare("EXPLAIN QUERY PLAN " + fragment.sql)
                .rows(fragment.arguments) { row in row.skip(); row.skip(); row.skip(); return row.text() }
                .joined(separator: "; ")
        }
    }

    static let canon2018to2020 = QueryPredicate.and([
        .or([.glob(.make, "Canon*"), .glob(.model, "Canon*")]),
        .compare(.taken, .greaterOrEqual, .text("2018-01-01T00:00:00")),
        .compare(.taken, .less, .text("2021-01-01T00:00:00")),
    ])

    /// A search fills in missing fingerprints before it runs: on an indexed catalogue that
    /// query must find nothing through an index, not scan a million rows (issue 17).
    @Test(arguments: [FingerprintKinds.perceptualHash, .pixelHash])
    func theMissingFingerprintsBacklogSearchesTheHashIndex(kind: FingerprintKinds) throws {
        let plan = try withTemporaryFolder { folder throws in
            let store = try SQLiteMetadataStore(path: folder.path("plan.sqlite"))
            let fragment = FingerprintSQL.backlog(columns: SQLiteMetadataStore.recordColumns, kinds: kind, version: nil, after: 0, limit: 256)
            return try store.connection.prepare("EXPLAIN QUERY PLAN " + fragment.sql)
                .rows(fragment.arguments) { row in row.skip(); row.skip(); row.skip(); return row.text() }
                .joined(separator: "; ")
        }
        let index = kind == .perceptualHash ? "images_phash (phash=? AND id>?)" : "images_pixel_sha512 (pixel_sha512=? AND rowid>?)"
        #expect(plan.contains("SEARCH images USING INDEX \(index)"), "\(plan)")
        #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
    }

    @Test func aCameraAndDateRangeSortedByTakenWalksTheCaptureIndex() throws {
        let page = try plan(ImageQuery(predicate: Self.canon2018to2020, sort: [SortOrder(.taken)], limit: 50))
        #expect(page.contains("USING INDEX images_taken_camera (taken_local>? AND taken_local<?)"), "\(page)")
        #expect(!page.contains("TEMP B-TREE FOR ORDER BY"), "\(page)")
        let counted = try plan(ImageQuery(predicate: Self.canon2018to2020), count: true)
        #expect(counted.contains("images_taken_camera"), "\(counted)")
    }

    @Test func aCameraAloneUsesBothFoldedIndexes() throws {
        let counted = try plan(ImageQuery(predicate: .or([.glob(.make, "Canon*"), .glob(.model, "Canon*")])), count: true)
        #expect(counted.contains("images_make_folded") && counted.contains("images_model_folded"), "\(counted)")
    }

    @Test func nearSearchesTheGPSIndex() throws {
        let near = try plan(ImageQuery(predicate: .near(latitude: 48.8566, longitude: 2.3522, kilometres: 25), limit: 50))
        #expect(near.contains("images_gps (gps_latitude>? AND gps_latitude<?)"), "\(near)")
    }

    @Test func sortsOnIndexedFieldsNeedNoSort() throws {
        for field in [QueryField.taken, .uploaded, .size] {
            for descending in [false, true] {
                let sorted = try plan(ImageQuery(sort: [SortOrder(field, descending: descending)], limit: 50))
                #expect(sorted.hasPrefix("SCAN images USING INDEX"), "\(field) \(descending): \(sorted)")
            }
        }
        let iso = try plan(ImageQuery(predicate: .compare(.iso, .greaterOrEqual, .integer(3_200))), count: true)
        #expect(iso.contains("images_iso"), "\(iso)")
    }
}
