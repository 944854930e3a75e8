import ArgumentParser
import ImageProbe
import ImgrepoCore

extension Imgrepo {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List catalogued images, filtered and sorted.",
            discussion: """
            Filters of different kinds combine with AND; a repeated filter (two --owner, a \
            comma list of --type) matches any of its values. Dates are YYYY, YYYY-MM, \
            YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], optionally with Z or ±HH:MM; a partial date \
            means the start of its period. --taken-* compares the camera's own wall-clock time; \
            --uploaded-* compares instants, reading a date without offset in the local time zone. \
            '-after' bounds are inclusive, '-before' bounds exclusive.

            With --json, prints a JSON array of objects (docs/json.md); otherwise an aligned table.

            Example: imgrepo list --json --camera canon | jq -r '.[] | select(.iso >= 800) | .name'

            \(ExitStatus.helpTable([.success, .usage, .unavailable, .badConfiguration]))
            """
        )

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Only images of this owner (repeatable).", valueName: "name"))
        var owner: [String] = []

        @Option(help: ArgumentHelp("Only original names matching this glob, e.g. 'IMG_*.JPG' (repeatable).", valueName: "glob"))
        var name: [String] = []

        @Option(help: ArgumentHelp("Only these formats, comma-separated: \(ImageFormat.allCases.map(\.rawValue).joined(separator: ",")).", valueName: "types"))
        var type: [String] = []

        @Option(help: ArgumentHelp("Taken at or after this camera time.", valueName: "date"))
        var takenAfter: String?

        @Option(help: ArgumentHelp("Taken before this camera time.", valueName: "date"))
        var takenBefore: String?

        @Option(help: ArgumentHelp("Uploaded at or after this time.", valueName: "date"))
        var uploadedAfter: String?

        @Option(help: ArgumentHelp("Uploaded before this time.", valueName: "date"))
        var uploadedBefore: String?

        @Option(help: ArgumentHelp("Make or model contains this text, any case (repeatable).", valueName: "text"))
        var camera: [String] = []

        @Option(help: ArgumentHelp("Sort by: \(ImageQuery.SortKey.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "field"))
        var sort: String = "id"

        @Flag(help: "Reverse the sort order.")
        var reverse = false

        @Option(help: ArgumentHelp("At most this many images.", valueName: "n"))
        var limit: Int?

        @Flag(help: "Print a JSON array instead of a table.")
        var json = false

        func validate() throws {
            if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more, not \(limit)") }
            _ = try query()
        }

        func query() throws -> ImageQuery {
            var q = ImageQuery()
            q.owners = owner
            q.nameGlobs = name
            for list in type {
                for item in list.split(separator: ",") {
                    let text = item.trimmingCharacters().lowercased()
                    let normalised = text == "jpg" ? "jpeg" : text == "tif" ? "tiff" : text
                    guard let format = ImageFormat(rawValue: normalised) else {
                        throw ValidationError("--type: unknown format '\(item)' (known: \(ImageFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    if !q.formats.contains(format) { q.formats.append(format) }
                }
            }
            func bound(_ text: String?, _ flag: String) throws -> DateBound? {
                guard let text else { return nil }
                guard let b = DateBound(text) else {
                    throw ValidationError("\(flag): '\(text)' is not a date (YYYY[-MM[-DD[THH:MM[:SS]]]][Z|±HH:MM])")
                }
                return b
            }
            q.takenAfter = try bound(takenAfter, "--taken-after")?.wallClock
            q.takenBefore = try bound(takenBefore, "--taken-before")?.wallClock
            q.uploadedAfter = try bound(uploadedAfter, "--uploaded-after")?.instant
            q.uploadedBefore = try bound(uploadedBefore, "--uploaded-before")?.instant
            q.cameraTexts = camera
            guard let key = ImageQuery.SortKey(rawValue: sort) else {
                throw ValidationError("--sort: unknown field '\(sort)' (known: \(ImageQuery.SortKey.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            q.sort = key
            q.descending = reverse
            q.limit = limit
            return q
        }

        func run() throws {
            let repository = try global.resolve().open()
            let records = try repository.store.images(matching: try query())
            if json {
                Console.out("[")
                for (i, record) in records.enumerated() {
                    Console.out(i == 0 ? "\n" : ",\n")
                    Console.out(record.json.text)
                }
                Console.out(records.isEmpty ? "]\n" : "\n]\n")
                return
            }
            var table = Table(headers: ["ID", "NAME", "TYPE", "SIZE", "PIXELS", "TAKEN", "CAMERA", "OWNER"],
                              alignments: [.right, .left, .left, .right, .right, .left, .left, .left])
            for r in records {
                let pixels = r.width.flatMap { w in r.height.map { "\(w)×\($0)" } } ?? "-"
                let taken = r.exif.takenLocal.map { String($0.prefix(16)).replacingFirst("T", with: " ") } ?? "-"
                let camera = cameraName(make: r.exif.make, model: r.exif.model)
                table.rows.append(["\(r.id)", r.originalName, r.format.rawValue, humanSize(r.byteSize), pixels, taken,
                                   camera.isEmpty ? "-" : camera, r.owner])
            }
            Console.out(table.render(colour: Console.useColour))
        }
    }
}

/// "Canon EOS R5" rather than "Canon Canon EOS R5", and "NIKON Z 6" rather than
/// "NIKON CORPORATION NIKON Z 6": many cameras repeat their brand in the model.
func cameraName(make: String?, model: String?) -> String {
    let make = make ?? "", model = model ?? ""
    if model.isEmpty { return make }
    let brand = make.split(separator: " ").first.map { $0.lowercased() } ?? ""
    return brand.isEmpty || model.lowercased().hasPrefix(brand) ? model : make + " " + model
}

extension StringProtocol {
    func trimmingCharacters() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }

    func replacingFirst(_ target: Character, with replacement: String) -> String {
        guard let i = firstIndex(of: target) else { return String(self) }
        return String(self[..<i]) + replacement + String(self[index(after: i)...])
    }
}
