#if canImport(Glibc)
import Glibc
#endif

/// The advisory lock on `REPO/lock` that keeps deletes from interleaving with uploads.
///
/// Uploads hold it shared from linking a blob until its catalogue row is committed; deletes
/// hold it exclusively from deleting the row until the blob is gone. See
/// docs/repository-format.md, "Locking". The kernel drops it when the process dies.
///
/// Each time the lock is taken, `check` runs under it before the caller's body: a repository
/// uses it to make sure the catalogue it opened is still the one its `config` names (a
/// `migrate-catalog` switches it under the exclusive lock), so that nothing is ever written
/// into a catalogue that was moved away meanwhile.
public final class RepositoryLock {
    private let fd: Int32
    public let path: String
    private let check: (() throws -> Void)?

    /// Opens (creating if needed) the lock file. Throws `repositoryNotWritable` when it cannot
    /// be created, `repositoryUnavailable` for other failures.
    init(path: String, create: Bool, check: (() throws -> Void)? = nil) throws {
        self.path = path
        self.check = check
        var fd = POSIX.open(path, O_RDWR | (create ? O_CREAT : 0), 0o644)
        if fd < 0, errno == EACCES || errno == EROFS {
            // A read-only repository can still be read; a shared lock on a read-only
            // descriptor is enough for readers, and writers fail later with a clear message.
            fd = POSIX.open(path, O_RDONLY)
        }
        guard fd >= 0 else {
            throw ImgrepoError.repositoryUnavailable(path: POSIX.dirname(of: path), reason: "cannot open lock file: \(POSIX.errorText())")
        }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Runs `body` holding the lock shared.
    public func shared<T>(_ body: () throws -> T) throws -> T { try locked(LOCK_SH, body) }

    /// Runs `body` holding the lock exclusively.
    public func exclusive<T>(_ body: () throws -> T) throws -> T { try locked(LOCK_EX, body) }

    private func locked<T>(_ operation: Int32, _ body: () throws -> T) throws -> T {
        while flock(fd, operation) != 0 {
            if errno == EINTR { continue }
            throw ImgrepoError.io(path: path, reason: "cannot lock: \(POSIX.errorText())")
        }
        defer { flock(fd, LOCK_UN) }
        try check?()
        return try body()
    }
}
