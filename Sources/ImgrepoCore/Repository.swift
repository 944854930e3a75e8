#if canImport(Glibc)
import Glibc
#endif

/// The parts a repository is assembled from that live outside the core: the executable
/// injects libcrypto's SHA-512, libexif's decoder and the catalogue drivers.
public struct RepositoryServices: Sendable {
    /// Makes a fresh streaming SHA-512.
    public var makeHasher: @Sendable () -> any ContentHasher
    public var exifDecoder: any ExifDecoding
    /// Opens the catalogue named by a database URL (`sqlite:catalog.sqlite`), creating and
    /// migrating it as needed. Relative sqlite paths are inside `repositoryRoot`.
    /// Throws `ImgrepoError.invalidArgument` for an unknown scheme.
    public var openCatalogue: @Sendable (_ url: String, _ repositoryRoot: String) throws -> any MetadataStore
    /// Makes thumbnails; nil in a build without one (thumbnail commands then fail cleanly).
    public var thumbnailer: (any ThumbnailRendering)?
    /// Computes pixel and perceptual hashes; nil in a build without one (`index`, `similar`
    /// and `upload --dedup pixels` then fail cleanly).
    public var fingerprinter: (any ImageFingerprinting)?
    /// Makes an upload's thumbnails and fingerprints together, from one decode where it can, when
    /// both are asked for; nil: `thumbnailer` and `fingerprinter` are called one after the other.
    /// Gives what those two give (the protocol's contract), so set it only alongside them.
    public var thumbnailsAndFingerprints: (any ThumbnailAndFingerprintRendering)?

    public init(makeHasher: @escaping @Sendable () -> any ContentHasher, exifDecoder: any ExifDecoding,
                thumbnailer: (any ThumbnailRendering)? = nil, fingerprinter: (any ImageFingerprinting)? = nil,
                thumbnailsAndFingerprints: (any ThumbnailAndFingerprintRendering)? = nil,
                openCatalogue: @escaping @Sendable (String, String) throws -> any MetadataStore) {
        self.makeHasher = makeHasher; self.exifDecoder = exifDecoder; self.openCatalogue = openCatalogue
        self.thumbnailer = thumbnailer; self.fingerprinter = fingerprinter
        self.thumbnailsAndFingerprints = thumbnailsAndFingerprints
    }
}

/// An open repository: its configuration, object store, catalogue and lock.
public final class Repository {
    public let root: String
    public let configuration: RepositoryConfiguration
    /// The URL `store` was opened from: the override when one was given, else the config's.
    public let catalogueURL: String
    public let store: any MetadataStore
    public let objects: ObjectStore
    public let lock: RepositoryLock
    let services: RepositoryServices

    /// Names imgrepo itself puts in a repository folder; a folder holding only these may be initialised.
    static let ownNames: Set<String> = ["config", "lock", "catalog.sqlite", "catalog.sqlite-wal", "catalog.sqlite-shm",
                                        "catalog.sqlite-journal", "objects", "tmp", "thumbnails"]

    private init(root: String, configuration: RepositoryConfiguration, catalogueURL: String, store: any MetadataStore,
                 services: RepositoryServices) throws {
        self.root = root
        self.configuration = configuration
        self.catalogueURL = catalogueURL
        self.store = store
        self.services = services
        self.objects = ObjectStore(root: root + "/objects", temporaryRoot: root + "/tmp")
        self.lock = try RepositoryLock(path: root + "/lock", create: true)
    }

    /// Whether `root` holds a repository (a `config` file).
    public static func exists(at root: String) -> Bool { POSIX.exists(root + "/config") }

    /// Creates a repository at `root` (and any missing parent folders).
    ///
    /// Returns false, changing nothing, when one already exists there. Refuses a non-empty
    /// folder that is not a repository, so that `init` never adopts somebody's photo folder.
    /// The `config` file is written last, atomically: a crash part-way leaves a folder that
    /// `init` can simply be run on again.
    @discardableResult
    public static func initialize(at root: String, database: String = "sqlite:catalog.sqlite",
                                  services: RepositoryServices) throws -> Bool {
        if exists(at: root) { return false }
        if POSIX.exists(root), !POSIX.isDirectory(root) {
            throw ImgrepoError.repositoryUnavailable(path: root, reason: "exists and is not a folder")
        }
        if let foreign = try foreignEntries(in: root).first {
            throw ImgrepoError.repositoryUnavailable(path: root, reason: "folder is not empty and not a repository (contains '\(foreign)')")
        }
        for folder in [root, root + "/objects", root + "/tmp"] {
            if let e = POSIX.makeDirectories(folder) { throw creationError(folder, e) }
        }
        let lockPath = root + "/lock"
        let lockFD = POSIX.open(lockPath, O_WRONLY | O_CREAT, 0o644)
        guard lockFD >= 0 else { throw creationError(lockPath, errno) }
        close(lockFD)
        let configuration = RepositoryConfiguration(id: POSIX.randomHex() + POSIX.randomHex(), created: .now(), database: database)
        // The catalogue is created before `config` exists, so a half-made repository is never
        // mistaken for a usable one.
        _ = try services.openCatalogue(database, root)
        // link(2), not rename(2): when two imports create the same repository at once, the first
        // config stays and the second process simply uses it.
        let created = try createAtomically(configuration.toml, at: root + "/config", temporaryFolder: root + "/tmp")
        _ = POSIX.syncDirectory(root)
        return created
    }

    /// Opens the repository at `root`.
    /// - Parameters:
    ///   - databaseOverride: a catalogue URL that replaces the repository's own.
    ///   - create: initialise the repository when `root` has none (what `upload` does).
    /// - Throws: `repositoryUnavailable` when there is no repository and `create` is false;
    ///   the catalogue driver's errors (`databaseUnavailable`, ...).
    public static func open(at root: String, databaseOverride: String? = nil, create: Bool = false,
                            services: RepositoryServices) throws -> Repository {
        if !exists(at: root) {
            guard create else {
                let reason = POSIX.exists(root) ? "not an imgrepo repository (no config file)" : "no such folder"
                throw ImgrepoError.repositoryUnavailable(path: root, reason: reason + "; create one with 'imgrepo init'")
            }
            try initialize(at: root, database: databaseOverride ?? "sqlite:catalog.sqlite", services: services)
        }
        let configPath = root + "/config"
        let text: String?
        do { text = try readTextFile(configPath) } catch ImgrepoError.configuration(_, let reason) {
            throw ImgrepoError.repositoryUnavailable(path: root, reason: "cannot read config: \(configPath): \(reason)")
        }
        guard let text else { throw ImgrepoError.repositoryUnavailable(path: root, reason: "config file vanished") }
        let configuration = try RepositoryConfiguration.parse(text, path: configPath, repository: root)
        let catalogueURL = databaseOverride ?? configuration.database
        let store = try services.openCatalogue(catalogueURL, root)
        return try Repository(root: root, configuration: configuration, catalogueURL: catalogueURL, store: store,
                              services: services)
    }

    private static func foreignEntries(in folder: String) throws -> [String] {
        guard let dir = opendir(folder) else {
            if errno == ENOENT { return [] }
            throw ImgrepoError.repositoryUnavailable(path: folder, reason: POSIX.errorText())
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != ".", name != "..", !ownNames.contains(name) { names.append(name) }
        }
        return names.sorted()
    }

    static func creationError(_ path: String, _ code: Int32) -> ImgrepoError {
        isPermissionError(code) ? .repositoryNotWritable(path: path, reason: POSIX.errorText(code))
            : .repositoryUnavailable(path: path, reason: POSIX.errorText(code))
    }

    /// A failed write into the repository (a blob, a thumbnail, an unlink): `repositoryNotWritable`
    /// when permissions or a read-only mount refused it, `io` otherwise; both name `path`.
    static func writeError(_ path: String, _ code: Int32) -> ImgrepoError {
        isPermissionError(code) ? .repositoryNotWritable(path: path, reason: POSIX.errorText(code))
            : .io(path: path, reason: POSIX.errorText(code))
    }

    private static func isPermissionError(_ code: Int32) -> Bool { code == EACCES || code == EROFS || code == EPERM }
}

/// Creates `path` holding `text`, whole or not at all: a temp file in `temporaryFolder` is
/// written, fsync'd and linked into place. An existing file is left alone and false returned.
func createAtomically(_ text: String, at path: String, temporaryFolder: String) throws -> Bool {
    let temp = "\(temporaryFolder)/write-\(getpid())-\(POSIX.randomHex())"
    let fd = POSIX.open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard fd >= 0 else { throw Repository.creationError(temp, errno) }
    defer { unlink(temp) }
    let bytes = Array(text.utf8)
    if let e = bytes.withUnsafeBytes({ POSIX.writeAll(fd, $0) }) {
        close(fd)
        throw ImgrepoError.io(path: temp, reason: POSIX.errorText(e))
    }
    if fsync(fd) != 0 { let e = errno; close(fd); throw ImgrepoError.io(path: temp, reason: POSIX.errorText(e)) }
    close(fd)
    if link(temp, path) != 0 {
        if errno == EEXIST { return false }
        throw Repository.creationError(path, errno)
    }
    return true
}
