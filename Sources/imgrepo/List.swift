import ArgumentParser
import ImgrepoCore
import ImgrepoOutput

extension Imgrepo {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List catalogued images: filtered, sorted, paged, in any output format.",
            discussion: """
            Filters of different kinds combine with AND; a repeated filter matches any of its \
            values (OR). Ranges are A..B (inclusive), A.., ..B or a single value; a partial date \
            means its whole period (--taken 2024 is the year 2024). --taken compares the camera's \
            own wall-clock time, whatever its time zone; --uploaded compares instants, reading a \
            date without offset in the local time zone. --where takes an expression over the \
            same fields (docs/query-language.md); values are never pasted into SQL.

            Rows stream as they are read: --format json writes '[', the rows, ']'; ndjson one \
            object per line; csv and tsv a header line unless --no-headers. Fields and formats \
            are documented in docs/json.md.

            Examples:
              imgrepo list --camera 'canon*' --taken 2023-06..2023-08 --sort -taken
              imgrepo list --json --iso 1600.. | jq -r '.[].name'
              imgrepo list --near 48.8566,2.3522,25 --format csv --fields id,name,taken_at
              imgrepo list --where 'taken >= 2023-06 and (make = "Canon" or iso > 1600)' --count
              imgrepo list --similar-to 42 --max-distance 8 --taken 2024

            \(ExitStatus.helpTable([.success, .usage, .unavailable, .badConfiguration]))
            """
        )

        @OptionGroup var global: GlobalOptions
        @OptionGroup(title: "Filters") var filters: FilterOptions
        @OptionGroup(title: "Output") var output: OutputFlags

        @Option(parsing: .unconditional, help: ArgumentHelp("Sort keys, '-' for descending: taken,-size (default id).", valueName: "keys"))
        var sort: String?

        @Flag(help: "Reverse the whole order.")
        var reverse = false

        @Option(help: ArgumentHelp("At most this many images.", valueName: "n"))
        var limit: Int?

        @Option(help: ArgumentHelp("Skip this many images first.", valueName: "n"))
        var offset: Int?

        @Option(help: ArgumentHelp("Only images after the image with this id in this order (stable paging).", valueName: "id"))
        var after: Int64?

        @Flag(help: "Print only the number of matching images.")
        var count = false

        @Option(help: ArgumentHelp("Only images that look like this one (perceptual hash, computed first for the images without one; the image itself is left out).", valueName: "id"),
                completion: ShellCompletion.imageIDs)
        var similarTo: String?

        @Option(help: ArgumentHelp("With --similar-to: largest Hamming distance, 0–64 (default \(defaultSimilarityDistance)).", valueName: "bits"))
        var maxDistance: Int?

        /// The query the options describe; usage errors name the option and the value.
        func query() throws -> ImageQuery {
            if let limit, limit < 0 { throw ImgrepoError.invalidArgument(value: "--limit \(limit)", reason: "must be 0 or more") }
            if let offset, offset < 0 { throw ImgrepoError.invalidArgument(value: "--offset \(offset)", reason: "must be 0 or more") }
            var order = try sort.map { try FilterParser.sortOrder($0, option: "--sort") } ?? [SortOrder(.id)]
            if reverse { order = order.map { SortOrder($0.field, descending: !$0.descending) } }
            return ImageQuery(predicate: try filters.predicate(), sort: order, limit: limit, offset: offset ?? 0, after: after)
        }

        func run() throws {
            // Everything the user typed is checked before the repository is touched.
            var query = try query()
            if maxDistance != nil, similarTo == nil {
                throw ImgrepoError.invalidArgument(value: "--max-distance", reason: "applies to --similar-to")
            }
            let distance = try checkedMaxDistance(maxDistance)
            if count, output.format != nil || output.json || output.fields != nil {
                throw ImgrepoError.invalidArgument(value: "--count", reason: "prints a bare number; it takes no --format, --json or --fields")
            }
            let writer = count ? nil : try output.recordWriter()
            let repository = try global.resolve().open()
            if let similarTo {
                let reference = try repository.resolve(similarTo)
                try fillMissingFingerprints(of: repository, kinds: .perceptualHash)
                query.predicate = query.predicate
                    .and(.similar(to: try repository.perceptualHash(of: reference), maxDistance: distance))
                    .and(.compare(.id, .notEqual, .integer(reference.id)))
            }
            guard let writer else {
                Console.line(String(try repository.store.count(matching: query.predicate)))
                return
            }
            try repository.store.forEachImage(matching: query) { writer.write($0) }
            writer.finish()
        }
    }
}
