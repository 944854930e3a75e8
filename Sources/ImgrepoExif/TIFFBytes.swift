/// Bounds-checked reads from an EXIF payload in one byte order. Every read returns nil when
/// any byte it needs lies outside the payload, so offsets taken from hostile files never trap.
struct TIFFBytes {
    let bytes: [UInt8]
    let littleEndian: Bool

    /// Whether `count` bytes at `offset` lie inside the payload.
    func contains(_ offset: Int, _ count: Int) -> Bool {
        offset >= 0 && count >= 0 && offset <= bytes.count && count <= bytes.count - offset
    }

    func u8(_ offset: Int) -> UInt8? {
        contains(offset, 1) ? bytes[offset] : nil
    }

    func u16(_ offset: Int) -> UInt16? {
        guard contains(offset, 2) else { return nil }
        let a = UInt16(bytes[offset]), b = UInt16(bytes[offset + 1])
        return littleEndian ? a | b << 8 : a << 8 | b
    }

    func s16(_ offset: Int) -> Int16? {
        u16(offset).map { Int16(bitPattern: $0) }
    }

    func u32(_ offset: Int) -> UInt32? {
        guard let a = u16(offset), let b = u16(offset + 2) else { return nil }
        return littleEndian ? UInt32(a) | UInt32(b) << 16 : UInt32(a) << 16 | UInt32(b)
    }

    func slice(_ offset: Int, _ count: Int) -> ArraySlice<UInt8>? {
        contains(offset, count) ? bytes[offset ..< offset + count] : nil
    }

    /// The same bytes read in the other byte order.
    var swapped: TIFFBytes { TIFFBytes(bytes: bytes, littleEndian: !littleEndian) }

    /// One 12-byte IFD entry.
    struct Entry {
        var tag: UInt16
        var type: UInt16
        var count: UInt32
        /// Where the entry's 4-byte value-or-offset field lies in the payload.
        var fieldOffset: Int

        /// The value's size in bytes, nil for an unknown type or a size past `Int32.max`.
        var size: Int? {
            let widths: [UInt16: Int] = [1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4]
            guard let width = widths[type] else { return nil }
            let size = Int(count) * width
            return size <= Int(Int32.max) ? size : nil
        }
    }

    /// The most entries one directory may yield: real maker notes have tens.
    static let maximumEntries = 1000

    /// The entries of the IFD at `offset`, as many as lie inside the payload (at most
    /// `maximumEntries`); nil when not even the entry count is readable.
    func directory(at offset: Int) -> [Entry]? {
        guard let declared = u16(offset) else { return nil }
        var entries: [Entry] = []
        for i in 0 ..< min(Int(declared), Self.maximumEntries) {
            let at = offset + 2 + 12 * i
            guard let tag = u16(at), let type = u16(at + 2), let count = u32(at + 4), contains(at + 8, 4) else { break }
            entries.append(Entry(tag: tag, type: type, count: count, fieldOffset: at + 8))
        }
        return entries
    }

    /// Where `entry`'s value lies: in the entry itself when it fits in 4 bytes, else at the
    /// stored offset plus `base`; nil when the value does not lie wholly inside the payload.
    func valueOffset(_ entry: Entry, base: Int = 0) -> Int? {
        guard let size = entry.size else { return nil }
        if size <= 4 { return entry.fieldOffset }
        guard let stored = u32(entry.fieldOffset) else { return nil }
        let offset = Int(stored) + base
        return contains(offset, size) ? offset : nil
    }
}

/// The MakerNote (Exif tag 0x927C) of an EXIF payload: where its bytes lie in the payload, so
/// that vendor blocks libexif does not decode can be read with offsets against the right base.
struct MakerNoteBlock {
    /// The whole payload, in the TIFF header's byte order.
    let tiff: TIFFBytes
    /// The note's first byte, relative to the TIFF header.
    let offset: Int
    let count: Int

    /// The note's bytes.
    var bytes: ArraySlice<UInt8> { tiff.bytes[offset ..< offset + count] }

    /// Finds IFD0, its Exif IFD pointer (0x8769) and there the MakerNote; nil when any step is
    /// missing or points outside the payload, or the note is shorter than 8 bytes.
    init?(tiff payload: [UInt8]) {
        guard payload.count >= 8 else { return nil }
        let little: Bool
        switch (payload[0], payload[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return nil
        }
        let tiff = TIFFBytes(bytes: payload, littleEndian: little)
        guard let ifd0Offset = tiff.u32(4), let ifd0 = tiff.directory(at: Int(ifd0Offset)),
              let pointer = ifd0.first(where: { $0.tag == 0x8769 && ($0.type == 4 || $0.type == 13) }),
              let exifOffset = tiff.u32(pointer.fieldOffset), let exif = tiff.directory(at: Int(exifOffset)),
              let note = exif.first(where: { $0.tag == 0x927C }), let size = note.size, size >= 8,
              let start = tiff.valueOffset(note) else { return nil }
        self.tiff = tiff
        offset = start
        count = size
    }
}
