/// Inspects an image while its bytes stream past (for hashing and copying), then answers with
/// `ImageInfo`. Memory stays bounded whatever the file's size: the inspector keeps only the
/// segments it needs (headers, the EXIF block up to 16 MiB).
public final class ImageInspector {
    public let format: ImageFormat
    private let parser: any ContainerParser

    /// - Parameter format: what `ImageFormat.sniff` said about the file's first bytes.
    public init(format: ImageFormat) {
        self.format = format
        // JPEG and PNG are walked while streaming: their structure is a linear chain that covers
        // the whole file. The others keep their headers at offsets that random access reaches
        // cheaply once the file is on disk.
        switch format {
        case .jpeg: parser = JPEGScanner()
        case .png: parser = PNGScanner()
        case .gif: parser = GIFParser()
        case .webp: parser = WebPParser()
        case .tiff: parser = TIFFParser()
        case .bmp: parser = BMPParser()
        case .heic, .heif, .avif: parser = HEIFParser(format: format)
        }
    }

    /// Feeds the next bytes of the file, in order, from the first byte to the last.
    public func consume(_ chunk: UnsafeRawBufferPointer) {
        parser.consume(chunk)
    }

    /// Whether the metadata has all gone past (JPEG: the first scan began), so that a caller
    /// wanting only EXIF, XMP and the size may stop feeding and call `finish`; the result then
    /// says the file is truncated, which such a caller ignores. Always false for the formats
    /// read by random access.
    public var metadataComplete: Bool { parser.metadataComplete }

    /// Called once after the last `consume`. `file` gives random access to the same bytes
    /// (for formats whose headers may lie anywhere, such as TIFF and HEIF).
    /// Structural problems are reported in `ImageInfo.damage`, never thrown; only `file`'s
    /// own read errors propagate.
    public func finish(file: RandomAccessBytes) throws -> ImageInfo {
        try parser.finish(file: file)
    }
}

extension ImageInspector {
    /// Sniffs and inspects a file held in memory, feeding it in `chunkSize` pieces as the
    /// uploader would; nil when `bytes` start with no known signature.
    public static func inspect(_ bytes: [UInt8], chunkSize: Int = 1 << 20) -> ImageInfo? {
        guard let format = bytes.withUnsafeBytes({ ImageFormat.sniff(UnsafeRawBufferPointer(rebasing: $0.prefix(ImageFormat.signatureLength))) })
        else { return nil }
        let inspector = ImageInspector(format: format)
        bytes.withUnsafeBytes { all in
            var offset = 0
            let step = max(1, chunkSize)
            while offset < all.count {
                let end = min(all.count, offset + step)
                inspector.consume(UnsafeRawBufferPointer(rebasing: all[offset ..< end]))
                offset = end
            }
        }
        // In-memory reads cannot fail.
        return try? inspector.finish(file: InMemoryBytes(bytes))
    }
}
