/// Words for the `--max-pixels` check, shared by the header check and the decoder's own.
enum PixelLimit {
    /// True when `width`×`height` is more than `limit` (overflow counts as more).
    static func exceeded(width: Int, height: Int, limit: Int) -> Bool {
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        return overflow || pixels > limit
    }

    /// "20000×20000 is 400 megapixels, over the 128-megapixel limit (--max-pixels)".
    static func message(width: Int, height: Int, limit: Int) -> String {
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        let amount = overflow ? "too many pixels" : count(pixels)
        let bound = limit >= 100_000 && limit % 100_000 == 0 ? "\(megapixels(limit))-megapixel" : "\(limit)-pixel"
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
