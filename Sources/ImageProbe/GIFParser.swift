/// Reads a GIF's logical screen descriptor, then walks its blocks (extensions and frames, each
/// with its data sub-blocks) to check that every frame lies inside the logical screen: libgd
/// refuses a frame that does not, and browsers clip it.
///
/// A file that ends inside the blocks, or a byte that introduces no block, ends the walk
/// without damage: GIFs without a trailer are common and every decoder shows them.
final class GIFParser: ContainerParser {
    func finish(file: RandomAccessBytes) throws -> ImageInfo {
        var info = ImageInfo(format: .gif)
        // "GIF89a", then the logical screen descriptor: width, height (LE16), flags, background, aspect.
        guard let head = try file.exactly(at: 0, count: 13) else {
            info.noteDamage("truncated: no logical screen descriptor")
            return info
        }
        let screenWidth = Int(head.le16(6)), screenHeight = Int(head.le16(8))
        info.setSize(width: screenWidth, height: screenHeight)
        guard screenWidth > 0, screenHeight > 0 else {
            info.noteDamage("invalid logical screen size \(screenWidth)x\(screenHeight)")
            return info
        }
        let reader = WindowedReader(file)
        var offset = 13 + Self.colorTableSize(flags: head[10])
        var frames = 0
        walk: while let introducer = try reader.byte(at: offset) {
            switch introducer {
            case 0x2C:
                // Image descriptor: left, top, width, height (LE16), flags; then a local colour
                // table, the LZW minimum code size and the data sub-blocks.
                frames += 1
                guard let d = try reader.exactly(at: offset + 1, count: 9) else { break walk }
                let left = Int(d.le16(0)), top = Int(d.le16(2)), width = Int(d.le16(4)), height = Int(d.le16(6))
                if left + width > screenWidth || top + height > screenHeight {
                    info.noteDamage("frame \(frames) (\(width)x\(height) at \(left),\(top)) lies outside the "
                        + "\(screenWidth)x\(screenHeight) logical screen")
                    break walk
                }
                offset += 10 + Self.colorTableSize(flags: d[8]) + 1
            case 0x21:
                // Extension: its label, then sub-blocks.
                offset += 2
            default:
                // 0x3B is the trailer; anything else means the walk lost its place.
                break walk
            }
            // Sub-blocks: a length byte, that many bytes; a zero length ends them. Each step
            // moves forward, so the walk ends within the file's size.
            while let length = try reader.byte(at: offset) {
                offset += 1 + Int(length)
                if length == 0 { continue walk }
            }
            break walk
        }
        return info
    }

    /// The bytes of the colour table that `flags` (of a screen or image descriptor) announces.
    private static func colorTableSize(flags: UInt8) -> Int {
        flags & 0x80 == 0 ? 0 : 3 << (Int(flags & 0x07) + 1)
    }
}
