import ImageProbe

/// The encodings a thumbnail can be written in.
public enum ThumbnailFormat: String, CaseIterable, Sendable, Codable {
    case jpeg, png, webp

    /// The file name extension used in the cache and for `-o DIR/`.
    public var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .png: "png"
        case .webp: "webp"
        }
    }

    /// The quality used when none is given: JPEG 85, WebP 80; PNG is lossless and ignores it.
    public var defaultQuality: Int {
        switch self {
        case .jpeg: 85
        case .webp: 80
        case .png: 0
        }
    }
}

/// What thumbnail to make: a bounding box, an encoding and a quality.
///
/// The image is scaled so that it fits in `width`×`height` with its aspect ratio kept
/// (`--size N` is the box N×N, so the longest side becomes N). It is never enlarged: a box at
/// least as large as the (oriented) image gives the image at 1:1 in the chosen encoding.
public struct ThumbnailSpec: Hashable, Sendable {
    public var width: Int
    public var height: Int
    public var format: ThumbnailFormat
    /// 1–100 for JPEG and WebP; always 0 for PNG, so that equal PNG thumbnails share a cache key.
    public var quality: Int

    /// The default size: the longest side becomes 256 pixels.
    public static let defaultSize = 256
    /// The largest box side accepted.
    public static let maximumSide = 16_384

    /// - Throws: `invalidArgument` naming the value for a side outside 1...16384 or a quality
    ///   outside 1...100.
    public init(width: Int, height: Int, format: ThumbnailFormat = .jpeg, quality: Int? = nil) throws {
        for side in [width, height] where !(1...Self.maximumSide).contains(side) {
            throw ImgrepoError.invalidArgument(value: String(side), reason: "thumbnail size must be 1 to \(Self.maximumSide) pixels")
        }
        if let quality, format != .png, !(1...100).contains(quality) {
            throw ImgrepoError.invalidArgument(value: String(quality), reason: "quality must be 1 to 100")
        }
        self.width = width
        self.height = height
        self.format = format
        self.quality = format == .png ? 0 : (quality ?? format.defaultQuality)
    }

    /// The box `size`×`size`.
    public init(size: Int = ThumbnailSpec.defaultSize, format: ThumbnailFormat = .jpeg, quality: Int? = nil) throws {
        try self.init(width: size, height: size, format: format, quality: quality)
    }

    /// The output size for an image of `width`×`height` once its EXIF orientation is applied
    /// (pass the already-swapped size for orientations 5–8): fits the box, aspect ratio kept,
    /// at least 1 pixel on each side, never larger than the image.
    public func outputSize(orientedWidth width: Int, orientedHeight height: Int) -> (width: Int, height: Int) {
        guard width > 0, height > 0 else { return (1, 1) }
        if width <= self.width && height <= self.height { return (width, height) }
        // Scale by the tighter of the two ratios, rounding to the nearest pixel.
        if width * self.height >= height * self.width {
            let h = max(1, (height * self.width + width / 2) / width)
            return (self.width, min(h, self.height))
        } else {
            let w = max(1, (width * self.height + height / 2) / height)
            return (min(w, self.width), self.height)
        }
    }
}

/// A thumbnail's encoded bytes and its pixel size.
public struct RenderedThumbnail: Sendable {
    public var bytes: [UInt8]
    public var width: Int
    public var height: Int

    public init(bytes: [UInt8], width: Int, height: Int) {
        self.bytes = bytes; self.width = width; self.height = height
    }
}

/// Turns an image file into a thumbnail. The core knows only this seam; the libgd and
/// libjpeg-turbo implementation lives in `ImgrepoThumbnail`, so that commands which do not need
/// pixels never load those libraries.
///
/// Contract:
/// - `render` applies EXIF `orientation` (1–8; anything else means 1), so the result is right
///   side up; for 5–8 its width and height are swapped relative to the stored pixels. HEIC and
///   HEIF are the exception: their own rotation boxes (irot/imir), which the decoder applies,
///   take precedence over EXIF, so `orientation` is ignored for them.
/// - It checks the pixel count against `maxPixels` before decoding pixels: from the header
///   when it states one, else from the decoded size before resampling.
/// - Alpha is kept in PNG and WebP output and composited on white for JPEG output.
/// - It is safe to call from several threads at once.
/// - It reads the file through its descriptor, never mapping it, so that a file cut short or
///   failing while it is read is an error, never a signal; with `expecting`, it hashes the
///   bytes as it reads them (`ExpectedContent`).
/// - Throws: `integrity` naming `subject` when `expecting` is given and the bytes do not hash to
///   it (whatever else happened); `undecodable` naming `subject` and the format for a file that
///   cannot be decoded (truncated, corrupt, a format the decoder lacks, too many pixels);
///   `fileNotFound` or `io` when `path` cannot be opened or read.
public protocol ThumbnailRendering: Sendable {
    /// Bumped whenever the same input and spec would give different bytes; part of the cache key.
    var algorithmVersion: Int { get }

    /// - Parameters:
    ///   - path: the file to read (an object in the store).
    ///   - subject: how errors name the image (an id, or the path).
    ///   - expecting: the SHA-512 the file must have, for a stored blob; nil for bytes that were
    ///     just hashed (an upload's temp file).
    func render(path: String, subject: String, format: ImageFormat, orientation: Int,
                spec: ThumbnailSpec, maxPixels: Int, expecting: ExpectedContent?) throws -> RenderedThumbnail
}

extension ThumbnailRendering {
    /// `render` without a hash to check.
    public func render(path: String, subject: String, format: ImageFormat, orientation: Int,
                       spec: ThumbnailSpec, maxPixels: Int) throws -> RenderedThumbnail {
        try render(path: path, subject: subject, format: format, orientation: orientation, spec: spec,
                   maxPixels: maxPixels, expecting: nil)
    }

    /// `render`, with any error that is not already an `ImgrepoError` reported as
    /// `undecodable` naming `subject`: the one place a renderer's failure gets its type.
    public func renderResult(path: String, subject: String, format: ImageFormat, orientation: Int,
                             spec: ThumbnailSpec, maxPixels: Int,
                             expecting: ExpectedContent? = nil) -> Result<RenderedThumbnail, ImgrepoError> {
        do {
            return .success(try render(path: path, subject: subject, format: format, orientation: orientation,
                                       spec: spec, maxPixels: maxPixels, expecting: expecting))
        } catch let error as ImgrepoError {
            return .failure(error)
        } catch {
            return .failure(.undecodable(subject: subject, reason: "\(error)"))
        }
    }
}

/// The default pixel limit: 128 megapixels.
public let defaultMaxPixels = 128_000_000
