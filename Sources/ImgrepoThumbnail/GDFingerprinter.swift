internal import CImaging
import ImageProbe
import ImgrepoCore

/// Pixel and perceptual hashes with libjpeg-turbo, libgd and libcrypto (all loaded on first use).
///
/// The pixel hash is SHA-512 over the canonical decoding of the stored pixels
/// (docs/repository-format.md, "Pixel hash"): a JPEG decoded at full size by libjpeg-turbo,
/// anything else by libgd. The perceptual hash is `PerceptualHashAlgorithm.dct` of a 32×32 grey
/// image of the oriented picture (docs/duplicates.md), for which a JPEG is decoded at the
/// smallest DCT scale still at least 32×32 (1/8 for a photo).
///
/// Asked for both, a non-JPEG is decoded once; a JPEG is decoded twice, at 1/8 and at full size,
/// so that its perceptual hash is the same value whether the pixel hash is asked for or not (the
/// extra scaled decode costs about a tenth of the full one; docs/duplicates.md).
public struct GDFingerprinter: ImageFingerprinting {
    /// 1: pixel stream `imgrepo-pixels-v1`; perceptual hash `.dct` of a 32×32 area-averaged luma
    /// image composited on white.
    public let algorithmVersion = 1

    /// The algorithm behind `ImageFingerprints.perceptualHash`.
    public static let perceptualAlgorithm = PerceptualHashAlgorithm.dct

    public init() {}

    /// Follows the `ImageFingerprinting` contract; for HEIC and HEIF `orientation` is ignored, as
    /// for thumbnails (`GDThumbnailer.render`): libheif applies the container's rotation while
    /// decoding, so their pixel hash is of the pixels after that rotation.
    ///
    /// The file is read through its descriptor, never mapped (`ImageFile`); its header's pixel
    /// count is checked against the pixel limit (`maxPixels`, lowered for the formats libgd
    /// decodes whole: `PixelLimit`) before anything is decoded, and the decoder checks the real
    /// size again. With `expecting`, the bytes are hashed as the decoder reads them and checked
    /// once it is done. Empty `kinds` returns empty fingerprints without reading the file.
    ///
    /// - Throws: `fileNotFound` or `io` when `path` cannot be opened or read; `integrity` naming
    ///   `subject` when `expecting` is given and the file does not hash to it; `undecodable`
    ///   naming `subject` for everything else: an empty file, too many pixels, a decoder error
    ///   ("jpeg decoder: ...", with libjpeg's or libgd's own words), a library that cannot be
    ///   loaded.
    public func fingerprints(path: String, subject: String, format: ImageFormat, orientation: Int,
                             kinds: FingerprintKinds, maxPixels: Int, expecting: ExpectedContent?) throws -> ImageFingerprints {
        guard !kinds.isEmpty else { return ImageFingerprints() }
        let algorithm = kinds.contains(.perceptualHash) ? Self.perceptualAlgorithm : nil
        let decoded = try decode(path: path, subject: subject, format: format, orientation: orientation,
                                 pixelHash: kinds.contains(.pixelHash), grid: algorithm?.gridSize, maxPixels: maxPixels,
                                 expecting: expecting)
        return ImageFingerprints(pixelSHA512: decoded.pixelSHA512, perceptualHash: decoded.gray.map { algorithm!.hash(gray: $0) })
    }

    /// The perceptual hash of the file by `algorithm`, for measuring the algorithms against each
    /// other (`imgrepo-simeval`). With `.dct` it equals `fingerprints(...).perceptualHash`; the
    /// other algorithms' values are not what imgrepo stores. Throws as `fingerprints`.
    public func perceptualHash(path: String, subject: String, format: ImageFormat, orientation: Int,
                               algorithm: PerceptualHashAlgorithm, maxPixels: Int) throws -> UInt64 {
        let decoded = try decode(path: path, subject: subject, format: format, orientation: orientation,
                                 pixelHash: false, grid: algorithm.gridSize, maxPixels: maxPixels, expecting: nil)
        return algorithm.hash(gray: decoded.gray!)
    }

    private func decode(path: String, subject: String, format: ImageFormat, orientation: Int, pixelHash: Bool,
                        grid: (width: Int, height: Int)?, maxPixels: Int,
                        expecting: ExpectedContent?) throws -> (pixelSHA512: String?, gray: [Double]?) {
        let limit = PixelLimit(format: format, maxPixels: maxPixels)
        let file = try ImageFile(imageAt: path, subject: subject, format: format, limit: limit, expecting: expecting)
        var gray = [Double](repeating: 0, count: grid.map { $0.width * $0.height } ?? 0)
        var result = imgrepo_fingerprint_result()
        var message = [CChar](repeating: 0, count: 512)
        let status = gray.withUnsafeMutableBufferPointer { grayBuffer in
            var request = imgrepo_fingerprint_request(
                source: file.source, source_format: format.sourceFormat,
                orientation: Int32(clamping: orientation), pixel_hash: pixelHash ? 1 : 0,
                gray_width: Int32(grid?.width ?? 0), gray_height: Int32(grid?.height ?? 0),
                gray: grid == nil ? nil : grayBuffer.baseAddress, max_pixels: Int64(limit.pixels))
            return imgrepo_fingerprint(&request, &result, &message, message.count)
        }
        try file.verify(subject: subject)
        guard status == Int32(IMGREPO_THUMB_OK.rawValue) else {
            throw imagingError(status: status, width: result.width, height: result.height, message: message,
                               subject: subject, limit: limit)
        }
        let digest = pixelHash ? withUnsafeBytes(of: result.pixel_sha512) { hexString(Array($0)) } : nil
        return (digest, grid == nil ? nil : gray)
    }
}
