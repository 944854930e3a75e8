import ArgumentParser
import ImgrepoCore
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

        \(ExitStatus.helpTable(ExitStatus.allCases))
        """,
        version: imgrepoVersion,
        subcommands: [Init.self, Upload.self, Get.self, Delete.self, List.self, Details.self]
    )

    /// Runs the command and turns every error into one line on stderr and its exit code.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as ImgrepoError {
            Console.error(error.description)
            Console.flush()
            Glibc.exit(ExitStatus(for: error).rawValue)
        } catch let exit as ExitCode {
            Console.flush()
            Glibc.exit(exit.rawValue)
        } catch {
            Console.flush()
            Self.exit(withError: error)
        }
        Console.flush()
        Glibc.exit(0)
    }
}
