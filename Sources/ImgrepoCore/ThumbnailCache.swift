import ImageProbe
#if canImport(Glibc)
import Glibc
#endif

/// The thumbnail cache inside a repository (docs/repository-format.md, "Thumbnails"):
///
///     thumbnails/ab/<the other 126 hex digits>.<W>x<H>.q<Q>.a<A>.<ext>
///
/// keyed by the image's SHA-512, the box, the quality, the renderer's algorithm version and the
/// encoding, and sharded like `objects/`. Entries are written whole or not at all (a temp file in
/// `tmp/`, fsync'd, renamed into place); a crash can lose the name of a new entry, which is only
/// a cache miss, never a torn thumbnail. Everything here can be deleted at any time.
public struct ThumbnailCache: Sendable {
    /// `REPO/thumbnails`.
    public let root: String
    /// `REPO/tmp`, on the same file system.
    public let temporaryRoot: String

    public init(root: String, temporaryRoot: String) {
        self.root = root; self.temporaryRoot = temporaryRoot
    }

    /// What a cache file's name says.
    public struct Key: Hashable, Sendable {
        public var sha512: String
        public var width: Int
        public var height: Int
        public var quality: Int
        public var algorithm: Int
        public var format: ThumbnailFormat

        public init(sha512: String, spec: ThumbnailSpec, algorithm: Int) {
            self.sha512 = sha512; width = spec.width; height = spec.height
            quality = spec.quality; self.algorithm = algorithm; format = spec.format
        }

        /// The file name inside the shard folder.
        public var fileName: String {
            "\(sha512.dropFirst(2)).\(width)x\(height).q\(quality).a\(algorithm).\(format.fileExtension)"
        }

        /// Parses `shard` (two hex digits) and a file name; nil for anything this cache did not write.
        public init?(shard: String, fileName: String) {
            let parts = fileName.split(separator: ".", omittingEmptySubsequences: false)
            guard shard.utf8.count == 2, parts.count == 5, parts[0].utf8.count == 126,
                  (shard + parts[0]).utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }) else { return nil }
            let box = parts[1].split(separator: "x", omittingEmptySubsequences: false)
            guard box.count == 2, let w = Int(box[0]), let h = Int(box[1]), w > 0, h > 0,
                  parts[2].first == "q", let q = Int(parts[2].dropFirst()),
                  parts[3].first == "a", let a = Int(parts[3].dropFirst()),
                  let format = ThumbnailFormat.allCases.first(where: { $0.fileExtension == parts[4] }) else { return nil }
            sha512 = shard + parts[0]; width = w; height = h; quality = q; algorithm = a; self.format = format
            // Only canonical spellings: "007x8" or "q+5" would name the same key twice.
            guard fileName == self.fileName else { return nil }
        }
    }

    /// The shard folder of an image's thumbnails.
    public func folder(for sha512: String) -> String { root + "/" + sha512.prefix(2) }

    /// Where the entry for `key` lives (whether or not it exists).
    public func path(for key: Key) -> String { folder(for: key.sha512) + "/" + key.fileName }

    /// Stores `bytes` as the entry for `key`, replacing any entry there.
    /// - Throws: `repositoryNotWritable` / `io` naming the file.
    public func store(_ bytes: [UInt8], for key: Key) throws {
        let folder = folder(for: key.sha512)
        if let e = POSIX.makeDirectories(folder) { throw Repository.creationError(folder, e) }
        let temp = "\(temporaryRoot)/write-\(getpid())-\(POSIX.randomHex())"
        var fd = POSIX.open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        if fd < 0, errno == ENOENT, POSIX.makeDirectories(temporaryRoot) == nil {
            // An area temp folder (`thumbnails/.tmp`) is made on first use.
            fd = POSIX.open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        }
        guard fd >= 0 else { throw Repository.creationError(temp, errno) }
        var linked = false
        defer { if !linked { unlink(temp) } }
        if let e = bytes.withUnsafeBytes({ POSIX.writeAll(fd, $0) }) {
            close(fd)
            throw ImgrepoError.io(path: temp, reason: POSIX.errorText(e))
        }
        if fsync(fd) != 0 { let e = errno; close(fd); throw ImgrepoError.io(path: temp, reason: POSIX.errorText(e)) }
        close(fd)
        let target = path(for: key)
        guard rename(temp, target) == 0 else { throw Repository.creationError(target, errno) }
        linked = true
    }

    /// Removes every entry of the image `sha512`; returns how many there were.
    @discardableResult
    public func removeAll(of sha512: String) throws -> Int {
        let folder = folder(for: sha512)
        let prefix = String(sha512.dropFirst(2)) + "."
        var removed = 0
        for name in POSIX.entries(of: folder) where name.hasPrefix(prefix) {
            let path = folder + "/" + name
            if unlink(path) != 0, errno != ENOENT { throw ImgrepoError.io(path: path, reason: POSIX.errorText()) }
            removed += 1
        }
        return removed
    }

    /// Empties the cache; returns the number of files and bytes removed.
    public func prune() throws -> (files: Int, bytes: Int64) {
        var files = 0
        var bytes: Int64 = 0
        for shard in POSIX.entries(of: root) {
            let folder = root + "/" + shard
            guard POSIX.isDirectory(folder) else {
                if unlink(folder) == 0 { files += 1 }
                continue
            }
            for name in POSIX.entries(of: folder) {
                let path = folder + "/" + name
                var st = stat()
                if lstat(path, &st) == 0 { bytes += Int64(st.st_size) }
                if unlink(path) != 0, errno != ENOENT { throw Repository.writeError(path, errno) }
                files += 1
            }
            rmdir(folder) // a concurrent writer may have added an entry: then the folder stays
        }
        return (files, bytes)
    }

    /// Every file in the cache as (shard, name, path), sorted.
    public func allEntries() -> [(shard: String, name: String, path: String)] {
        var result: [(String, String, String)] = []
        for shard in POSIX.entries(of: root) {
            let folder = root + "/" + shard
            if POSIX.isDirectory(folder) {
                for name in POSIX.entries(of: folder) { result.append((shard, name, folder + "/" + name)) }
            } else {
                result.append(("", shard, folder))
            }
        }
        return result
    }

    /// The format and size a cache file's contents state (read whole: thumbnails are small);
    /// nil when it cannot be read, is over 64 MiB, or is not a well-formed image.
    public static func inspect(path: String) -> (format: ImageFormat, width: Int, height: Int)? {
        let fd = POSIX.open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { POSIX.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 { return nil }
            if n == 0 { break }
            bytes += chunk[0..<n]
            if bytes.count > 64 << 20 { return nil }
        }
        guard let info = ImageInspector.inspect(bytes), info.damage == nil,
              let width = info.width, let height = info.height else { return nil }
        return (info.format, width, height)
    }
}
