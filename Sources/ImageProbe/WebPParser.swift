/// Walks a WebP's RIFF chunks: the size from VP8X (extended), VP8 (lossy) or VP8L (lossless),
/// the EXIF chunk, and whether the file holds all the bytes the RIFF header declares.
final class WebPParser: ContainerParser {
    func finish(file: RandomAccessBytes) throws -> ImageInfo {
        var info = ImageInfo(format: .webp)
        let reader = WindowedReader(file)
        guard let head = try reader.exactly(at: 0, count: 12) else {
            info.noteDamage("truncated: no riff header")
            return info
        }
        let riffEnd = 8 + Int(head.le32(4))
        if file.size < riffEnd {
            info.noteDamage("truncated: file has \(file.size) bytes, riff header declares \(riffEnd)")
        } else if file.size > riffEnd {
            info.warnings.append("\(file.size - riffEnd) bytes after the riff data")
        }
        let end = min(riffEnd, file.size)
        var offset = 12
        var steps = 0
        var sawImageChunk = false
        var sawExtendedSize = false
        while offset + 8 <= end {
            steps += 1
            guard steps <= ProbeLimits.structureSteps else {
                info.noteDamage("more than \(ProbeLimits.structureSteps) riff chunks")
                break
            }
            guard let chunkHeader = try reader.exactly(at: offset, count: 8) else { break }
            let type = chunkHeader.be32(0)
            let size = Int(chunkHeader.le32(4))
            let dataStart = offset + 8
            if size > end - dataStart {
                info.noteDamage("truncated: chunk '\(type.fourCCString)' at offset \(offset) extends past end of file")
            }
            switch type {
            case UInt32(fourCC: "VP8X"):
                sawImageChunk = true
                // Flags and 3 reserved bytes, then canvas width-1 and height-1 in 24 bits each.
                if let d = try reader.exactly(at: dataStart, count: 10), size >= 10 {
                    info.setSize(width: Int(d.le24(4)) + 1, height: Int(d.le24(7)) + 1)
                    sawExtendedSize = true
                } else {
                    info.noteDamage("vp8x chunk too short")
                }
            case UInt32(fourCC: "VP8 "):
                sawImageChunk = true
                // A 3-byte frame tag, the start code 9D 01 2A, then 14-bit width and height
                // (the top 2 bits are scaling).
                guard let d = try reader.exactly(at: dataStart, count: 10), size >= 10 else {
                    info.noteDamage("vp8 chunk too short")
                    break
                }
                let width = Int(d.le16(6) & 0x3FFF), height = Int(d.le16(8) & 0x3FFF)
                if d[3] != 0x9D || d[4] != 0x01 || d[5] != 0x2A {
                    info.noteDamage("vp8 chunk without a key frame start code")
                } else if width == 0 || height == 0 {
                    // VP8X and VP8L store size - 1 and cannot say 0; a lossy frame can, and
                    // libwebp refuses it.
                    info.noteDamage("invalid vp8 frame size \(width)x\(height)")
                } else if !sawExtendedSize {
                    info.setSize(width: width, height: height)
                }
            case UInt32(fourCC: "VP8L"):
                sawImageChunk = true
                // The signature 0x2F, then width-1 and height-1 in 14 bits each, LSB first.
                guard let d = try reader.exactly(at: dataStart, count: 5), size >= 5 else {
                    info.noteDamage("vp8l chunk too short")
                    break
                }
                if d[0] != 0x2F {
                    info.noteDamage("vp8l chunk without its signature byte")
                } else if !sawExtendedSize {
                    let bits = d.le32(1)
                    info.setSize(width: Int(bits & 0x3FFF) + 1, height: Int(bits >> 14 & 0x3FFF) + 1)
                }
            case UInt32(fourCC: "EXIF") where info.exif == nil:
                if size > ProbeLimits.exifBytes {
                    info.warnings.append(ExifPayload.tooLargeWarning(size: size))
                } else if let raw = try reader.exactly(at: dataStart, count: size) {
                    let (exif, warning) = ExifPayload.normalize(raw)
                    info.exif = exif
                    if let warning { info.warnings.append(warning) }
                }
            case UInt32(fourCC: "XMP ") where info.xmp == nil:
                if size > ProbeLimits.xmpBytes {
                    info.warnings.append(XMPPacket.tooLargeWarning(size: size))
                } else if let raw = try reader.exactly(at: dataStart, count: size) {
                    info.xmp = raw
                } else {
                    info.warnings.append("xmp chunk of \(size) bytes extends past end of file")
                }
            default:
                break
            }
            // Chunk data is padded to an even length.
            offset = dataStart + size + (size & 1)
        }
        if !sawImageChunk { info.noteDamage("no VP8, VP8L or VP8X chunk") }
        return info
    }
}
