/// The IFDs libexif splits a payload into, in libexif's order (`ExifIfd`).
enum ExifIFD: Int, CaseIterable, Sendable {
    case ifd0 = 0, ifd1, exif, gps, interoperability

    /// The name `ExifTag.ifd` carries.
    var name: String {
        switch self {
        case .ifd0: "IFD0"
        case .ifd1: "IFD1"
        case .exif: "ExifIFD"
        case .gps: "GPS"
        case .interoperability: "InteropIFD"
        }
    }
}

/// TIFF field types (`ExifFormat`), by their numbers in the TIFF specification.
enum ExifFieldType: Int, Sendable {
    case byte = 1, ascii, short, long, rational, sbyte, undefined, sshort, slong, srational, float, double
}

/// One entry copied out of libexif, so the summary can be built in plain Swift after the
/// C objects are gone.
struct RawExifEntry: Sendable {
    var ifd: ExifIFD
    var tag: Int
    /// libexif's name for the tag, or `0x9011`-style hex.
    var name: String
    /// The TIFF field type number (`ExifFieldType`), kept raw since files carry invalid ones.
    var format: Int
    var components: Int
    /// libexif's rendering of the value.
    var text: String
    /// The leading numeric components (at most `RawExifEntry.maximumValues`), nil where a
    /// rational has a zero denominator; empty for non-numeric formats.
    var values: [Double?]
    /// The leading raw bytes (at most `RawExifEntry.maximumBytes`), for text fields.
    var bytes: [UInt8]

    static let maximumValues = 16
    static let maximumBytes = 4096

    var fieldType: ExifFieldType? { ExifFieldType(rawValue: format) }

    /// The value as text when the field holds characters: cut at the first NUL (as exiftool
    /// does), trailing spaces trimmed, invalid UTF-8 repaired; nil when nothing is left.
    var string: String? {
        switch fieldType {
        case .ascii, .undefined, .byte: break
        default: return nil
        }
        var chars = bytes.prefix { $0 != 0 }
        while let last = chars.last, last == 0x20 || last == 0x09 || last == 0x0A || last == 0x0D {
            chars.removeLast()
        }
        guard !chars.isEmpty else { return nil }
        return String(decoding: chars, as: UTF8.self)
    }
}

/// One maker-note value as libexif names and renders it (`ISO`, `Shot ISO`, `Auto ISO`).
struct MakerNoteEntry: Sendable, Hashable {
    var name: String
    var value: String
    /// libexif's tag number for the entry (`exif_mnote_data_get_id`): the tag in the note's IFD,
    /// plus libexif's own base for some note versions (0x4000 for Pentax and Casio type 2, 0x8000
    /// for Nikon type 1). Canon's values split out of one array share that array's tag (0x0001
    /// CameraSettings, 0x0004 ShotInfo). Names alone are ambiguous: Canon, Nikon and Pentax all
    /// have an `ISO`.
    var id = 0
}
