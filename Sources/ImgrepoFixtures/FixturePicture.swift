internal import CGD
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An opaque true-colour picture to draw, transform and encode: the source images and their
/// edited copies for the fingerprint tests and the robustness study (`imgrepo-simeval`).
///
/// Drawing is seeded and deterministic. Transforms return new pictures and leave the receiver
/// alone. Failures of libgd (out of memory, an encoder that fails) stop the program, as for
/// every fixture.
public final class FixturePicture {
    let image: gdImagePtr
    public var width: Int { Int(image.pointee.sx) }
    public var height: Int { Int(image.pointee.sy) }

    /// A `width`×`height` picture filled with `background`.
    public init(width: Int, height: Int, background: Fixtures.RGBA = .white) {
        precondition(width > 0 && height > 0 && width <= 100_000 && height <= 100_000,
                     "fixture size \(width)x\(height) out of range")
        guard let image = gdImageCreateTrueColor(Int32(width), Int32(height)) else {
            preconditionFailure("libgd: could not create a \(width)x\(height) image")
        }
        self.image = image
        gdImageFilledRectangle(image, 0, 0, Int32(width - 1), Int32(height - 1), background.opaqueColor)
    }

    /// Decodes JPEG, PNG, GIF, WebP, BMP or TIFF bytes with libgd (no orientation applied);
    /// nil when libgd cannot. Transparency is dropped: the picture is opaque.
    public init?(decoding bytes: [UInt8]) {
        var copy = bytes
        let size = Int32(clamping: bytes.count)
        let decoded: gdImagePtr? = copy.withUnsafeMutableBytes { raw in
            guard let p = raw.baseAddress, raw.count >= 12 else { return nil }
            if bytes.starts(with: [0xFF, 0xD8]) { return gdImageCreateFromJpegPtr(size, p) }
            if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return gdImageCreateFromPngPtr(size, p) }
            if bytes.starts(with: Array("GIF8".utf8)) { return gdImageCreateFromGifPtr(size, p) }
            if bytes.starts(with: Array("RIFF".utf8)) { return gdImageCreateFromWebpPtr(size, p) }
            if bytes.starts(with: Array("BM".utf8)) { return gdImageCreateFromBmpPtr(size, p) }
            if bytes.starts(with: [0x49, 0x49, 0x2A, 0]) || bytes.starts(with: [0x4D, 0x4D, 0, 0x2A]) {
                return gdImageCreateFromTiffPtr(size, p)
            }
            return nil
        }
        guard let decoded else { return nil }
        if decoded.pointee.trueColor == 0 { gdImagePaletteToTrueColor(decoded) }
        image = decoded
        forEachPixel { $0 & 0x00FF_FFFF }
    }

    private init(owning image: gdImagePtr) { self.image = image }

    deinit { gdImageDestroy(image) }

    /// The colour at (x, y).
    public func pixel(_ x: Int, _ y: Int) -> Fixtures.RGBA {
        let p = gdImageGetTrueColorPixel(image, Int32(x), Int32(y))
        return Fixtures.RGBA(UInt8(p >> 16 & 0xFF), UInt8(p >> 8 & 0xFF), UInt8(p & 0xFF))
    }

    /// Sets the pixel at (x, y).
    public func setPixel(_ x: Int, _ y: Int, _ color: Fixtures.RGBA) {
        gdImageSetPixel(image, Int32(x), Int32(y), color.opaqueColor)
    }

    // MARK: Sources

    /// A smooth picture with no edges: a linear, radial or three-stop gradient by `seed`.
    public static func gradient(width: Int, height: Int, seed: UInt32) -> FixturePicture {
        var random = SeededRandom(seed: seed)
        let colors = (0..<3).map { _ in randomColor(&random) }
        let angle = Double(random.next() % 360) * Double.pi / 180
        let kind = random.next() % 3
        let (cx, cy) = (Double(random.next() % 100) / 100, Double(random.next() % 100) / 100)
        let picture = FixturePicture(width: width, height: height)
        picture.forEachPixel { x, y in
            let (u, v) = (Double(x) / Double(width), Double(y) / Double(height))
            var t: Double
            switch kind {
            case 0: t = (u - 0.5) * cos(angle) + (v - 0.5) * sin(angle) + 0.5
            case 1: t = ((u - cx) * (u - cx) + (v - cy) * (v - cy)).squareRoot() * 1.4
            default: t = 0.5 + 0.5 * sin(3 * ((u - 0.5) * cos(angle) + (v - 0.5) * sin(angle)))
            }
            t = min(1, max(0, t))
            return t < 0.5 ? mix(colors[0], colors[1], t * 2) : mix(colors[1], colors[2], t * 2 - 1)
        }
        return picture
    }

    /// Flat shapes (ellipses, rectangles, polygons, thick lines) on a flat background: sharp
    /// edges and large areas of one colour, like a drawing or a screenshot.
    public static func shapes(width: Int, height: Int, seed: UInt32) -> FixturePicture {
        var random = SeededRandom(seed: seed)
        let picture = FixturePicture(width: width, height: height, background: randomColor(&random))
        let scale = UInt32(max(width, height))
        for _ in 0..<(4 + Int(random.next() % 8)) {
            let color = randomColor(&random).opaqueColor
            let cx = Int32(random.next() % UInt32(width)), cy = Int32(random.next() % UInt32(height))
            let w = Int32(max(1, scale / 10 + random.next() % max(1, scale / 3)))
            let h = Int32(max(1, scale / 10 + random.next() % max(1, scale / 3)))
            switch random.next() % 4 {
            case 0: gdImageFilledEllipse(picture.image, cx, cy, w, h, color)
            case 1: gdImageFilledRectangle(picture.image, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, color)
            case 2:
                var points = (0..<5).map { _ in
                    gdPoint(x: cx + Int32(random.next() % UInt32(w)) - w / 2, y: cy + Int32(random.next() % UInt32(h)) - h / 2)
                }
                gdImageFilledPolygon(picture.image, &points, Int32(points.count), color)
            default:
                gdImageSetThickness(picture.image, Int32(max(2, scale / 60)))
                gdImageLine(picture.image, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, color)
                gdImageSetThickness(picture.image, 1)
            }
        }
        return picture
    }

    /// A page of text in libgd's bitmap fonts: a large heading and lines of words on a light
    /// background, laid out by `seed`. Pages look alike on purpose: they are the hard negatives.
    public static func text(width: Int, height: Int, seed: UInt32) -> FixturePicture {
        var random = SeededRandom(seed: seed)
        let words = ["image", "repository", "pixel", "hash", "the", "of", "quick", "brown", "fox", "jumps",
                     "over", "lazy", "dog", "imgrepo", "catalogue", "upload", "similar", "photo", "camera",
                     "lens", "and", "a", "light", "shadow", "north", "river", "stone", "paper"]
        // Drawn at a third of the size and enlarged, so that the glyphs are large enough to
        // survive a 25% resize.
        let (sw, sh) = (max(1, width / 3), max(1, height / 3))
        let paper = Fixtures.RGBA(UInt8(225 + random.next() % 31), UInt8(225 + random.next() % 31), UInt8(215 + random.next() % 41))
        let small = FixturePicture(width: sw, height: sh, background: paper)
        let ink = Fixtures.RGBA(UInt8(random.next() % 90), UInt8(random.next() % 90), UInt8(random.next() % 120)).opaqueColor
        let margin = Int32(4 + random.next() % UInt32(max(1, sw / 8)))
        var y = Int32(4 + random.next() % 12)
        func line(_ font: gdFontPtr, maxWords: Int) {
            var text = ""
            let count = 1 + Int(random.next() % UInt32(maxWords))
            for _ in 0..<count { text += (text.isEmpty ? "" : " ") + words[Int(random.next() % UInt32(words.count))] }
            var bytes = Array(text.utf8) + [0]
            gdImageString(small.image, font, margin, y, &bytes, ink)
        }
        let giant = gdFontGetGiant(), large = gdFontGetLarge()
        line(giant!, maxWords: 3)
        y += 28
        while y < Int32(sh) - 20 {
            if random.next() % 5 == 0 { y += 10; continue }  // paragraph break
            line(random.next() % 2 == 0 ? giant! : large!, maxWords: 6)
            y += 17
        }
        return small.resized(width: width, height: height)
    }

    /// A cloud-like texture: value noise over three octaves, mapped through a colour ramp.
    public static func texture(width: Int, height: Int, seed: UInt32) -> FixturePicture {
        var random = SeededRandom(seed: seed)
        let (low, high) = (randomColor(&random), randomColor(&random))
        let octaves: [(cells: Int, grid: [Double])] = [4, 9, 20].map { cells in
            (cells, (0..<(cells + 1) * (cells + 1)).map { _ in Double(random.next() % 1000) / 1000 })
        }
        let picture = FixturePicture(width: width, height: height)
        picture.forEachPixel { x, y in
            var value = 0.0, weight = 1.0, total = 0.0
            for (cells, grid) in octaves {
                let fx = Double(x) / Double(width) * Double(cells), fy = Double(y) / Double(height) * Double(cells)
                let (ix, iy) = (min(cells - 1, Int(fx)), min(cells - 1, Int(fy)))
                let (tx, ty) = (smooth(fx - Double(ix)), smooth(fy - Double(iy)))
                let at = { (i: Int, j: Int) in grid[j * (cells + 1) + i] }
                let top = at(ix, iy) * (1 - tx) + at(ix + 1, iy) * tx
                let bottom = at(ix, iy + 1) * (1 - tx) + at(ix + 1, iy + 1) * tx
                value += (top * (1 - ty) + bottom * ty) * weight
                total += weight
                weight /= 2
            }
            return mix(low, high, value / total)
        }
        return picture
    }

    /// The photo-like picture of `Fixtures.jpeg`: a gradient, flat shapes and grain.
    public static func photoLike(width: Int, height: Int, seed: UInt32) -> FixturePicture {
        let picture = GDPicture(width: width, height: height, seed: seed, noise: Fixtures.jpegNoise)
        guard let copy = gdImageCreateTrueColor(Int32(width), Int32(height)) else { preconditionFailure("libgd: no image") }
        gdImageCopy(copy, picture.image, 0, 0, 0, 0, Int32(width), Int32(height))
        return FixturePicture(owning: copy)
    }

    // MARK: Transforms

    /// The picture resampled to `width`×`height` by libgd's area averaging.
    public func resized(width: Int, height: Int) -> FixturePicture {
        let result = FixturePicture(width: width, height: height)
        gdImageCopyResampled(result.image, image, 0, 0, 0, 0, Int32(width), Int32(height), Int32(self.width), Int32(self.height))
        return result
    }

    /// The part of the picture left after cutting `left`, `top`, `right` and `bottom` pixels.
    public func cropped(left: Int, top: Int, right: Int, bottom: Int) -> FixturePicture {
        let (w, h) = (width - left - right, height - top - bottom)
        let result = FixturePicture(width: w, height: h)
        gdImageCopy(result.image, image, 0, 0, Int32(left), Int32(top), Int32(w), Int32(h))
        return result
    }

    /// Every channel multiplied by `factor`, rounded and clipped to 0–255.
    public func brightness(_ factor: Double) -> FixturePicture {
        let result = copy()
        result.forEachPixel { p in
            func channel(_ shift: Int32) -> Int32 { Int32(min(255, (Double(p >> shift & 0xFF) * factor).rounded())) }
            return channel(16) << 16 | channel(8) << 8 | channel(0)
        }
        return result
    }

    /// The picture turned clockwise by `quarterTurns` × 90°.
    public func rotated(clockwiseQuarterTurns quarterTurns: Int) -> FixturePicture {
        let turns = ((quarterTurns % 4) + 4) % 4
        let (w, h) = (width, height)
        let result = turns % 2 == 0 ? FixturePicture(width: w, height: h) : FixturePicture(width: h, height: w)
        let (rw, rh) = (result.width, result.height)
        for y in 0..<rh {
            guard let row = result.image.pointee.tpixels[y] else { continue }
            for x in 0..<rw {
                let (sx, sy): (Int, Int)
                switch turns {
                case 1: (sx, sy) = (y, h - 1 - x)
                case 2: (sx, sy) = (w - 1 - x, h - 1 - y)
                case 3: (sx, sy) = (w - 1 - y, x)
                default: (sx, sy) = (x, y)
                }
                row[x] = image.pointee.tpixels[sy]![sx]
            }
        }
        return result
    }

    /// An identical copy.
    public func copy() -> FixturePicture {
        let result = FixturePicture(width: width, height: height)
        gdImageCopy(result.image, image, 0, 0, 0, 0, Int32(width), Int32(height))
        return result
    }

    // MARK: Encoding

    /// Baseline JPEG by libgd at `quality`, with `exif` (when given) in an APP1 segment.
    public func jpeg(quality: Int = 90, exif: FixtureExif? = nil) -> [UInt8] {
        let bytes = encode("jpeg") { gdImageJpegPtr($0, $1, Int32(max(1, min(100, quality)))) }
        guard let exif else { return bytes }
        return Fixtures.insertingAPP1(Fixtures.exifHeader + Fixtures.exifPayload(exif), into: bytes)
    }

    /// PNG by libgd, RGB (no alpha channel).
    public func png() -> [UInt8] {
        encode("png") { gdImagePngPtr($0, $1) }
    }

    /// Lossy WebP by libgd at `quality` (0–100).
    public func webp(quality: Int = 80) -> [UInt8] {
        encode("webp") { gdImageWebpPtrEx($0, $1, Int32(max(0, min(100, quality)))) }
    }

    // MARK: Helpers

    private func encode(_ name: String, _ encoder: (gdImagePtr, UnsafeMutablePointer<Int32>) -> UnsafeMutableRawPointer?) -> [UInt8] {
        var size: Int32 = 0
        guard let buffer = encoder(image, &size), size > 0 else { preconditionFailure("libgd: \(name) encoding failed") }
        defer { gdFree(buffer) }
        return Array(UnsafeRawBufferPointer(start: buffer, count: Int(size)))
    }

    private func forEachPixel(_ color: (Int, Int) -> Fixtures.RGBA) {
        for y in 0..<height {
            guard let row = image.pointee.tpixels[y] else { continue }
            for x in 0..<width { row[x] = color(x, y).opaqueColor }
        }
    }

    private func forEachPixel(_ transform: (Int32) -> Int32) {
        for y in 0..<height {
            guard let row = image.pointee.tpixels[y] else { continue }
            for x in 0..<width { row[x] = transform(row[x]) }
        }
    }

    private static func randomColor(_ random: inout SeededRandom) -> Fixtures.RGBA {
        Fixtures.RGBA(UInt8(random.next() % 256), UInt8(random.next() % 256), UInt8(random.next() % 256))
    }

    private static func mix(_ a: Fixtures.RGBA, _ b: Fixtures.RGBA, _ t: Double) -> Fixtures.RGBA {
        func channel(_ x: UInt8, _ y: UInt8) -> UInt8 { UInt8((Double(x) * (1 - t) + Double(y) * t).rounded()) }
        return Fixtures.RGBA(channel(a.red, b.red), channel(a.green, b.green), channel(a.blue, b.blue))
    }

    private static func smooth(_ t: Double) -> Double { t * t * (3 - 2 * t) }
}

extension Fixtures.RGBA {
    /// libgd's packed true-colour value, alpha ignored (opaque).
    var opaqueColor: Int32 { Int32(red) << 16 | Int32(green) << 8 | Int32(blue) }
}

extension Fixtures {
    /// `jpeg` with every EXIF APP1 segment removed, then `exif` (when given) inserted right
    /// after SOI: the same entropy-coded data, other metadata.
    public static func replacingExif(in jpeg: [UInt8], with exif: FixtureExif?) -> [UInt8] {
        precondition(jpeg.count >= 4 && jpeg[0] == 0xFF && jpeg[1] == 0xD8, "not a jpeg")
        var out: [UInt8] = [0xFF, 0xD8]
        var i = 2
        // Copy segments up to the first SOS, leaving out APP1 segments that start "Exif\0\0".
        while i + 4 <= jpeg.count, jpeg[i] == 0xFF, jpeg[i + 1] != 0xDA {
            let length = Int(jpeg[i + 2]) << 8 | Int(jpeg[i + 3])
            let end = min(jpeg.count, i + 2 + length)
            let isExif = jpeg[i + 1] == 0xE1 && jpeg[(i + 4)..<end].starts(with: exifHeader)
            if !isExif { out += jpeg[i..<end] }
            i = end
        }
        out += jpeg[i...]
        guard let exif else { return out }
        return insertingAPP1(exifHeader + exifPayload(exif), into: out)
    }
}
