/// Finds XMP packets in containers (docs/metadata.md, "Where the XMP packet comes from").
///
/// Only the bytes are found here; parsing them is `ImgrepoXMP`'s job. Every packet is bounded
/// by `ProbeLimits.xmpBytes`: a larger one is dropped with a warning. JPEG's Extended XMP
/// (`http://ns.adobe.com/xmp/extension/` APP1 segments, for packets over 64 KiB) is ignored:
/// the standard packet holds the fields imgrepo records.
enum XMPPacket {
    /// The APP1 signature of a JPEG's standard XMP packet, NUL included.
    static let jpegSignature = Array("http://ns.adobe.com/xap/1.0/".utf8) + [0]
    /// The iTXt keyword of a PNG's XMP packet.
    static let pngKeyword = Array("XML:com.adobe.xmp".utf8)
    /// TIFF's XMLPacket tag.
    static let tiffTag: UInt16 = 700

    static func tooLargeWarning(size: Int) -> String {
        "xmp packet of \(size) bytes exceeds the \(ProbeLimits.xmpBytes / (1024 * 1024)) MiB limit; ignored"
    }

    /// The packet of a JPEG APP1 payload, or nil when the segment is not standard XMP.
    static func fromJPEG(_ payload: [UInt8]) -> [UInt8]? {
        guard payload.count >= jpegSignature.count, payload.prefix(jpegSignature.count).elementsEqual(jpegSignature)
        else { return nil }
        return Array(payload.dropFirst(jpegSignature.count))
    }

    /// Whether a PNG text chunk's data starts with the XMP keyword and its NUL.
    static func hasPNGKeyword<C: Collection>(_ data: C) -> Bool where C.Element == UInt8 {
        let prefix = data.prefix(pngKeyword.count + 1)
        return prefix.count == pngKeyword.count + 1 && prefix.elementsEqual(pngKeyword + [0])
    }

    /// The packet of an iTXt chunk whose keyword is `XML:com.adobe.xmp`, inflated when the chunk
    /// is compressed, a warning when it cannot be read, or (nil, nil) for any other text chunk.
    static func fromPNG(chunkType: UInt32, _ data: ArraySlice<UInt8>) -> (xmp: [UInt8]?, warning: String?) {
        guard chunkType == UInt32(fourCC: "iTXt"), hasPNGKeyword(data) else { return (nil, nil) }
        guard let (text, method) = PNGText.body(chunkType: chunkType, data.dropFirst(pngKeyword.count + 1)) else {
            return (nil, "xmp iTXt chunk truncated")
        }
        guard let method else {
            guard text.count <= ProbeLimits.xmpBytes else { return (nil, tooLargeWarning(size: text.count)) }
            return (Array(text), nil)
        }
        switch PNGText.inflate(text, method: method, limit: ProbeLimits.xmpBytes) {
        case .success(let packet): return (packet, nil)
        case .failure(let failure): return (nil, "xmp iTXt chunk \(failure.description)")
        }
    }

    /// The packet of a TIFF's tag 700 in `ifd0` (BYTE or UNDEFINED), with a warning when it
    /// lies outside the file or exceeds the limit.
    static func fromTIFF(_ ifd0: TIFFDirectory, _ reader: WindowedReader) throws -> (xmp: [UInt8]?, warning: String?) {
        guard let entry = ifd0.entries.first(where: { $0.tag == tiffTag }) else { return (nil, nil) }
        guard entry.type == 1 || entry.type == 7 || entry.type == 2 else {
            return (nil, "xmp tag 700 has type \(entry.type), not BYTE or UNDEFINED; ignored")
        }
        guard entry.count <= UInt64(ProbeLimits.xmpBytes) else { return (nil, tooLargeWarning(size: Int(min(entry.count, UInt64(Int32.max))))) }
        let count = Int(entry.count)
        if count <= entry.valueField.count { return (Array(entry.valueField.prefix(count)), nil) }
        let offset = ifd0.bigTIFF ? ifd0.u64(entry.valueField, 0) : UInt64(ifd0.u32(entry.valueField, 0))
        guard offset <= UInt64(reader.size), let bytes = try reader.exactly(at: Int(offset), count: count) else {
            return (nil, "xmp tag 700 of \(count) bytes at offset \(offset) extends past end of file")
        }
        return (bytes, nil)
    }
}
