/// Reads a GIF's logical screen descriptor. The block structure after it is not walked, so a
/// truncated frame is not detected.
final class GIFParser: ContainerParser {
    func finish(file: RandomAccessBytes) throws -> ImageInfo {
        var info = ImageInfo(format: .gif)
        // "GIF89a", then the logical screen descriptor: width, height (LE16), flags, background, aspect.
        guard let head = try file.exactly(at: 0, count: 13) else {
            info.noteDamage("truncated: no logical screen descriptor")
            return info
        }
        info.setSize(width: Int(head.le16(6)), height: Int(head.le16(8)))
        return info
    }
}
