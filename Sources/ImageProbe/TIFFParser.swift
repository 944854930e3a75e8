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
                if width == 0 || height == 0 { info.noteDamage("invalid image size \(width)x\(height) in ifd0") }
            } else {
                info.width = width
                info.height = height
                info.noteDamage("ifd0 has no ImageWidth or ImageLength")
            }
            if ifd0.truncated { info.noteDamage("truncated: ifd0 extends past end of file") }
            try Self.checkPixelsInFile(ifd0, reader, &info)
            let (exif, warnings) = try TIFFExifPayload.payload(ifd0: ifd0, reader)
            info.exif = exif
            info.warnings += warnings
            let (xmp, xmpWarning) = try XMPPacket.fromTIFF(ifd0, reader)
            info.xmp = xmp
            if let xmpWarning { info.warnings.append(xmpWarning) }
        }
        return info
    }

    /// Notes damage when a strip or tile of IFD0 (its offset plus its byte count) ends past the
    /// end of the file, as a header that lost its tail does: libtiff would read short and pad.
    /// The first `ProbeLimits.structureSteps` strips or tiles are checked; real files have tens
    /// to thousands.
    static func checkPixelsInFile(_ ifd0: TIFFDirectory, _ reader: WindowedReader, _ info: inout ImageInfo) throws {
        let layouts: [(offsets: UInt16, counts: UInt16, offsetsName: String, countsName: String, piece: String)] = [
            (273, 279, "StripOffsets", "StripByteCounts", "strip"),
            (324, 325, "TileOffsets", "TileByteCounts", "tile"),
        ]
        for layout in layouts {
            let limit = ProbeLimits.structureSteps
            guard let offsets = try ifd0.integers(tag: layout.offsets, name: layout.offsetsName, reader, limit: limit),
                  let counts = try ifd0.integers(tag: layout.counts, name: layout.countsName, reader, limit: limit)
            else { continue }
            switch (offsets, counts) {
            case (.failure(let reason), _), (_, .failure(let reason)):
                info.noteDamage(reason.message)
            case (.success(let offsets), .success(let counts)):
                for (i, (offset, count)) in zip(offsets, counts).enumerated() {
                    let (end, overflow) = offset.addingReportingOverflow(count)
                    if overflow || end > UInt64(reader.size) {
                        info.noteDamage("truncated: \(layout.piece) \(i) (offset \(offset), \(count) bytes) runs past end of file")
                        break
                    }
                }
            }
        }
    }
}
