import Foundation
import ImgrepoCore
import ImgrepoSQLite
import Testing

/// XMP's fields (schema version 3): stored, returned, and searchable in every driver.
@Suite struct XMPFieldTests {
    static func xmp(title: String? = nil, keywords: [String] = [], rating: Int? = nil, creator: String? = nil,
                    taken: String? = nil, source: TakenSource? = nil) -> ExifData {
        var summary = ExifSummary()
        summary.title = title
        summary.description = title.map { "about " + $0 }
        summary.keywords = keywords
        summary.rating = rating
        summary.creator = creator
        summary.takenLocal = taken
        summary.takenSource = source
        return ExifData(status: .absent, summary: summary)
    }

    @Test("keywords and the other XMP fields round-trip, keywords in order", arguments: Driver.allCases)
    func roundTrip(driver: Driver) throws {
        try withStore(driver) { store in
            let image = sample("a1", exif: Self.xmp(title: "Harbour", keywords: ["sea", "Boats", "Été", "a b"], rating: 4,
                                                      creator: "Ada; Charles", taken: "2021-07-04T18:30:15", source: .xmp))
            let id = try store.store(image)
            #expect(try store.image(id: id) == expectedRecord(image, id: id))
            #expect(try store.images(matching: ImageQuery()).first?.exif.keywords == ["sea", "Boats", "Été", "a b"])
            let bare = sample("a2")
            let bareID = try store.store(bare)
            #expect(try store.image(id: bareID)?.exif.keywords == [])
            #expect(try store.delete(id: id) != nil)
            #expect(try store.count(matching: .glob(.keyword, "*")) == 0)
        }
    }

    @Test("the most keywords an upload keeps, each as long as it may be, come back whole", arguments: Driver.allCases)
    func longKeywordListsComeBackWhole(driver: Driver) throws {
        // 1,000 keywords (ExpatXMPDecoder.maximumKeywords) of 2 KiB: 2 MiB in one list, past
        // MySQL 8's default GROUP_CONCAT limit (1 KiB) and MariaDB's (1 MiB).
        let keywords = (0..<1_000).map { n in "k\(n)-" + String(repeating: "x", count: 2_048 - 2 - String(n).count) }
        try withStore(driver) { store in
            let image = sample("b1", exif: Self.xmp(keywords: keywords))
            let id = try store.store(image)
            let back = try #require(try store.image(id: id)).exif.keywords
            #expect(back.count == keywords.count)
            #expect(back == keywords)
            #expect(try store.images(matching: ImageQuery()).first?.exif.keywords == keywords)
        }
    }

    @Test("rating ranges, keyword globs in any case, OR within and AND across", arguments: Driver.allCases)
    func filters(driver: Driver) throws {
        try withStore(driver) { store in
            let beach = try store.store(sample("b1", exif: Self.xmp(keywords: ["Beach", "Holiday 2021"], rating: 5)))
            let city = try store.store(sample("b2", exif: Self.xmp(keywords: ["city", "holiday 2022"], rating: 3)))
            let none = try store.store(sample("b3", exif: Self.xmp(rating: 4)))
            _ = try store.store(sample("b4"))
            func ids(_ predicate: QueryPredicate) throws -> [Int64] {
                try store.images(matching: ImageQuery(predicate: predicate)).map(\.id)
            }
            #expect(try ids(FilterParser.range("4..", field: .rating, option: "--rating")) == [beach, none])
            #expect(try ids(.glob(.keyword, "beach")) == [beach])
            #expect(try ids(.glob(.keyword, "HOLIDAY*")) == [beach, city])
            #expect(try ids(.glob(.keyword, "*20[2]2")) == [city])
            #expect(try ids(.or([.glob(.keyword, "beach"), .glob(.keyword, "city")])) == [beach, city])
            #expect(try ids(.and([.glob(.keyword, "holiday*"), .compare(.rating, .less, .integer(5))])) == [city])
            #expect(try ids(.compare(.keyword, .equal, .text("city"))) == [city])
            #expect(try ids(.compare(.keyword, .equal, .text("City"))) == [])
            #expect(try ids(.isNull(.keyword)).count == 2)
            #expect(try ids(.not(.glob(.keyword, "beach"))).count == 3)
            #expect(try store.count(matching: .glob(.keyword, "holiday*")) == 2)
            // Sorting by keyword uses each image's smallest keyword; images without any come last.
            #expect(try store.images(matching: ImageQuery(sort: [SortOrder(.keyword)])).map(\.id).prefix(2) == [beach, city])
        }
    }

    @Test("where-expressions name keyword, rating, title and creator", arguments: Driver.allCases)
    func whereFields(driver: Driver) throws {
        try withStore(driver) { store in
            let one = try store.store(sample("c1", exif: Self.xmp(title: "Harbour", keywords: ["sea"], rating: 2, creator: "Ada")))
            _ = try store.store(sample("c2", exif: Self.xmp(title: "Town", keywords: ["street"], rating: 2, creator: "Bob")))
            for text in ["keyword ~ 'SEA'", "title = 'Harbour'", "creator ~ 'a*' and rating >= 2", "keywords ~ 's?a'"] {
                let predicate = try WhereExpression.parse(text)
                #expect(try store.images(matching: ImageQuery(predicate: predicate)).map(\.id) == [one], "\(text)")
            }
        }
    }
}

/// A version 2 catalogue opened by version 3 code (SQLite; MySQL's migration runs the same DDL
/// in its own dialect on every fresh database the suite creates).
@Suite struct XMPMigrationTests {
    @Test func aVersionTwoCatalogueGainsTheXMPColumnsKeepingItsImages() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imgrepo-v2-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("catalogue.sqlite").path
        // Version 2 as released: its DDL, then a row written by version 2 code.
        let script = """
            CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (2);
            CREATE TABLE images (id INTEGER PRIMARY KEY AUTOINCREMENT, sha512 TEXT NOT NULL UNIQUE,
              original_name TEXT NOT NULL, original_path TEXT, owner TEXT NOT NULL, uploaded_at INTEGER NOT NULL,
              byte_size INTEGER NOT NULL, format TEXT NOT NULL, mime_type TEXT NOT NULL, width INTEGER, height INTEGER,
              exif_status TEXT NOT NULL, make TEXT, model TEXT, lens TEXT, taken_local TEXT, taken_offset TEXT,
              taken_utc INTEGER, exposure_time REAL, f_number REAL, iso INTEGER, focal_length REAL, orientation INTEGER,
              gps_latitude REAL, gps_longitude REAL, gps_altitude REAL, software TEXT, artist TEXT, copyright TEXT);
            CREATE TABLE image_names (id INTEGER PRIMARY KEY AUTOINCREMENT,
              image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE, name TEXT NOT NULL, path TEXT,
              owner TEXT NOT NULL, added_at INTEGER NOT NULL);
            CREATE TABLE exif_tags (image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
              seq INTEGER NOT NULL, ifd TEXT NOT NULL, tag_name TEXT NOT NULL, tag_id INTEGER NOT NULL,
              value_text TEXT NOT NULL, value_num REAL, PRIMARY KEY (image_id, seq));
            INSERT INTO images (sha512, original_name, owner, uploaded_at, byte_size, format, mime_type, exif_status, taken_local)
              VALUES ('\(digest("d1"))', 'a.jpg', 'alice', 1, 10, 'jpeg', 'image/jpeg', 'read', '2020-01-01T00:00:00');
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", path, script]
        guard (try? process.run()) != nil else { return }  // no sqlite3 shell: nothing to check with
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let store = try SQLiteMetadataStore(path: path)
        let record = try #require(try store.image(id: 1))
        #expect(record.exif.takenSource == .exif)
        #expect(record.exif.keywords == [])
        #expect(record.exif.rating == nil)
        let id = try store.store(sample("d2", exif: XMPFieldTests.xmp(keywords: ["new"], rating: 1)))
        #expect(try store.images(matching: ImageQuery(predicate: .glob(.keyword, "NEW"))).map(\.id) == [id])
    }
}
