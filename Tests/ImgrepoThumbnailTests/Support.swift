import CGD
import Foundation
import ImageProbe
import ImgrepoCore
import ImgrepoFixtures
import ImgrepoThumbnail
import Testing

/// A fresh temporary folder, removed on deinit.
final class Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("imgrepo-thumbnail-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `bytes` to a new file and returns its path.
    func write(_ bytes: [UInt8], named name: String = "image") throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file.path
    }
}

/// Renders `bytes` (written to a temporary file) with `GDThumbnailer`.
func render(_ bytes: [UInt8], as format: ImageFormat, orientation: Int = 1, box: (Int, Int) = (256, 256),
            output: ThumbnailFormat = .png, quality: Int? = nil, maxPixels: Int = defaultMaxPixels) throws -> RenderedThumbnail {
    let scratch = try Scratch()
    let path = try scratch.write(bytes)
    let spec = try ThumbnailSpec(width: box.0, height: box.1, format: output, quality: quality)
    return try GDThumbnailer().render(path: path, subject: "fixture", format: format, orientation: orientation,
                                      spec: spec, maxPixels: maxPixels)
}

/// The error `body` throws, as `ImgrepoError`; records an issue when it throws nothing or
/// something else.
func renderError(_ body: () throws -> RenderedThumbnail, sourceLocation: SourceLocation = #_sourceLocation) -> ImgrepoError? {
    do {
        _ = try body()
        Issue.record("rendered without an error", sourceLocation: sourceLocation)
        return nil
    } catch let error as ImgrepoError {
        return error
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// A rendered thumbnail decoded back with libgd, to check its pixels.
final class Decoded {
    let image: gdImagePtr
    var width: Int { Int(image.pointee.sx) }
    var height: Int { Int(image.pointee.sy) }

    /// Decodes JPEG, PNG or WebP bytes; nil when libgd cannot.
    init?(_ bytes: [UInt8]) {
        var copy = bytes
        let size = Int32(bytes.count)
        let image: gdImagePtr? = copy.withUnsafeMutableBytes { raw in
            let p = raw.baseAddress!
            if bytes.starts(with: [0xFF, 0xD8]) { return gdImageCreateFromJpegPtr(size, p) }
            if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return gdImageCreateFromPngPtr(size, p) }
            if bytes.starts(with: Array("RIFF".utf8)) { return gdImageCreateFromWebpPtr(size, p) }
            return nil
        }
        guard let image else { return nil }
        if image.pointee.trueColor == 0 { gdImagePaletteToTrueColor(image) }
        self.image = image
    }

    deinit { gdImageDestroy(image) }

    /// The pixel at (x, y) with 8-bit alpha (255 opaque).
    func pixel(_ x: Int, _ y: Int) -> Fixtures.RGBA {
        let p = gdImageGetTrueColorPixel(image, Int32(x), Int32(y))
        let gdAlpha = Int(p >> 24 & 0x7F)
        let alpha = gdAlpha == 0 ? 255 : gdAlpha == 127 ? 0 : (127 - gdAlpha) * 2
        return Fixtures.RGBA(UInt8(p >> 16 & 0xFF), UInt8(p >> 8 & 0xFF), UInt8(p & 0xFF), alpha: UInt8(alpha))
    }
}

/// True when every channel of `a` is within `tolerance` of `b`'s.
func near(_ a: Fixtures.RGBA, _ b: Fixtures.RGBA, tolerance: Int = 12) -> Bool {
    abs(Int(a.red) - Int(b.red)) <= tolerance && abs(Int(a.green) - Int(b.green)) <= tolerance
        && abs(Int(a.blue) - Int(b.blue)) <= tolerance && abs(Int(a.alpha) - Int(b.alpha)) <= tolerance
}

/// Decodes `thumbnail` and checks its size matches what it reports.
func decode(_ thumbnail: RenderedThumbnail, sourceLocation: SourceLocation = #_sourceLocation) throws -> Decoded {
    let image = try #require(Decoded(thumbnail.bytes), "libgd cannot decode the thumbnail", sourceLocation: sourceLocation)
    #expect(image.width == thumbnail.width && image.height == thumbnail.height,
            "decoded \(image.width)x\(image.height), reported \(thumbnail.width)x\(thumbnail.height)",
            sourceLocation: sourceLocation)
    return image
}
