import ImgrepoCore

/// A field of an image record that `--fields` can name: its column (JSON key, table header,
/// table style) and how to read its value from an `ImageRecord`.
///
/// The value is the same in every format; only its text differs: JSON writes it as JSON,
/// CSV and TSV as raw machine text (ISO 8601 instants, plain numbers, empty for null), tables
/// through `column.style` (`4.2 MB`, local time, `1/250`, `f/2.8`, `-` for null).
public struct RecordField: Sendable, CustomStringConvertible {
    public let column: OutputColumn
    /// Other names `--fields` accepts (`taken` for `taken_at`, `bytes` for `size`); output
    /// always uses `key`.
    public let aliases: [String]
    /// Whether the field is derived from others and not part of the default JSON object.
    public let isDerived: Bool
    private let read: @Sendable (ImageRecord) -> JSONValue

    init(_ key: String, _ title: String, _ style: CellStyle, aliases: [String] = [], derived: Bool = false,
         _ read: @escaping @Sendable (ImageRecord) -> JSONValue) {
        self.column = OutputColumn(key: key, title: title, style: style)
        self.aliases = aliases
        self.isDerived = derived
        self.read = read
    }

    /// The JSON key, CSV/TSV header and `--fields` name.
    public var key: String { column.key }
    public var description: String { key }

    /// The field's value for `record`; `.null` when unknown.
    public func value(_ record: ImageRecord) -> JSONValue { read(record) }

    /// The field as a table shows it (`4.2 MB`, `f/2.8`, `-`), e.g. for a key/value view.
    public func tableText(_ record: ImageRecord, timeZone: DisplayTimeZone) -> String {
        column.style.render(read(record), timeZone: timeZone)
    }

    /// The fields of `list --json`, in docs/json.md's order: every stored field of a record.
    public static let documented: [RecordField] = [
        RecordField("id", "ID", .number) { .int($0.id) },
        RecordField("sha512", "SHA512", .text) { .string($0.sha512) },
        RecordField("name", "NAME", .text) { .string($0.originalName) },
        RecordField("path", "PATH", .text) { .string($0.originalPath) },
        RecordField("owner", "OWNER", .text) { .string($0.owner) },
        RecordField("uploaded_at", "UPLOADED", .instant, aliases: ["uploaded"]) { .string($0.uploadedAt.iso8601) },
        RecordField("size", "SIZE", .bytes, aliases: ["bytes"]) { .int($0.byteSize) },
        RecordField("format", "FORMAT", .label, aliases: ["type"]) { .string($0.format.rawValue) },
        RecordField("mime_type", "MIME TYPE", .label, aliases: ["mime"]) { .string($0.mimeType) },
        RecordField("width", "WIDTH", .number) { .int($0.width) },
        RecordField("height", "HEIGHT", .number) { .int($0.height) },
        RecordField("exif_status", "EXIF", .label, aliases: ["exif"]) { .string($0.exifStatus.rawValue) },
        RecordField("make", "MAKE", .text) { .string($0.exif.make) },
        RecordField("model", "MODEL", .text) { .string($0.exif.model) },
        RecordField("lens", "LENS", .text) { .string($0.exif.lens) },
        RecordField("taken_at", "TAKEN", .wallClock, aliases: ["taken"]) { r in
            .string(r.exif.takenLocal.map { $0 + (r.exif.takenOffset ?? "") })
        },
        RecordField("taken_local", "TAKEN LOCAL", .wallClock) { .string($0.exif.takenLocal) },
        RecordField("taken_offset", "OFFSET", .label) { .string($0.exif.takenOffset) },
        RecordField("taken_utc", "TAKEN UTC", .instant) { .string($0.exif.takenUTC?.iso8601) },
        RecordField("exposure_time", "EXPOSURE", .exposure, aliases: ["exposure"]) { .double($0.exif.exposureTime) },
        RecordField("f_number", "APERTURE", .aperture, aliases: ["fnumber", "aperture"]) { .double($0.exif.fNumber) },
        RecordField("iso", "ISO", .number) { .double($0.exif.iso) },
        RecordField("focal_length", "FOCAL", .measure(unit: "mm", decimals: 1), aliases: ["focal"]) { .double($0.exif.focalLength) },
        RecordField("orientation", "ORIENT", .number) { .int($0.exif.orientation) },
        RecordField("gps_latitude", "LATITUDE", .degrees, aliases: ["latitude", "lat"]) { .double($0.exif.gpsLatitude) },
        RecordField("gps_longitude", "LONGITUDE", .degrees, aliases: ["longitude", "lon"]) { .double($0.exif.gpsLongitude) },
        RecordField("gps_altitude", "ALTITUDE", .measure(unit: "m", decimals: 1), aliases: ["altitude", "alt"]) { .double($0.exif.gpsAltitude) },
        RecordField("software", "SOFTWARE", .text) { .string($0.exif.software) },
        RecordField("artist", "ARTIST", .text) { .string($0.exif.artist) },
        RecordField("copyright", "COPYRIGHT", .text) { .string($0.exif.copyright) },
        RecordField("title", "TITLE", .text) { .string($0.exif.title) },
        RecordField("description", "DESCRIPTION", .text) { .string($0.exif.description) },
        RecordField("keywords", "KEYWORDS", .text, aliases: ["keyword"]) { .array($0.exif.keywords.map { .string($0) }) },
        RecordField("rating", "RATING", .number) { .int($0.exif.rating) },
        RecordField("creator", "CREATOR", .text) { .string($0.exif.creator) },
        RecordField("taken_source", "TAKEN FROM", .label) { .string($0.exif.takenSource?.rawValue) },
        RecordField("taken_tag", "TAKEN TAG", .label) { .string($0.exif.takenTag) },
        RecordField("focal_length_35mm", "FOCAL 35MM", .measure(unit: "mm", decimals: 0), aliases: ["focal35"]) { .int($0.exif.focalLength35mm) },
        RecordField("flash", "FLASH", .number) { .int($0.exif.flash) },
        RecordField("pixel_sha512", "PIXEL SHA512", .text, aliases: ["pixel_hash"]) { .string($0.fingerprints.pixelSHA512) },
        RecordField("phash", "PHASH", .text, aliases: ["perceptual_hash"]) { .string($0.fingerprints.perceptualHash.map(Repository.hex)) },
        RecordField("warnings", "WARNINGS", .text) { .array($0.warnings.map { .string($0) }) },
    ]

    /// Fields computed from others, for tables mostly but accepted in every format.
    public static let derived: [RecordField] = [
        // `"4000x3000"` (table `4000×3000`), null unless both are known.
        RecordField("dimensions", "DIMENSIONS", .dimensions, derived: true) { r in
            guard let w = r.width, let h = r.height else { return .null }
            return .string("\(w)x\(h)")
        },
        // Width × height, null unless both are known.
        RecordField("pixels", "PIXELS", .number, derived: true) { r in
            guard let w = r.width, let h = r.height else { return .null }
            return .int(Int64(w) * Int64(h))
        },
        // Make and model without the brand twice: "Canon EOS R5", "NIKON Z 6".
        RecordField("camera", "CAMERA", .text, derived: true) { .string(cameraName(make: $0.exif.make, model: $0.exif.model)) },
    ]

    /// Every field `--fields` knows: the documented ones, then the derived ones.
    public static let all: [RecordField] = documented + derived

    /// What `list` shows in a table without `--fields`.
    public static let tableDefault: [RecordField] = ["id", "name", "format", "size", "dimensions", "taken_at", "camera", "owner"].map { named($0)! }

    /// The default fields for a format: `tableDefault` for tables, `documented` for the rest.
    public static func defaults(for format: OutputFormat) -> [RecordField] {
        format == .table ? tableDefault : documented
    }

    /// The field called `name` (its key or an alias, any case), or nil.
    public static func named(_ name: String) -> RecordField? {
        let lowered = name.lowercased()
        return all.first { $0.key == lowered } ?? all.first { $0.aliases.contains(lowered) }
    }

    /// Reads a `--fields` value: names separated by commas (spaces around them ignored), in
    /// the order given; a repeated name appears once. Throws `OutputError.unknownField`
    /// listing every valid key, or `.emptyFieldList`.
    public static func parse(_ list: String) throws -> [RecordField] {
        var result: [RecordField] = []
        for item in list.split(separator: ",", omittingEmptySubsequences: false) {
            let name = item.trimmingSpaces()
            if name.isEmpty { continue }
            guard let field = named(name) else { throw OutputError.unknownField(name, valid: all.map(\.key)) }
            if !result.contains(where: { $0.key == field.key }) { result.append(field) }
        }
        guard !result.isEmpty else { throw OutputError.emptyFieldList }
        return result
    }
}
