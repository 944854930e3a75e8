/// Rebuilds the EXIF-bearing directories of a TIFF file (IFD0 and the Exif, GPS and
/// Interoperability IFDs it points to) as one compact TIFF payload for the EXIF decoder.
///
/// Why a copy and not the file itself: a TIFF's directories usually sit after the pixel data,
/// so the bytes from the header to the last directory are about the whole file, often far more
/// than `ProbeLimits.exifBytes`. The copy keeps each entry's type, count and value bytes and
/// relocates the values, so offsets into the pixel data (strips, tiles, sub-IFDs) and blocks
/// whose insides hold file offsets (the maker note) are left out; so are XMP, IPTC, Photoshop
/// and ICC blocks, which the EXIF decoder does not read. Classic TIFF only: BigTIFF directories
/// use 8-byte offsets that an EXIF decoder does not understand.
enum TIFFExifPayload {
    static let exifPointer: UInt16 = 0x8769
    static let gpsPointer: UInt16 = 0x8825
    static let interopPointer: UInt16 = 0xA005

    /// Tags whose values are offsets into the file or blocks the EXIF decoder does not read.
    static let leftOut: Set<UInt16> = [
        273, 279, 324, 325,  // StripOffsets, StripByteCounts, TileOffsets, TileByteCounts
        0x014A,              // SubIFDs
        0x0201, 0x0202,      // JPEGInterchangeFormat (old-style JPEG) and its length
        0x927C,              // MakerNote: its entries hold offsets from the original header
        0x02BC, 0x83BB, 0x8649, 0x8773,  // XMP, IPTC, Photoshop, ICC profile
    ]

    /// Tags that only describe how the pixels are stored. A TIFF whose IFD0 holds nothing else
    /// carries no metadata worth decoding, and gets no payload (EXIF status "absent").
    static let imageStructure: Set<UInt16> = [
        254, 255, 256, 257, 258, 259, 262, 263, 266, 273, 277, 278, 279, 280, 281, 282, 283, 284,
        290, 291, 296, 317, 318, 319, 320, 322, 323, 324, 325, 338, 339, 340, 341, 529, 530, 531, 532,
    ]

    private struct Field {
        var tag: UInt16
        var type: UInt16
        var count: UInt32
        /// The value bytes in the file's byte order; for a pointer, the pointed directory.
        var data: [UInt8]
        var pointsTo: Int?
    }

    /// The payload (starting at its TIFF header), or nil when IFD0 yields no entry; warnings
    /// say what was left out because the file is broken or too large.
    static func payload(ifd0: TIFFDirectory, _ reader: WindowedReader) throws -> (exif: [UInt8]?, warnings: [String]) {
        guard !ifd0.bigTIFF else { return (nil, []) }
        var warnings: [String] = []
        var budget = ProbeLimits.exifBytes

        /// The entries of `dir` worth copying; `pointers` maps pointer tags to the index the
        /// directory they point to will have in `blocks`.
        func copy(_ dir: TIFFDirectory, name: String, pointers: [UInt16]) throws -> [Field]? {
            var fields: [Field] = []
            for entry in dir.entries {
                if pointers.contains(entry.tag) {
                    let offset = Int(dir.u32(entry.valueField, 0))
                    guard entry.count == 1, entry.type == 4 || entry.type == 13, offset >= 8, offset < reader.size else {
                        warnings.append("\(name) pointer 0x\(hex(entry.tag)) to offset \(offset) lies outside the file")
                        continue
                    }
                    fields.append(Field(tag: entry.tag, type: 4, count: 1, data: [], pointsTo: offset))
                    continue
                }
                // A pointer tag where it does not belong (a GPS IFD holding 0x8769, say) would
                // point the decoder into the copy at random: left out, like other offsets.
                if [exifPointer, gpsPointer, interopPointer].contains(entry.tag) { continue }
                guard !leftOut.contains(entry.tag), let unit = unitSize(entry.type) else { continue }
                guard entry.count <= UInt64(budget / unit) else { return nil }
                let size = Int(entry.count) * unit
                var data: [UInt8]
                if size <= 4 {
                    data = Array(entry.valueField.prefix(size))
                } else {
                    let offset = Int(dir.u32(entry.valueField, 0))
                    guard let value = try reader.exactly(at: offset, count: size) else {
                        warnings.append("\(name) tag 0x\(hex(entry.tag)) has its value outside the file; left out")
                        continue
                    }
                    data = value
                }
                budget -= size + 12
                guard budget >= 0 else { return nil }
                fields.append(Field(tag: entry.tag, type: entry.type, count: UInt32(entry.count), data: data, pointsTo: nil))
            }
            return fields
        }

        func subdirectory(_ fields: inout [Field], tag: UInt16, name: String, pointers: [UInt16]) throws -> [Field]? {
            guard let i = fields.firstIndex(where: { $0.tag == tag }), let offset = fields[i].pointsTo else { return [] }
            let dir = try TIFFDirectory.read(reader, at: offset, littleEndian: ifd0.littleEndian, bigTIFF: false)
            if dir.truncated { warnings.append("truncated: \(name) at offset \(offset) extends past end of file") }
            return try copy(dir, name: name, pointers: pointers)
        }

        let tooLarge = warnings + [ExifPayload.tooLargeWarning(size: ProbeLimits.exifBytes + 1)]
        guard var main = try copy(ifd0, name: "ifd0", pointers: [exifPointer, gpsPointer]) else { return (nil, tooLarge) }
        guard var exif = try subdirectory(&main, tag: exifPointer, name: "exif ifd", pointers: [interopPointer]),
              let gps = try subdirectory(&main, tag: gpsPointer, name: "gps ifd", pointers: []),
              let interop = try subdirectory(&exif, tag: interopPointer, name: "interoperability ifd", pointers: [])
        else { return (nil, tooLarge) }
        // A pointer to a directory that yielded nothing is dropped, as is the directory.
        if interop.isEmpty { exif.removeAll { $0.tag == interopPointer } }
        if exif.isEmpty { main.removeAll { $0.tag == exifPointer } }
        if gps.isEmpty { main.removeAll { $0.tag == gpsPointer } }
        guard main.contains(where: { !imageStructure.contains($0.tag) }) else { return (nil, warnings) }
        let blocks = [main, exif, gps, interop].filter { !$0.isEmpty }
        return (write(blocks, littleEndian: ifd0.littleEndian), warnings)
    }

    /// Bytes per component of a TIFF field type, nil for unknown types.
    static func unitSize(_ type: UInt16) -> Int? {
        switch type {
        case 1, 2, 6, 7: 1
        case 3, 8: 2
        case 4, 9, 11, 13: 4
        case 5, 10, 12: 8
        default: nil
        }
    }

    /// Header, then each directory followed by its long values. Pointer fields of the first
    /// two blocks are patched to the blocks that follow, in the order exif, gps, interop.
    private static func write(_ blocks: [[Field]], littleEndian: Bool) -> [UInt8] {
        func u16(_ v: UInt16) -> [UInt8] { littleEndian ? [UInt8(v & 0xFF), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 0xFF)] }
        func u32(_ v: UInt32) -> [UInt8] {
            let be = [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
            return littleEndian ? be.reversed() : be
        }
        func size(_ fields: [Field]) -> Int {
            2 + 12 * fields.count + 4 + fields.reduce(0) { $0 + ($1.data.count > 4 ? ($1.data.count + 1) & ~1 : 0) }
        }
        // Where each directory starts, keyed by the pointer tag that leads to it.
        var starts: [Int] = []
        var offset = 8
        for block in blocks {
            starts.append(offset)
            offset += size(block)
        }
        var target: [UInt16: Int] = [:]
        var next = 1
        // `payload` keeps exactly one block per pointer it keeps, in this order.
        for tag in [exifPointer, gpsPointer, interopPointer]
        where next < starts.count && blocks.contains(where: { $0.contains { $0.tag == tag && $0.pointsTo != nil } }) {
            target[tag] = starts[next]
            next += 1
        }

        var out: [UInt8] = (littleEndian ? [0x49, 0x49, 0x2A, 0x00] : [0x4D, 0x4D, 0x00, 0x2A]) + u32(8)
        out.reserveCapacity(offset)
        for (block, start) in zip(blocks, starts) {
            let fields = block.sorted { $0.tag < $1.tag }
            var entries = u16(UInt16(fields.count))
            var values: [UInt8] = []
            let valuesStart = start + 2 + 12 * fields.count + 4
            for field in fields {
                entries += u16(field.tag) + u16(field.type) + u32(field.count)
                if field.pointsTo != nil {
                    entries += u32(UInt32(target[field.tag] ?? 0))
                } else if field.data.count > 4 {
                    entries += u32(UInt32(valuesStart + values.count))
                    values += field.data
                    if values.count % 2 == 1 { values.append(0) }
                } else {
                    entries += field.data + [UInt8](repeating: 0, count: 4 - field.data.count)
                }
            }
            out += entries + u32(0) + values
        }
        return out
    }

    private static func hex(_ tag: UInt16) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<4).map { digits[Int(tag >> (12 - 4 * UInt16($0)) & 0xF)] })
    }
}
