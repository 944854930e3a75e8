import ArgumentParser
import ImgrepoCore
import ImgrepoOutput

extension Imgrepo {
    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete",
            abstract: "Delete images: their catalogue rows, then their bytes.",
            discussion: """
            Each ID is a numeric id or a unique SHA-512 prefix. Unknown or ambiguous ids are \
            reported and the others still deleted; the exit status then says so. Prints \
            'deleted ID NAME' per image (with --json, one JSON object per line).

            Examples:
              imgrepo delete 42
              imgrepo delete 3fa9b2c1 17 18
              imgrepo list --json --name 'tmp_*' | jq -r '.[].id' | xargs -r imgrepo delete

            \(ExitStatus.helpTable([.success, .imageNotFound, .usage, .unavailable, .ioError, .notWritable, .badConfiguration]))
            """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("Image ids or SHA-512 prefixes.", valueName: "id"), completion: ShellCompletion.imageIDs)
        var ids: [String]

        @Flag(help: "Print one JSON object per deleted image.")
        var json = false

        func run() throws {
            let repository = try global.resolve().open()
            var firstError: ImgrepoError?
            for reference in ids {
                do {
                    let record = try repository.resolve(reference)
                    // nil: deleted by someone else since it was resolved; the outcome is the same.
                    _ = try repository.delete(id: record.id)
                    if json {
                        Console.line(JSONValue.object([("id", .int(record.id)), ("sha512", .string(record.sha512)),
                                                  ("name", .string(record.originalName)), ("status", .string("deleted"))]).text)
                    } else {
                        Console.textLine("deleted \(record.id) \(record.originalName)")
                    }
                } catch let error as ImgrepoError {
                    switch error {
                    case .imageNotFound, .ambiguousReference, .invalidArgument:
                        Console.error(error.description)
                        if firstError == nil { firstError = error }
                    default:
                        throw error
                    }
                }
            }
            if let firstError { Console.flush(); throw firstError.silenced }
        }
    }
}

extension ImgrepoError {
    /// The same exit status, without printing the message again.
    var silenced: ExitCode { ExitCode(ExitStatus(for: self).rawValue) }
}
