import ArgumentParser
import ImgrepoCore
import ImgrepoOutput
#if canImport(Glibc)
import Glibc
#endif

extension Imgrepo {
    struct Index: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "index",
            abstract: "Compute the pixel and perceptual hashes that images lack.",
            discussion: """
            Decodes every catalogued image that lacks the asked-for fingerprints (or whose were \
            made by an older algorithm), on one thread per core, and stores them a page of 256 \
            images at a time: an interrupted run keeps what it did, and the next run carries on \
            where it stopped. Without --pixel-hash or --perceptual-hash, both are computed. \
            --all recomputes every image.

            The pixel hash is the SHA-512 of the decoded pixels (docs/repository-format.md), \
            which 'duplicates --by pixels' and 'upload --dedup pixels' use; the perceptual hash \
            is what 'similar', 'list --similar-to' and 'duplicates --by similar' compare \
            (docs/duplicates.md). An image that cannot be decoded, or whose blob no longer \
            matches its SHA-512 (checked as it is read), is reported on stderr and left \
            without them; the others are indexed.

            Prints a summary on stderr ('indexed N images, M failed'); with --json, one object \
            {indexed, failed, interrupted} on stdout.

            Examples:
              imgrepo index
              imgrepo index --perceptual-hash --json | jq .indexed

            \(ExitStatus.helpTable([.success, .partialFailure, .integrityFailure, .usage, .badInput, .unavailable, .notWritable, .badConfiguration, .interrupted]))
            """
        )

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Compute the pixel hash (a full decode of each image).")
        var pixelHash = false

        @Flag(help: "Compute the perceptual hash (a small decode of each image).")
        var perceptualHash = false

        @Flag(help: "Recompute every image's, not only the missing ones.")
        var all = false

        @Flag(help: "Print the summary as a JSON object on stdout.")
        var json = false

        func run() throws {
            var kinds: FingerprintKinds = []
            if pixelHash { kinds.insert(.pixelHash) }
            if perceptualHash { kinds.insert(.perceptualHash) }
            if kinds.isEmpty { kinds = .all }
            let repository = try global.resolve().open()
            Interrupts.install()
            let workers = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
            let summary = try repository.indexFingerprints(kinds: kinds, recompute: all, workers: workers,
                                                           shouldStop: { Interrupts.requested })
            for failure in summary.failures { Console.error(failure.error.description) }
            if json {
                Console.line(JSONValue.object([
                    ("indexed", .int(summary.indexed)), ("failed", .int(summary.failures.count)),
                    ("interrupted", .bool(summary.interrupted)),
                ]).text)
            } else {
                Console.error("indexed \(summary.indexed) images, \(summary.failures.count) failed")
            }
            Console.flush()
            if summary.interrupted {
                Console.error("interrupted; what was done is committed")
                throw ExitCode(ExitStatus.interrupted.rawValue)
            }
            if let first = summary.failures.first {
                throw (summary.indexed > 0
                       ? ImgrepoError.partialFailure(failed: summary.failures.count, total: summary.indexed + summary.failures.count)
                       : first.error).silenced
            }
        }
    }
}
