import ArgumentParser
import ImgrepoCore
import ImgrepoOutput

extension Imgrepo {
    struct Duplicates: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "duplicates",
            abstract: "Groups of the same image: same bytes, same pixels, or similar looks.",
            discussion: """
            --by bytes (default): files uploaded more than once with the same bytes. imgrepo \
            stores such a file once and records every name it came under: a group is one image \
            and its names. --by pixels: images whose decoded pixels are identical although their \
            files differ (metadata edited or stripped, re-saved losslessly), by pixel hash. --by \
            similar: images whose perceptual hashes are linked by pairs at most --max-distance \
            bits apart (single linkage: a chain of near pairs forms one group). It compares every \
            pair, so its time grows with the square of the number of images. Images get their \
            hashes at upload (--fingerprints) or from 'imgrepo index'; those still without the \
            one asked for get it first, here (stored, with progress on a terminal); in a \
            repository you cannot write they are counted and left out.

            Groups come largest first (ties by lowest id). Each member is a row of table, csv and \
            tsv output (group, key, id, name, path, size, distance: the Hamming distance to the \
            group's first image for --by similar, else 0). --format json prints an array of \
            groups and ndjson one group per line: {group, by, key, count, ids, members: [{id, \
            name, path, size, distance}]} (docs/json.md).

            Examples:
              imgrepo duplicates --by pixels --format ndjson | jq -c '.ids'
              imgrepo duplicates --by similar --max-distance 6

            \(ExitStatus.helpTable([.success, .usage, .unavailable, .badConfiguration, .interrupted]))
            """
        )

        @OptionGroup var global: GlobalOptions
        @OptionGroup(title: "Output") var output: OutputFlags

        @Option(help: ArgumentHelp("bytes, pixels or similar (default bytes).", valueName: "kind"))
        var by: String = DuplicateKind.bytes.rawValue

        @Option(help: ArgumentHelp("With --by similar: largest Hamming distance within a pair, 0–64 (default \(defaultSimilarityDistance)).", valueName: "bits"))
        var maxDistance: Int?

        func run() throws {
            guard let kind = DuplicateKind(rawValue: by.lowercased()) else {
                throw ImgrepoError.invalidArgument(value: "--by \(by)", reason: "must be one of bytes, pixels, similar")
            }
            if maxDistance != nil, kind != .similar {
                throw ImgrepoError.invalidArgument(value: "--max-distance", reason: "applies to --by similar")
            }
            let distance = try checkedMaxDistance(maxDistance)
            let format = try output.resolvedFormat(default: .table)
            if output.fields != nil {
                throw ImgrepoError.invalidArgument(value: "--fields", reason: "duplicates has fixed columns: group, key, id, name, path, size, distance")
            }
            let options = try output.options()
            let repository = try global.resolve().open()
            switch kind {
            case .bytes: break
            case .pixels: try fillMissingFingerprints(of: repository, kinds: .pixelHash)
            case .similar: try fillMissingFingerprints(of: repository, kinds: .perceptualHash)
            }
            let groups = try repository.duplicateGroups(by: kind, maxDistance: distance)

            func members(_ group: DuplicateGroup) -> [(id: Int64, name: String, path: String?, size: Int64, distance: Int)] {
                if kind == .bytes, let record = group.members.first {
                    return group.names.map { (record.id, $0.name, $0.path, record.byteSize, 0) }
                }
                return zip(group.members, group.distances).map { ($0.id, $0.originalName, $0.originalPath, $0.byteSize, $1) }
            }
            switch format {
            case .json, .ndjson:
                var text = ""
                for (number, group) in groups.enumerated() {
                    let rows = members(group)
                    var ids: [Int64] = []
                    for row in rows where !ids.contains(row.id) { ids.append(row.id) }
                    let object = JSONValue.object([
                        ("group", .int(number + 1)), ("by", .string(kind.rawValue)), ("key", .string(group.key)),
                        ("count", .int(rows.count)), ("ids", .array(ids.map { .int($0) })),
                        ("members", .array(rows.map { row in
                            .object([("id", .int(row.id)), ("name", .string(row.name)), ("path", .string(row.path)),
                                     ("size", .int(row.size)), ("distance", .int(row.distance))])
                        })),
                    ])
                    if format == .json {
                        text += (number == 0 ? "[\n" : ",\n") + object.text
                    } else {
                        text += object.text + "\n"
                    }
                    Console.out(text)
                    text = ""
                }
                if format == .json { Console.out(groups.isEmpty ? "[]\n" : "\n]\n") }
            case .table, .csv, .tsv:
                let writer = RecordWriter(format: format, columns: [
                    OutputColumn(key: "group", style: .number), OutputColumn(key: "key", style: .label),
                    OutputColumn(key: "id", style: .number), OutputColumn(key: "name"), OutputColumn(key: "path"),
                    OutputColumn(key: "size", style: .bytes), OutputColumn(key: "distance", style: .number),
                ], options: options, sink: Console.write)
                for (number, group) in groups.enumerated() {
                    // Tables show a short key; machine formats the whole of it.
                    let key = format == .table ? String(group.key.prefix(16)) : group.key
                    for row in members(group) {
                        writer.write(values: [.int(number + 1), .string(key), .int(row.id), .string(row.name), .string(row.path),
                                              .int(row.size), .int(row.distance)])
                    }
                }
                writer.finish()
            }
        }
    }
}
