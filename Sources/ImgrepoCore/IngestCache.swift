#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What identifies a file's content without reading it: where it is, which inode it is, how
/// large it is and when it was last modified (docs/repository-format.md, "Ingest cache").
///
/// Two identities are equal only when all five parts are: a file rewritten in place (new
/// mtime), replaced by another (new inode), moved (new path) or copied to another disk (new
/// device) is a different identity, and its content has to be hashed again.
public struct FileIdentity: Hashable, Sendable {
    /// `st_dev`: meaningful only on the machine that took it.
    public var device: UInt64
    /// `st_ino`.
    public var inode: UInt64
    /// `st_size`, in bytes.
    public var size: Int64
    /// `st_mtim` as nanoseconds since the Unix epoch.
    public var modifiedNanoseconds: Int64
    /// The file's absolute path.
    public var path: String

    public init(device: UInt64, inode: UInt64, size: Int64, modifiedNanoseconds: Int64, path: String) {
        self.device = device; self.inode = inode; self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds; self.path = path
    }
}

extension FileIdentity {
    /// The identity of the regular file open on `fd`, from `fstat(2)`; `path` is made absolute
    /// (lexically, as upload records it).
    ///
    /// Taking it from the descriptor the caller then reads, rather than from `stat(path)`,
    /// ties the identity to the bytes actually hashed even when the path is replaced meanwhile.
    /// - Returns: nil when `fstat` fails, when `fd` is not a regular file (a pipe or a
    ///   terminal: nothing identifies its content), or when the mtime does not fit in
    ///   nanoseconds as an `Int64` (before 1678 or after 2262).
    public static func of(fd: Int32, path: String) -> FileIdentity? {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        return of(st, path: path)
    }

    /// The identity of the file at `path` (following links), without opening it: what a cache
    /// lookup needs, so that a file the cache answers for is never opened.
    public static func of(path: String) -> FileIdentity? {
        guard let st = POSIX.status(path) else { return nil }
        return of(st, path: path)
    }

    private static func of(_ st: stat, path: String) -> FileIdentity? {
        guard (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        let (scaled, overflow) = Int64(st.st_mtim.tv_sec).multipliedReportingOverflow(by: 1_000_000_000)
        let (nanoseconds, carry) = scaled.addingReportingOverflow(Int64(st.st_mtim.tv_nsec))
        guard !overflow, !carry else { return nil }
        return FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size),
                            modifiedNanoseconds: nanoseconds, path: POSIX.absolute(path))
    }
}

/// Remembers which SHA-512 a file had, so that a rerun over files already imported costs a
/// `stat` each instead of a read and a hash.
///
/// A cache is an optimisation only: it may forget anything at any time, and none of its
/// methods throws. A cache that cannot be read or written behaves as an empty one. It is used
/// from one thread at a time.
///
/// Callers must take the identity with `FileIdentity.of(fd:path:)` on the descriptor they
/// read *before* reading it, and should record only when a second `fstat` after the last
/// read gives the same identity: a file changed while it was being hashed must not be
/// recorded under either identity.
public protocol IngestCache: AnyObject {
    /// The SHA-512 (128 lower-case hex characters) recorded for exactly this identity, or nil.
    ///
    /// Nil also when the entry is *racy*: its mtime is less than
    /// `IngestCacheRules.racyIntervalNanoseconds` before the moment it was recorded, so the
    /// file could have changed again within the same timestamp tick without its mtime changing.
    /// A buffered record (not yet flushed) is seen by the instance that holds it.
    func sha512(for identity: FileIdentity) -> String?

    /// Records that `identity` hashed to `sha512`, replacing whatever was recorded for the
    /// same path. Writes may be buffered; `flush()` makes them durable. Never throws: a
    /// failing cache only loses speed.
    func record(_ identity: FileIdentity, sha512: String)

    /// Writes buffered records, as far as the cache can. A record that cannot be written now
    /// (another process holds the write lock) may be kept for a later flush or dropped.
    func flush()
}

/// The rules every `IngestCache` applies, in one place so that implementations agree.
public enum IngestCacheRules {
    /// How much older than the moment it was recorded an entry's mtime must be for a hit to be
    /// trusted: 2 s, which covers file systems with one- or two-second timestamps (ext3, FAT)
    /// as well as nanosecond ones. Git treats "racily clean" index entries the same way.
    public static let racyIntervalNanoseconds: Int64 = 2_000_000_000

    /// Whether an entry for a file modified at `modifiedNanoseconds`, recorded at
    /// `recordedNanoseconds`, may be trusted. An mtime in the future of the recording (clock
    /// skew, `touch -d` with a future date) is never trusted.
    public static func isTrusted(modifiedNanoseconds: Int64, recordedNanoseconds: Int64) -> Bool {
        let (age, overflow) = recordedNanoseconds.subtractingReportingOverflow(modifiedNanoseconds)
        return !overflow && age >= racyIntervalNanoseconds
    }

    /// Whether `text` looks like a SHA-512 as imgrepo names blobs (128 lower-case hex
    /// characters), so that a damaged entry is a miss rather than a wrong answer.
    public static func isSHA512(_ text: String) -> Bool {
        text.utf8.count == 128 && text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }

    /// The current real-time clock in nanoseconds since the Unix epoch.
    public static func nowNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}

/// The cache that remembers nothing: every lookup misses. Used for `--rehash`, for standard
/// input, and whenever the real cache cannot be opened.
extension IngestCache {
    /// `sha512(for:)` for each identity, in order (nil identities give nil). A cache may answer
    /// them together, e.g. in one read transaction.
    public func sha512s(for identities: [FileIdentity?]) -> [String?] {
        identities.map { $0.flatMap(sha512(for:)) }
    }
}

public final class NoIngestCache: IngestCache, Sendable {
    public init() {}
    public func sha512(for identity: FileIdentity) -> String? { nil }
    public func record(_ identity: FileIdentity, sha512: String) {}
    public func flush() {}
}

extension Locator {
    /// Where the ingest cache of repository `repositoryID` lives for this user:
    /// `$XDG_CACHE_HOME/imgrepo/<id>.sqlite`, or `~/.cache/imgrepo/<id>.sqlite` when
    /// XDG_CACHE_HOME is unset, empty or relative (the XDG spec says to ignore a relative one).
    ///
    /// The cache is per user and per machine, not in the repository: device and inode numbers
    /// mean nothing on another host, and the repository may be on shared storage.
    /// - Returns: nil when the id could not be a file name (empty, or anything but letters,
    ///   digits, `-` and `_`) or no home folder is known.
    public static func ingestCachePath(repositoryID: String, environment: [String: String]) -> String? {
        let idIsSafe = !repositoryID.isEmpty && repositoryID.utf8.count <= 128 && repositoryID.utf8.allSatisfy {
            ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95
        }
        guard idIsSafe else { return nil }
        let base: String
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            base = xdg
        } else if let home = environment["HOME"].flatMap({ $0.isEmpty ? nil : $0 }) ?? homeFromPasswd() {
            base = home + "/.cache"
        } else {
            return nil
        }
        return POSIX.absolute(base) + "/imgrepo/\(repositoryID).sqlite"
    }
}
