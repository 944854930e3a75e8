#if canImport(Glibc)
import Glibc
#endif

/// The blobs of a repository: `objects/ab/cdef…`, one read-only file per distinct SHA-512.
///
/// See docs/repository-format.md for the layout and the order of writes.
public struct ObjectStore: Sendable {
    /// `REPO/objects`.
    public let root: String
    /// `REPO/tmp`, where blobs are written before they get their name.
    public let temporaryRoot: String

    public init(root: String, temporaryRoot: String) {
        self.root = root
        self.temporaryRoot = temporaryRoot
    }

    /// The path of the blob named `sha512`. Does not check that it exists.
    public func path(for sha512: String) -> String {
        let hex = sha512.lowercased()
        let split = hex.index(hex.startIndex, offsetBy: 2)
        return "\(root)/\(hex[..<split])/\(hex[split...])"
    }

    /// Whether any blob-named file is stored: a quick look that stops at the first one.
    ///
    /// Guards against treating a repository that holds images as a new one (a lost or wrong
    /// catalogue, a lost config): nothing may be created over it.
    public func holdsAnyBlob() -> Bool {
        var found = false
        forEachBlob { _, _ in found = true; return false }
        return found
    }

    /// Calls `body` with the SHA-512 and path of each blob-named file (`ab/` + 126 lower-case
    /// hex digits), in name order, until it returns false. Other names are skipped: they are
    /// `verify`'s business.
    public func forEachBlob(_ body: (_ sha512: String, _ path: String) throws -> Bool) rethrows {
        for top in POSIX.entries(of: root) where top.utf8.count == 2 && Self.isLowerHex(top) {
            for name in POSIX.entries(of: root + "/" + top) where name.utf8.count == 126 && Self.isLowerHex(name) {
                if try !body(top + name, "\(root)/\(top)/\(name)") { return }
            }
        }
    }

    /// Lower-case hexadecimal digits only, as blob names are written.
    static func isLowerHex(_ text: String) -> Bool {
        text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }

    /// Whether a blob with this name is stored.
    public func contains(_ sha512: String) -> Bool { POSIX.exists(path(for: sha512)) }

    /// Gives a complete, fsync'd temp file its content name.
    ///
    /// Links `temporaryPath` to the blob's path, makes the link durable by syncing the
    /// fan-out folder, and unlinks the temp file. Returns true when the blob is new, false
    /// when the same bytes were already stored (the existing blob is kept).
    /// - Throws: `ImgrepoError.repositoryNotWritable` or `.io`, naming the path.
    public func adopt(temporaryPath: String, as sha512: String) throws -> Bool {
        let target = path(for: sha512)
        let folder = POSIX.dirname(of: target)
        var createdFolder = false
        if !POSIX.isDirectory(folder) {
            if mkdir(folder, 0o755) == 0 {
                createdFolder = true
            } else if errno != EEXIST {
                throw Repository.writeError(folder, errno)
            }
        }
        defer { unlink(temporaryPath) }
        if link(temporaryPath, target) != 0 {
            if errno == EEXIST { return false }
            throw Repository.writeError(target, errno)
        }
        if let e = POSIX.syncDirectory(folder) {
            throw ImgrepoError.io(path: folder, reason: "cannot sync folder: \(POSIX.errorText(e))")
        }
        if createdFolder, let e = POSIX.syncDirectory(root) {
            throw ImgrepoError.io(path: root, reason: "cannot sync folder: \(POSIX.errorText(e))")
        }
        return true
    }

    /// Removes the blob, and makes the removal durable. A missing blob is not an error.
    public func remove(_ sha512: String) throws {
        let target = path(for: sha512)
        if unlink(target) != 0 {
            if errno == ENOENT { return }
            throw Repository.writeError(target, errno)
        }
        _ = POSIX.syncDirectory(POSIX.dirname(of: target))
    }

    /// Opens the blob for reading. Throws `integrity` when a catalogued blob is missing.
    public func open(_ sha512: String) throws -> Int32 {
        let target = path(for: sha512)
        let fd = POSIX.open(target, O_RDONLY)
        guard fd >= 0 else {
            if errno == ENOENT {
                throw ImgrepoError.integrity(subject: target, reason: "blob is missing")
            }
            throw ImgrepoError.io(path: target, reason: POSIX.errorText())
        }
        return fd
    }
}
