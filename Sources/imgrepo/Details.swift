import ArgumentParser
import ImgrepoCore
import ImgrepoOutput

extension Imgrepo {
    struct Details: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "details",
            abstract: "Show everything known about an image.",
            discussion: """
            Every stored field (XMP's title, description, keywords, rating and creator among them), \
            every name the image was uploaded under, and all its EXIF tags grouped by IFD (IFD0, \
            IFD1, ExifIFD, GPS, InteropIFD), each with its raw number (for a single numeric \
            component, as exiftool -n prints it) and libexif's interpreted text, then every XMP \
            property grouped by namespace as exiftool groups them (XMP-dc, XMP-xmp, ...). \
            With --format json (or --json) or ndjson, one object: the fields of 'list --json' \
            plus 'names' and 'exif_tags' (docs/json.md). With csv or tsv, one row of the record's \
            fields. --fields chooses the record's fields in every format.

            Examples:
              imgrepo details 42
              imgrepo details 3fa9b2c1 --json | jq '.exif_tags[] | select(.ifd == "GPS")'
              imgrepo details 42 --json | jq -r '.names[].path'

            \(ExitStatus.helpTable([.success, .imageNotFound, .usage, .unavailable, .badConfiguration]))
            """
        )

        @OptionGroup var global: GlobalOptions
        @OptionGroup(title: "Output") var output: OutputFlags

        @Argument(help: ArgumentHelp("Image id or SHA-512 prefix.", valueName: "id"), completion: ShellCompletion.imageIDs)
        var id: String

        func run() throws {
            let format = try output.resolvedFormat(default: .table)
            let fields = output.fields == nil && format != .table && format != .csv && format != .tsv
                ? RecordField.documented : try output.resolvedFields(for: format == .table ? .json : format)
            let options = try output.options()
            let repository = try global.resolve().open()
            let record = try repository.resolve(id)
            let (names, tags) = try repository.details(of: record)
            switch format {
            case .json, .ndjson:
                let object = JSONValue.object(fields.map { ($0.key, $0.value(record)) } + [
                    ("names", .array(names.map(\.json))),
                    ("exif_tags", .array(tags.map(\.json))),
                ])
                Console.line(object.text)
            case .csv, .tsv:
                let writer = RecordWriter(format: format, fields: fields, options: options, sink: Console.write)
                writer.write(record)
                writer.finish()
            case .table:
                // A key/value view of the record, then its names and tags as tables.
                let shown = fields.filter {
                    switch $0.value(record) {
                    case .null: false
                    case .array(let items): !items.isEmpty
                    default: true
                    }
                }
                let keyWidth = shown.map(\.key.count).max() ?? 0
                var text = ""
                for field in shown {
                    text += field.key.padding(keyWidth) + "  " + field.tableText(record, timeZone: options.timeZone) + "\n"
                }
                Console.out(text + "\nnames\n")
                let nameWriter = RecordWriter(format: .table, columns: [
                    OutputColumn(key: "name"), OutputColumn(key: "path"), OutputColumn(key: "owner", style: .label),
                    OutputColumn(key: "added_at", title: "ADDED", style: .instant),
                ], options: options, sink: Console.write)
                for name in names {
                    nameWriter.write([("name", .string(name.name)), ("path", .string(name.path)), ("owner", .string(name.owner)),
                                      ("added_at", .string(name.addedAt.iso8601))])
                }
                nameWriter.finish()
                guard !tags.isEmpty else { return }
                Console.out("\ntags\n")
                let tagWriter = RecordWriter(format: .table, columns: [
                    OutputColumn(key: "ifd", style: .label), OutputColumn(key: "name", title: "TAG"),
                    OutputColumn(key: "tag_id", title: "ID", style: .label), OutputColumn(key: "number", title: "RAW", style: .label),
                    OutputColumn(key: "value"),
                ], options: options, sink: Console.write)
                for tag in tags {
                    let hex = String(tag.tagID, radix: 16, uppercase: true)
                    tagWriter.write([("ifd", .string(tag.ifd)), ("name", .string(tag.name)),
                                     ("tag_id", .string("0x" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex)),
                                     ("number", .string(tag.number.map { decimalText($0, maxFractionDigits: 9) })),
                                     ("value", .string(tag.text))])
                }
                tagWriter.finish()
            }
        }
    }
}
