import ArgumentParser
import ImgrepoCore
import ImgrepoOutput
#if canImport(Glibc)
import Glibc
#endif

extension Imgrepo {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check the repository: every image has its bytes, every blob its hash, nothing left over.",
            discussion: """
            Like 'git fsck': checks that every catalogue row has its blob and that every blob \
            still hashes to its name (--quick compares sizes only; --sample re-hashes a random \
            share), that nothing under objects/ lacks a row, that tmp/ holds no leftovers, and \
            that the catalogue passes its own integrity check. It keeps going after a problem \
            and prints each problem once: kind (missing_blob, corrupt_blob, size_mismatch, \
            orphan_blob, stale_temp, database), subject (SHA-512, path or 'catalogue'), detail, \
            repaired. A summary goes to stderr; progress too, on a terminal.

            --repair removes orphan blobs and stale temp files under the exclusive repository \
            lock, after checking again under it, and never a blob a row refers to. Rows whose \
            blob is missing or corrupt are only reported, unless --drop-missing is given too: \
            then the row is deleted (and a corrupt blob with it). Nothing that depends on the \
            catalogue is repaired while it fails its integrity check.

            Examples:
              imgrepo verify
              imgrepo verify --quick --format ndjson
              imgrepo verify --sample 5% && echo sound
              imgrepo verify --repair

            \(ExitStatus.helpTable([.success, .problemsFound, .usage, .unavailable, .badConfiguration, .internalError]))
            """
        ).subcommandOfImgrepo

        @OptionGroup var global: GlobalOptions
        @OptionGroup(title: "Output") var output: OutputFlags

        @Flag(help: "Compare each blob's size with the catalogue instead of re-hashing it.")
        var quick = false

        @Option(help: ArgumentHelp("Re-hash only this share of the blobs, chosen at random (e.g. 10%).", valueName: "percent"))
        var sample: String?

        @Flag(help: "Remove orphan blobs and stale temp files.")
        var repair = false

        @Flag(help: "With --repair, also delete rows whose blob is missing or corrupt.")
        var dropMissing = false

        /// The options the flags describe; usage errors name the flag and the value.
        func options() throws -> VerifyOptions {
            if dropMissing, !repair {
                throw ImgrepoError.invalidArgument(value: "--drop-missing", reason: "only works with --repair")
            }
            var percent: Double?
            if let sample {
                if quick { throw ImgrepoError.invalidArgument(value: "--quick --sample", reason: "contradict each other") }
                let number = sample.hasSuffix("%") ? String(sample.dropLast()) : sample
                guard let value = Double(number), value.isFinite, value >= 0, value <= 100 else {
                    throw ImgrepoError.invalidArgument(value: "--sample \(sample)", reason: "expected a percentage from 0% to 100%")
                }
                percent = value
            }
            return VerifyOptions(quick: quick, samplePercent: percent, repair: repair, dropMissing: dropMissing)
        }

        func run() throws {
            let options = try options()
            if output.fields != nil {
                throw ImgrepoError.invalidArgument(value: "--fields", reason: "verify has fixed columns: kind, subject, detail, repaired")
            }
            let writer = RecordWriter(format: try output.resolvedFormat(default: .table), columns: [
                OutputColumn(key: "kind", style: .label), OutputColumn(key: "subject"),
                OutputColumn(key: "detail"), OutputColumn(key: "repaired", style: .label),
            ], options: try output.options(), sink: Console.write)
            let repository = try global.resolve().open()
            let meter = ProgressLine(forced: nil)
            Console.progress = meter
            defer { Console.progress = nil }
            let summary = repository.verify(options, progress: { done, total in
                meter?.draw("verifying \(done)/\(total)", force: done == total)
            }) { finding in
                writer.write([("kind", .string(finding.kind.rawValue)), ("subject", .string(finding.subject)),
                              ("detail", .string(finding.detail)), ("repaired", .bool(finding.repaired))])
            }
            meter?.clear()
            writer.finish()
            Console.error(Self.describe(summary))
            if !summary.isClean { Console.flush(); throw ExitCode(ExitStatus.problemsFound.rawValue) }
        }

        /// The stderr summary: `verified 12 images (12 re-hashed, 4.2 MB), 12 files in objects/, 3 in thumbnails/, 0 in tmp/: no problems`.
        static func describe(_ s: VerifySummary) -> String {
            let images = "\(s.images) image\(s.images == 1 ? "" : "s")"
            let hashed = "\(s.blobsHashed) re-hashed, \(humanSize(s.bytesHashed))"
            let files = "\(s.objectFiles) file\(s.objectFiles == 1 ? "" : "s") in objects/, \(s.thumbnailFiles) in thumbnails/, \(s.temporaryFiles) in tmp/"
            let outcome: String
            switch (s.problems, s.repaired) {
            case (0, _): outcome = "no problems"
            case (let p, 0): outcome = "\(p) problem\(p == 1 ? "" : "s")"
            case (let p, let r): outcome = "\(p) problem\(p == 1 ? "" : "s"), \(r) repaired"
            }
            return "verified \(images) (\(hashed)), \(files): \(outcome)"
        }
    }
}
