import ArgumentParser
import ImgrepoCore

extension Imgrepo {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create a repository.",
            discussion: """
            Creates the repository folder (objects/, tmp/, config, the SQLite catalogue). Running \
            it on an existing repository changes nothing. A non-empty folder that is not a \
            repository is refused. 'upload' creates the repository too when it is missing.

            With --database (or $IMGREPO_DATABASE, or 'database' in the settings file) the \
            catalogue is that URL, e.g. mysql://USER@HOST[:PORT]/DB, and the repository's config \
            records it, so later commands find it without the flag. The password is never \
            recorded: it comes from $IMGREPO_DB_PASSWORD or the settings file's password_file.

            Examples:
              imgrepo init --repo /srv/photos
              imgrepo init --repo /srv/photos --database mysql://alice@db.example/photos

            \(ExitStatus.helpTable([.success, .usage, .unavailable, .notWritable, .badConfiguration]))
            """
        )

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let invocation = try global.resolve()
            let root = invocation.repositoryPath
            let created = try Repository.initialize(at: root, database: invocation.databaseOverride ?? "sqlite:catalog.sqlite",
                                                    services: .standard)
            Console.error(created ? "created repository \(root)" : "repository \(root) already exists; nothing changed")
        }
    }
}
