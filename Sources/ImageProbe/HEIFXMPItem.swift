/// Finds a HEIF file's XMP: the first `mime` item of iinf whose content type is
/// `application/rdf+xml`, its bytes gathered from iloc as for the Exif item (`HEIFExifItem`).
enum HEIFXMPItem {
    static let contentType = Array("application/rdf+xml".utf8)

    /// The packet and a warning when the item is broken; (nil, nil) when there is none.
    static func packet(_ boxes: HEIFExifItem.Boxes, _ walker: ISOBoxWalker) throws -> (xmp: [UInt8]?, warning: String?) {
        guard let iinf = boxes.iinf, let item = try xmpItemID(iinf, walker) else { return (nil, nil) }
        guard let iloc = boxes.iloc else { return (nil, "xmp item \(item) has no location: no iloc box") }
        switch try HEIFExifItem.itemData(item, iloc: iloc, idat: boxes.idat, walker.reader) {
        case .failure(let reason): return (nil, "xmp item \(item): \(reason.message)")
        case .success(let bytes):
            guard bytes.count <= ProbeLimits.xmpBytes else { return (nil, XMPPacket.tooLargeWarning(size: bytes.count)) }
            return (bytes, nil)
        }
    }

    /// The id of the first infe entry of type `mime` with content type `application/rdf+xml`.
    static func xmpItemID(_ iinf: ISOBox, _ walker: ISOBoxWalker) throws -> UInt32? {
        guard let head = try walker.reader.exactly(at: iinf.payloadStart, count: min(iinf.payloadSize, 8)),
              head.count >= 6 else { return nil }
        let entriesStart = iinf.payloadStart + (head[0] == 0 ? 6 : 8)
        guard entriesStart <= iinf.end else { return nil }
        var found: UInt32?
        _ = try walker.forEachBox(in: entriesStart ..< iinf.end) { infe in
            // Version, flags, item id (16 or 32 bits), protection index, type, then for `mime`
            // the NUL-ended item name and content type. Names are short: 512 bytes suffice.
            guard infe.type == UInt32(fourCC: "infe"),
                  let p = try walker.reader.exactly(at: infe.payloadStart, count: min(infe.payloadSize, 512)),
                  p.count >= 12, p[0] == 2 || p[0] == 3 else { return true }
            let wide = p[0] == 3
            let typeAt = wide ? 10 : 8
            guard p.count >= typeAt + 4, p.be32(typeAt) == UInt32(fourCC: "mime") else { return true }
            var rest = p[(typeAt + 4)...]
            guard let nameEnd = rest.firstIndex(of: 0) else { return true }
            rest = rest[(nameEnd + 1)...]
            let type = rest.prefix(while: { $0 != 0 })
            if type.elementsEqual(contentType) {
                found = wide ? p.be32(4) : UInt32(p.be16(4))
                return false
            }
            return true
        }
        return found
    }
}
