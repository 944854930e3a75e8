/// Finds a HEIF, HEIC or AVIF image's size in its metadata: ftyp, then meta (a full box) →
/// iprp → ipco → ispe, preferring the ispe that ipma associates with the primary item (pitm),
/// since thumbnails and grid tiles carry their own.
///
/// EXIF is the item of type `Exif` (iinf) located by iloc, both children of the same meta box
/// (`HEIFExifItem`).
final class HEIFParser: ContainerParser {
    let format: ImageFormat

    init(format: ImageFormat) {
        self.format = format
    }

    /// A property from ipco: its 1-based index and, for ispe, the size.
    private struct SpatialExtent {
        let index: Int
        let width: Int
        let height: Int
        /// Width × height without overflow: both are 32-bit values from the file, whose
        /// product can pass `Int.max` (the fuzzer found that trap: `ispeHugeExtents`).
        var area: UInt64 { UInt64(UInt32(truncatingIfNeeded: width)) * UInt64(UInt32(truncatingIfNeeded: height)) }
    }

    func finish(file: RandomAccessBytes) throws -> ImageInfo {
        var info = ImageInfo(format: format)
        let walker = ISOBoxWalker(WindowedReader(file))
        var meta: ISOBox?
        var first = true
        let topDamage = try walker.forEachBox(in: 0 ..< file.size) { box in
            if first, box.type != UInt32(fourCC: "ftyp") {
                info.noteDamage("first box is '\(box.type.fourCCString)', not ftyp")
            }
            first = false
            if box.type == UInt32(fourCC: "meta"), meta == nil { meta = box }
            return true
        }
        guard let meta else {
            info.noteDamage(topDamage ?? "no meta box")
            return info
        }
        try readMeta(meta, walker, into: &info)
        if let topDamage { info.noteDamage(topDamage) }
        return info
    }

    private func readMeta(_ meta: ISOBox, _ walker: ISOBoxWalker, into info: inout ImageInfo) throws {
        let reader = walker.reader
        // meta is a full box: version and flags precede its children.
        guard meta.payloadSize >= 4 else {
            info.noteDamage("meta box too short")
            return
        }
        var primary: UInt32?
        var extents: [SpatialExtent] = []
        var ipma: ISOBox?
        var sawIPRP = false
        var exifBoxes = HEIFExifItem.Boxes()
        let metaDamage = try walker.forEachBox(in: (meta.payloadStart + 4) ..< meta.end) { box in
            switch box.type {
            case UInt32(fourCC: "pitm"):
                if let p = try reader.exactly(at: box.payloadStart, count: min(box.payloadSize, 8)), p.count >= 6 {
                    primary = p[0] == 0 ? UInt32(p.be16(4)) : (p.count >= 8 ? p.be32(4) : nil)
                }
            case UInt32(fourCC: "iprp"):
                sawIPRP = true
                let damage = try walker.forEachBox(in: box.payloadStart ..< box.end) { child in
                    switch child.type {
                    case UInt32(fourCC: "ipco"):
                        let (found, damage) = try readExtents(child, walker)
                        extents = found
                        if let damage { info.noteDamage(damage) }
                    case UInt32(fourCC: "ipma"):
                        // Parsed after the walk, once pitm (which may come later) is known.
                        ipma = child
                    default:
                        break
                    }
                    return true
                }
                if let damage { info.noteDamage(damage) }
            case UInt32(fourCC: "iinf") where exifBoxes.iinf == nil:
                exifBoxes.iinf = box
            case UInt32(fourCC: "iloc") where exifBoxes.iloc == nil:
                exifBoxes.iloc = box
            case UInt32(fourCC: "idat") where exifBoxes.idat == nil:
                exifBoxes.idat = box
            default:
                break
            }
            return true
        }
        // A broken Exif item is a warning, not damage: the picture itself may be fine.
        let (exif, exifWarning) = try HEIFExifItem.payload(exifBoxes, walker)
        info.exif = exif
        if let exifWarning { info.warnings.append(exifWarning) }
        let (xmp, xmpWarning) = try HEIFXMPItem.packet(exifBoxes, walker)
        info.xmp = xmp
        if let xmpWarning { info.warnings.append(xmpWarning) }
        var associations: [Int]?
        if let ipma, let primary {
            associations = try propertyIndices(of: primary, ipma: ipma, reader)
        }
        if let metaDamage { info.noteDamage(metaDamage) }
        guard sawIPRP else {
            info.noteDamage("no iprp box in meta")
            return
        }
        let chosen = associations.flatMap { indices in
            indices.lazy.compactMap { i in extents.first { $0.index == i } }.first
        } ?? extents.max { $0.area < $1.area }
        guard let chosen else {
            info.noteDamage("no ispe property")
            return
        }
        info.setSize(width: chosen.width, height: chosen.height)
    }

    /// The ispe properties in `ipco`, and why the walk stopped early if it did.
    private func readExtents(_ ipco: ISOBox, _ walker: ISOBoxWalker) throws -> ([SpatialExtent], String?) {
        var extents: [SpatialExtent] = []
        var index = 0
        let damage = try walker.forEachBox(in: ipco.payloadStart ..< ipco.end) { property in
            index += 1
            // ispe: version and flags, then width and height as 32-bit integers.
            if property.type == UInt32(fourCC: "ispe"), property.payloadSize >= 12,
               let p = try walker.reader.exactly(at: property.payloadStart, count: 12) {
                extents.append(SpatialExtent(index: index, width: Int(p.be32(4)), height: Int(p.be32(8))))
            }
            return true
        }
        return (extents, damage)
    }

    /// The 1-based ipco indices that `ipma` associates with `item`, in order, or nil when the
    /// box is unreadable or does not mention the item.
    private func propertyIndices(of item: UInt32, ipma: ISOBox, _ reader: WindowedReader) throws -> [Int]? {
        guard ipma.payloadSize <= ProbeLimits.exifBytes,
              let p = try reader.exactly(at: ipma.payloadStart, count: ipma.payloadSize), p.count >= 8 else { return nil }
        let version = p[0]
        let wideIndices = p[3] & 1 != 0
        let entryCount = Int(p.be32(4))
        var pos = 8
        for _ in 0 ..< min(entryCount, ProbeLimits.structureSteps) {
            let idSize = version < 1 ? 2 : 4
            guard pos + idSize + 1 <= p.count else { return nil }
            let id = version < 1 ? UInt32(p.be16(pos)) : p.be32(pos)
            let count = Int(p[pos + idSize])
            pos += idSize + 1
            let indexSize = wideIndices ? 2 : 1
            guard pos + count * indexSize <= p.count else { return nil }
            if id == item {
                // The top bit of each association marks it essential; the rest is the index.
                return (0 ..< count).map { k in
                    wideIndices ? Int(p.be16(pos + 2 * k) & 0x7FFF) : Int(p[pos + k] & 0x7F)
                }
            }
            pos += count * indexSize
        }
        return nil
    }
}
