import CSQLite
import Foundation
import ImgrepoCore
@testable import ImgrepoSQLite
import Testing

/// Opening catalogues, connection settings, and how SQLite's failures reach callers.
@Suite struct OpeningTests {
    @Test func aTextFileIsNotADatabase() throws {
        try withTemporaryFolder { folder throws in
            let path = folder.path("notes.txt")
            try "these are my notes, not a database\n".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: ImgrepoError.databaseUnavailable(location: path, reason: "file is not a database")) {
                try SQLiteMetadataStore(path: path)
            }
            #expect(throws: ImgrepoError.databaseUnavailable(location: path, reason: "file is not a database")) {
                try SQLiteMetadataStore(path: path, readOnly: true)
            }
        }
    }

    @Test func aReadOnlyOpenOfAMissingFileFailsAndCreatesNothing() throws {
        try withTemporaryFolder { folder throws in
            let path = folder.path("missing.sqlite")
            #expect(throws: ImgrepoError.databaseUnavailable(location: path, reason: "unable to open database file")) {
                try SQLiteMetadataStore(path: path, readOnly: true)
            }
            #expect(FileManager.default.fileExists(atPath: path) == false)
        }
    }

    @Test func aFileInAMissingFolderCannotBeCreated() throws {
        try withTemporaryFolder { folder throws in
            let path = folder.path("no/such/folder/c.sqlite")
            #expect(throws: ImgrepoError.databaseUnavailable(location: path, reason: "unable to open database file")) {
                try SQLiteMetadataStore(path: path)
            }
        }
    }

    @Test func theConnectionRunsInWALWithForeignKeysFullSyncAndABusyTimeout() throws {
        try withTemporaryFolder { folder throws in
            let store = try SQLiteMetadataStore(path: folder.path("c.sqlite"))
            func pragma(_ name: String) throws -> String? {
                try store.connection.prepare("PRAGMA \(name)").firstRow { $0.text() }
            }
            #expect(try pragma("journal_mode") == "wal")
            #expect(try pragma("foreign_keys") == "1")
            #expect(try pragma("synchronous") == "2") // FULL
            #expect(try pragma("busy_timeout") == "10000")
        }
    }

    @Test func aReadOnlyStoreReadsAndRefusesWrites() throws {
        try withTemporaryFolder { folder throws in
            let path = folder.path("c.sqlite")
            let id = try SQLiteMetadataStore(path: path).insert(sampleImage("dd")).id
            let store = try SQLiteMetadataStore(path: path, readOnly: true)
            #expect(store.isReadOnly)
            #expect(try store.count() == 1)
            #expect(try store.image(id: id)?.originalName == "x.jpg")
            #expect(throws: ImgrepoError.repositoryNotWritable(path: path, reason: "attempt to write a readonly database")) {
                try store.insert(sampleImage("ee"))
            }
            #expect(throws: ImgrepoError.repositoryNotWritable(path: path, reason: "attempt to write a readonly database")) {
                try store.delete(id: id)
            }
            #expect(try store.count() == 1)
        }
    }

    @Test func aLockHeldPastTheTimeoutIsDatabaseUnavailable() throws {
        try withTemporaryFolder { folder throws in
            let path = folder.path("c.sqlite")
            let store = try SQLiteMetadataStore(path: path)
            let holder = try SQLiteConnection(path: path, readOnly: false)
            sqlite3_busy_timeout(store.connection.handle, 50)
            try holder.execute("BEGIN IMMEDIATE")
            defer { try? holder.execute("ROLLBACK") }
            #expect(throws: ImgrepoError.databaseUnavailable(location: path, reason: "database is locked")) {
                try store.insert(sampleImage("ff"))
            }
            // Readers are not blocked by a writer in WAL mode.
            #expect(try store.count() == 0)
        }
    }
}

/// The statement layer over the C API.
@Suite struct StatementTests {
    func withConnection(_ body: (SQLiteConnection) throws -> Void) throws {
        try withTemporaryFolder { folder throws in
            try body(SQLiteConnection(path: folder.path("s.sqlite"), readOnly: false))
        }
    }

    @Test func valuesRoundTripThroughBindAndColumns() throws {
        try withConnection { db throws in
            try db.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, n TEXT)")
            let texts = ["", "plain", "ünïcödé 写真 🎞", "quote ' and \" and \\ and \0 nul"]
            let insert = try db.prepare("INSERT INTO t VALUES (?, ?, ?, ?)")
            for (n, text) in texts.enumerated() {
                try insert.run([.integer(Int64.min + Int64(n)), .real(-0.1 * Double(n)), .text(text), .null])
            }
            let rows = try db.prepare("SELECT i, r, s, n, typeof(s) FROM t ORDER BY rowid").rows { row in
                (row.int64(), row.double(), row.text(), row.optionalText(), row.text())
            }
            #expect(rows.map(\.0) == texts.indices.map { Int64.min + Int64($0) })
            #expect(rows.map(\.1) == texts.indices.map { -0.1 * Double($0) })
            #expect(rows.map(\.2) == texts)
            #expect(rows.allSatisfy { $0.3 == nil })
            #expect(rows.allSatisfy { $0.4 == "text" }, "an empty string must bind as text, not NULL")
        }
    }

    @Test func aFailureCarriesSQLitesMessageAndTheSQL() throws {
        try withConnection { db throws in
            do {
                _ = try db.prepare("SELECT nope FROM nowhere")
                Issue.record("prepare succeeded")
            } catch let error as SQLiteError {
                #expect(error.primaryCode == SQLITE_ERROR)
                #expect(error.message == "no such table: nowhere")
                #expect(error.sql == "SELECT nope FROM nowhere")
            }
            try db.execute("CREATE TABLE u (k TEXT UNIQUE NOT NULL)")
            let insert = try db.prepare("INSERT INTO u VALUES (?)")
            try insert.run([.text("a")])
            do {
                try insert.run([.text("a")])
                Issue.record("duplicate insert succeeded")
            } catch let error as SQLiteError {
                #expect(error.primaryCode == SQLITE_CONSTRAINT)
                #expect(error.message == "UNIQUE constraint failed: u.k")
                #expect(error.imgrepoError(location: "c.sqlite")
                        == .databaseUnavailable(location: "c.sqlite", reason: "UNIQUE constraint failed: u.k"))
            }
            // The statement is usable again after a failure.
            try insert.run([.text("b")])
        }
    }

    @Test func aThrowingTransactionRollsBack() throws {
        try withConnection { db throws in
            try db.execute("CREATE TABLE t (x INTEGER)")
            struct Stop: Error {}
            #expect(throws: Stop.self) {
                try db.writeTransaction {
                    try db.execute("INSERT INTO t VALUES (1)")
                    throw Stop()
                }
            }
            #expect(db.isInTransaction == false)
            #expect(try db.prepare("SELECT count(*) FROM t").firstRow { $0.int64() } == 0)
        }
    }

    @Test func theImmutableURIEscapesWhatAURIPathGivesMeaningTo() {
        #expect(SQLiteConnection.immutableURI("/srv/photos/catalog.sqlite") == "file:///srv/photos/catalog.sqlite?immutable=1")
        #expect(SQLiteConnection.immutableURI("//srv/a?b#c%d.sqlite") == "file:////srv/a%3Fb%23c%25d.sqlite?immutable=1")
        #expect(SQLiteConnection.immutableURI("repo/catalog.sqlite") == "file:repo/catalog.sqlite?immutable=1")
    }

    /// What a reader of a repository it cannot write gets (SQLiteMetadataStore.access): the
    /// rows, through paths a URI would misread, and no `-wal` or `-shm` created beside the file.
    @Test func anImmutableOpenReadsTheFileAndCreatesNothing() throws {
        try withTemporaryFolder { folder throws in
            for name in ["catalog.sqlite", "a?b#c%25d e.sqlite"] {
                let path = folder.path(name)
                do { _ = try SQLiteMetadataStore(path: path).insert(sampleImage("ab")) }
                #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
                for spelling in [path, "/" + path] {
                    let connection = try SQLiteConnection(path: spelling, readOnly: true, immutable: true)
                    #expect(try connection.prepare("SELECT count(*) FROM images").firstRow { $0.int64() } == 1, "\(spelling)")
                    #expect(!FileManager.default.fileExists(atPath: path + "-shm"), "\(spelling)")
                    #expect(!FileManager.default.fileExists(atPath: path + "-wal"), "\(spelling)")
                }
            }
        }
    }

    @Test func aWritableCatalogueIsOpenedForWriting() throws {
        try withTemporaryFolder { folder throws in
            let path = folder.path("c.sqlite")
            #expect(SQLiteMetadataStore.access(to: path, readOnly: false) == .readWrite)
            _ = try SQLiteMetadataStore(path: path)
            #expect(SQLiteMetadataStore.access(to: path, readOnly: false) == .readWrite)
            #expect(SQLiteMetadataStore.access(to: path, readOnly: true) == .readOnly)
            #expect(try SQLiteMetadataStore(path: path).isReadOnly == false)
        }
    }
}
