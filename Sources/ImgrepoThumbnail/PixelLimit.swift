/// The most pixels one decode may have (`--max-pixels`), and its words for refusing an image.
struct PixelLimit: Sendable {
    /// The limit.
    let pixels: Int

    init(maxPixels: Int) {
        pixels = maxPixels
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
        return "\(width)×\(height) is \(amount), over the \(bound) limit (--max-pixels)"
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
