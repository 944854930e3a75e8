import ArgumentParser
import ImgrepoCore
import ImgrepoOutput

extension Imgrepo {
    struct RebuildCatalog: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rebuild-catalog",
            abstract: "Catalogue again every stored image that has no catalogue row (a lost catalogue or config).",
            discussion: """
            The way back when the catalogue was lost (deleted, emptied, its -wal removed after a \
            crash) or the repository's config was: imgrepo then refuses to create an empty \
            catalogue beside stored images, and says to run this. It re-reads every blob under \
            objects/ that no row references, checks that its bytes still hash to its name, and \
            catalogues it with what the file says (format, dimensions, EXIF, XMP), the name \
            HASH16.FORMAT, the owner, and the blob's modification time as its upload time. \
            Original file names lived only in the catalogue and cannot be recovered. Blobs that \
            'verify --repair' moved to quarantine/ are moved back and catalogued too.

            Without a config file it writes one naming --database (default \
            sqlite:catalog.sqlite), so a config lost after 'migrate-catalog' is restored with \
            the catalogue it named. Images that have a row are left alone: on a sound \
            repository it does nothing, and a killed run is simply run again. Prints \
            'catalogued ID NAME' per image (with --json, one JSON object per line).

            Examples:
              imgrepo rebuild-catalog
              imgrepo rebuild-catalog --database mysql://alice@db.example/photos

            \(ExitStatus.helpTable([.success, .partialFailure, .usage, .unavailable, .ioError, .notWritable, .badConfiguration]))
            """
        )

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Owner recorded for the images (default: IMGREPO_OWNER, config 'owner', login name).", valueName: "name"))
        var owner: String?

        @Flag(help: "Print one JSON object per catalogued image.")
        var json = false

        func validate() throws {
            if owner?.isEmpty == true { throw ValidationError("--owner: an empty name; leave the option out for the default owner") }
        }

        func run() throws {
            let invocation = try global.resolve()
            let owner = Locator.owner(flag: owner, environment: invocation.environment, configuration: invocation.configuration)
            let summary = try Repository.rebuildCatalogue(at: invocation.repositoryPath, database: invocation.databaseOverride,
                                                          owner: owner, services: .standard) { event in
                switch event {
                case .catalogued(let id, let sha512, let name, let restored):
                    if json {
                        Console.line(JSONValue.object([("id", .int(id)), ("sha512", .string(sha512)), ("name", .string(name)),
                                                       ("status", .string("catalogued")), ("restored", .bool(restored))]).text)
                    } else {
                        Console.line("catalogued \(id) \(name)\(restored ? " (back from quarantine)" : "")")
                    }
                case .failed(_, let error):
                    Console.error(error.description)
                }
            }
            if summary.wroteConfig { Console.error("wrote a new config for \(invocation.repositoryPath)") }
            Console.error("""
                \(summary.blobs) blobs: \(summary.catalogued) catalogued (\(summary.restored) back from quarantine), \
                \(summary.alreadyCatalogued) already catalogued, \(summary.failed) failed
                """)
            if summary.failed > 0 { Console.flush(); throw ExitCode(ExitStatus.partialFailure.rawValue) }
        }
    }
}
