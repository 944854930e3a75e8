import ArgumentParser
import ImgrepoCore
import ImgrepoOutput
import ImgrepoSQLite
#if canImport(Glibc)
import Glibc
#endif

extension Imgrepo {
    struct Upload: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "upload",
            abstract: "Store image files and folders, and catalogue them.",
            discussion: """
            Each file is read once as a stream: hashed (SHA-512), recognised by its leading bytes \
            (JPEG, PNG, GIF, WebP, TIFF, BMP, HEIF/HEIC, AVIF), measured from its headers, its \
            EXIF read, then stored under objects/ and catalogued in one transaction. A file whose \
            bytes are already stored is a duplicate: its name is recorded as another name of the \
            existing image, and that is a success. '-' reads one image from standard input; \
            any other input must be a regular file (a FIFO or device is refused, exit 66).

            Folders are walked in name order (--max-depth limits how deep); hidden files, \
            symbolic links (unless --follow-symlinks) and non-images found in a folder are \
            skipped with a reason, and skips are successes unless --strict. A non-image named \
            on the command line is a failure. --from-file reads paths one per line ('-' for \
            standard input), or NUL-separated with -0: find DIR -print0 | imgrepo upload -0 --from-file -

            A rerun over files already imported costs a stat per file: a per-machine cache \
            ($XDG_CACHE_HOME/imgrepo) remembers each file's SHA-512 by device, inode, size, \
            mtime and path; a file that changed in any of these is hashed again, and --rehash \
            hashes everything.

            --fingerprints computes pixel and perceptual hashes on the same worker threads (for \
            'similar' and 'duplicates'), and gives an image whose bytes were already catalogued \
            the hashes it lacks; --dedup pixels records a file whose decoded pixels are \
            already catalogued under other bytes (EXIF edited or stripped) as another name of \
            that image, 'same-pixels ID NAME', and does not store it.

            Prints one line per file on stdout: 'stored ID NAME', 'duplicate ID NAME', \
            'skipped PATH: REASON' or 'failed PATH: REASON'. With --json (or --format ndjson), \
            one JSON object per file and per line, as each file is done (docs/json.md). A \
            summary (counts, bytes, time, rate) goes to stderr, or with --summary-json as a \
            final JSON object on stdout. --dry-run says what would happen ('store', 'duplicate', \
            'skip', 'fail') and writes nothing. The repository is created when it does not exist.

            SIGINT or SIGTERM stops the batch after the files in hand (at most one window of 64 \
            files, read in parallel and catalogued in one transaction); what was done stays \
            committed, the summary is printed, and the exit status is 130. A second signal ends \
            the process at once, leaving at most a temp file in tmp/.

            Examples:
              imgrepo upload IMG_0001.JPG IMG_0002.JPG
              imgrepo upload --dry-run ~/Pictures
              find /mnt/card -iname '*.jpg' -print0 | imgrepo upload -0 --from-file -
              cat scan.png | imgrepo upload - --name scan.png
              imgrepo upload --json ~/inbox | jq -c 'select(.status == "failed")'
              # crontab: every night at 02:30; cron mails stderr, which holds only failures
              30 2 * * *  imgrepo upload --quiet --owner camera /srv/camera-inbox

            \(ExitStatus.helpTable([.success, .partialFailure, .usage, .badInput, .missingInput, .unavailable, .ioError, .notWritable, .badConfiguration, .interrupted]))
            When every file fails, the exit status is the first failure's; when only some do, 3. \
            Skips and duplicates are successes.
            """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("Image files and folders to store; '-' for standard input.", valueName: "path"), completion: ShellCompletion.imageFiles)
        var paths: [String] = []

        @Option(help: ArgumentHelp("Read paths from this file, one per line ('-' for standard input).", valueName: "file"), completion: .file())
        var fromFile: String?

        @Flag(name: .customShort("0"), help: "With --from-file: paths are separated by NUL bytes (find -print0).")
        var nulSeparated = false

        @Option(help: ArgumentHelp("Owner recorded for the images (default: IMGREPO_OWNER, config 'owner', login name).", valueName: "name"))
        var owner: String?

        @Option(help: ArgumentHelp("Name recorded instead of the file's own (one file only; for '-' the default is 'stdin').", valueName: "name"))
        var name: String?

        @Option(help: ArgumentHelp("Walk folders at most this deep (1: only their direct entries).", valueName: "n"))
        var maxDepth: Int?

        @Flag(help: "Follow symbolic links found in folders (loops are detected).")
        var followSymlinks = false

        @Flag(help: "Take hidden files and folders (names starting with '.').")
        var hidden = false

        @Option(help: ArgumentHelp("Only files found in folders that match this glob (repeatable).", valueName: "glob"))
        var include: [String] = []

        @Option(help: ArgumentHelp("Leave out files and folders matching this glob (repeatable).", valueName: "glob"))
        var exclude: [String] = []

        @Flag(help: "Treat every skip as a failure.")
        var strict = false

        @Flag(help: "Hash every file, ignoring the cache of files already imported from this machine.")
        var rehash = false

        @Flag(help: "Say what would happen to each file, and write nothing.")
        var dryRun = false

        @Flag(help: "Store files whose structure is damaged (e.g. a truncated JPEG) instead of refusing them.")
        var allowDamaged = false

        @Option(help: ArgumentHelp("Make and cache thumbnails at import time: longest sides, comma-separated (e.g. 256,1024), as JPEG.", valueName: "sizes"))
        var thumbnails: String?

        @Option(help: ArgumentHelp("Fingerprints to compute at import: pixel, perceptual (comma-separated), all, or none (default; 'imgrepo index' adds them later).", valueName: "kinds"))
        var fingerprints: String?

        @Option(help: ArgumentHelp("bytes (default): a file is a duplicate when its bytes are stored; pixels: also when its decoded pixels are (implies the pixel hash).", valueName: "mode"))
        var dedup: String?

        @Flag(inversion: .prefixedNo, help: "Show a progress line on stderr (default: only when stderr is a terminal).")
        var progress: Bool?

        @Flag(name: .shortAndLong, help: "Print only failures and errors: no per-file lines for the rest, no summary, no progress.")
        var quiet = false

        @Flag(help: "Print the summary as a final JSON object on stdout instead of text on stderr.")
        var summaryJson = false

        @OptionGroup(title: "Output") var output: OutputFlags

        func validate() throws {
            if paths.isEmpty && fromFile == nil {
                throw ValidationError("give image files or folders, or --from-file")
            }
            if name != nil, paths.count + (fromFile == nil ? 0 : 2) > 1 {
                throw ValidationError("--name applies to a single file")
            }
            if paths.filter({ $0 == "-" }).count + (fromFile == "-" ? 1 : 0) > 1 {
                throw ValidationError("standard input can be read once: '-' and --from-file - exclude each other")
            }
            if nulSeparated, fromFile == nil { throw ValidationError("-0 applies to --from-file") }
            if let maxDepth, maxDepth < 1 { throw ValidationError("--max-depth must be 1 or more") }
            if owner?.isEmpty == true { throw ValidationError("--owner: an empty name; leave the option out for the default owner") }
            if let name, name.isEmpty || name.contains("/") {
                throw ValidationError("--name must be a file name without '/'")
            }
        }

        /// `--thumbnails 256,1024` as JPEG specs at the default quality.
        func thumbnailSpecs() throws -> [ThumbnailSpec] {
            guard let thumbnails else { return [] }
            var specs: [ThumbnailSpec] = []
            for part in thumbnails.split(separator: ",", omittingEmptySubsequences: false) {
                guard let size = Int(part.trimmed) else {
                    throw ImgrepoError.invalidArgument(value: "--thumbnails \(thumbnails)", reason: "expected sizes in pixels, e.g. 256,1024")
                }
                let spec = try ThumbnailSpec(size: size)
                if !specs.contains(spec) { specs.append(spec) }
            }
            return specs
        }

        /// The fields of one upload event, in every machine format.
        static let eventColumns: [OutputColumn] = [
            OutputColumn(key: "path"), OutputColumn(key: "status", style: .label), OutputColumn(key: "id", style: .number),
            OutputColumn(key: "sha512"), OutputColumn(key: "name"), OutputColumn(key: "bytes", style: .bytes),
            OutputColumn(key: "format", style: .label), OutputColumn(key: "width", style: .number),
            OutputColumn(key: "height", style: .number), OutputColumn(key: "exif_status", style: .label),
            OutputColumn(key: "reason"), OutputColumn(key: "warnings"),
        ]

        func run() throws {
            // A batch is a stream of events: --json means one object per line here.
            let format = try output.resolvedFormat(default: .table, jsonMeans: .ndjson)
            if output.fields != nil {
                throw ImgrepoError.invalidArgument(value: "--fields", reason: "upload prints fixed fields: \(Self.eventColumns.map(\.key).joined(separator: ", "))")
            }
            if paths.contains("-") || fromFile == "-", Console.stdinIsTerminal {
                throw ImgrepoError.invalidArgument(value: "-", reason: "standard input is a terminal; pipe into it")
            }
            var inputs = paths
            if let fromFile {
                let fd = fromFile == "-" ? 0 : open(POSIX.cPath(fromFile), O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { throw ImgrepoError.fileNotFound(path: fromFile) }
                defer { if fd != 0 { close(fd) } }
                inputs += try readPathList(descriptor: fd, nulSeparated: nulSeparated, name: fromFile)
            }
            let writer = format == .table ? nil
                : RecordWriter(format: format, columns: Self.eventColumns, options: try output.options(), sink: Console.write)
            let invocation = try global.resolve()
            let options = UploadOptions(owner: Locator.owner(flag: owner, environment: invocation.environment,
                                                             configuration: invocation.configuration),
                                        allowDamaged: allowDamaged, thumbnails: try thumbnailSpecs(),
                                        fingerprints: try fingerprintKinds(), deduplicatePixels: try deduplicatesPixels())
            let walker = InputWalker(options: WalkOptions(maxDepth: maxDepth, followSymlinks: followSymlinks, includeHidden: hidden,
                                                          include: include, exclude: exclude,
                                                          excludedFolders: [invocation.repositoryPath]))
            var batch = Batch(start: Timestamp.now())
            // The total is known up front only for explicit files; a folder is counted as it is
            // walked, so that a huge tree does not delay the start.
            let knownTotal = inputs.allSatisfy { $0 == "-" || !isFolder($0) } ? inputs.count : nil
            let progressLine = quiet ? nil : ProgressLine(forced: progress)
            Console.progress = progressLine
            defer { progressLine?.clear(); Console.progress = nil }
            var repository: Repository?
            var cache: (any IngestCache)?
            defer { cache?.flush() }
            Interrupts.install()
            // Files are taken in windows: read and hashed on every core, then catalogued in one
            // transaction per window. Events still come out in the order the walk found them.
            let workers = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
            var window: [WalkItem] = []
            // Once the repository is open, an error that concerns it (the catalogue's server went
            // away, the disk filled, objects/ turned read-only) does not end the run at once, in
            // the first window as in any later one: it is said once, every file not stored is
            // reported failed with it (per-file lines, --json events, the summary), and the exit
            // status is its own. What was reported stored before it is committed. A repository
            // that cannot even be opened is one error line: nothing was tried.
            var fatal: ImgrepoError?
            func openRepository() throws {
                guard repository == nil else { return }
                repository = dryRun && !Repository.exists(at: invocation.repositoryPath) ? nil : try invocation.open(create: !dryRun)
                if let repository, !dryRun {
                    cache = SQLiteIngestCache.open(repositoryID: repository.configuration.id, environment: invocation.environment)
                }
            }
            /// A file's result, or the error that concerns it alone, as an event.
            func recordFile(_ path: String, explicit: Bool, _ result: Result<UploadResult, ImgrepoError>) {
                switch result {
                case .success(let upload):
                    record(path: path, outcome: .done(upload), in: &batch, writer: writer)
                case .failure(let error):
                    // A non-image met inside a folder is a skip; named by the user, a failure.
                    if !explicit, case .notAnImage(_, let reason) = error {
                        record(path: path, outcome: .skipped("not an image (\(reason))"), in: &batch, writer: writer)
                    } else {
                        record(path: path, outcome: .failed(error), in: &batch, writer: writer)
                    }
                }
            }
            /// A dry run, one file at a time: what an upload would do, writing nothing.
            func dryRunOf(_ path: String) throws -> Result<UploadResult, ImgrepoError> {
                do {
                    try openRepository()
                    return .success(try repository?.dryRun(path: path, name: name, options: options)
                        ?? Repository.dryRun(path: path, name: name, options: options, store: nil, services: .standard))
                } catch let error as ImgrepoError where error.concerns(input: path) {
                    return .failure(error)
                }
            }
            func flush() throws {
                defer { window.removeAll() }
                // Standard input is a file of the batch like any other (thumbnails, fingerprints,
                // the same checks), read from the descriptor rather than opened.
                let files = window.compactMap { item -> BatchFile? in
                    guard case .file(let path, _) = item, !dryRun else { return nil }
                    return path == "-" ? BatchFile(stream: 0, displayName: "-", name: name ?? "stdin") : BatchFile(path: path, name: name)
                }
                var results: [Result<UploadResult, ImgrepoError>?] = []
                if !files.isEmpty, fatal == nil {
                    try openRepository()
                    do {
                        results = try repository!.upload(batch: files, options: options, cache: cache, consultCache: !rehash,
                                                         workers: workers, shouldStop: { Interrupts.requested })
                    } catch let error as ImgrepoError {
                        fatal = error
                        Console.error(error.description)
                    }
                }
                var next = 0
                for item in window {
                    switch item {
                    case .skipped(let path, let reason):
                        record(path: path, outcome: .skipped(reason), in: &batch, writer: writer)
                    case .failed(let path, let error):
                        record(path: path, outcome: .failed(error), in: &batch, writer: writer)
                    case .file(let path, _) where fatal != nil:
                        record(path: path, outcome: .failed(fatal!), in: &batch, writer: writer, alreadySaid: true)
                    case .file(let path, let explicit) where dryRun:
                        recordFile(path, explicit: explicit, try dryRunOf(path))
                    case .file(let path, let explicit):
                        defer { next += 1 }
                        // nil: not started because a stop was asked for.
                        guard let result = results[next] else { batch.interrupted = true; batch.notReached += 1; continue }
                        recordFile(path, explicit: explicit, result)
                    }
                }
                if batch.interrupted { throw StopBatch() }
            }
            do {
                try walker.walk(inputs) { item in
                    if Interrupts.requested { throw StopBatch() }
                    // The files before '-' are committed before standard input is read (it may be
                    // a pipe that waits); then '-' is a window of its own.
                    if case .file("-", _) = item { try flush() }
                    window.append(item)
                    if case .file(let path, _) = item {
                        progressLine?.update(done: batch.files, total: knownTotal, bytes: batch.bytes, current: path)
                        if path == "-" || dryRun || window.count >= 64 { try flush() }
                    }
                }
                try flush()
            } catch is StopBatch {
                batch.interrupted = true
                // Files walked into the window but never started are not reached either.
                batch.notReached += window.filter { if case .file = $0 { true } else { false } }.count
                // Explicit files: every one not counted was not reached, whether it was walked yet or not.
                if let knownTotal {
                    batch.notReached = max(batch.notReached, knownTotal - batch.files)
                    batch.knownTotal = true
                }
            }
            progressLine?.clear()
            writer?.finish()
            report(batch)
            Console.flush()
            if batch.interrupted {
                // Files of a folder not walked yet cannot be counted without walking it, which
                // a stop request must not wait for.
                let rest = knownTotal == nil ? "\(batch.notReached) files and the rest of the folders" : "\(batch.notReached) files"
                Console.error("interrupted after \(batch.files) files; \(rest) not reached (run the same command again to finish); "
                              + "what was done is committed")
                throw ExitCode(ExitStatus.interrupted.rawValue)
            }
            if let fatal { throw fatal.silenced }
            if let first = batch.firstFailure {
                // Each failure has been reported already; only the exit status is left to say.
                throw (batch.failed < batch.files ? ImgrepoError.partialFailure(failed: batch.failed, total: batch.files) : first).silenced
            }
        }

        enum Outcome {
            case done(UploadResult)
            case skipped(String)
            case failed(ImgrepoError)
        }

        /// `--fingerprints` read: a comma-separated list of pixel, perceptual, all, none.
        func fingerprintKinds() throws -> FingerprintKinds {
            guard let fingerprints else { return [] }
            var kinds: FingerprintKinds = []
            for item in fingerprints.split(separator: ",", omittingEmptySubsequences: false) {
                switch item.split(separator: " ").joined().lowercased() {
                case "pixel", "pixels", "pixel-hash": kinds.insert(.pixelHash)
                case "perceptual", "phash", "perceptual-hash": kinds.insert(.perceptualHash)
                case "all": kinds = .all
                case "none": break
                default:
                    throw ImgrepoError.invalidArgument(value: "--fingerprints \(fingerprints)",
                                                       reason: "'\(item)' is not one of pixel, perceptual, all, none")
                }
            }
            return kinds
        }

        /// `--dedup` read: whether pixels count.
        func deduplicatesPixels() throws -> Bool {
            switch dedup?.lowercased() {
            case nil, "bytes": return false
            case "pixels": return true
            default: throw ImgrepoError.invalidArgument(value: "--dedup \(dedup!)", reason: "must be bytes or pixels")
            }
        }

        /// Thrown out of the walk when SIGINT or SIGTERM asked the batch to stop.
        struct StopBatch: Error {}

        /// Counts and totals of a batch, for the summary and the exit status.
        struct Batch {
            var interrupted = false
            var start: Timestamp
            var files = 0, stored = 0, duplicates = 0, skipped = 0, failed = 0
            /// Files never started because a stop was asked for; complete only when the inputs
            /// were all files (`knownTotal`), since folders are not walked after the stop.
            var notReached = 0
            var knownTotal = false
            var bytes: Int64 = 0
            var firstFailure: ImgrepoError?
        }

        private func isFolder(_ path: String) -> Bool {
            POSIX.isDirectory(path)
        }

        /// - Parameter alreadySaid: the failure's message was printed once for the whole batch.
        private func record(path: String, outcome: Outcome, in batch: inout Batch, writer: RecordWriter?, alreadySaid: Bool = false) {
            batch.files += 1
            var outcome = outcome
            if strict, case .skipped(let reason) = outcome {
                outcome = .failed(.notAnImage(path: path, reason: "skipped under --strict: \(reason)"))
            }
            switch outcome {
            case .done(let result):
                batch.bytes += result.byteSize
                let isNew = result.outcome.isStored
                if isNew { batch.stored += 1 } else { batch.duplicates += 1 }
                let status: String = switch result.outcome {
                case .stored: dryRun ? "store" : "stored"
                case .duplicate: "duplicate"
                case .samePixels: "same-pixels"
                }
                let id: Int64? = dryRun && isNew ? nil : result.outcome.id
                if let writer {
                    writer.write([
                        ("path", .string(path)), ("status", .string(status)), ("id", .int(id)),
                        ("sha512", .string(result.sha512)), ("name", .string(result.name)), ("bytes", .int(result.byteSize)),
                        ("format", .string(result.format.rawValue)), ("width", .int(result.width)), ("height", .int(result.height)),
                        ("exif_status", .string(result.exifStatus.rawValue)), ("reason", .null),
                        ("warnings", .array(result.warnings.map { .string($0) })),
                    ])
                } else if !quiet {
                    Console.textLine(id.map { "\(status) \($0) \(result.name)" } ?? "\(status) \(result.name)")
                }
                for warning in result.warnings { Console.error("\(path): warning: \(warning)") }
            case .skipped(let reason):
                batch.skipped += 1
                event(path: path, status: dryRun ? "skip" : "skipped", reason: reason, writer: writer, show: !quiet)
            case .failed(let error):
                batch.failed += 1
                if batch.firstFailure == nil { batch.firstFailure = error }
                let reason = error.description.hasPrefix(path + ": ") ? String(error.description.dropFirst(path.count + 2)) : error.description
                event(path: path, status: dryRun ? "fail" : "failed", reason: reason, writer: writer, show: true)
                if !alreadySaid { Console.error(error.description) }
            }
        }

        private func event(path: String, status: String, reason: String, writer: RecordWriter?, show: Bool) {
            if let writer {
                writer.write([("path", .string(path)), ("status", .string(status)), ("reason", .string(reason)), ("warnings", .array([]))])
            } else if show {
                Console.textLine("\(status) \(path): \(reason)")
            }
        }

        private func report(_ batch: Batch) {
            let seconds = Double(Timestamp.now().microseconds - batch.start.microseconds) / 1e6
            let rate = seconds > 0 ? Double(batch.bytes) / seconds : 0
            if summaryJson {
                Console.line(JSONValue.object([
                    ("type", .string("summary")), ("dry_run", .bool(dryRun)), ("files", .int(batch.files)),
                    ("stored", .int(batch.stored)), ("duplicates", .int(batch.duplicates)), ("skipped", .int(batch.skipped)),
                    ("failed", .int(batch.failed)), ("interrupted", .bool(batch.interrupted)),
                    ("not_reached", .int(batch.notReached)), ("not_reached_complete", .bool(!batch.interrupted || batch.knownTotal)),
                    ("bytes", .int(batch.bytes)), ("seconds", .double(seconds)),
                    ("bytes_per_second", .double(rate.rounded())),
                ]).text)
            } else if !quiet, batch.files > 1 {
                let verb = dryRun ? "would store" : "stored"
                Console.error("\(batch.files) files: \(batch.stored) \(verb), \(batch.duplicates) duplicates, \(batch.skipped) skipped, "
                              + "\(batch.failed) failed; \(humanSize(batch.bytes)) in \(decimalText(seconds, maxFractionDigits: 1)) s"
                              + " (\(humanSize(Int64(rate)))/s)")
            }
        }
    }
}
