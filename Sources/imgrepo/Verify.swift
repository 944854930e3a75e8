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

            --repair removes stale temp files and moves orphan blobs to quarantine/TIME-PID/ \
            (the layout of objects/; delete that folder once you are sure), under the exclusive \
            repository lock, after checking again under it, and never a blob a row refers to. \
            Rows whose blob is missing or corrupt are only reported, unless --drop-missing is \
            given too: then the row is deleted (and a corrupt blob with it). Nothing that \
            depends on the catalogue is repaired while it fails its integrity check.

            When more than 10% of the blobs have no row, the catalogue is taken to be lost or \
            the wrong one and no orphan is moved; when more than 10% of the rows lack their \
            blob, --drop-missing deletes none. --force acts anyway. A lost catalogue is \
            rebuilt from the blobs with 'imgrepo rebuild-catalog'.

            Examples:
              imgrepo verify
              imgrepo verify --quick --format ndjson
              imgrepo verify --sample 5% && echo sound
              imgrepo verify --repair

            \(ExitStatus.helpTable([.success, .problemsFound, .usage, .unavailable, .badConfiguration, .internalError]))
            """
        )

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

        @Flag(help: "With --repair, act even when more than 10% of the blobs are orphans (or of the rows lack their blob).")
        var force = false

        /// The options the flags describe; usage errors name the flag and the value.
        func options() throws -> VerifyOptions {
            if dropMissing, !repair {
                throw ImgrepoError.invalidArgument(value: "--drop-missing", reason: "only works with --repair")
            }
            if force, !repair {
                throw ImgrepoError.invalidArgument(value: "--force", reason: "only works with --repair")
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
            return VerifyOptions(quick: quick, samplePercent: percent, repair: repair, dropMissing: dropMissing, force: force)
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
            for line in Self.notes(summary) { Console.error(line) }
            if !summary.isClean { Console.flush(); throw ExitCode(ExitStatus.problemsFound.rawValue) }
        }

        /// What the summary line leaves out: repairs held back, and where orphans went.
        static func notes(_ s: VerifySummary) -> [String] {
            var lines: [String] = []
            if s.withheldOrphans {
                lines.append("\(s.orphanBlobs) of \(s.blobFiles) blobs have no catalogue row: more than \(VerifyOptions.suspiciousPercent)%, "
                    + "so none was moved. If the catalogue was lost, run 'imgrepo rebuild-catalog'; if it is right, rerun with --force")
            }
            if s.withheldRows {
                lines.append("\(s.rowsWithoutBlob) rows lack their blob: more than \(VerifyOptions.suspiciousPercent)%, so none was "
                    + "deleted. Check that objects/ is this repository's; if it is, rerun with --force")
            }
            if let folder = s.quarantine {
                lines.append("orphan blobs were moved to \(folder)/; delete it once you are sure they are not needed")
            }
            return lines
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
