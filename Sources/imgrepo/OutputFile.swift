import ImgrepoCore
#if canImport(Glibc)
import Glibc
#endif

/// Where `-o PATH` writes, decided by what is already at PATH. Only a regular file is ever
/// replaced; everything else is written into as it is, as `cp` does.
enum OutputFile {
    /// What a path given to `-o` turns out to be, once symbolic links are followed.
    enum Target: Equatable {
        /// A new name or a regular file (the path given, or the file a link points to):
        /// replaced through a temp file beside it.
        case file(String)
        /// One of this process's descriptors, named `/dev/stdout`, `/dev/fd/N`,
        /// `/proc/self/fd/N` or through a link to one of these.
        case descriptor(Int32)
        /// A device, FIFO or other special file: opened for writing and written into.
        case special(String)
    }

    /// Writes the bytes `body` produces to `path` (`body` gets the descriptor to write to):
    /// - a new name or a regular file is written atomically: a temp file beside it, renamed
    ///   over it, so that a reader sees the old file or the whole new one; `durable` fsyncs
    ///   it first, so that it survives a crash too (originals; thumbnails can be made again);
    /// - a symbolic link is written through, to what it points to; the link stays;
    /// - `/dev/stdout` and the other names of an open descriptor are that descriptor, written
    ///   at its offset (a file the shell opened keeps what came before);
    /// - a device or FIFO is opened for writing and written into; it is never replaced, and
    ///   what `body` wrote before a failure stays written.
    /// - Throws: `cannotCreateOutput` when the output cannot be created or opened, or `path`
    ///   is a dangling symbolic link (not followed, as `cp` does not follow one); `io` when a
    ///   write or the fsync fails; whatever `body` throws.
    static func write(to path: String, durable: Bool = true, _ body: (Int32) throws -> Void) throws {
        switch try target(of: path) {
        case .file(let file):
            try writeAtomically(to: file, durable: durable, body)
        case .descriptor(let fd):
            if fd == 1 { Console.flush() }
            try body(fd)
        case .special(let special):
            // No O_CREAT, no O_TRUNC: the node is used as it is. A FIFO waits here for its reader.
            let fd = open(POSIX.cPath(special), O_WRONLY | O_NOCTTY | O_CLOEXEC)
            guard fd >= 0 else {
                throw ImgrepoError.cannotCreateOutput(path: path, reason: String(cString: strerror(errno)).lowercased())
            }
            defer { close(fd) }
            try body(fd)
        }
    }

    /// What `path` is, following symbolic links (at most 40, as the kernel allows).
    /// - Throws: `cannotCreateOutput` for a dangling link or a loop of links.
    static func target(of path: String) throws -> Target {
        var current = path
        for _ in 0..<40 {
            if let fd = descriptorNumber(current) { return .descriptor(fd) }
            guard let st = POSIX.linkStatus(current) else {
                // A name not there yet is created, unless a link led to it: writing through a
                // dangling link would create a file somewhere the user did not name.
                guard current == path else {
                    throw ImgrepoError.cannotCreateOutput(path: path, reason: "dangling symbolic link to \(current)")
                }
                return .file(path)
            }
            switch st.st_mode & S_IFMT {
            case S_IFLNK:
                guard let next = readLink(current) else { return .file(current) }
                current = next.hasPrefix("/") ? next : POSIX.dirname(of: current) + "/" + next
            case S_IFREG, S_IFDIR:
                // A folder fails at the rename, with the kernel's own words.
                return .file(current)
            default:
                return .special(current)
            }
        }
        throw ImgrepoError.cannotCreateOutput(path: path, reason: "too many levels of symbolic links")
    }

    /// Whether `path` names this process's standard output, so that the command treats it
    /// as stdout (and refuses a terminal) rather than as a file.
    static func isStandardOutput(_ path: String) -> Bool {
        (try? target(of: path)) == .descriptor(1)
    }

    /// N for `/dev/stdout` (1), `/dev/stderr` (2), `/dev/fd/N` and `/proc/self/fd/N`. These are
    /// written through the descriptor itself: opening `/proc/self/fd/1` anew would truncate
    /// a file the shell opened for appending or start it again from its first byte.
    private static func descriptorNumber(_ path: String) -> Int32? {
        switch path {
        case "/dev/stdout": return 1
        case "/dev/stderr": return 2
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
                let digits = path.dropFirst(prefix.count)
                guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let n = Int32(digits) else { return nil }
                return n
            }
            return nil
        }
    }

    private static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(POSIX.cPath(path), &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return POSIX.fileName(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) })
    }

    /// Writes a file through a temp file beside it: a reader sees the old file or the whole new one.
    private static func writeAtomically(to path: String, durable: Bool, _ body: (Int32) throws -> Void) throws {
        let folder = POSIX.dirname(of: path)
        guard POSIX.isDirectory(folder) else {
            throw ImgrepoError.cannotCreateOutput(path: path, reason: "folder \(folder) does not exist")
        }
        var template = POSIX.cPath("\(folder)/.imgrepo-XXXXXX")
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw ImgrepoError.cannotCreateOutput(path: path, reason: String(cString: strerror(errno)).lowercased())
        }
        var done = false
        defer {
            close(fd)
            if !done { unlink(template) }
        }
        fchmod(fd, 0o644 & ~currentUmask())
        try body(fd)
        if durable, fsync(fd) != 0 { throw ImgrepoError.io(path: path, reason: String(cString: strerror(errno)).lowercased()) }
        guard rename(template, POSIX.cPath(path)) == 0 else {
            throw ImgrepoError.cannotCreateOutput(path: path, reason: String(cString: strerror(errno)).lowercased())
        }
        done = true
    }

    private static func currentUmask() -> mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }
}
