/// Nikon's maker note (types 2 and 3, exiftool's Image::ExifTool::Nikon) read for its Lens
/// (0x0084): four rationals, the shortest and longest focal length and the widest aperture at
/// each, like EXIF's LensInfo. libexif renders them with the focal lengths cut to whole
/// millimetres (a 10.5 mm lens reads `10mm`, a compact's 5.8–23.2 mm zoom `5-23mm`), so the
/// values are read here. The note starts `Nikon\0`, two version bytes and two more, then a TIFF
/// header (`II*\0` or `MM\0*`, the IFD's offset) whose byte order the IFD follows and from which
/// its offsets count. Like exiftool (MakerNotes.pm checks the `Nikon\0\2` signature first, since
/// Nikon Capture writes such notes into any camera's files) and libexif, the signature decides,
/// not the Make.
enum NikonMakerNote {
    /// The Lens tag's four values (nil for a 0/0 "unknown"), or nil when the note is not a
    /// Nikon type 3 note or the tag is missing, of another type or count, or lies outside the
    /// payload.
    static func lens(_ note: MakerNoteBlock) -> [Double?]? {
        let bytes = note.bytes
        guard bytes.count >= 18, bytes.starts(with: Array("Nikon\0".utf8)), bytes[bytes.startIndex + 6] == 0x02 else {
            return nil
        }
        let header = note.offset + 10
        let tiff: TIFFBytes
        switch (note.tiff.u8(header), note.tiff.u8(header + 1)) {
        case (0x49, 0x49): tiff = TIFFBytes(bytes: note.tiff.bytes, littleEndian: true)
        case (0x4D, 0x4D): tiff = TIFFBytes(bytes: note.tiff.bytes, littleEndian: false)
        default: return nil
        }
        guard tiff.u16(header + 2) == 42, let first = tiff.u32(header + 4), first <= UInt32(Int32.max),
              let entries = tiff.directory(at: header + Int(first)),
              let entry = entries.first(where: { $0.tag == 0x0084 }), entry.type == 5, entry.count == 4,
              let at = tiff.valueOffset(entry, base: header) else { return nil }
        return (0 ..< 4).map { i -> Double? in
            guard let numerator = tiff.u32(at + 8 * i), let denominator = tiff.u32(at + 8 * i + 4), denominator != 0 else {
                return nil
            }
            return Double(numerator) / Double(denominator)
        }
    }
}
