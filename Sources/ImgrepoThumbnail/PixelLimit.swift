import ImageProbe

/// The most pixels one decode may have: the user's `--max-pixels`, lowered for the formats
/// libgd decodes whole, so that no input takes more than about 200 MiB to decode (issue 23).
///
/// JPEG is decoded by libjpeg-turbo at the smallest DCT scale the output needs and streamed a
/// few rows at a time, so its memory does not grow with the pixel count (a progressive JPEG's
/// coefficients are bounded apart, CImaging's IMAGING_JPEG_MEMORY). Every other format is
/// decoded by libgd into a full-size true-colour image, 4 bytes a pixel, plus what its reader
/// holds meanwhile: libgd's PNG reader keeps the whole decoded image besides (up to 4 more bytes
/// a pixel), its TIFF reader a full RGBA raster, its WebP reader the decoded ARGB; GIF and
/// palette images are 1 byte a pixel until converted (5 at the peak); libheif and libavif keep
/// YCbCr planes and an RGBA copy. A 121-megapixel PNG of 352 KB took 847 MB.
struct PixelLimit: Sendable {
    /// The limit.
    let pixels: Int
    /// What sets it, as the message says it: "(--max-pixels)" or the format's own.
    private let origin: String
    /// For a format whose libgd reader copies the whole file first (WebP, HEIF, AVIF): the bytes
    /// a pixel its decode holds at the peak; nil for the others.
    private let wholeFileBytesPerPixel: Int?
    private let formatName: String

    /// What a whole-file reader's decode may take at most: with the ~20 MiB a process needs
    /// besides, it stays under issue 23's 256 MiB for any input.
    static let wholeFileBudget = 224 * 1024 * 1024

    /// The limit for decoding `format` when the user asked for at most `maxPixels`.
    init(format: ImageFormat, maxPixels: Int) {
        formatName = format.decoderName
        wholeFileBytesPerPixel = switch format {
        case .webp: 8
        case .heic, .heif, .avif: 12
        default: nil
        }
        if let cap = Self.decoderCap(format), cap < maxPixels {
            pixels = cap
            origin = "for \(format.decoderName), which is decoded whole (--max-pixels cannot raise it)"
        } else {
            pixels = maxPixels
            origin = "(--max-pixels)"
        }
    }

    /// The most pixels libgd is given for `format`, from the bytes a pixel its reader holds at
    /// its peak (see the type's comment) against a budget of about 192 MB; nil for JPEG.
    static func decoderCap(_ format: ImageFormat) -> Int? {
        switch format {
        case .jpeg: nil
        case .png, .tiff, .webp: 24_000_000   // 8 bytes a pixel
        case .gif, .bmp: 40_000_000           // 5 bytes a pixel
        case .heic, .heif, .avif: 16_000_000  // about 12 bytes a pixel
        }
    }

    /// For a whole-file reader, why the file and its pixels together would pass
    /// `wholeFileBudget`, or nil. libgd copies such a file into a buffer it grows by doubling
    /// (up to twice the file), then decodes it: a 24 MP WebP with a 63 MiB tail took 274 MiB.
    func memoryProblem(width: Int, height: Int, fileSize: Int) -> String? {
        guard let perPixel = wholeFileBytesPerPixel else { return nil }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        let estimate = overflow ? Int.max : 2 * fileSize + perPixel * pixels
        guard estimate > Self.wholeFileBudget else { return nil }
        return "\(formatName) decoder: \(width)×\(height) in a file of \(fileSize / (1024 * 1024)) MiB would take about "
            + "\(overflow ? "too many" : String(estimate / (1024 * 1024))) MiB to decode, over the \(Self.wholeFileBudget / (1024 * 1024)) MiB bound"
    }

    /// True when `width`×`height` is more than the limit (overflow counts as more).
    func exceeded(width: Int, height: Int) -> Bool {
        let (count, overflow) = width.multipliedReportingOverflow(by: height)
        return overflow || count > pixels
    }

    /// "20000×20000 is 400 megapixels, over the 128-megapixel limit (--max-pixels)".
    func message(width: Int, height: Int) -> String {
        let (count, overflow) = width.multipliedReportingOverflow(by: height)
        let amount = overflow ? "too many pixels" : Self.count(count)
        let bound = pixels >= 100_000 && pixels % 100_000 == 0 ? "\(Self.megapixels(pixels))-megapixel" : "\(pixels)-pixel"
        return "\(width)×\(height) is \(amount), over the \(bound) limit \(origin)"
    }

    private static func count(_ pixels: Int) -> String {
        pixels >= 100_000 ? "\(megapixels(pixels)) megapixels" : "\(pixels) pixels"
    }

    /// Whole megapixels from 10 up, one decimal below.
    private static func megapixels(_ pixels: Int) -> String {
        if pixels >= 10_000_000 { return String((pixels + 500_000) / 1_000_000) }
        let tenths = (pixels + 50_000) / 100_000
        return tenths % 10 == 0 ? String(tenths / 10) : "\(tenths / 10).\(tenths % 10)"
    }
}
