import ArgumentParser
import ImgrepoCore

extension Imgrepo {
    struct MigrateCatalog: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate-catalog",
            abstract: "Copy the catalogue to another database and switch the repository to it.",
            discussion: """
            Copies every image row with its id, known names and EXIF tags into the empty \
            catalogue at URL (sqlite:PATH, mysql://USER@HOST[:PORT]/DB), reads the copy back and \
            compares it with the source (each image whole, the row counts, the sets of SHA-512s), \
            and then records URL in the repository's config, so later commands use it. A target \
            holding images is refused, unless they are exactly this catalogue's first images, as \
            a killed migration leaves them: the copy then resumes after them. The old catalogue is left in place, unchanged (a SQLite \
            file stays in the repository folder: delete it yourself once you trust the copy). \
            Imports wait while the copy runs; one that opened the old catalogue before the switch \
            stops without writing there ('config changed while this command ran') and is simply \
            run again. The objects folder is not touched.

            Examples:
              export IMGREPO_DB_PASSWORD=...   # or password_file in the settings file
              imgrepo migrate-catalog --to mysql://image_repo_admin@db.example/image_repo_db
              imgrepo migrate-catalog --to sqlite:catalog-2.sqlite   # back to SQLite

            \(ExitStatus.helpTable([.success, .integrityFailure, .usage, .unavailable, .ioError, .badConfiguration]))
            """
        )

        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: ArgumentHelp("The catalogue to copy into (empty).", valueName: "url"))
        var to: String

        func run() throws {
            let invocation = try global.resolve()
            let repository = try invocation.open()
            let migration = try repository.migrateCatalogue(to: to)
            Console.error("""
                copied \(migration.images) images, \(migration.names) names and \(migration.tags) EXIF tags from \
                \(migration.source) to \(migration.target)\(migration.alreadyCopied > 0 ? " (after the \(migration.alreadyCopied) an interrupted run had copied)" : ""), \
                and checked the copy; the repository now uses \(migration.target) (the old catalogue is left in place)
                """)
            if let override = invocation.databaseOverride {
                Console.error("note: \(override) (--database, IMGREPO_DATABASE or 'database' in the settings file) still overrides the repository's config")
            }
        }
    }
}
