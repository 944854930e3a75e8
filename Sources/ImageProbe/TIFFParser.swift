/// Reads a TIFF's (or BigTIFF's) header and first image file directory, which may lie anywhere
/// in the file, for ImageWidth (256) and ImageLength (257).
///
/// The file's own directories are its EXIF: IFD0 and the Exif and GPS IFDs it points to are
/// copied into a compact payload (`TIFFExifPayload`) for the EXIF decoder.
final class TIFFParser: ContainerParser {
    func finish(file: RandomAccessBytes) throws -> ImageInfo {
        var info = ImageInfo(format: .tiff)
        let reader = WindowedReader(file)
        switch try TIFFDirectory.readFirst(reader) {
        case .failure(let reason):
            info.noteDamage(reason.message)
        case .success(let ifd0):
            let width = ifd0.integer(tag: 256)
            let height = ifd0.integer(tag: 257)
            if let width, let height {
                info.setSize(width: width, height: height)
            } else {
                info.width = width
                info.height = height
                info.noteDamage("ifd0 has no ImageWidth or ImageLength")
            }
            if ifd0.truncated { info.noteDamage("truncated: ifd0 extends past end of file") }
            let (exif, warnings) = try TIFFExifPayload.payload(ifd0: ifd0, reader)
            info.exif = exif
            info.warnings += warnings
            let (xmp, xmpWarning) = try XMPPacket.fromTIFF(ifd0, reader)
            info.xmp = xmp
            if let xmpWarning { info.warnings.append(xmpWarning) }
        }
        return info
    }
}
