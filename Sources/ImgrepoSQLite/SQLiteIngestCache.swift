import CSQLite
import ImgrepoCore
#if canImport(Glibc)
import Glibc
#endif

/// The ingest cache in a SQLite file of its own, outside the repository
/// (docs/repository-format.md, "Ingest cache").
///
/// The file is disposable: deleting it only costs re-hashing. So the connection trades
/// durability for speed (WAL, `synchronous=NORMAL`), a file that is not a database or is
/// corrupt is deleted and recreated, and a write lock held by another import is not waited for
/// beyond a short busy timeout: the records stay buffered for the next flush instead.
///
/// Records are buffered and written in one transaction per `flush()`, or on their own every
/// `batchSize` records. Used from one thread at a time.
public final class SQLiteIngestCache: IngestCache {
    /// The layout of the `files` table this code writes (`PRAGMA user_version`). A file with
    /// any other version has its table dropped and recreated.
    static let schemaVersion = 1
    /// Buffered records written in one transaction without waiting for `flush()`.
    static let batchSize = 500
    /// When flushes keep finding the file locked, the buffer is dropped past this many records
    /// rather than grow without bound.
    static let maximumPending = 10 * batchSize
    /// Opening may have to create the table while another import does the same.
    static let openingBusyTimeoutMilliseconds: Int32 = 1_000
    /// Afterwards a lookup or a flush that finds the file locked gives up quickly: a cache must
    /// not slow an import down.
    static let busyTimeoutMilliseconds: Int32 = 100

    static let createSQL = """
        CREATE TABLE files (
            path TEXT PRIMARY KEY,
            device INTEGER NOT NULL,
            inode INTEGER NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            sha512 TEXT NOT NULL,
            recorded_at_ns INTEGER NOT NULL
        ) WITHOUT ROWID
        """

    /// The cache file.
    public let path: String
    /// Internal so the tests can look inside.
    let connection: SQLiteConnection
    private let lookupStatement: SQLiteStatement
    private let upsertStatement: SQLiteStatement
    /// Nanoseconds since the epoch; the tests move it to check the racy-entry rule.
    private let clock: () -> Int64

    private struct Entry {
        var identity: FileIdentity
        var sha512: String
        var recordedNanoseconds: Int64
    }

    /// Records not yet written, by path: a second record for a path replaces the first, as
    /// the row it will become does.
    private var pending: [String: Entry] = [:]
    /// How many pending records make `record` flush on its own; raised after a flush found
    /// the file locked, so that each further record does not wait on the lock again.
    private var flushThreshold = SQLiteIngestCache.batchSize
    /// Set when the file failed in a way retrying will not fix (I/O error, corruption found
    /// after opening, read-only file): from then on this instance behaves as `NoIngestCache`.
    private var isDisabled = false

    /// Opens (creating as needed) the cache of repository `repositoryID` at
    /// `Locator.ingestCachePath(repositoryID:environment:)`, creating missing folders with
    /// mode 0700.
    ///
    /// Never fails: when the id is unusable, no home folder is known, the folder cannot be
    /// created, or the file cannot be opened even after deleting a corrupt one, the result is
    /// a `NoIngestCache`.
    public static func open(repositoryID: String, environment: [String: String]) -> any IngestCache {
        guard let path = Locator.ingestCachePath(repositoryID: repositoryID, environment: environment),
              makeFolders(folder(of: path)) else { return NoIngestCache() }
        return (try? SQLiteIngestCache(path: path)) ?? NoIngestCache()
    }

    /// Opens the cache file at `path`; a file that is not a database, is corrupt, or holds a
    /// `files` table of another shape is deleted and created afresh, once.
    /// - Throws: `SQLiteError` when the file cannot be opened or created.
    init(path: String, clock: @escaping () -> Int64 = IngestCacheRules.nowNanoseconds) throws {
        self.path = path
        self.clock = clock
        var opened: (SQLiteConnection, SQLiteStatement, SQLiteStatement)
        do {
            opened = try Self.openConnection(path)
        } catch let error as SQLiteError where Self.isDamage(error) {
            // The connection is gone by now (the throwing call released it), so nothing
            // holds the files being removed.
            for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
            opened = try Self.openConnection(path)
        }
        (connection, lookupStatement, upsertStatement) = opened
    }

    deinit {
        flush()
    }

    /// Failures that deleting the file cures: not a database, corrupt, or (`SQLITE_ERROR` from
    /// preparing the statements) a table of some other shape under the current version.
    private static func isDamage(_ error: SQLiteError) -> Bool {
        [SQLITE_NOTADB, SQLITE_CORRUPT, SQLITE_ERROR].contains(error.primaryCode)
    }

    private static func openConnection(_ path: String) throws -> (SQLiteConnection, SQLiteStatement, SQLiteStatement) {
        let connection = try SQLiteConnection(path: path, readOnly: false)
        sqlite3_busy_timeout(connection.handle, openingBusyTimeoutMilliseconds)
        try connection.execute("PRAGMA journal_mode = WAL")
        // NORMAL: in WAL mode a power cut may lose the last transactions but never corrupts
        // the file, and lost entries only cost re-hashing.
        try connection.execute("PRAGMA synchronous = NORMAL")
        if try userVersion(connection) != schemaVersion {
            try connection.writeTransaction {
                // Checked again under the write lock: another import may have just done this.
                guard try userVersion(connection) != schemaVersion else { return }
                try connection.execute("DROP TABLE IF EXISTS files")
                try connection.execute(createSQL)
                try connection.execute("PRAGMA user_version = \(schemaVersion)")
            }
        }
        let lookup = try connection.prepare(
            "SELECT device, inode, size, mtime_ns, sha512, recorded_at_ns FROM files WHERE path = ?")
        let upsert = try connection.prepare(
            "INSERT OR REPLACE INTO files (path, device, inode, size, mtime_ns, sha512, recorded_at_ns) VALUES (?, ?, ?, ?, ?, ?, ?)")
        sqlite3_busy_timeout(connection.handle, busyTimeoutMilliseconds)
        return (connection, lookup, upsert)
    }

    private static func userVersion(_ connection: SQLiteConnection) throws -> Int {
        try connection.prepare("PRAGMA user_version").firstRow { Int($0.int64()) } ?? 0
    }

    // MARK: IngestCache

    public func sha512(for identity: FileIdentity) -> String? {
        guard !isDisabled else { return nil }
        let entry: Entry
        if let buffered = pending[identity.path] {
            // Newer than any row for the same path, which it will replace.
            entry = buffered
        } else {
            let row: Entry?
            do {
                row = try lookupStatement.firstRow([.text(identity.path)]) { row in
                    Entry(identity: FileIdentity(device: UInt64(bitPattern: row.int64()), inode: UInt64(bitPattern: row.int64()),
                                                 size: row.int64(), modifiedNanoseconds: row.int64(), path: identity.path),
                          sha512: row.text(), recordedNanoseconds: row.int64())
                }
            } catch {
                disableUnlessBusy(error)
                return nil
            }
            guard let row else { return nil }
            entry = row
        }
        guard entry.identity == identity, IngestCacheRules.isSHA512(entry.sha512),
              IngestCacheRules.isTrusted(modifiedNanoseconds: entry.identity.modifiedNanoseconds,
                                         recordedNanoseconds: entry.recordedNanoseconds) else { return nil }
        return entry.sha512
    }

    /// All lookups in one read transaction: one set of locks for a window of files.
    public func sha512s(for identities: [FileIdentity?]) -> [String?] {
        guard !isDisabled else { return identities.map { _ in nil } }
        do {
            return try connection.readTransaction { identities.map { $0.flatMap(sha512(for:)) } }
        } catch {
            return identities.map { $0.flatMap(sha512(for:)) }
        }
    }

    public func record(_ identity: FileIdentity, sha512: String) {
        guard !isDisabled, IngestCacheRules.isSHA512(sha512) else { return }
        pending[identity.path] = Entry(identity: identity, sha512: sha512, recordedNanoseconds: clock())
        if pending.count >= flushThreshold { flush() }
    }

    public func flush() {
        guard !isDisabled, !pending.isEmpty else { return }
        do {
            try connection.writeTransaction {
                for entry in pending.values {
                    let identity = entry.identity
                    try upsertStatement.run([
                        .text(identity.path), .integer(Int64(bitPattern: identity.device)),
                        .integer(Int64(bitPattern: identity.inode)), .integer(identity.size),
                        .integer(identity.modifiedNanoseconds), .text(entry.sha512), .integer(entry.recordedNanoseconds),
                    ])
                }
            }
            pending.removeAll(keepingCapacity: true)
            flushThreshold = Self.batchSize
        } catch {
            disableUnlessBusy(error)
            if isDisabled || pending.count >= Self.maximumPending {
                pending.removeAll()
                flushThreshold = Self.batchSize
            } else {
                flushThreshold = pending.count + Self.batchSize
            }
        }
    }

    /// Another process holding the lock is a reason to skip this time; anything else
    /// (corruption, I/O errors, a read-only file) is not going to get better during this run.
    private func disableUnlessBusy(_ error: any Error) {
        if let error = error as? SQLiteError, error.primaryCode == SQLITE_BUSY || error.primaryCode == SQLITE_LOCKED {
            return
        }
        isDisabled = true
    }

    // MARK: Folders

    private static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// `mkdir -p` creating missing folders with mode 0700: the cache names the user's files.
    /// Existing folders are left as they are. False when `path` cannot be made a folder.
    private static func makeFolders(_ path: String) -> Bool {
        var st = stat()
        if stat(path, &st) == 0 { return (st.st_mode & S_IFMT) == S_IFDIR }
        let parent = folder(of: path)
        if parent != path, !makeFolders(parent) { return false }
        return mkdir(path, 0o700) == 0 || errno == EEXIST
    }
}
