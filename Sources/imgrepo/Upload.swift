import ArgumentParser
import ImgrepoCore
import ImgrepoOutput
#if canImport(Glibc)
import Glibc
#endif

extension Imgrepo {
    struct Upload: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "upload",
            abstract: "Store image files and catalogue them.",
            discussion: """
            Each file is read once as a stream: hashed (SHA-512), recognised by its leading bytes \
            (JPEG, PNG, GIF, WebP, TIFF, BMP, HEIF/HEIC, AVIF), measured from its headers, its \
            EXIF read, then stored under objects/ and catalogued in one transaction. A file whose \
            bytes are already stored is a duplicate: its name is recorded as another name of the \
            existing image, and that is a success. '-' reads one image from standard input.

            Prints one line per file on stdout: 'stored ID NAME', 'duplicate ID NAME' or \
            'failed FILE: REASON'. With --json (or --format ndjson), one JSON object per file \
            and per line, written as each file is done; --format csv, tsv and json print the \
            same fields (docs/json.md). Each failure is also reported on stderr. The repository \
            is created when it does not exist.

            \(ExitStatus.helpTable([.success, .partialFailure, .usage, .badInput, .missingInput, .unavailable, .ioError, .notWritable, .badConfiguration]))
            When every file fails, the exit status is the first failure's; when only some do, 3.
            """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("Image files to store; '-' for standard input.", valueName: "file"))
        var files: [String]

        @Option(help: ArgumentHelp("Owner recorded for the images (default: IMGREPO_OWNER, config 'owner', login name).", valueName: "name"))
        var owner: String?

        @Option(help: ArgumentHelp("Name recorded instead of the file's own (one file only; for '-' the default is 'stdin').", valueName: "name"))
        var name: String?

        @OptionGroup(title: "Output") var output: OutputFlags

        @Flag(help: "Store files whose structure is damaged (e.g. a truncated JPEG) instead of refusing them.")
        var allowDamaged = false

        func validate() throws {
            if name != nil, files.count > 1 {
                throw ValidationError("--name applies to a single file, but \(files.count) were given")
            }
            if files.filter({ $0 == "-" }).count > 1 {
                throw ValidationError("'-' (standard input) can be given once")
            }
            if let name, name.isEmpty || name.contains("/") {
                throw ValidationError("--name must be a file name without '/'")
            }
        }

        func run() throws {
            if files.contains("-"), Console.stdinIsTerminal {
                throw ImgrepoError.invalidArgument(value: "-", reason: "standard input is a terminal; pipe an image into it")
            }
            // A repository is created only for inputs that exist, so that a mistyped path
            // does not leave a new empty repository behind.
            let anyInput = files.contains { $0 == "-" || access($0, F_OK) == 0 }
            // A batch is a stream of events: --json means one object per line here.
            let format = try output.resolvedFormat(default: .table, jsonMeans: .ndjson)
            if output.fields != nil {
                throw ImgrepoError.invalidArgument(value: "--fields", reason: "upload prints fixed fields: \(Self.eventColumns.map(\.key).joined(separator: ", "))")
            }
            let writer = format == .table ? nil
                : RecordWriter(format: format, columns: Self.eventColumns, options: try output.options(), sink: Console.write)
            let invocation = try global.resolve()
            let options = UploadOptions(owner: Locator.owner(flag: owner, environment: invocation.environment,
                                                             configuration: invocation.configuration),
                                        allowDamaged: allowDamaged)
            var repository: Repository?
            var failures: [ImgrepoError] = []
            for file in files {
                do {
                    if repository == nil {
                        guard anyInput else { throw ImgrepoError.fileNotFound(path: file) }
                        repository = try invocation.open(create: true)
                    }
                    let result = file == "-"
                        ? try repository!.upload(descriptor: 0, displayName: "-", name: name ?? "stdin", originalPath: nil, options: options)
                        : try repository!.upload(path: file, name: name, options: options)
                    report(file: file, result: result, to: writer)
                } catch let error as ImgrepoError where error.isAboutOneInput {
                    failures.append(error)
                    reportFailure(file: file, error: error, to: writer)
                }
            }
            writer?.finish()
            Console.flush()
            if let first = failures.first {
                // Each failure has been reported already; only the summary is new.
                if failures.count < files.count {
                    let partial = ImgrepoError.partialFailure(failed: failures.count, total: files.count)
                    Console.error(partial.description)
                    throw partial.silenced
                }
                throw first.silenced
            }
        }

        /// The fields of one upload event, in every machine format.
        static let eventColumns: [OutputColumn] = [
            OutputColumn(key: "path"), OutputColumn(key: "status", style: .label), OutputColumn(key: "id", style: .number),
            OutputColumn(key: "sha512"), OutputColumn(key: "name"), OutputColumn(key: "bytes", style: .bytes),
            OutputColumn(key: "format", style: .label), OutputColumn(key: "width", style: .number),
            OutputColumn(key: "height", style: .number), OutputColumn(key: "exif_status", style: .label),
            OutputColumn(key: "reason"), OutputColumn(key: "warnings"),
        ]

        private func report(file: String, result: UploadResult, to writer: RecordWriter?) {
            let status = { if case .stored = result.outcome { "stored" } else { "duplicate" } }()
            if let writer {
                writer.write([
                    ("path", .string(file)), ("status", .string(status)), ("id", .int(result.outcome.id)),
                    ("sha512", .string(result.sha512)), ("name", .string(result.name)), ("bytes", .int(result.byteSize)),
                    ("format", .string(result.format.rawValue)), ("width", .int(result.width)), ("height", .int(result.height)),
                    ("exif_status", .string(result.exifStatus.rawValue)), ("reason", .null),
                    ("warnings", .array(result.warnings.map { .string($0) })),
                ])
            } else {
                Console.line("\(status) \(result.outcome.id) \(result.name)")
            }
            for warning in result.warnings { Console.error("\(file): warning: \(warning)") }
        }

        private func reportFailure(file: String, error: ImgrepoError, to writer: RecordWriter?) {
            if let writer {
                writer.write([("path", .string(file)), ("status", .string("failed")), ("reason", .string(error.description)),
                              ("warnings", .array([]))])
            } else {
                Console.line("failed \(error.description)")
            }
            Console.error(error.description)
        }
    }
}

extension ImgrepoError {
    /// Whether the error concerns one input file, so a batch goes on with the next; any
    /// other error (repository, catalogue, disk full) stops the batch.
    var isAboutOneInput: Bool {
        switch self {
        case .fileNotFound, .unreadableInput, .notAnImage, .damagedImage: true
        default: false
        }
    }
}
