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
        try HEIFExifItem.firstItemID(iinf, walker) { entry, typeAt in
            guard entry.be32(typeAt) == UInt32(fourCC: "mime") else { return false }
            var rest = entry[(typeAt + 4)...]
            guard let nameEnd = rest.firstIndex(of: 0) else { return false }
            rest = rest[(nameEnd + 1)...]
            return rest.prefix(while: { $0 != 0 }).elementsEqual(contentType)
        }
    }
}
