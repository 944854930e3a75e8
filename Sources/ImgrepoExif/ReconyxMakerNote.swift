import ImgrepoCore

/// Reconyx HyperFire maker notes (HC500, HC600, PC900) read by exiftool's rules
/// (Image::ExifTool::Reconyx::Main): little-endian 16-bit words at fixed positions.
enum ReconyxMakerNote {
    /// DateTimeOriginal (words 0x0B–0x10: second, minute, hour, month, day, year) as
    /// `YYYY-MM-DDTHH:MM:SS`. nil unless exiftool would pick this layout: the note starts with
    /// `01 F1`, followed by `02 00` or `03 00` or made by a camera whose Make is "RECONYX";
    /// nil too for a date that is not a real date and time.
    static func dateTimeOriginal(_ note: ArraySlice<UInt8>, make: String?) -> String? {
        let b = Array(note)
        guard b.count >= 4, b[0] == 0x01, b[1] == 0xF1,
              (b[3] == 0 && (b[2] == 2 || b[2] == 3)) || make == "RECONYX" else { return nil }
        let reader = TIFFBytes(bytes: b, littleEndian: true)
        var words: [Int] = []
        for i in 0 ..< 6 {
            guard let w = reader.u16(2 * (0x0B + i)) else { return nil }
            words.append(Int(w))
        }
        // exiftool: some cameras write these big-endian while the rest is little-endian.
        if words[0] & 0xFF00 != 0, words[0] & 0xFF == 0 {
            words = words.map { ($0 >> 8) | (($0 & 0xFF) << 8) }
        }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        guard words[5] <= 9999 else { return nil }
        let year = String(repeating: "0", count: 4 - String(words[5]).count) + String(words[5])
        let text = "\(year):\(two(words[3])):\(two(words[4])) \(two(words[2])):\(two(words[1])):\(two(words[0]))"
        return ExifSummary.isoLocalTime(exif: text)
    }
}
