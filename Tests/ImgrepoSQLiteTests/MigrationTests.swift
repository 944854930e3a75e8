import Foundation
import ImageProbe
import ImgrepoCore
@testable import ImgrepoSQLite
import Testing

/// The schema version mechanism: forward-only migrations in one transaction, refusals.
@Suite struct MigrationTests {
    func version(at path: String) throws -> Int {
        try CatalogueMigrator.storedVersion(SQLiteConnection(path: path, readOnly: true))
    }

    func tables(at path: String) throws -> [String] {
        try SQLiteConnection(path: path, readOnly: true)
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .rows { $0.text() }
    }

    @Test func theCodeKnowsVersionFour() {
        #expect(SQLiteMetadataStore.schemaVersion == 4)
        #expect(SQLiteMetadataStore.schemaVersion == CatalogueSchema.migrations.count)
    }

    @Test func openingAMissingFileCreatesTheCurrentSchema() throws {
        try withTemporaryFolder { folder throws in
            let path = folder.path("new.sqlite")
            _ = try SQLiteMetadataStore(path: path)
            #expect(try version(at: path) == SQLiteMetadataStore.schemaVersion)
            #expect(try tables(at: path) == ["exif_tags", "image_keywords", "image_names", "images", "schema_version"])
        }
    }

    @Test func reopeningIsANoOp() throws {
        try withTemporaryFolder { folder throws in
            let path = folder.path("c.sqlite")
            let id = try SQLiteMetadataStore(path: path).insert(sampleImage("aa")).id
            let before = try SQLiteConnection(path: path, readOnly: true).prepare("PRAGMA schema_version").firstRow { $0.int64() }
            let store = try SQLiteMetadataStore(path: path)
            let after = try SQLiteConnection(path: path, readOnly: true).prepare("PRAGMA schema_version").firstRow { $0.int64() }
            #expect(before == after, "reopening changed the schema")
            #expect(try store.image(id: id)?.sha512 == sampleImage("aa").sha512)
            let rows = try SQLiteConnection(path: path, readOnly: true)
                .prepare("SELECT version FROM schema_version").rows { $0.int64() }
            #expect(rows == [Int64(SQLiteMetadataStore.schemaVersion)])
        }
    }

    @Test func anEmptyFileIsMigrated() throws {
        try withTemporaryFolder { folder throws in
            let path = folder.path("empty.sqlite")
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
            _ = try SQLiteMetadataStore(path: path)
            #expect(try version(at: path) == SQLiteMetadataStore.schemaVersion)
        }
    }

    @Test func aCatalogueAtVersionZeroGetsEveryMigration() throws {
        try withTemporaryFolder { folder throws in
            let path = folder.path("v0.sqlite")
            try SQLiteConnection(path: path, readOnly: false)
                .execute("CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (0);")
            #expect(try version(at: path) == 0)
            let store = try SQLiteMetadataStore(path: path)
            #expect(try version(at: path) == SQLiteMetadataStore.schemaVersion)
            #expect(try tables(at: path).contains("images"))
            #expect(try store.insert(sampleImage("bb")) == .stored(id: 1))
        }
    }

    @Test func migrationNIsAppliedToACatalogueAtNMinusOneAndNothingElseIs() throws {
        try withTemporaryFolder { folder throws in
            let path = folder.path("v1.sqlite")
            _ = try SQLiteMetadataStore(path: path).insert(sampleImage("cc"))
            // A version 5 on top of the real list. Re-running version 1 would fail: its tables exist.
            let next = CatalogueSchema.migrations + ["ALTER TABLE images ADD COLUMN note TEXT DEFAULT 'v5'"]
            let connection = try SQLiteConnection(path: path, readOnly: false)
            try CatalogueMigrator(migrations: next).migrate(connection, readOnly: false)
            #expect(try CatalogueMigrator.storedVersion(connection) == 5)
            #expect(try connection.prepare("SELECT note FROM images").rows { $0.text() } == ["v5"])
            // And the code that only knows version 4 now refuses the file.
            #expect(throws: ImgrepoError.databaseUnavailable(
                location: path, reason: "catalogue schema version 5 is newer than this imgrepo (4)")) {
                try SQLiteMetadataStore(path: path)
            }
        }
    }

    func indexes(at path: String) throws -> [String] {
        try SQLiteConnection(path: path, readOnly: true)
            .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .rows { $0.text() }
    }

    @Test func aVersionOneCatalogueMigratesToTwoKeepingItsImages() throws {
        try withTemporaryFolder { folder throws in
            let path = folder.path("v1.sqlite")
            let connection = try SQLiteConnection(path: path, readOnly: false)
            try CatalogueMigrator(migrations: Array(CatalogueSchema.migrations.prefix(1))).migrate(connection, readOnly: false)
            #expect(try indexes(at: path).contains("images_taken_local"))
            // Rows written by version 1 code.
            try connection.execute("""
                INSERT INTO images (sha512, original_name, owner, uploaded_at, byte_size, format, mime_type, exif_status,
                                    make, taken_local, gps_latitude, gps_longitude, iso)
                VALUES ('\(String(repeating: "a", count: 128))', 'a.jpg', 'alice', 1, 10, 'jpeg', 'image/jpeg', 'read',
                        'Canon', '2020-01-01T00:00:00', 48.85, 2.35, 400);
                INSERT INTO image_names (image_id, name, path, owner, added_at) VALUES (1, 'a.jpg', NULL, 'alice', 1);
                """)
            let store = try SQLiteMetadataStore(path: path)
            #expect(try version(at: path) == 4)
            let names = try indexes(at: path)
            #expect(!names.contains("images_taken_local"))
            for index in ["images_taken_camera", "images_make_folded", "images_model_folded", "images_gps", "images_iso"] {
                #expect(names.contains(index), "\(index)")
            }
            let query = ImageQuery(predicate: .and([.glob(.make, "canon*"), .compare(.taken, .greaterOrEqual, .text("2019")),
                                                    .near(latitude: 48.85, longitude: 2.35, kilometres: 1)]))
            #expect(try store.images(matching: query).map(\.id) == [1])
            #expect(try store.insert(sampleImage("bb")) == .stored(id: 2))
        }
    }

    @Test("version 4 fills FocalLengthIn35mmFormat, Flash and the capture time's tag from the stored EXIF tags")
    func versionFourBackfillsFromStoredTags() throws {
        try withTemporaryFolder { folder throws in
            let path = folder.path("v3.sqlite")
            let connection = try SQLiteConnection(path: path, readOnly: false)
            try CatalogueMigrator(migrations: Array(CatalogueSchema.migrations.prefix(3))).migrate(connection, readOnly: false)
            func hash(_ c: String) -> String { String(repeating: c, count: 128) }
            try connection.execute("""
                INSERT INTO images (id, sha512, original_name, owner, uploaded_at, byte_size, format, mime_type, exif_status,
                                    taken_local, taken_source)
                VALUES (1, '\(hash("a"))', 'a.jpg', 'alice', 1, 10, 'jpeg', 'image/jpeg', 'read', '2020-01-01T00:00:00', 'exif'),
                       (2, '\(hash("b"))', 'b.jpg', 'alice', 1, 10, 'jpeg', 'image/jpeg', 'read', '2020-01-01T00:00:00', 'exif'),
                       (3, '\(hash("c"))', 'c.jpg', 'alice', 1, 10, 'jpeg', 'image/jpeg', 'read', '2020-01-01T00:00:00', 'xmp');
                INSERT INTO exif_tags (image_id, seq, ifd, tag_name, tag_id, value_text, value_num) VALUES
                    (1, 0, 'ExifIFD', 'DateTimeOriginal', 36867, '2020:01:01 00:00:00', NULL),
                    (1, 1, 'ExifIFD', 'Flash', 37385, 'Flash fired', 1),
                    (1, 2, 'ExifIFD', 'FocalLengthIn35mmFilm', 41989, '28', 28),
                    (2, 0, 'ExifIFD', 'DateTimeDigitized', 36868, '2020:01:01 00:00:00', NULL),
                    (2, 1, 'ExifIFD', 'FocalLengthIn35mmFilm', 41989, '0', 0);
                """)
            let store = try SQLiteMetadataStore(path: path)
            let first = try #require(try store.image(id: 1))
            #expect(first.exif.flash == 1)
            #expect(first.exif.focalLength35mm == 28)
            #expect(first.exif.takenTag == "EXIF:DateTimeOriginal")
            let second = try #require(try store.image(id: 2))
            #expect(second.exif.flash == nil)
            #expect(second.exif.focalLength35mm == nil)   // 0 is "unknown"
            #expect(second.exif.takenTag == "EXIF:CreateDate")
            #expect(try store.image(id: 3)?.exif.takenTag == nil)
            #expect(try store.image(id: 3)?.fingerprints == ImageFingerprints())
        }
    }

    @Test func aFailingMigrationLeavesTheCatalogueAsItWas() throws {
        try withTemporaryFolder { folder throws in
            let path = folder.path("broken.sqlite")
            let connection = try SQLiteConnection(path: path, readOnly: false)
            let broken = CatalogueSchema.migrations + ["CREATE TABLE notes (id INTEGER); THIS IS NOT SQL"]
            #expect(throws: SQLiteError.self) {
                try CatalogueMigrator(migrations: broken).migrate(connection, readOnly: false)
            }
            #expect(connection.isInTransaction == false)
            #expect(try CatalogueMigrator.storedVersion(connection) == 0)
            #expect(try tables(at: path) == [])
        }
    }

    @Test func aNewerCatalogueIsRefused() throws {
        try withTemporaryFolder { folder throws in
            let path = folder.path("future.sqlite")
            _ = try SQLiteMetadataStore(path: path)
            try SQLiteConnection(path: path, readOnly: false).execute("UPDATE schema_version SET version = 7")
            let expected = ImgrepoError.databaseUnavailable(
                location: path, reason: "catalogue schema version 7 is newer than this imgrepo (4)")
            #expect(throws: expected) { try SQLiteMetadataStore(path: path) }
            #expect(throws: expected) { try SQLiteMetadataStore(path: path, readOnly: true) }
        }
    }

    @Test func aReadOnlyOpenNeverMigrates() throws {
        try withTemporaryFolder { folder throws in
            let path = folder.path("empty.sqlite")
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
            #expect(throws: ImgrepoError.databaseUnavailable(
                location: path,
                reason: "catalogue schema version 0 needs upgrading to 4, which a read-only open cannot do")) {
                try SQLiteMetadataStore(path: path, readOnly: true)
            }
            #expect(try tables(at: path) == [])
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
            #expect(size == 0)
        }
    }

    @Test func aDatabaseThatIsNotACatalogueIsLeftAlone() throws {
        try withTemporaryFolder { folder throws in
            let path = folder.path("other.sqlite")
            try SQLiteConnection(path: path, readOnly: false).execute("CREATE TABLE photos (id INTEGER)")
            #expect(throws: ImgrepoError.databaseUnavailable(
                location: path, reason: "not an imgrepo catalogue (it holds other tables and no schema version)")) {
                try SQLiteMetadataStore(path: path)
            }
            #expect(try tables(at: path) == ["photos"])
        }
    }
}

func sampleImage(_ seed: String) -> NewImage {
    NewImage(sha512: seed + String(repeating: "0", count: 128 - seed.count), originalName: "x.jpg",
             originalPath: "/x.jpg", owner: "alice", uploadedAt: Timestamp(microseconds: 1_700_000_000_000_000),
             byteSize: 10, format: .jpeg, width: 1, height: 1, exif: .absent)
}
