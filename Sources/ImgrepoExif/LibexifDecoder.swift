import ImgrepoCore

/// Decodes EXIF payloads with libexif into imgrepo's `ExifData` (the core's `ExifDecoding`).
///
/// The decoder holds no state: each `decode` call creates and frees its own libexif objects,
/// so one value may be shared freely between threads.
public struct LibexifDecoder: Sendable {
    /// The most tags one payload may yield; the rest are ignored with a warning. Real photos
    /// carry a few hundred at most, so more means a hostile or broken block.
    public static let maximumTagCount = 10_000

    public init() {}

    /// Decodes an EXIF payload that starts at its TIFF header (`II*\0` or `MM\0*`), without the
    /// `Exif\0\0` prefix JPEG files put in front of it.
    ///
    /// Never throws and never traps on hostile input. The status is `.read` when libexif parsed at
    /// least one entry, and `.unreadable` (with a warning saying why) when it parsed none or the
    /// header is not a TIFF header. An empty payload is `.unreadable` too: the caller found a block.
    /// libexif's own complaints (corrupt data, out of memory) are kept as warnings, deduplicated.
    public func decode(tiff: [UInt8]) -> ImgrepoCore.ExifData {
        guard tiff.count >= 8 else {
            return ImgrepoCore.ExifData(status: .unreadable, warnings: [
                "exif payload too short: \(tiff.count) bytes, a tiff header needs 8",
            ])
        }
        let head = Array(tiff[0..<4])
        guard head == [0x49, 0x49, 0x2A, 0x00] || head == [0x4D, 0x4D, 0x00, 0x2A] else {
            let hex = head.map { hex2($0) }.joined(separator: " ")
            return ImgrepoCore.ExifData(status: .unreadable, warnings: [
                "exif payload does not start with a tiff header (II*\\0 or MM\\0*): \(hex)",
            ])
        }
        // libexif takes an unsigned int size and wants the "Exif\0\0" header in front.
        guard tiff.count <= Int(UInt32.max) - 6 else {
            return ImgrepoCore.ExifData(status: .unreadable, warnings: [
                "exif payload too large: \(tiff.count) bytes",
            ])
        }

        let document = LibexifDocument(payload: exifHeader + tiff)
        let parsed = document.entries(limit: Self.maximumTagCount)
        var warnings = document.messages
        if parsed.truncated {
            warnings.append("more than \(Self.maximumTagCount) exif tags; the rest were ignored")
        }
        guard !parsed.entries.isEmpty else {
            if warnings.isEmpty { warnings.append(Self.whyEmpty(tiff)) }
            return ImgrepoCore.ExifData(status: .unreadable, warnings: warnings)
        }
        let tags = parsed.entries.map {
            ImgrepoCore.ExifTag(ifd: $0.ifd.name, name: $0.name, tagID: $0.tag, text: $0.text,
                                number: $0.values.count == 1 && $0.components == 1 ? $0.values[0] : nil)
        }
        let exifOnly = ExifSummary(entries: parsed.entries)
        let vendor = VendorMakerNoteValues(tiff: tiff, make: exifOnly.make)
        var summary = ExifSummary(entries: parsed.entries, makerNote: document.makerNote(limit: Self.maximumTagCount),
                                  nikonLens: vendor.nikonLens)
        // Canon's ISO from our own reading of its maker note is exact (exiftool's Composite ISO,
        // BaseISO × AutoISO / 100); libexif renders those values rounded, so where EXIF has no
        // ISO ours replaces libexif's (`apply` fills the gap).
        if exifOnly.iso == nil, vendor.canonISO != nil { summary.iso = nil }
        summary.apply(vendor)
        return ImgrepoCore.ExifData(status: .read, summary: summary, tags: tags, warnings: warnings)
    }

    /// A reason for a payload without entries when libexif gave none: it skips an out-of-range
    /// first IFD silently.
    private static func whyEmpty(_ tiff: [UInt8]) -> String {
        let b = tiff.prefix(8).map(UInt32.init)
        let offset = tiff[0] == 0x49 ? b[4] | b[5] << 8 | b[6] << 16 | b[7] << 24 : b[4] << 24 | b[5] << 16 | b[6] << 8 | b[7]
        if Int(offset) + 2 > tiff.count {
            return "no exif entries: the first ifd offset \(offset) lies past the end of the \(tiff.count)-byte payload"
        }
        return "no exif entries found in the \(tiff.count)-byte payload"
    }
}

private let exifHeader: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]

func hex2(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}
