#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Olympus's maker note read for its ISOValue (0x1001), which libexif renders only as a dump
/// of bytes. exiftool (Image::ExifTool::Olympus) knows two layouts: `OLYMP\0` and two version
/// bytes, then an IFD in the TIFF's byte order whose offsets count from the TIFF header; and
/// `OLYMPUS\0`, `II` or `MM` and two version bytes, then an IFD in that byte order whose
/// offsets count from the note's first byte.
enum OlympusMakerNote {
    /// ISOValue as exiftool converts it: an APEX speed value (a signed rational) v, the ISO
    /// being 100 × 2^(v − 5). exiftool reports it as ISOValue, not ISO (priority 0); imgrepo
    /// takes it as the ISO only where EXIF and the rest of the note have none (docs/metadata.md).
    /// nil unless `make` starts with "OLYMPUS" and the note holds one valid value giving an ISO
    /// between 1 and `Int32.max`.
    static func isoValue(_ note: MakerNoteBlock, make: String?) -> Double? {
        guard make?.uppercased().hasPrefix("OLYMPUS") == true else { return nil }
        let header = Array(note.bytes.prefix(10))
        var tiff = note.tiff
        let directory: Int, base: Int
        if header.starts(with: Array("OLYMPUS\0".utf8)), header.count == 10 {
            switch (header[8], header[9]) {
            case (0x49, 0x49): tiff = TIFFBytes(bytes: tiff.bytes, littleEndian: true)
            case (0x4D, 0x4D): tiff = TIFFBytes(bytes: tiff.bytes, littleEndian: false)
            default: return nil
            }
            directory = note.offset + 12
            base = note.offset
        } else if header.starts(with: Array("OLYMP\0".utf8)) {
            directory = note.offset + 8
            base = 0
        } else {
            return nil
        }
        guard directory + 2 <= note.offset + note.count, let entries = tiff.directory(at: directory),
              let entry = entries.first(where: { $0.tag == 0x1001 }), entry.type == 10, entry.count == 1,
              let at = tiff.valueOffset(entry, base: base), let numerator = tiff.u32(at), let denominator = tiff.u32(at + 4),
              denominator != 0 else { return nil }
        let apex = Double(Int32(bitPattern: numerator)) / Double(Int32(bitPattern: denominator))
        let iso = CanonMakerNote.significant15(100 * pow(2, apex - 5))
        return iso.isFinite && iso >= 1 && iso <= Double(Int32.max) ? iso : nil
    }
}
