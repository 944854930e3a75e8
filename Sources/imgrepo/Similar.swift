import ArgumentParser
import ImgrepoCore
import ImgrepoOutput

extension Imgrepo {
    struct Similar: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "similar",
            abstract: "The images that look most like an image (perceptual hash).",
            discussion: """
            Compares the image's 64-bit perceptual hash with every other image's and prints those \
            at most --max-distance bits away (Hamming distance), nearest first, ties by id; the \
            image itself is left out. Re-encoded, resized, slightly cropped or brightened copies \
            and copies rotated by their EXIF orientation come out close (docs/duplicates.md). \
            Images get their hash at upload (--fingerprints) or from 'imgrepo index'; those \
            still without one get it first, here (stored, with progress on a terminal). In a \
            repository you cannot write, they are counted and left out, and the image itself \
            gets its hash in memory.

            Every filter of 'list' applies to the candidates (for example --taken 2024 --type \
            jpeg). Output: the fields of 'list' with 'distance' first (table default: distance, \
            id, name, format, size, dimensions, taken_at); --fields chooses them.

            Examples:
              imgrepo similar 42
              imgrepo similar 42 --max-distance 4 --json | jq -r '.[].id'

            \(ExitStatus.helpTable([.success, .imageNotFound, .integrityFailure, .usage, .badInput, .unavailable, .badConfiguration, .interrupted]))
            """
        )

        @OptionGroup var global: GlobalOptions
        @OptionGroup(title: "Filters") var filters: FilterOptions
        @OptionGroup(title: "Output") var output: OutputFlags

        @Argument(help: ArgumentHelp("Image id or SHA-512 prefix.", valueName: "id"), completion: ShellCompletion.imageIDs)
        var id: String

        @Option(help: ArgumentHelp("Largest Hamming distance shown, 0–64 (default \(defaultSimilarityDistance)).", valueName: "bits"))
        var maxDistance: Int?

        @Option(help: ArgumentHelp("At most this many images (default 10).", valueName: "n"))
        var limit: Int = 10

        func run() throws {
            let distance = try checkedMaxDistance(maxDistance)
            if limit < 0 { throw ImgrepoError.invalidArgument(value: "--limit \(limit)", reason: "must be 0 or more") }
            let predicate = try filters.predicate()
            let format = try output.resolvedFormat(default: .table)
            let fields = output.fields == nil && format == .table
                ? ["id", "name", "format", "size", "dimensions", "taken_at"].map { RecordField.named($0)! }
                : try output.resolvedFields(for: format)
            let distanceColumn = OutputColumn(key: "distance", style: .number)
            let writer = RecordWriter(format: format, columns: [distanceColumn] + fields.map(\.column),
                                      options: try output.options(), sink: Console.write)
            let repository = try global.resolve().open()
            let reference = try repository.resolve(id)
            try fillMissingFingerprints(of: repository, kinds: .perceptualHash)
            for match in try repository.similarImages(to: reference, maxDistance: distance, limit: limit, matching: predicate) {
                writer.write(values: [.int(match.distance)] + fields.map { $0.value(match.record) })
            }
            writer.finish()
        }
    }
}

/// `--max-distance` checked: 0–64, the default when absent.
func checkedMaxDistance(_ value: Int?) throws -> Int {
    guard let value else { return defaultSimilarityDistance }
    guard (0...64).contains(value) else {
        throw ImgrepoError.invalidArgument(value: "--max-distance \(value)", reason: "must be from 0 to 64 (bits of the perceptual hash)")
    }
    return value
}
