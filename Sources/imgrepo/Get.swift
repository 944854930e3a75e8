import ArgumentParser
import ImgrepoCore
#if canImport(Glibc)
import Glibc
#endif

extension Imgrepo {
    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get",
            abstract: "Write an image's original bytes.",
            discussion: """
            ID is the numeric id or a unique SHA-512 prefix of 8+ hex digits. The bytes are \
            re-hashed as they are copied; a mismatch is an integrity failure (exit 5) and leaves \
            no output file.

            Without -o the bytes go to stdout, which must not be a terminal. '-o FILE' writes \
            FILE atomically (replacing it); a symbolic link is written through to its target, \
            and a device or FIFO is written into, never replaced; '-o DIR/' (or an existing \
            folder) writes the image's original name inside DIR; '-o -' and '-o /dev/stdout' \
            are stdout.

            Examples:
              imgrepo get 42 -o restored.jpg
              imgrepo get 3fa9b2c1 -o ~/out/
              imgrepo get 42 | exiftool -
              imgrepo list --json --taken 2024-06 | jq -r '.[].id' |
                while read -r id; do imgrepo get "$id" -o june/; done

            \(ExitStatus.helpTable([.success, .imageNotFound, .integrityFailure, .usage, .unavailable, .cannotCreateOutput, .ioError, .badConfiguration]))
            """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("Image id or SHA-512 prefix.", valueName: "id"), completion: ShellCompletion.imageIDs)
        var id: String

        @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Output file, folder (ending in /) or - for stdout.", valueName: "path"), completion: .file())
        var output: String?

        func run() throws {
            let writesToStdout = output == nil || output == "-" || OutputFile.isStandardOutput(output!)
            if writesToStdout, Console.stdoutIsTerminal {
                throw ImgrepoError.invalidArgument(value: "stdout", reason: "refusing to write binary image data to a terminal; use -o FILE or redirect")
            }
            let repository = try global.resolve().open()
            let record = try repository.resolve(id)
            if writesToStdout {
                Console.flush()
                try repository.copyOriginal(of: record, to: 1, outputName: "stdout")
                return
            }
            let target = try destination(for: record)
            try OutputFile.write(to: target) { fd in
                try repository.copyOriginal(of: record, to: fd, outputName: target)
            }
        }

        /// `-o DIR/` and `-o EXISTING_DIR` mean the original name inside that folder.
        private func destination(for record: ImageRecord) throws -> String {
            guard let output else { return "-" }
            let isFolder = output.hasSuffix("/") || POSIX.isDirectory(output)
            guard isFolder else { return output }
            let name = record.originalName
            let safe = name.isEmpty || name == "." || name == ".." || name.contains("/") ? "\(record.id).\(record.format.rawValue)" : name
            return (output.hasSuffix("/") ? output : output + "/") + safe
        }
    }
}
