#if canImport(Glibc)
import Glibc
#endif

/// The parts a repository is assembled from that live outside the core: the executable
/// injects libcrypto's SHA-512, libexif's decoder and the catalogue drivers.
public struct RepositoryServices: Sendable {
    /// Makes a fresh streaming SHA-512.
    public var makeHasher: @Sendable () -> any ContentHasher
    public var exifDecoder: any ExifDecoding
    /// Opens the catalogue named by a database URL (`sqlite:catalog.sqlite`), migrating it as
    /// needed, and creating it when `create` is set. Relative sqlite paths are inside
    /// `repositoryRoot`. Throws `ImgrepoError.invalidArgument` for an unknown scheme, and
    /// `ImgrepoError.catalogueMissing` when `create` is false and there is no catalogue yet
    /// (the driver then creates nothing: no file, no table).
    public var openCatalogue: @Sendable (_ url: String, _ repositoryRoot: String, _ create: Bool) throws -> any MetadataStore
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
                openCatalogue: @escaping @Sendable (String, String, Bool) throws -> any MetadataStore) {
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
                                        "catalog.sqlite-journal", "objects", "tmp", "thumbnails", "quarantine"]

    private init(root: String, configuration: RepositoryConfiguration, catalogueURL: String, store: any MetadataStore,
                 services: RepositoryServices, config: FileIdentity?) throws {
        self.root = root
        self.configuration = configuration
        self.catalogueURL = catalogueURL
        self.store = store
        self.services = services
        self.objects = ObjectStore(root: root + "/objects", temporaryRoot: Self.temporaryFolder(beside: root + "/objects", in: root))
        let configPath = root + "/config"
        self.lock = try RepositoryLock(path: root + "/lock", create: true, check: config.map { opened in
            {
                // migrate-catalog rewrites config (a new file renamed over it) under the exclusive
                // lock: a writer that opened the old catalogue must not commit there afterwards.
                // A rewrite changes the inode; any change, the modification time or the size.
                guard FileIdentity.of(path: configPath) == opened else {
                    throw ImgrepoError.repositoryUnavailable(path: configPath, reason: "changed while this command ran "
                        + "(migrate-catalog switched the catalogue?); nothing more was written; run the command again")
                }
            }
        })
    }

    /// Whether `root` holds a repository (a `config` file).
    public static func exists(at root: String) -> Bool { POSIX.exists(root + "/config") }

    /// Creates a repository at `root` (and any missing parent folders).
    ///
    /// Returns false, changing nothing, when one already exists there. Refuses a non-empty
    /// folder that is not a repository, so that `init` never adopts somebody's photo folder.
    /// The `config` file is written atomically before the catalogue is created: a crash before it
    /// leaves a folder `init` can simply be run on again, a crash after it a repository whose
    /// catalogue the next command creates (no blob is stored yet). When the catalogue cannot be
    /// created, the config is removed again.
    ///
    /// A folder with no `config` whose `objects/` holds blobs lost its config: it is refused
    /// unless `adoptingStoredImages` (only `rebuildCatalogue`, which catalogues them).
    @discardableResult
    public static func initialize(at root: String, database: String = "sqlite:catalog.sqlite",
                                  services: RepositoryServices, adoptingStoredImages: Bool = false) throws -> Bool {
        if exists(at: root) { return false }
        if POSIX.exists(root), !POSIX.isDirectory(root) {
            throw ImgrepoError.repositoryUnavailable(path: root, reason: "exists and is not a folder")
        }
        // A folder with stored images but no config lost its config (after a migration it named
        // another catalogue than the catalog.sqlite left behind): a new config would silently
        // pair the images with a stale or empty catalogue. It is a repository all the same,
        // whatever else it holds (another catalogue file), so the rebuild may adopt it.
        if ObjectStore(root: root + "/objects", temporaryRoot: root + "/tmp").holdsAnyBlob() {
            guard adoptingStoredImages else { throw ImgrepoError.repositoryUnavailable(path: root, reason: Self.lostConfigAdvice) }
        } else if let foreign = try foreignEntries(in: root).first {
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
        // config before the catalogue: a process killed between the two leaves a repository
        // whose catalogue is missing while no blob is stored, which the next command simply
        // creates (`openCatalogue`). The other order left a folder without config that every
        // command but `init` and `upload` refused. link(2), not rename(2): when two imports
        // create the same repository at once, the first config stays and the second uses it.
        let configPath = root + "/config"
        guard try createAtomically(configuration.toml, at: configPath, temporaryFolder: root + "/tmp") else { return false }
        _ = POSIX.syncDirectory(root)
        do {
            _ = try services.openCatalogue(database, root, true)
        } catch {
            // A catalogue that cannot be created (a server down, a bad URL) leaves no repository
            // behind naming it: init can be run again as it was.
            unlink(configPath)
            _ = POSIX.syncDirectory(root)
            throw error
        }
        return true
    }

    /// Opens the repository at `root`.
    /// - Parameters:
    ///   - databaseOverride: a catalogue URL that replaces the repository's own.
    ///   - create: initialise the repository when `root` has none (what `upload` does).
    /// - Throws: `repositoryUnavailable` when there is no repository and `create` is false;
    ///   the catalogue driver's errors (`databaseUnavailable`, ...).
    ///   - creatingCatalogue: create a missing catalogue even though `objects/` holds blobs
    ///     (`rebuildCatalogue` only); otherwise that is refused (see `openCatalogue`).
    public static func open(at root: String, databaseOverride: String? = nil, create: Bool = false,
                            services: RepositoryServices, creatingCatalogue: Bool = false) throws -> Repository {
        if !exists(at: root) {
            guard create else { throw ImgrepoError.repositoryUnavailable(path: root, reason: try absenceReason(root)) }
            try initialize(at: root, database: databaseOverride ?? "sqlite:catalog.sqlite", services: services)
        }
        let configPath = root + "/config"
        // Taken before the read: a rewrite between the two is then seen at the first lock.
        let identity = FileIdentity.of(path: configPath)
        let text: String?
        do { text = try readTextFile(configPath) } catch ImgrepoError.configuration(_, let reason) {
            throw ImgrepoError.repositoryUnavailable(path: root, reason: "cannot read config: \(configPath): \(reason)")
        }
        guard let text else { throw ImgrepoError.repositoryUnavailable(path: root, reason: "config file vanished") }
        let configuration = try RepositoryConfiguration.parse(text, path: configPath, repository: root)
        let catalogueURL = databaseOverride ?? configuration.database
        let store = creatingCatalogue ? try services.openCatalogue(catalogueURL, root, true)
            : try openCatalogue(catalogueURL, root: root, services: services)
        // Under an override the catalogue is the user's choice, whatever config says.
        return try Repository(root: root, configuration: configuration, catalogueURL: catalogueURL, store: store,
                              services: services, config: databaseOverride == nil ? identity : nil)
    }

    static let lostConfigAdvice = "no config file, but objects/ holds stored images: the config was lost; "
        + "nothing was created. Run 'imgrepo rebuild-catalog [--database URL]' to write a new config naming the catalogue "
        + "(and catalogue any image it lacks), or restore config from a backup"

    /// Opens the repository's catalogue, creating it only where no image is stored yet.
    ///
    /// A missing catalogue in a repository whose `objects/` holds blobs was lost (deleted,
    /// truncated, its `-wal` removed) or is the wrong one (a typo in `--database`): creating an
    /// empty one there would make every stored image look like garbage to `verify --repair`.
    /// That is refused, naming the catalogue, and nothing is created.
    static func openCatalogue(_ url: String, root: String, services: RepositoryServices) throws -> any MetadataStore {
        do {
            return try services.openCatalogue(url, root, false)
        } catch ImgrepoError.catalogueMissing(let location) {
            if ObjectStore(root: root + "/objects", temporaryRoot: root + "/tmp").holdsAnyBlob() {
                throw ImgrepoError.databaseUnavailable(location: location, reason: lostCatalogueAdvice)
            }
            return try services.openCatalogue(url, root, true)
        }
    }

    static let lostCatalogueAdvice = "no imgrepo catalogue there, but objects/ holds stored images: it was lost, or is "
        + "not this repository's; nothing was created. Restore it from a backup, name the right one with --database, or run "
        + "'imgrepo rebuild-catalog' to catalogue the stored images again"

    /// Where files bound for `area` (`objects/`, `thumbnails/`) are written before they get
    /// their name: `tmp/`, unless `area` is another file system (a mount of its own, shared
    /// storage), where a link or rename from `tmp/` fails with EXDEV; then `area/.tmp/`, made on
    /// first use. Two stats per call.
    static func temporaryFolder(beside area: String, in root: String) -> String {
        let tmp = root + "/tmp"
        guard let a = POSIX.status(area), let t = POSIX.status(tmp), a.st_dev != t.st_dev else { return tmp }
        return area + "/" + areaTemporaryName
    }

    /// The name of the temp folder inside an area on a file system of its own.
    public static let areaTemporaryName = ".tmp"

    /// Why there is no repository at `root`, and what to do.
    static func absenceReason(_ root: String) throws -> String {
        guard POSIX.exists(root) else { return "no such folder; create one with 'imgrepo init'" }
        if ObjectStore(root: root + "/objects", temporaryRoot: root + "/tmp").holdsAnyBlob() { return lostConfigAdvice }
        // Only imgrepo's own (empty) folders: a first upload or init killed before it wrote config.
        if POSIX.isDirectory(root), try foreignEntries(in: root).isEmpty, !POSIX.entries(of: root).isEmpty {
            return "its creation was interrupted (no config file yet); 'imgrepo init' or an upload finishes it"
        }
        return "not an imgrepo repository (no config file); create one with 'imgrepo init'"
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

    /// Renames a file of the repository to `target` on the same file system (quarantining an
    /// orphan, restoring it), making `target`'s folder first, and syncs both folders so that
    /// the move survives a crash: the bytes are never copied, so a crash leaves the file in
    /// one place or the other. Throws `writeError` naming the folder or the file.
    static func moveDurably(_ path: String, to target: String) throws {
        let folder = POSIX.dirname(of: target)
        if let e = POSIX.makeDirectories(folder) { throw writeError(folder, e) }
        if rename(path, target) != 0 { throw writeError(path, errno) }
        _ = POSIX.syncDirectory(folder)
        _ = POSIX.syncDirectory(POSIX.dirname(of: path))
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
