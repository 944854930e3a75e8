/// Finds a HEIF file's EXIF: the first item of type `Exif` in iinf, its bytes gathered from the
/// extents iloc gives (in the file, or in meta's idat box), then skipped past the 4-byte
/// big-endian offset that precedes the TIFF header (ISO/IEC 23008-12, ExifDataBlock).
enum HEIFExifItem {
    /// The boxes of meta this needs.
    struct Boxes {
        var iinf: ISOBox?
        var iloc: ISOBox?
        var idat: ISOBox?
    }

    /// The payload (starting at its TIFF header) and a warning when the item is broken;
    /// (nil, nil) when the file has no Exif item.
    static func payload(_ boxes: Boxes, _ walker: ISOBoxWalker) throws -> (exif: [UInt8]?, warning: String?) {
        guard let iinf = boxes.iinf, let item = try exifItemID(iinf, walker) else { return (nil, nil) }
        guard let iloc = boxes.iloc else { return (nil, "exif item \(item) has no location: no iloc box") }
        let data: [UInt8]
        switch try itemData(item, iloc: iloc, idat: boxes.idat, walker.reader) {
        case .failure(let reason): return (nil, "exif item \(item): \(reason.message)")
        case .success(let bytes): data = bytes
        }
        guard data.count >= 4 else { return (nil, "exif item \(item) has \(data.count) bytes, fewer than its 4-byte header") }
        let skip = Int(data.be32(0))
        // Some writers put "Exif\0\0" after the offset and count it, some do not: normalize
        // accepts both once the declared offset is skipped.
        guard skip <= data.count - 4 else {
            return (nil, "exif item \(item) declares its tiff header at offset \(skip), past its \(data.count) bytes")
        }
        return ExifPayload.normalize(data[(4 + skip)...])
    }

    /// The id of the first infe entry of type `Exif`, or nil.
    static func exifItemID(_ iinf: ISOBox, _ walker: ISOBoxWalker) throws -> UInt32? {
        try firstItemID(iinf, walker) { entry, typeAt in entry.be32(typeAt) == UInt32(fourCC: "Exif") }
    }

    /// The id of the first infe entry (version 2 or 3, the ones that carry a type) for which
    /// `matches(entry, typeAt)` holds, given the entry's first 512 bytes and where its
    /// four-character type sits; nil when none does.
    static func firstItemID(_ iinf: ISOBox, _ walker: ISOBoxWalker,
                            matching matches: (_ entry: [UInt8], _ typeAt: Int) -> Bool) throws -> UInt32? {
        guard let head = try walker.reader.exactly(at: iinf.payloadStart, count: min(iinf.payloadSize, 8)),
              head.count >= 6 else { return nil }
        // A full box: version 0 counts entries in 16 bits, later versions in 32.
        let entriesStart = iinf.payloadStart + (head[0] == 0 ? 6 : 8)
        guard entriesStart <= iinf.end else { return nil }
        var found: UInt32?
        _ = try walker.forEachBox(in: entriesStart ..< iinf.end) { infe in
            // Version, flags, item id (16 or 32 bits), protection index (16 bits), then the
            // four-character type (and, for `mime`, the NUL-ended name and content type).
            guard infe.type == UInt32(fourCC: "infe"),
                  let p = try walker.reader.exactly(at: infe.payloadStart, count: min(infe.payloadSize, 512)),
                  p.count >= 12, p[0] == 2 || p[0] == 3 else { return true }
            let wide = p[0] == 3
            let typeAt = wide ? 10 : 8
            guard p.count >= typeAt + 4, matches(p, typeAt) else { return true }
            found = wide ? p.be32(4) : UInt32(p.be16(4))
            return false
        }
        return found
    }

    struct Failure: Error {
        let message: String
    }

    /// The bytes of `item`, its extents concatenated, at most `ProbeLimits.exifBytes`.
    static func itemData(_ item: UInt32, iloc: ISOBox, idat: ISOBox?, _ reader: WindowedReader) throws -> Result<[UInt8], Failure> {
        guard iloc.payloadSize <= ProbeLimits.exifBytes,
              let p = try reader.exactly(at: iloc.payloadStart, count: iloc.payloadSize), p.count >= 8 else {
            return .failure(Failure(message: "iloc box unreadable"))
        }
        let version = p[0]
        guard version <= 2 else { return .failure(Failure(message: "iloc version \(version) unknown")) }
        let offsetSize = Int(p[4] >> 4), lengthSize = Int(p[4] & 0xF)
        let baseOffsetSize = Int(p[5] >> 4), indexSize = version >= 1 ? Int(p[5] & 0xF) : 0
        for size in [offsetSize, lengthSize, baseOffsetSize, indexSize] where ![0, 4, 8].contains(size) {
            return .failure(Failure(message: "iloc field size \(size) invalid"))
        }
        var pos = 6
        /// The next `size`-byte big-endian number, or nil past the box's end.
        func number(_ size: Int) -> UInt64? {
            guard pos + size <= p.count else { return nil }
            defer { pos += size }
            switch size {
            case 0: return 0
            case 2: return UInt64(p.be16(pos))
            case 4: return UInt64(p.be32(pos))
            default: return p.be64(pos)
            }
        }
        let truncated = Failure(message: "iloc box truncated")
        guard let itemCount = number(version < 2 ? 2 : 4) else { return .failure(truncated) }
        for _ in 0 ..< min(Int(itemCount), ProbeLimits.structureSteps) {
            guard let id = number(version < 2 ? 2 : 4) else { return .failure(truncated) }
            var method: UInt64 = 0
            if version >= 1 {
                guard let m = number(2) else { return .failure(truncated) }
                method = m & 0xF
            }
            guard number(2) != nil, let base = number(baseOffsetSize), let extentCount = number(2) else {
                return .failure(truncated)
            }
            var extents: [(offset: UInt64, length: UInt64)] = []
            for _ in 0 ..< extentCount {
                guard number(indexSize) != nil, let offset = number(offsetSize), let length = number(lengthSize) else {
                    return .failure(truncated)
                }
                extents.append((offset, length))
            }
            guard UInt32(truncatingIfNeeded: id) == item else { continue }
            return try read(extents, base: base, method: method, idat: idat, reader)
        }
        return .failure(Failure(message: "not in iloc"))
    }

    private static func read(_ extents: [(offset: UInt64, length: UInt64)], base: UInt64, method: UInt64,
                             idat: ISOBox?, _ reader: WindowedReader) throws -> Result<[UInt8], Failure> {
        // Construction method 0 addresses the file, 1 the payload of meta's idat box; 2 (other
        // items) is not used for EXIF by any writer known.
        let region: Range<Int>
        switch method {
        case 0: region = 0 ..< reader.size
        case 1:
            guard let idat else { return .failure(Failure(message: "stored in idat, but meta has no idat box")) }
            region = idat.payloadStart ..< idat.end
        default: return .failure(Failure(message: "construction method \(method) not supported"))
        }
        var data: [UInt8] = []
        for extent in extents {
            let (start, overflow) = base.addingReportingOverflow(extent.offset)
            guard !overflow, start <= UInt64(region.count) else {
                return .failure(Failure(message: "extent at offset \(start) lies outside the file"))
            }
            let from = region.lowerBound + Int(start)
            // A length of 0 means "to the end" of the file or idat.
            let length = extent.length == 0 ? UInt64(region.upperBound - from) : extent.length
            guard length <= UInt64(ProbeLimits.exifBytes - data.count) else {
                return .failure(Failure(message: ExifPayload.tooLargeWarning(size: data.count + Int(min(length, UInt64(Int32.max))))))
            }
            guard Int(length) <= region.upperBound - from, let bytes = try reader.exactly(at: from, count: Int(length)) else {
                return .failure(Failure(message: "extent of \(length) bytes at offset \(from) extends past end of file"))
            }
            data += bytes
        }
        return .success(data)
    }
}
