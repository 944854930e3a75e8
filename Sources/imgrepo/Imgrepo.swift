import ArgumentParser
import ImgrepoCore
import ImgrepoExif
import ImgrepoMySQL
import ImgrepoOutput
import ImgrepoSHA512
import ImgrepoSQLite
import ImgrepoThumbnail
#if canImport(Glibc)
import Glibc
#endif

@main
struct Imgrepo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imgrepo",
        abstract: "A content-addressed image repository with a searchable catalogue.",
        discussion: """
        Stores each image once, named by the SHA-512 of its bytes, and records its name, owner, \
        format, dimensions and EXIF data in a catalogue you can query.

        The repository is --repo, else $IMGREPO_REPO, else 'repo' in \
        $XDG_CONFIG_HOME/imgrepo/config.toml, else $XDG_DATA_HOME/imgrepo (~/.local/share/imgrepo).

        \(HelpSections.environment)

        \(HelpSections.files)

        Examples:
          imgrepo upload ~/Pictures
          find /mnt/card -iname '*.jpg' -print0 | imgrepo upload -0 --from-file -
          imgrepo list --camera canon --taken 2024 --sort -taken --limit 20
          imgrepo list --json --iso 1600.. | jq -r '.[].name'
          imgrepo upload --json ~/inbox | jq -c 'select(.status == "failed")'
          imgrepo get 42 -o ~/restored/
          # crontab: import the camera inbox at 02:30, check every blob on Sundays
          30 2 * * *  imgrepo upload --quiet --owner camera /srv/camera-inbox
          0 4 * * 0   imgrepo verify 2>&1 | logger -t imgrepo

        \(ExitStatus.helpTable(ExitStatus.allCases))
        """,
        version: imgrepoVersion,
        subcommands: [Init.self, Upload.self, Get.self, Delete.self, List.self, Details.self, Thumbnail.self, Stats.self, Verify.self,
                      Index.self, Similar.self, Duplicates.self, MigrateCatalog.self, RebuildCatalog.self]
    )

    /// `imgrepo --version --json`: the version with the output schema and library versions.
    /// Handled before parsing because a root-level `--json` flag would also capture the
    /// subcommands' `--json` (ArgumentParser accepts a parent's flags after the subcommand).
    /// Unlike plain `--version`, it loads libcrypto, libgd and libmariadb to ask them; a library
    /// that cannot be loaded is null (docs/json.md).
    static func printVersionJSON() {
        Console.line(JSONValue.object([
            ("version", .string(imgrepoVersion)),
            ("schema_version", .int(jsonSchemaVersion)),
            ("catalogue_schema_version", .int(SQLiteMetadataStore.schemaVersion)),
            ("repository_format", .int(RepositoryConfiguration.currentFormat)),
            ("libraries", .object([
                ("sqlite", .string(SQLiteMetadataStore.libraryVersion)),
                ("libcrypto", SHA512Hasher.libraryProblem == nil ? .string(SHA512Hasher.libraryVersion) : .null),
                ("libexif", LibexifDecoder.libraryVersion.map(JSONValue.string) ?? .null),
                ("libgd", GDThumbnailer.libgdVersion().map(JSONValue.string) ?? .null),
                ("libmariadb", MySQLMetadataStore.libraryVersion.map(JSONValue.string) ?? .null),
            ])),
        ]).text)
    }

    /// `imgrepo SUBCOMMAND ARGS...` parsed with SUBCOMMAND as the root: the same command value
    /// `parseAsRoot` makes (`CommandLineParsingTests` compares the two on every command), without
    /// the root-level pass in which ArgumentParser builds the subcommand's argument set twice
    /// more (about a fifth of a first page's instructions, issue 3). Anything but a clean parse
    /// of that subcommand (an error, help, a version or completion request) gives nil, and
    /// `parseAsRoot` then handles it exactly as before.
    ///
    /// As a root, the subcommand's parse also checks for a completion-script request, which
    /// costs two throwaway parses (about 1.1 M instructions on `stats` or `delete`, ~0.2 ms).
    /// Naming `imgrepo` as its super command skipped that check, but only through
    /// ArgumentParser's private `_superCommandName`; issue 17 retired it, and the commands that
    /// scripts run per image (`list`, `details`, `get`, `thumbnail`) take the quick parse anyway.
    static func parseSubcommandDirectly(_ arguments: [String]) -> ParsableCommand? {
        guard let name = arguments.first,
              let subcommand = configuration.subcommands.first(where: { $0.configuration.commandName == name }),
              let command = try? subcommand.parseAsRoot(Array(arguments.dropFirst())),
              ObjectIdentifier(type(of: command)) == ObjectIdentifier(subcommand) else { return nil }
        return command
    }

    /// The arguments as the kernel passed them, decoded losslessly (`POSIX.fileName(decoding:)`):
    /// `CommandLine.arguments` replaces bytes that are not UTF-8 with U+FFFD, and a file name
    /// holding one could then not be opened.
    static func rawArguments() -> [String] {
        (1..<Int(CommandLine.argc)).map { index in
            let argument = CommandLine.unsafeArgv[index]!
            let count = strlen(argument)
            return UnsafeRawPointer(argument).withMemoryRebound(to: UInt8.self, capacity: count) {
                POSIX.fileName(decoding: UnsafeBufferPointer(start: $0, count: count))
            }
        }
    }

    /// The commands whose positional arguments are image ids, none of whose options takes a
    /// negative number.
    static let imageIDCommands: Set<String> = ["get", "details", "delete", "thumbnail", "similar"]

    /// `imgrepo get -1`: ArgumentParser takes `-1` for an option and says "missing expected
    /// argument '<id>'", which hides the mistake. No option of these commands is a digit, so a
    /// word like `-1` is a (wrong) id.
    static func refuseNegativeIDs(_ arguments: [String]) throws {
        guard let name = arguments.first, imageIDCommands.contains(name) else { return }
        for word in arguments.dropFirst().prefix(while: { $0 != "--" })
        where word.count > 1 && word.first == "-" && word.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) {
            throw ImgrepoError.invalidArgument(value: word, reason: "not an image id: ids are whole numbers from 1, or SHA-512 prefixes")
        }
    }

    /// Runs the command and turns every error into one line on stderr and its exit code.
    static func main() {
        if Set(CommandLine.arguments.dropFirst()) == ["--version", "--json"] {
            printVersionJSON()
            Console.flush()
            Glibc.exit(0)
        }
        do {
            let arguments = rawArguments()
            try refuseNegativeIDs(arguments)
            var command = try parseQuickly(arguments) ?? parseSubcommandDirectly(arguments) ?? parseAsRoot(arguments)
            try command.run()
        } catch let error as ImgrepoError {
            Console.error(error.description)
            Console.flush()
            Glibc.exit(ExitStatus(for: error).rawValue)
        } catch let exit as ExitCode {
            Console.flush()
            Glibc.exit(exit.rawValue)
        } catch {
            // Help and --version print as ArgumentParser does; every other parse error becomes
            // one line on stderr, as every other error does.
            Console.flush()
            let code = exitCode(for: error)
            if code == .success { Self.exit(withError: error) }
            let message = fullMessage(for: error).split(separator: "\n").map { $0.trimmed }
                .filter { !$0.isEmpty && !$0.hasPrefix("Usage:") && !$0.hasPrefix("See '") && !$0.hasPrefix("Help:") }
                .joined(separator: "; ")
            let text = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
            // House style: messages start in lower case, like every other imgrepo error.
            // ArgumentParser quotes the offending word whole; a huge one is cut like ours.
            Console.error(ImgrepoError.excerpt(text.prefix(1).lowercased() + text.dropFirst(), limit: 2 * ImgrepoError.quoteLimit))
            Glibc.exit(code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue)
        }
        Console.flush()
        Glibc.exit(0)
    }
}
