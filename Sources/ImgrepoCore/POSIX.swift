#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin, checked wrappers over the POSIX calls the core makes. Each failure becomes an
/// `ImgrepoError` naming the path and carrying `strerror`'s text. Public only where the
/// command-line layer needs the same call.
public enum POSIX {
    static func errorText(_ code: Int32 = errno) -> String {
        String(cString: strerror(code)).lowercased()
    }

    /// `open(2)`, retried on EINTR.
    static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
        let bytes = cPath(path)
        while true {
            let fd = Glibc.open(bytes, flags | O_CLOEXEC, mode)
            if fd >= 0 || errno != EINTR { return fd }
        }
    }

    // File names are byte strings; a Swift String holds Unicode. A name that is not UTF-8
    // (or a path given with such a name) is decoded losslessly: each byte 0x80–0xFF that is
    // not part of a valid UTF-8 sequence becomes U+EF00 + byte (U+EF80–U+EFFF, private use,
    // as MirBSD's OPTU-8 does), and so does each byte of a valid sequence that itself encodes
    // U+EF80–U+EFFF, so that no two byte strings decode alike. `cPath` is the exact inverse
    // for every decoded name; every system call on a path the user gave goes through it.
    // docs/repository-format.md, "File names".

    /// The first scalar of the range that stands for raw bytes (U+EF80 is byte 0x80).
    static let rawByteBase: UInt32 = 0xEF00

    static func isRawByte(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= rawByteBase + 0x80 && scalar.value <= rawByteBase + 0xFF
    }

    /// The name a file system's bytes stand for, losslessly (see above).
    public static func fileName(decoding bytes: some Collection<UInt8>) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        func raw(_ byte: UInt8) { scalars.append(Unicode.Scalar(rawByteBase + UInt32(byte))!) }
        let all = Array(bytes)
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = all.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                if isRawByte(scalar) { encoded.forEach(raw) } else { scalars.append(scalar) }
                offset += encoded.count
            case .error(let length):
                all[offset..<offset + length].forEach(raw)
                offset += length
            case .emptyInput:
                return String(scalars)
            }
        }
    }

    /// The bytes of the file name `path` stands for, NUL-terminated, for a system call: the
    /// inverse of `fileName(decoding:)`, and plain UTF-8 for any other name.
    public static func cPath(_ path: String) -> [CChar] {
        // Every scalar of U+EF80–U+EFFF is 0xEE 0xBE/0xBF … in UTF-8: a path without 0xEE (all
        // but the rarest) is its own UTF-8. This runs for every system call on a path, several
        // per file of an upload, so the common case must not walk scalars.
        if !path.utf8.contains(0xEE) { return path.utf8CString.map { $0 } }
        var bytes: [CChar] = []
        bytes.reserveCapacity(path.utf8.count + 1)
        for scalar in path.unicodeScalars {
            if isRawByte(scalar) {
                bytes.append(CChar(bitPattern: UInt8(scalar.value - rawByteBase)))
            } else {
                for byte in scalar.utf8 { bytes.append(CChar(bitPattern: byte)) }
            }
        }
        bytes.append(0)
        return bytes
    }

    /// `stat(2)` of the file `path` names, following links; nil on failure (errno set).
    public static func status(_ path: String) -> stat? {
        var st = stat()
        return stat(cPath(path), &st) == 0 ? st : nil
    }

    /// `lstat(2)`: the link itself, not what it points to; nil on failure (errno set).
    public static func linkStatus(_ path: String) -> stat? {
        var st = stat()
        return lstat(cPath(path), &st) == 0 ? st : nil
    }

    /// `open(path, O_RDONLY)` that cannot block: a FIFO (or a device that waits) is opened
    /// with O_NONBLOCK, so that the caller can `fstat` it and refuse what is not a regular file
    /// instead of waiting for a writer that may never come. Pass the descriptor of a file the
    /// caller keeps through `blocking(_:)`.
    static func openRegularFile(_ path: String) -> Int32 {
        open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY)
    }

    /// `fd` with O_NONBLOCK cleared (it means nothing to a regular file, but a read must never
    /// return EAGAIN to code that does not expect it).
    static func blocking(_ fd: Int32) -> Int32 {
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        return fd
    }

    /// What a file type is called in messages: `fifo`, `character device`, ...
    static func fileTypeName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: "a regular file"
        case S_IFDIR: "a folder"
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        case S_IFLNK: "a symbolic link"
        default: "unknown type"
        }
    }

    /// Reads up to `count` bytes, retrying on EINTR; returns bytes read (0 at end) or -1.
    static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        while true {
            let n = Glibc.read(fd, buffer, count)
            if n >= 0 || errno != EINTR { return n }
        }
    }

    /// Writes all bytes or returns the errno that stopped it.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += n
        }
        return nil
    }

    /// The names in a folder except `.` and `..`, sorted; empty when it cannot be opened (a
    /// missing folder is an empty one to every caller).
    static func entries(of folder: String) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                fileName(decoding: raw.prefix(while: { $0 != 0 }))
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// `fsync` on a folder, so that entries created or removed in it are durable.
    static func syncDirectory(_ path: String) -> Int32? {
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        return fsync(fd) == 0 ? nil : errno
    }

    static func exists(_ path: String) -> Bool {
        status(path) != nil
    }

    public static func isDirectory(_ path: String) -> Bool {
        status(path).map { ($0.st_mode & S_IFMT) == S_IFDIR } ?? false
    }

    /// `mkdir -p` with mode 0755; returns the errno that stopped it.
    static func makeDirectories(_ path: String) -> Int32? {
        if isDirectory(path) { return nil }
        let parent = dirname(of: path)
        if parent != path, !parent.isEmpty, let e = makeDirectories(parent) { return e }
        if mkdir(path, 0o755) != 0, errno != EEXIST { return errno }
        return nil
    }

    static func currentDirectory() -> String {
        guard let cwd = getcwd(nil, 0) else { return "." }
        defer { free(cwd) }
        return fileName(decoding: UnsafeRawBufferPointer(start: cwd, count: strlen(cwd)))
    }

    /// `path` made absolute against the working directory and lexically normalised
    /// (no `.`/`..` resolution through symlinks).
    static func absolute(_ path: String) -> String {
        let joined = path.hasPrefix("/") ? path : currentDirectory() + "/" + path
        var parts: [Substring] = []
        for part in joined.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    package static func dirname(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    static func basename(of path: String) -> String {
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
        guard let slash = p.lastIndex(of: "/") else { return String(p) }
        return String(p[p.index(after: slash)...])
    }

    /// 16 random hex characters from the kernel's generator.
    static func randomHex() -> String {
        var bytes = [UInt8](repeating: 0, count: 8)
        let fd = open("/dev/urandom", O_RDONLY)
        let n = fd < 0 ? -1 : bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress!, 8) }
        if fd >= 0 { close(fd) }
        if n != 8 {
            // Only names of temp files depend on this, and O_EXCL guards those: the clock and
            // the pid are an acceptable fallback.
            var t = Timestamp.now().microseconds ^ (Int64(getpid()) << 40)
            withUnsafeBytes(of: &t) { bytes = Array($0) }
        }
        return hexString(bytes)
    }
}
