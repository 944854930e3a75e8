import ArgumentParser
import ImgrepoCatalogues
import ImgrepoCore
import ImgrepoExif
import ImgrepoSHA512
import ImgrepoThumbnail
import ImgrepoXMP

/// Options every command that touches a repository takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The repository folder.", valueName: "path"), completion: .directory)
    var repo: String?

    @Option(name: .long, help: ArgumentHelp("Catalogue URL, replacing the repository's own (sqlite:PATH, mysql://USER@HOST[:PORT]/DB).", valueName: "url"))
    var database: String?

    /// An empty value is refused rather than read as "not given": `--repo "$UNSET"` in a script
    /// would otherwise act on the default repository.
    func validate() throws {
        if repo?.isEmpty == true { throw ValidationError("--repo: an empty path; leave the option out for the default repository") }
        if database?.isEmpty == true { throw ValidationError("--database: an empty URL; leave the option out for the repository's own") }
    }

    /// Reads the environment and the settings file once, and decides where everything is.
    func resolve() throws -> Invocation {
        let environment = Console.environment()
        let configuration = try UserConfiguration.load(environment: environment)
        return Invocation(
            environment: environment,
            configuration: configuration,
            repositoryPath: Locator.repositoryPath(flag: repo, environment: environment, configuration: configuration),
            databaseOverride: Locator.databaseOverride(flag: database, environment: environment, configuration: configuration)
        )
    }
}

/// What a command runs against: the environment, the user's settings, and the resolved locations.
struct Invocation {
    var environment: [String: String]
    var configuration: UserConfiguration
    /// flag > IMGREPO_REPO > settings file > default.
    var repositoryPath: String
    /// flag > IMGREPO_DATABASE > settings file > nil (the repository's own).
    var databaseOverride: String?

    /// Opens the repository, creating it first when `create` is set.
    func open(create: Bool = false) throws -> Repository {
        try Repository.open(at: repositoryPath, databaseOverride: databaseOverride, create: create, services: .standard)
    }
}

extension RepositoryServices {
    /// The composition root: libcrypto's SHA-512, libexif, libjpeg-turbo + libgd thumbnails and
    /// fingerprints (loaded on first use), and the catalogue drivers by URL scheme.
    static let standard = RepositoryServices(
        makeHasher: { SHA512Hasher() },
        exifDecoder: MetadataDecoders(exif: LibexifDecoder(), xmp: ExpatXMPDecoder()),
        thumbnailer: GDThumbnailer(),
        fingerprinter: GDFingerprinter(),
        // The two above from one decode where they can share it (upload with both asked).
        thumbnailsAndFingerprints: GDThumbnailAndFingerprintRenderer(),
        openCatalogue: { url, root, create in
            // The password comes from IMGREPO_DB_PASSWORD or the settings file's password_file,
            // never from the URL; read only for a server's catalogue.
            try CatalogueRegistry.open(url, repositoryRoot: root, options: .init(create: create)) {
                let environment = Console.environment()
                return try DatabasePassword.resolve(environment: environment, configuration: UserConfiguration.load(environment: environment))
            }
        }
    )
}
