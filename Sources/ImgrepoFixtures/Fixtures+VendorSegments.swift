extension Fixtures {
    /// `jpeg` with a segment of `marker` (an APPn) holding `payload` inserted right after SOI.
    public static func jpeg(_ jpeg: [UInt8], segment marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        precondition(jpeg.count >= 2 && jpeg[0] == 0xFF && jpeg[1] == 0xD8, "not a jpeg")
        let length = payload.count + 2
        precondition(length <= 0xFFFF, "a segment holds at most 65,533 bytes")
        return [0xFF, 0xD8, 0xFF, marker, UInt8(length >> 8), UInt8(length & 0xFF)] + payload + Array(jpeg[2...])
    }

    /// The APP0 payload of a Canon CIFF heap as an early PowerShot writes it (exiftool's
    /// CanonRaw.pm): `II`, header length 26, `HEAPJPGM`, version, reserved bytes, then a heap
    /// holding TimeStamp (0x180e: `seconds` since 1970, zone code 0), CameraObject (0x2807) with
    /// CanonRawMakeModel (0x080a: `make` in 6 bytes, then `model`), and ExifInformation (0x300b)
    /// with CanonFocalLength kept in its entry (0x5029: type 1, `focalLength` mm). A heap's
    /// records come first, then its directory (a count, 10-byte entries of tag, size and offset
    /// from the heap's start), then the directory's offset in its last 4 bytes.
    public static func canonCIFF(make: String, model: String, seconds: UInt32, focalLength: UInt16) -> [UInt8] {
        func u16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: UInt32) -> [UInt8] { u16(UInt16(v & 0xFFFF)) + u16(UInt16(v >> 16)) }
        /// `records`: (tag, value) outside the directory, or (tag, 8 bytes) with bit 0x4000 set.
        func heap(_ records: [(UInt16, [UInt8])]) -> [UInt8] {
            var data: [UInt8] = [], entries: [UInt8] = []
            for (tag, value) in records {
                if tag & 0x4000 != 0 {
                    entries += u16(tag) + value
                } else {
                    entries += u16(tag) + u32(UInt32(value.count)) + u32(UInt32(data.count))
                    data += value
                }
            }
            return data + u16(UInt16(records.count)) + entries + u32(UInt32(data.count))
        }
        var makeModel = Array(make.utf8.prefix(5)) + [UInt8](repeating: 0, count: 6 - min(5, make.utf8.count))
        makeModel += Array(model.utf8) + [0]
        let root = heap([
            (0x180E, u32(seconds) + u32(0) + u32(0)),
            (0x2807, heap([(0x080A, makeModel)])),
            (0x300B, heap([(0x5029, u16(1) + u16(focalLength) + u16(0) + u16(0))])),
        ])
        return Array("II".utf8) + u32(26) + Array("HEAPJPGM".utf8) + u16(1) + u16(1) + [UInt8](repeating: 0, count: 8) + root
    }
}
