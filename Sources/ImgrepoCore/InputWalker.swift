#if canImport(Glibc)
import Glibc
#endif

/// How folders given to `upload` are walked.
public struct WalkOptions: Sendable {
    /// Deepest level of files taken below a folder given (1 = only its direct entries); nil = all.
    public var maxDepth: Int?
    /// Follow symbolic links met while walking (links named on the command line are always followed).
    public var followSymlinks = false
    /// Take files and folders whose names start with '.'.
    public var includeHidden = false
    /// Globs (fnmatch) a walked file must match, if any are given. A pattern with a '/' is
    /// matched against the path relative to the folder given, otherwise against the file name.
    public var include: [String] = []
    /// Globs that leave a walked file or folder out; they win over `include`.
    public var exclude: [String] = []
    /// Folders never walked into, whatever path leads there: the repository being uploaded
    /// into, whose thumbnails (and blobs) would otherwise be imported as new pictures when it
    /// lies inside the folder given. One that does not exist yet is looked for again at each
    /// folder met, since the upload may create it part-way.
    public var excludedFolders: [String] = []

    public init(maxDepth: Int? = nil, followSymlinks: Bool = false, includeHidden: Bool = false,
                include: [String] = [], exclude: [String] = [], excludedFolders: [String] = []) {
        self.maxDepth = maxDepth; self.followSymlinks = followSymlinks; self.includeHidden = includeHidden
        self.include = include; self.exclude = exclude; self.excludedFolders = excludedFolders
    }
}

/// One thing the walk found.
public enum WalkItem: Equatable, Sendable {
    /// A file to upload. `explicit` when it was named by the user (not found inside a folder):
    /// a non-image named explicitly is a failure, a non-image found in a folder is a skip.
    case file(path: String, explicit: Bool)
    /// Left out, with the reason (hidden, a link not followed, a loop, excluded, not a regular file).
    case skipped(path: String, reason: String)
    /// Could not be read at all (a missing argument, an unreadable folder).
    case failed(path: String, error: ImgrepoError)
}

/// Walks the paths given to `upload`, depth first in name order, calling back as it goes, so
/// that work starts at once however large the tree (nothing is counted ahead).
public struct InputWalker: Sendable {
    public var options: WalkOptions

    public init(options: WalkOptions = WalkOptions()) { self.options = options }

    /// Calls `visit` for each argument: a file as is, a folder walked, anything else reported.
    /// `-` (standard input) is passed through as an explicit file. Errors thrown by `visit` stop the walk.
    public func walk(_ arguments: [String], _ visit: (WalkItem) throws -> Void) throws {
        var excluded = ExcludedFolders(paths: options.excludedFolders)
        for argument in arguments {
            if argument == "-" {
                try visit(.file(path: "-", explicit: true))
                continue
            }
            guard let st = POSIX.status(argument) else {
                let error: ImgrepoError = errno == ENOENT || errno == ENOTDIR
                    ? .fileNotFound(path: argument) : .unreadableInput(path: argument, reason: POSIX.errorText())
                try visit(.failed(path: argument, error: error))
                continue
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                if excluded.contains(FolderID(st)) {
                    try visit(.skipped(path: argument, reason: Self.repositoryReason))
                    continue
                }
                var ancestors: Set<FolderID> = [FolderID(st)]
                try walkFolder(argument, relative: "", depth: 1, ancestors: &ancestors, excluded: &excluded, visit)
            } else {
                try visit(.file(path: argument, explicit: true))
            }
        }
    }

    private struct FolderID: Hashable {
        var device: UInt64, inode: UInt64
        init(_ st: stat) { device = UInt64(st.st_dev); inode = UInt64(st.st_ino) }
    }

    static let repositoryReason = "the imgrepo repository itself"

    /// `WalkOptions.excludedFolders` by identity; paths not found yet are looked up again.
    private struct ExcludedFolders {
        var found: Set<FolderID> = []
        var pending: [String]

        init(paths: [String]) { pending = paths; resolve() }

        mutating func resolve() {
            pending.removeAll { path in
                guard let st = POSIX.status(path), (st.st_mode & S_IFMT) == S_IFDIR else { return false }
                found.insert(FolderID(st))
                return true
            }
        }

        mutating func contains(_ id: FolderID) -> Bool {
            if !pending.isEmpty { resolve() }
            return found.contains(id)
        }
    }

    private func walkFolder(_ folder: String, relative: String, depth: Int, ancestors: inout Set<FolderID>,
                            excluded: inout ExcludedFolders, _ visit: (WalkItem) throws -> Void) throws {
        guard let dir = opendir(POSIX.cPath(folder)) else {
            try visit(.failed(path: folder, error: .unreadableInput(path: folder, reason: POSIX.errorText())))
            return
        }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                POSIX.fileName(decoding: raw.prefix(while: { $0 != 0 }))
            }
            if name != ".", name != ".." { names.append(name) }
        }
        closedir(dir)
        names.sort()
        let base = folder.hasSuffix("/") ? folder : folder + "/"
        for name in names {
            let path = base + name
            let relativePath = relative.isEmpty ? name : relative + "/" + name
            if name.hasPrefix("."), !options.includeHidden {
                try visit(.skipped(path: path, reason: "hidden (use --hidden)"))
                continue
            }
            if matches(options.exclude, name: name, relative: relativePath) {
                try visit(.skipped(path: path, reason: "excluded"))
                continue
            }
            guard var st = POSIX.linkStatus(path) else {
                try visit(.failed(path: path, error: .unreadableInput(path: path, reason: POSIX.errorText())))
                continue
            }
            if (st.st_mode & S_IFMT) == S_IFLNK {
                guard options.followSymlinks else {
                    try visit(.skipped(path: path, reason: "symbolic link (use --follow-symlinks)"))
                    continue
                }
                guard let target = POSIX.status(path) else {
                    try visit(.skipped(path: path, reason: "broken symbolic link"))
                    continue
                }
                st = target
            }
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                if let maxDepth = options.maxDepth, depth >= maxDepth {
                    try visit(.skipped(path: path, reason: "deeper than --max-depth \(maxDepth)"))
                    continue
                }
                let id = FolderID(st)
                guard !ancestors.contains(id) else {
                    try visit(.skipped(path: path, reason: "symbolic link loop"))
                    continue
                }
                if excluded.contains(id) {
                    try visit(.skipped(path: path, reason: Self.repositoryReason))
                    continue
                }
                ancestors.insert(id)
                try walkFolder(path, relative: relativePath, depth: depth + 1, ancestors: &ancestors, excluded: &excluded, visit)
                ancestors.remove(id)
            case S_IFREG:
                if !options.include.isEmpty, !matches(options.include, name: name, relative: relativePath) {
                    try visit(.skipped(path: path, reason: "not included"))
                    continue
                }
                try visit(.file(path: path, explicit: false))
            default:
                try visit(.skipped(path: path, reason: "not a regular file"))
            }
        }
    }

    private func matches(_ patterns: [String], name: String, relative: String) -> Bool {
        patterns.contains { pattern in
            fnmatch(POSIX.cPath(pattern), POSIX.cPath(pattern.contains("/") ? relative : name), 0) == 0
        }
    }
}

/// Paths listed in a file or on standard input (`--from-file`): one per line, or separated
/// by NUL bytes (`-0`, for `find -print0`). Empty entries are ignored; a trailing CR is kept
/// (it may be part of a name) only in NUL mode.
public func readPathList(descriptor fd: Int32, nulSeparated: Bool, name: String) throws -> [String] {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = buffer.withUnsafeMutableBytes { POSIX.read(fd, $0.baseAddress!, $0.count) }
        if n < 0 { throw ImgrepoError.io(path: name, reason: "cannot read: \(POSIX.errorText())") }
        if n == 0 { break }
        bytes += buffer[0..<n]
    }
    let separator: UInt8 = nulSeparated ? 0 : 10
    return bytes.split(separator: separator, omittingEmptySubsequences: true).compactMap { part in
        var slice = part[...]
        if !nulSeparated, slice.last == 13 { slice = slice.dropLast() }
        return slice.isEmpty ? nil : POSIX.fileName(decoding: slice)
    }
}
