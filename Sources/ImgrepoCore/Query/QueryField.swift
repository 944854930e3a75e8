/// The named fields of an image that filters, `--where`, `--sort` and `--fields` speak of.
///
/// The raw value is the name users type (`--where 'iso > 1600'`, `--sort -taken`). `aliases`
/// lists other accepted spellings, among them the JSON key where it differs (`f_number`).
public enum QueryField: String, CaseIterable, Hashable, Sendable {
    case id, sha512, name, path, owner, uploaded, size, format, width, height, pixels
    case exif = "exif_status"
    case make, model, lens
    /// The camera's wall-clock capture time (`taken_local`), compared as text `YYYY-MM-DDTHH:MM:SS`.
    case taken
    /// The capture instant, known only when the camera recorded its offset.
    case takenUTC = "taken_utc"
    case exposure, fnumber, iso, focal, orientation
    /// FocalLengthIn35mmFormat, whole millimetres.
    case focal35
    /// The EXIF Flash value as stored (bit 0: fired).
    case flash
    case latitude, longitude, altitude
    case software, artist, copyright
    /// XMP `dc:title`, `dc:description`, `dc:creator` and `xmp:Rating`.
    case title, descriptionText = "description", creator, rating
    /// XMP `dc:subject`: an image has several. A comparison or glob matches when any of its
    /// keywords does; "no value" means no keywords; sorting uses the smallest keyword.
    case keyword
    /// The SHA-512 of the decoded pixels (docs/repository-format.md, "Pixel hash").
    case pixelHash = "pixel_sha512"

    /// What kind of value the field holds, which decides how literals are read and compared.
    public enum Kind: Sendable {
        /// Integers (`id`, `size`, `iso`, ...). `iso` is compared as one although a maker
        /// note may give a fractional value (64.84…), which `--iso 64..65` finds.
        case integer
        /// Decimals (`fnumber`, `exposure`, GPS).
        case real
        /// Text, compared case-sensitively with `=`; globs (`~`) compare case-insensitively.
        case text
        /// A wall-clock time without offset, compared as `YYYY-MM-DDTHH:MM:SS` text (`taken`).
        case wallClock
        /// An instant (`uploaded`, `taken_utc`), compared as microseconds since the epoch.
        case instant
    }

    public var kind: Kind {
        switch self {
        case .id, .size, .width, .height, .pixels, .iso, .orientation, .rating, .focal35, .flash: .integer
        case .exposure, .fnumber, .focal, .latitude, .longitude, .altitude: .real
        case .sha512, .name, .path, .owner, .format, .exif, .make, .model, .lens, .software, .artist, .copyright,
             .title, .descriptionText, .creator, .keyword, .pixelHash: .text
        case .taken: .wallClock
        case .uploaded, .takenUTC: .instant
        }
    }

    /// Other accepted names.
    public var aliases: [String] {
        switch self {
        case .size: ["bytes"]
        case .format: ["type"]
        case .taken: ["taken_at", "taken_local"]
        case .uploaded: ["uploaded_at"]
        case .exposure: ["exposure_time"]
        case .fnumber: ["f_number"]
        case .focal: ["focal_length"]
        case .focal35: ["focal_length_35mm", "focal35mm"]
        case .pixelHash: ["pixel_hash"]
        case .latitude: ["lat", "gps_latitude"]
        case .longitude: ["lon", "gps_longitude"]
        case .altitude: ["alt", "gps_altitude"]
        case .keyword: ["keywords", "subject"]
        default: []
        }
    }

    /// The field named `text` (its name or an alias, any case), or nil.
    public init?(named text: String) {
        let lowered = text.lowercased()
        guard let field = QueryField.allCases.first(where: { $0.rawValue == lowered || $0.aliases.contains(lowered) }) else {
            return nil
        }
        self = field
    }
}

/// A literal in a comparison, already in the field's kind: integers and reals as numbers,
/// text and wall-clock times as text, instants as microseconds (`.integer`).
public enum QueryValue: Hashable, Sendable {
    case integer(Int64)
    case real(Double)
    case text(String)
}

public enum ComparisonOperator: String, CaseIterable, Hashable, Sendable {
    case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
}

/// A condition on images, as data: flags and `--where` both build one, and each catalogue
/// driver compiles it to parameterised SQL (no value ever pasted into SQL text).
public indirect enum QueryPredicate: Hashable, Sendable {
    /// Every image.
    case all
    /// All of these (an empty list is true).
    case and([QueryPredicate])
    /// Any of these (an empty list is false).
    case or([QueryPredicate])
    case not(QueryPredicate)
    /// `field op value`. A field with no value (NULL) never satisfies a comparison, not even `!=`.
    case compare(QueryField, ComparisonOperator, QueryValue)
    /// `field op field`, both of one kind (e.g. width > height). NULL on either side never matches.
    case compareFields(QueryField, ComparisonOperator, QueryField)
    /// A shell glob (`*`, `?`, `[...]`) over a text field, case-insensitive; NULL never matches.
    case glob(QueryField, String)
    /// The field has no value.
    case isNull(QueryField)
    /// Images with GPS within `kilometres` of a point (great-circle distance).
    case near(latitude: Double, longitude: Double, kilometres: Double)
    /// Images with GPS inside a box; `west > east` means the box crosses the antimeridian.
    case boundingBox(south: Double, west: Double, north: Double, east: Double)
    /// Images with a perceptual hash at most `maxDistance` bits from `hash` (Hamming distance);
    /// images without one never match.
    case similar(to: UInt64, maxDistance: Int)

    /// `self AND other`, flattening nested ANDs and dropping `.all`.
    public func and(_ other: QueryPredicate) -> QueryPredicate {
        switch (self, other) {
        case (.all, _): return other
        case (_, .all): return self
        case (.and(let a), .and(let b)): return .and(a + b)
        case (.and(let a), _): return .and(a + [other])
        case (_, .and(let b)): return .and([self] + b)
        default: return .and([self, other])
        }
    }
}

/// One key of an ordering. NULLs sort last in either direction; ties are broken by id.
public struct SortOrder: Hashable, Sendable {
    public var field: QueryField
    public var descending: Bool

    public init(_ field: QueryField, descending: Bool = false) {
        self.field = field
        self.descending = descending
    }
}
