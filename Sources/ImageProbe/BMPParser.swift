/// Reads a BMP's file header and DIB header, and checks that uncompressed pixel rows fit.
final class BMPParser: ContainerParser {
    /// DIB header sizes that BMP writers produce: BITMAPCOREHEADER (12), BITMAPINFOHEADER (40),
    /// the Adobe variants (52, 56), OS/2 2.x (64), V4 (108) and V5 (124).
    static let knownHeaderSizes: Set<Int> = [12, 40, 52, 56, 64, 108, 124]

    func finish(file: RandomAccessBytes) throws -> ImageInfo {
        var info = ImageInfo(format: .bmp)
        guard let fileHeader = try file.exactly(at: 0, count: 18) else {
            info.noteDamage("truncated: no bitmap header")
            return info
        }
        let pixelOffset = Int(fileHeader.le32(10))
        let dibSize = Int(fileHeader.le32(14))
        guard Self.knownHeaderSizes.contains(dibSize) else {
            info.noteDamage("unknown bitmap header size \(dibSize)")
            return info
        }
        guard let dib = try file.exactly(at: 14, count: dibSize) else {
            info.noteDamage("truncated: bitmap header")
            return info
        }
        let width: Int, height: Int, bitCount: Int, compression: UInt32
        if dibSize == 12 {
            // BITMAPCOREHEADER: unsigned 16-bit dimensions.
            width = Int(dib.le16(4))
            height = Int(dib.le16(6))
            bitCount = Int(dib.le16(10))
            compression = 0
        } else {
            width = Int(Int32(bitPattern: dib.le32(4)))
            // Negative means the rows are stored top-down; the size is the magnitude.
            height = abs(Int(Int32(bitPattern: dib.le32(8))))
            bitCount = Int(dib.le16(14))
            compression = dib.le32(16)
        }
        guard width > 0 else {
            info.noteDamage("invalid bitmap width \(width)")
            return info
        }
        info.setSize(width: width, height: height)
        guard pixelOffset <= file.size else {
            info.noteDamage("truncated: pixel data offset \(pixelOffset) past end of file")
            return info
        }
        // Uncompressed rows are padded to 4 bytes; compressed sizes are not knowable from headers.
        // BI_RGB is 0, BI_BITFIELDS 3 and BI_ALPHABITFIELDS 6.
        if [0, 3, 6].contains(compression), (1 ... 32).contains(bitCount) {
            let (bits, o1) = width.multipliedReportingOverflow(by: bitCount)
            let rowBytes = (bits + 31) / 32 * 4
            let (total, o2) = rowBytes.multipliedReportingOverflow(by: height)
            if o1 || o2 || total > file.size - pixelOffset {
                info.noteDamage("truncated: pixel data ends past end of file")
            }
        }
        return info
    }
}
