/// Kodak's "Type3" maker note (DC240, DC280, DC3400, DC5000) read by exiftool's rules
/// (Image::ExifTool::Kodak::Type3): not an IFD but fixed big-endian fields at fixed offsets.
enum KodakMakerNote {
    struct Values: Equatable {
        var exposureTime: Double?
        var fNumber: Double?
        var iso: Int?
    }

    /// ExposureTime (int32u at 0x38, in units of 10 µs), FNumber (int16u at 0x3C, in
    /// hundredths) and ISO (int16u at 0x4E), each when the note is long enough to hold it; nil
    /// when it holds none of them, and unless exiftool would pick Type3: `make` starts with "EASTMAN KODAK", byte 12 is 0x07
    /// (the high byte of the year created), and the note does not start like the other Kodak
    /// layouts (`MM`, `II`, `AOC`, `KDK`, the Type2 signatures).
    static func values(_ note: ArraySlice<UInt8>, make: String?) -> Values? {
        let b = Array(note)
        guard make?.hasPrefix("EASTMAN KODAK") == true, b.count > 12, b[12] == 0x07 else { return nil }
        func starts(_ prefix: String) -> Bool { b.starts(with: Array(prefix.utf8)) }
        guard !starts("MM"), !starts("II"), !starts("AOC"), !starts("KDK"),
              !(b.count >= 21 && b[8 ..< 21].elementsEqual("Eastman Kodak".utf8)),
              !isType2(b) else { return nil }
        let reader = TIFFBytes(bytes: b, littleEndian: false)
        var v = Values()
        v.exposureTime = reader.u32(0x38).map { Double($0) / 1e5 }
        v.fNumber = reader.u16(0x3C).map { Double($0) / 100 }
        v.iso = reader.u16(0x4E).map(Int.init)
        return v == Values() ? nil : v
    }

    /// exiftool's second Type2 signature: `01 00 (00|01) 00 00 00 04 00` and four letters.
    private static func isType2(_ b: [UInt8]) -> Bool {
        guard b.count >= 12, b[0] == 1, b[1] == 0, b[2] <= 1, b[3] == 0, b[4] == 0, b[5] == 0, b[6] == 4, b[7] == 0
        else { return false }
        return b[8 ..< 12].allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }
    }
}
