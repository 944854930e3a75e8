internal import CFixtureJPEG
internal import CGD

/// Images for the thumbnail tests: flat areas of known colour laid out so that a wrong colour
/// conversion, a lost alpha channel or a wrong rotation shows as a wrong pixel value.
extension Fixtures {
    /// An 8-bit colour; `alpha` 255 is opaque, 0 fully transparent.
    public struct RGBA: Hashable, Sendable, CustomStringConvertible {
        public var red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8

        public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8, alpha: UInt8 = 255) {
            self.red = red; self.green = green; self.blue = blue; self.alpha = alpha
        }

        public static let red = RGBA(255, 0, 0)
        public static let green = RGBA(0, 255, 0)
        public static let blue = RGBA(0, 0, 255)
        public static let white = RGBA(255, 255, 255)
        public static let black = RGBA(0, 0, 0)

        public var description: String { "rgba(\(red), \(green), \(blue), \(alpha))" }

        /// libgd's packed true-colour value (7-bit alpha, 0 opaque).
        var gdColor: Int32 {
            let gdAlpha = 127 - Int32(alpha) / 2
            return gdAlpha << 24 | Int32(red) << 16 | Int32(green) << 8 | Int32(blue)
        }
    }

    /// Printing inks, 0 (none) to 255 (full), and the RGB a naive conversion gives for them:
    /// R = (255 − C)(255 − K) / 255, and so on.
    public struct CMYK: Hashable, Sendable {
        public var cyan: UInt8, magenta: UInt8, yellow: UInt8, black: UInt8

        public init(_ cyan: UInt8, _ magenta: UInt8, _ yellow: UInt8, _ black: UInt8) {
            self.cyan = cyan; self.magenta = magenta; self.yellow = yellow; self.black = black
        }

        public var rgb: RGBA {
            func channel(_ ink: UInt8) -> UInt8 { UInt8((255 - Int(ink)) * (255 - Int(black)) / 255) }
            return RGBA(channel(cyan), channel(magenta), channel(yellow))
        }
    }

    /// The corners of the quadrant picture seen right side up: red top left, green top right,
    /// blue bottom left, white bottom right.
    public static let quadrantColors: (topLeft: RGBA, topRight: RGBA, bottomLeft: RGBA, bottomRight: RGBA) =
        (.red, .green, .blue, .white)

    // MARK: JPEG

    /// A JPEG (libgd, quality `quality`) carrying EXIF `orientation` whose pixels are stored so
    /// that, turned as the orientation says, it shows the `width`×`height` quadrant picture.
    ///
    /// The stored layout follows the EXIF definitions word for word ("the 0th row represents the
    /// visual right-hand side of the image, and the 0th column represents the visual top" for 6,
    /// and so on), independently of how a renderer implements them; for 5–8 the stored image is
    /// `height`×`width`.
    public static func orientedJPEG(orientation: Int, width: Int = 64, height: Int = 48, quality: Int = 95) -> [UInt8] {
        guard let sides = exifOrientationSides[orientation] else { preconditionFailure("orientation \(orientation) is not 1-8") }
        let rowsAreHorizontal = sides.row0 == .top || sides.row0 == .bottom
        let stored = rowsAreHorizontal ? (width, height) : (height, width)
        let jpeg = trueColorImage(width: stored.0, height: stored.1) { sx, sy in
            var vx = 0, vy = 0
            switch sides.row0 {
            case .top: vy = sy
            case .bottom: vy = height - 1 - sy
            case .left: vx = sy
            case .right: vx = width - 1 - sy
            }
            switch sides.column0 {
            case .left: vx = sx
            case .right: vx = width - 1 - sx
            case .top: vy = sx
            case .bottom: vy = height - 1 - sx
            }
            return quadrant(x: vx, y: vy, width: width, height: height)
        }.encode("jpeg") { gdImageJpegPtr($0, $1, Int32(quality)) }
        return insertingAPP1(exifHeader + exifPayload(FixtureExif(orientation: UInt16(orientation))), into: jpeg)
    }

    /// A single-component (grayscale) JPEG: the left half grey level `left`, the right `right`.
    public static func grayscaleJPEG(width: Int = 64, height: Int = 32, left: UInt8 = 64, right: UInt8 = 192) -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height { for x in 0..<width { pixels[y * width + x] = x < width / 2 ? left : right } }
        return libjpeg(pixels, width: width, height: height, kind: IMGREPO_FIXTURE_JPEG_GRAY)
    }

    /// The inks of `cmykJPEG`'s stripes, left to right, with distinct and asymmetric RGB.
    public static let cmykStripes: [CMYK] = [
        CMYK(255, 0, 0, 0),    // cyan: (0, 255, 255)
        CMYK(0, 255, 0, 0),    // magenta: (255, 0, 255)
        CMYK(0, 128, 255, 0),  // orange: (255, 127, 0)
        CMYK(0, 0, 255, 128),  // olive: (127, 127, 0)
    ]

    /// A four-component JPEG of vertical stripes of `inks`, written the way Photoshop writes
    /// them: an Adobe APP14 marker and inverted values (255 = no ink). With `ycck`, libjpeg
    /// converts the inks to YCCK (Adobe transform 2) instead of storing CMYK.
    public static func cmykJPEG(width: Int = 64, height: Int = 16, inks: [CMYK] = cmykStripes, ycck: Bool = false) -> [UInt8] {
        precondition(!inks.isEmpty && width >= inks.count, "need at least one pixel per stripe")
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        for y in 0..<height {
            for x in 0..<width {
                let ink = inks[x * inks.count / width]
                let i = (y * width + x) * 4
                pixels[i] = 255 - ink.cyan; pixels[i + 1] = 255 - ink.magenta
                pixels[i + 2] = 255 - ink.yellow; pixels[i + 3] = 255 - ink.black
            }
        }
        return libjpeg(pixels, width: width, height: height, kind: ycck ? IMGREPO_FIXTURE_JPEG_YCCK : IMGREPO_FIXTURE_JPEG_CMYK)
    }

    /// The quadrant picture as a progressive JPEG (libjpeg's simple progression script, SOF2).
    public static func progressiveJPEG(width: Int = 64, height: Int = 48) -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let c = quadrant(x: x, y: y, width: width, height: height)
                let i = (y * width + x) * 3
                pixels[i] = c.red; pixels[i + 1] = c.green; pixels[i + 2] = c.blue
            }
        }
        return libjpeg(pixels, width: width, height: height, kind: IMGREPO_FIXTURE_JPEG_RGB, progressive: true)
    }

    /// A progressive 4:2:0 JPEG of `width`×`height` whose rows are all one grey ramp: large in
    /// pixels, small in bytes, made without the pixels in memory. libjpeg keeps a progressive
    /// image's every DCT coefficient while decoding, 3 bytes a pixel in 4:2:0.
    public static func largeProgressiveJPEG(width: Int, height: Int) -> [UInt8] {
        let row = (0..<width * 3).map { UInt8(truncatingIfNeeded: $0 / 7) }
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = imgrepo_fixture_jpeg_encode_repeated_row(row, Int32(width), Int32(height), IMGREPO_FIXTURE_JPEG_RGB, 50, 1,
                                                              &out, &size, &message, message.count)
        guard status == 0, let out else {
            preconditionFailure("libjpeg: \(message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })")
        }
        defer { imgrepo_fixture_jpeg_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: size))
    }

    // MARK: PNG

    /// A 16-bit-per-channel RGB PNG, written here byte by byte (libgd writes only 8 bits): the
    /// left half `left`, the right half `right`. The image data is zlib with stored blocks.
    public static func png16(width: Int = 32, height: Int = 16,
                             left: (UInt16, UInt16, UInt16) = (0xFFFF, 0x8080, 0x0000),
                             right: (UInt16, UInt16, UInt16) = (0x1010, 0x2020, 0xC0C0)) -> [UInt8] {
        var raw: [UInt8] = []
        raw.reserveCapacity(height * (1 + width * 6))
        for _ in 0..<height {
            raw.append(0)  // filter: none
            for x in 0..<width {
                let c = x < width / 2 ? left : right
                for v in [c.0, c.1, c.2] { raw += [UInt8(v >> 8), UInt8(v & 0xFF)] }
            }
        }
        return pngFile(width: width, height: height, bitDepth: 16, colorType: 2, imageData: zlibStored(raw))
    }

    /// A PNG whose header claims `width`×`height` 8-bit RGB pixels followed by a few bytes of
    /// image data: a decompression bomb for decoders that allocate from the header.
    public static func pngHeaderBomb(width: Int = 65_535, height: Int = 65_535) -> [UInt8] {
        pngFile(width: width, height: height, bitDepth: 8, colorType: 2, imageData: zlibStored([0, 0, 0, 0]))
    }

    /// A PNG of `width`×`height` all zero: one-bit black, or with `rgba` 8-bit transparent black
    /// (the layout libgd's reader holds at the most bytes a pixel). Kilobytes for any size, since
    /// every row compresses to nearly nothing: a pixel bomb for decoders that hold it whole.
    public static func blankPNG(width: Int, height: Int, rgba: Bool = false) -> [UInt8] {
        let row = [UInt8](repeating: 0, count: 1 + (rgba ? width * 4 : (width + 7) / 8))  // filter none, then the pixels
        var raw: [UInt8] = []
        raw.reserveCapacity(row.count * height)
        for _ in 0..<height { raw += row }
        return pngFile(width: width, height: height, bitDepth: rgba ? 8 : 1, colorType: rgba ? 6 : 0, imageData: zlib(raw))
    }

    /// A 1×1 PNG whose chunk after IHDR claims `length` bytes of type `type` but holds 300:
    /// a few hundred bytes that a decoder trusting the length allocates gigabytes for.
    public static func pngClaimingChunk(_ type: String, length: UInt32 = 0x7FFF_FFFF) -> [UInt8] {
        let header = bigEndian(1) + bigEndian(1) + [8, 2, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + pngChunk("IHDR", header)
            + bigEndian(length) + Array(type.utf8) + [UInt8](repeating: 0x41, count: 300)
    }

    /// `jpeg` (progressive) with its last scan repeated until it has `scans` scans: libjpeg reads
    /// each again over the whole image (a "bogus progression" warning, no error), so a small
    /// file costs time in proportion to its scan count.
    public static func jpeg(_ jpeg: [UInt8], scans: Int) -> [UInt8] {
        // Markers in entropy-coded data are escaped (FF 00) or restarts (FF D0-D7): FF DA is an SOS.
        var starts: [Int] = []
        for i in 0..<(jpeg.count - 1) where jpeg[i] == 0xFF && jpeg[i + 1] == 0xDA { starts.append(i) }
        precondition(!starts.isEmpty && jpeg.suffix(2) == [0xFF, 0xD9], "not a JPEG with scans")
        let end = jpeg.count - 2
        let last = Array(jpeg[starts.last! ..< end])
        var out = Array(jpeg[..<end])
        for _ in 0..<max(0, scans - starts.count) { out += last }
        return out + [0xFF, 0xD9]
    }

    /// A palette PNG with a tRNS chunk: the left half is a fully transparent palette entry (whose
    /// RGB is magenta, so a renderer that drops the transparency shows magenta), the right half
    /// the opaque `color`.
    public static func palettePNGWithTransparency(width: Int = 32, height: Int = 16, color: RGBA = .blue) -> [UInt8] {
        guard let image = gdImageCreate(Int32(width), Int32(height)) else { preconditionFailure("libgd: no palette image") }
        defer { gdImageDestroy(image) }
        let clear = gdImageColorAllocate(image, 255, 0, 255)
        let solid = gdImageColorAllocate(image, Int32(color.red), Int32(color.green), Int32(color.blue))
        gdImageColorTransparent(image, clear)
        gdImageFilledRectangle(image, 0, 0, Int32(width / 2 - 1), Int32(height - 1), clear)
        gdImageFilledRectangle(image, Int32(width / 2), 0, Int32(width - 1), Int32(height - 1), solid)
        return encoded(image, "png") { gdImagePngPtr($0, $1) }
    }

    /// A true-colour PNG with an alpha channel: the left half `left`, the right half `right`.
    public static func alphaPNG(width: Int = 32, height: Int = 16, left: RGBA = RGBA(255, 0, 255, alpha: 0),
                                right: RGBA = RGBA(0, 128, 0, alpha: 255)) -> [UInt8] {
        halves(width: width, height: height, left: left, right: right).encode("png") { gdImagePngPtr($0, $1) }
    }

    /// A solid `color` PNG.
    public static func solidPNG(width: Int, height: Int, color: RGBA = .green) -> [UInt8] {
        trueColorImage(width: width, height: height) { _, _ in color }.encode("png") { gdImagePngPtr($0, $1) }
    }

    /// A black-and-white checkerboard of `cell`×`cell` squares, black at the top left.
    public static func checkerboardPNG(width: Int = 64, height: Int = 64, cell: Int = 2) -> [UInt8] {
        trueColorImage(width: width, height: height) { x, y in
            (x / cell + y / cell) % 2 == 0 ? .black : .white
        }.encode("png") { gdImagePngPtr($0, $1) }
    }

    /// A photo-like PNG cut half-way through its image data.
    public static func truncatedPNG(width: Int = 160, height: Int = 120, seed: UInt32 = 1) -> [UInt8] {
        let whole = png(width: width, height: height, seed: seed)
        return Array(whole.prefix(whole.count / 2))
    }

    /// The PNG signature followed by `count` seeded random bytes.
    public static func garbageWithPNGSignature(count: Int = 4096, seed: UInt32 = 7) -> [UInt8] {
        var random = SeededRandom(seed: seed)
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }

    // MARK: Other formats

    /// A lossy WebP (libgd, quality `quality`) with alpha: the left half `left`, the right `right`.
    public static func alphaWebP(width: Int = 32, height: Int = 16, left: RGBA = RGBA(255, 0, 255, alpha: 0),
                                 right: RGBA = RGBA(0, 128, 0, alpha: 255), quality: Int = 90) -> [UInt8] {
        halves(width: width, height: height, left: left, right: right).encode("webp") { gdImageWebpPtrEx($0, $1, Int32(quality)) }
    }

    /// A two-frame animated GIF: all `first`, then all `second`.
    public static func animatedGIF(width: Int = 32, height: Int = 16, first: RGBA = .red, second: RGBA = .blue) -> [UInt8] {
        func frame(_ color: RGBA) -> gdImagePtr {
            guard let image = gdImageCreate(Int32(width), Int32(height)) else { preconditionFailure("libgd: no palette image") }
            let index = gdImageColorAllocate(image, Int32(color.red), Int32(color.green), Int32(color.blue))
            gdImageFilledRectangle(image, 0, 0, Int32(width - 1), Int32(height - 1), index)
            return image
        }
        let one = frame(first), two = frame(second)
        defer { gdImageDestroy(one); gdImageDestroy(two) }
        var bytes = encoded(one, "gif animation header") { gdImageGifAnimBeginPtr($0, $1, 1, 0) }
        // Each frame with its own colour map and no previous frame: libgd then writes it whole.
        bytes += encoded(one, "gif frame") { gdImageGifAnimAddPtr($0, $1, 1, 0, 0, 50, 1, nil) }
        bytes += encoded(two, "gif frame") { gdImageGifAnimAddPtr($0, $1, 1, 0, 0, 50, 1, nil) }
        var size: Int32 = 0
        guard let end = gdImageGifAnimEndPtr(&size) else { preconditionFailure("libgd: gif animation end failed") }
        defer { gdFree(end) }
        return bytes + Array(UnsafeRawBufferPointer(start: end, count: Int(size)))
    }

    /// The quadrant picture as HEIF (HEVC, through libheif) at `quality`.
    public static func heif(width: Int = 64, height: Int = 48, quality: Int = 90) -> [UInt8] {
        quadrantImage(width: width, height: height).encode("heif") {
            gdImageHeifPtrEx($0, $1, Int32(quality), GD_HEIF_CODEC_HEVC, GD_HEIF_CHROMA_444)
        }
    }

    /// The quadrant picture as AVIF (through libavif) at `quality`.
    public static func avif(width: Int = 64, height: Int = 48, quality: Int = 90) -> [UInt8] {
        quadrantImage(width: width, height: height).encode("avif") { gdImageAvifPtrEx($0, $1, Int32(quality), 10) }
    }

    /// The quadrant picture in a format libgd writes: png, gif, webp, tiff or bmp.
    public static func quadrantPicture(_ format: String, width: Int = 64, height: Int = 48) -> [UInt8] {
        let image = quadrantImage(width: width, height: height)
        switch format {
        case "png": return image.encode("png") { gdImagePngPtr($0, $1) }
        case "gif": return image.encode("gif") { gdImageGifPtr($0, $1) }
        case "webp": return image.encode("webp") { gdImageWebpPtrEx($0, $1, 90) }
        case "tiff": return image.encode("tiff") { gdImageTiffPtr($0, $1) }
        case "bmp": return image.encode("bmp") { gdImageBmpPtr($0, $1, 0) }
        case "jpeg": return image.encode("jpeg") { gdImageJpegPtr($0, $1, 95) }
        default: preconditionFailure("no quadrant picture in \(format)")
        }
    }

    // MARK: Helpers

    private enum Side { case top, bottom, left, right }

    /// Where the stored 0th row and 0th column belong in the upright picture, per orientation
    /// value, as EXIF 2.32 (tag 0x0112) words it.
    private static let exifOrientationSides: [Int: (row0: Side, column0: Side)] = [
        1: (.top, .left), 2: (.top, .right), 3: (.bottom, .right), 4: (.bottom, .left),
        5: (.left, .top), 6: (.right, .top), 7: (.right, .bottom), 8: (.left, .bottom),
    ]

    private static func quadrant(x: Int, y: Int, width: Int, height: Int) -> RGBA {
        let c = quadrantColors
        switch (x < width / 2, y < height / 2) {
        case (true, true): return c.topLeft
        case (false, true): return c.topRight
        case (true, false): return c.bottomLeft
        case (false, false): return c.bottomRight
        }
    }

    private static func quadrantImage(width: Int, height: Int) -> ThumbnailCanvas {
        trueColorImage(width: width, height: height) { x, y in quadrant(x: x, y: y, width: width, height: height) }
    }

    private static func halves(width: Int, height: Int, left: RGBA, right: RGBA) -> ThumbnailCanvas {
        trueColorImage(width: width, height: height) { x, _ in x < width / 2 ? left : right }
    }

    private static func trueColorImage(width: Int, height: Int, color: (Int, Int) -> RGBA) -> ThumbnailCanvas {
        let canvas = ThumbnailCanvas(width: width, height: height)
        for y in 0..<height {
            guard let row = canvas.image.pointee.tpixels[y] else { preconditionFailure("libgd: missing row") }
            for x in 0..<width { row[x] = color(x, y).gdColor }
        }
        return canvas
    }

    private static func encoded(_ image: gdImagePtr, _ name: String,
                                _ encoder: (gdImagePtr, UnsafeMutablePointer<Int32>) -> UnsafeMutableRawPointer?) -> [UInt8] {
        var size: Int32 = 0
        guard let buffer = encoder(image, &size), size > 0 else { preconditionFailure("libgd: \(name) encoding failed") }
        defer { gdFree(buffer) }
        return Array(UnsafeRawBufferPointer(start: buffer, count: Int(size)))
    }

    private static func libjpeg(_ pixels: [UInt8], width: Int, height: Int, kind: imgrepo_fixture_jpeg_kind,
                                quality: Int = 95, progressive: Bool = false) -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = imgrepo_fixture_jpeg_encode(pixels, Int32(width), Int32(height), kind, Int32(quality),
                                                 progressive ? 1 : 0, &out, &size, &message, message.count)
        guard status == 0, let out else {
            preconditionFailure("libjpeg: \(message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })")
        }
        defer { imgrepo_fixture_jpeg_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: size))
    }

    private static func pngFile(width: Int, height: Int, bitDepth: UInt8, colorType: UInt8, imageData: [UInt8]) -> [UInt8] {
        let header = bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [bitDepth, colorType, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            + pngChunk("IHDR", header) + pngChunk("IDAT", imageData) + pngChunk("IEND", [])
    }

    /// A zlib stream (RFC 1950) holding `data` in stored, uncompressed deflate blocks.
    private static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        // CMF 0x78 (deflate, 32 KiB window), FLG 0x01: 0x7801 is a multiple of 31.
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65_535, data.count - offset)
            let final: UInt8 = offset + n == data.count ? 1 : 0
            out += [final, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += data[offset ..< offset + n]
            offset += n
        } while offset < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return out + bigEndian(b << 16 | a)
    }

    private static func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
    }
}

/// Owns one libgd true-colour image with alpha saved, for the thumbnail fixtures.
private final class ThumbnailCanvas {
    let image: gdImagePtr

    init(width: Int, height: Int) {
        guard let image = gdImageCreateTrueColor(Int32(width), Int32(height)) else {
            preconditionFailure("libgd: could not create a \(width)x\(height) image")
        }
        gdImageAlphaBlending(image, 0)
        gdImageSaveAlpha(image, 1)
        self.image = image
    }

    deinit { gdImageDestroy(image) }

    func encode(_ name: String, _ encoder: (gdImagePtr, UnsafeMutablePointer<Int32>) -> UnsafeMutableRawPointer?) -> [UInt8] {
        var size: Int32 = 0
        guard let buffer = encoder(image, &size), size > 0 else { preconditionFailure("libgd: \(name) encoding failed") }
        defer { gdFree(buffer) }
        return Array(UnsafeRawBufferPointer(start: buffer, count: Int(size)))
    }
}

extension Fixtures {
    /// A PNG whose tEXt chunk (after IHDR) has a wrong CRC: libpng warns "tEXt: CRC error",
    /// drops the chunk and decodes the picture.
    public static func pngWithBadAncillaryCRC(width: Int = 32, height: Int = 16) -> [UInt8] {
        let bytes = png(width: width, height: height)
        var text = pngChunk("tEXt", Array("Comment".utf8) + [0] + Array("hello".utf8))
        text[text.count - 1] ^= 0xFF
        // Signature (8) and IHDR (25) come first.
        return Array(bytes[..<33]) + text + Array(bytes[33...])
    }
}
