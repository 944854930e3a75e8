import ArgumentParser
import ImgrepoCore
import ImgrepoOutput

extension Imgrepo {
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract: "Totals and breakdowns by format, camera and year, over all or filtered images.",
            discussion: """
            Takes every filter 'list' takes. --format json prints one object: images, bytes, \
            duplicate_uploads (uploads recorded as another name of a stored image), bytes_saved \
            (what those uploads would have stored again), and by_format, by_camera, by_year \
            arrays of {key, images, bytes}. Table, csv, tsv and ndjson print one row per group: \
            group (total, format, camera, year), key, images, bytes, with duplicate_uploads and \
            bytes_saved on the total row.

            Examples:
              imgrepo stats
              imgrepo stats --taken 2024 --format json | jq '.by_camera'
              imgrepo stats --camera canon --format csv > canon.csv

            \(ExitStatus.helpTable([.success, .usage, .unavailable, .badConfiguration]))
            """
        )

        @OptionGroup var global: GlobalOptions
        @OptionGroup(title: "Filters") var filters: FilterOptions
        @OptionGroup(title: "Output") var output: OutputFlags

        func run() throws {
            let predicate = try filters.predicate()
            let format = try output.resolvedFormat(default: .table)
            if output.fields != nil {
                throw ImgrepoError.invalidArgument(value: "--fields", reason: "stats has fixed columns: group, key, images, bytes, duplicate_uploads, bytes_saved")
            }
            let options = try output.options()
            let repository = try global.resolve().open()
            let stats = try repository.store.statistics(matching: predicate)
            func groups(_ list: [CatalogueStatistics.Group]) -> JSONValue {
                .array(list.map { .object([("key", .string($0.key)), ("images", .int($0.images)), ("bytes", .int($0.bytes))]) })
            }
            if format == .json {
                Console.line(JSONValue.object([
                    ("images", .int(stats.images)), ("bytes", .int(stats.bytes)),
                    ("duplicate_uploads", .int(stats.duplicateUploads)), ("bytes_saved", .int(stats.bytesSaved)),
                    ("by_format", groups(stats.byFormat)), ("by_camera", groups(stats.byCamera)), ("by_year", groups(stats.byYear)),
                ]).text)
                return
            }
            let writer = RecordWriter(format: format, columns: [
                OutputColumn(key: "group", style: .label), OutputColumn(key: "key"),
                OutputColumn(key: "images", style: .number), OutputColumn(key: "bytes", style: .bytes),
                OutputColumn(key: "duplicate_uploads", title: "DUPLICATES", style: .number),
                OutputColumn(key: "bytes_saved", title: "SAVED", style: .bytes),
            ], options: options, sink: Console.write)
            writer.write([("group", .string("total")), ("key", .null), ("images", .int(stats.images)), ("bytes", .int(stats.bytes)),
                          ("duplicate_uploads", .int(stats.duplicateUploads)), ("bytes_saved", .int(stats.bytesSaved))])
            for (name, list) in [("format", stats.byFormat), ("camera", stats.byCamera), ("year", stats.byYear)] {
                for g in list {
                    writer.write([("group", .string(name)), ("key", .string(g.key)), ("images", .int(g.images)), ("bytes", .int(g.bytes))])
                }
            }
            writer.finish()
        }
    }
}
