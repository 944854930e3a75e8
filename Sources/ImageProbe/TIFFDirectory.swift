/// One image file directory: its entries with their raw value fields.
struct TIFFDirectory {
    struct Entry {
        let tag: UInt16
        let type: UInt16
        let count: UInt64
        /// The 4-byte (8 in BigTIFF) value-or-offset field, as stored.
        let valueField: [UInt8]
    }

    struct Failure: Error {
        let message: String
    }

    let littleEndian: Bool
    let bigTIFF: Bool
    var entries: [Entry] = []
    /// The file ended inside the directory; `entries` holds those before the cut.
    var truncated = false

    /// IFD0 of the TIFF stream at the start of `reader`.
    static func readFirst(_ reader: WindowedReader) throws -> Result<TIFFDirectory, Failure> {
        guard let header = try reader.exactly(at: 0, count: 8) else {
            return .failure(Failure(message: "truncated: no tiff header"))
        }
        let little = header[0] == 0x49
        let magic = little ? header.le16(2) : header.be16(2)
        let big = magic == 43
        let ifdOffset: UInt64
        if big {
            guard let h = try reader.exactly(at: 8, count: 8) else {
                return .failure(Failure(message: "truncated: no bigtiff header"))
            }
            ifdOffset = little ? h.le64(0) : h.be64(0)
        } else {
            ifdOffset = UInt64(little ? header.le32(4) : header.be32(4))
        }
        guard ifdOffset >= 8, ifdOffset < UInt64(reader.size) else {
            return .failure(Failure(message: "ifd0 offset \(ifdOffset) past end of file"))
        }
        return .success(try read(reader, at: Int(ifdOffset), littleEndian: little, bigTIFF: big))
    }

    /// The directory at `offset`, with as many entries as the file holds (at most
    /// `ProbeLimits.structureSteps`).
    static func read(_ reader: WindowedReader, at offset: Int, littleEndian: Bool, bigTIFF: Bool) throws -> TIFFDirectory {
        var dir = TIFFDirectory(littleEndian: littleEndian, bigTIFF: bigTIFF)
        let countSize = bigTIFF ? 8 : 2
        let entrySize = bigTIFF ? 20 : 12
        guard let countBytes = try reader.exactly(at: offset, count: countSize) else {
            dir.truncated = true
            return dir
        }
        let declared = bigTIFF ? dir.u64(countBytes, 0) : UInt64(dir.u16(countBytes, 0))
        let count = Int(min(declared, UInt64(ProbeLimits.structureSteps)))
        let available = (reader.size - offset - countSize) / entrySize
        // The entries are followed by the next directory's offset.
        let nextOffsetSize = bigTIFF ? 8 : 4
        if available < count || reader.size - offset - countSize - count * entrySize < nextOffsetSize {
            dir.truncated = true
        }
        let body = try reader.bytes(at: offset + countSize, count: min(count, available) * entrySize)
        dir.entries.reserveCapacity(body.count / entrySize)
        var p = 0
        while p + entrySize <= body.count {
            let e = body[p ..< p + entrySize]
            dir.entries.append(Entry(
                tag: dir.u16(e, 0), type: dir.u16(e, 2),
                count: bigTIFF ? dir.u64(e, 4) : UInt64(dir.u32(e, 4)),
                valueField: Array(e.dropFirst(bigTIFF ? 12 : 8))))
            p += entrySize
        }
        return dir
    }

    /// The first value of `tag` when it is a SHORT, LONG or LONG8 stored in the entry itself.
    func integer(tag: UInt16) -> Int? {
        guard let e = entries.first(where: { $0.tag == tag }), e.count >= 1 else { return nil }
        switch e.type {
        case 3: return Int(u16(e.valueField, 0))
        case 4: return Int(u32(e.valueField, 0))
        case 16 where bigTIFF:
            let v = u64(e.valueField, 0)
            return v <= UInt64(Int32.max) ? Int(v) : nil
        default: return nil
        }
    }

    /// The values of `tag` when it is SHORT, LONG or LONG8 (the types of strip and tile offsets
    /// and byte counts), read from the file when they do not fit in the entry; at most `limit`
    /// of them. Nil when the tag is absent or of another type; a failure when the values lie
    /// outside the file.
    func integers(tag: UInt16, name: String, _ reader: WindowedReader, limit: Int) throws -> Result<[UInt64], Failure>? {
        guard let e = entries.first(where: { $0.tag == tag }) else { return nil }
        let unit: Int
        switch e.type {
        case 3: unit = 2
        case 4: unit = 4
        case 16 where bigTIFF: unit = 8
        default: return nil
        }
        let count = Int(min(e.count, UInt64(limit)))
        let bytes: [UInt8]
        if e.count <= UInt64(e.valueField.count / unit) {
            bytes = Array(e.valueField.prefix(count * unit))
        } else {
            let offset = bigTIFF ? u64(e.valueField, 0) : UInt64(u32(e.valueField, 0))
            guard offset < UInt64(reader.size), let values = try reader.exactly(at: Int(offset), count: count * unit) else {
                return .failure(Failure(message: "\(name) values lie past end of file"))
            }
            bytes = values
        }
        return .success((0 ..< count).map { i in
            switch unit {
            case 2: UInt64(u16(bytes, i * 2))
            case 4: UInt64(u32(bytes, i * 4))
            default: u64(bytes, i * 8)
            }
        })
    }

    func u16<C: RandomAccessCollection<UInt8>>(_ b: C, _ at: Int) -> UInt16 where C.Index == Int {
        littleEndian ? b.le16(at) : b.be16(at)
    }

    func u32<C: RandomAccessCollection<UInt8>>(_ b: C, _ at: Int) -> UInt32 where C.Index == Int {
        littleEndian ? b.le32(at) : b.be32(at)
    }

    func u64<C: RandomAccessCollection<UInt8>>(_ b: C, _ at: Int) -> UInt64 where C.Index == Int {
        littleEndian ? b.le64(at) : b.be64(at)
    }
}
