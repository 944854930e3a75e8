import ArgumentParser
import ImgrepoCore

extension Imgrepo {
    struct Details: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show everything known about an image.",
            discussion: """
            Every stored field, every name the image was uploaded under, and all its EXIF tags. \
            With --json, one object: the fields of 'list --json' plus 'names' and 'exif_tags' \
            (docs/json.md).

            \(ExitStatus.helpTable([.success, .imageNotFound, .usage, .unavailable, .badConfiguration]))
            """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("Image id or SHA-512 prefix.", valueName: "id"))
        var id: String

        @Flag(help: "Print one JSON object.")
        var json = false

        func run() throws {
            let repository = try global.resolve().open()
            let record = try repository.resolve(id)
            let (names, tags) = try repository.details(of: record)
            if json {
                Console.line(JSON.object(record.jsonFields + [
                    ("names", .array(names.map(\.json))),
                    ("exif_tags", .array(tags.map(\.json))),
                ]).text)
                return
            }
            let fields = record.jsonFields.filter { if case .null = $0.1 { false } else { true } }
            let width = fields.map(\.0.count).max() ?? 0
            var out = ""
            for (key, value) in fields {
                let text: String
                if case .string(let s) = value { text = s } else { text = value.text }
                out += "\(key.padding(width))  \(text)\n"
            }
            out += "\nnames\n"
            for n in names {
                out += "  \(n.name)  \(n.path ?? "-")  \(n.owner)  \(n.addedAt.iso8601)\n"
            }
            if !tags.isEmpty {
                out += "\nexif tags\n"
                var table = Table(headers: ["IFD", "TAG", "ID", "VALUE"], alignments: [.left, .left, .left, .left])
                for t in tags {
                    table.rows.append([t.ifd, t.name, "0x" + String(String(t.tagID, radix: 16, uppercase: true).leftPadding(4)).replacingSpaces(), t.text])
                }
                out += table.render(colour: false).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
            }
            Console.out(out)
        }
    }
}

extension String {
    func replacingSpaces() -> String { String(map { $0 == " " ? "0" : $0 }) }
}
