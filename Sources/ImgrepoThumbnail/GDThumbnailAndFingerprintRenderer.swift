internal import CImaging
import ImageProbe
import ImgrepoCore

/// `GDThumbnailer`'s thumbnails and `GDFingerprinter`'s fingerprints of one file from as few
/// decodes as give exactly their outputs (`imgrepo_thumbnails_and_fingerprint` in CImaging):
///
/// - PNG, GIF, WebP, TIFF, BMP, HEIF, AVIF: libgd decodes at full size whatever is asked, so one
///   decode serves every thumbnail, the perceptual hash's grey image and the pixel hash.
/// - JPEG: outputs that libjpeg-turbo decodes at the same DCT scale share one decode. The
///   perceptual hash uses the smallest scale at least 32×32 (1/8 for a photo), so it shares with
///   thumbnails that use that scale too (a 12 MP photo's thumbnails up to 500×375); a larger
///   thumbnail gets its own decode rather than the hash a larger one, which would change the
///   hash. The pixel hash needs the full-size pixels, which no thumbnail uses: always a decode
///   of its own.
///
/// For `upload --thumbnails 256 --fingerprints perceptual` of a photo that is one 1/8-scale
/// decode instead of two.
public struct GDThumbnailAndFingerprintRenderer: ThumbnailAndFingerprintRendering {
    public let thumbnailer = GDThumbnailer()
    public let fingerprinter = GDFingerprinter()

    public init() {}

    public var thumbnailAlgorithmVersion: Int { thumbnailer.algorithmVersion }
    public var fingerprintAlgorithmVersion: Int { fingerprinter.algorithmVersion }

    /// Follows the `ThumbnailAndFingerprintRendering` contract, with `GDThumbnailer.render`'s and
    /// `GDFingerprinter.fingerprints`'s errors: the file is opened once (`ImageFile`) and its header
    /// checked against the pixel limit before anything is decoded, which fails every output
    /// alike. It serves uploads, whose bytes were hashed as they were copied: nothing is checked
    /// against a hash here.
    public func thumbnailsAndFingerprints(path: String, subject: String, format: ImageFormat, orientation: Int,
                                          specs: [ThumbnailSpec], kinds: FingerprintKinds,
                                          maxPixels: Int) -> ThumbnailsAndFingerprints {
        render(path: path, subject: subject, format: format, orientation: orientation, specs: specs, kinds: kinds,
               maxPixels: maxPixels).outputs
    }

    /// The outputs, and how many times the pixels were decoded for them (for tests).
    func render(path: String, subject: String, format: ImageFormat, orientation: Int, specs: [ThumbnailSpec],
                kinds: FingerprintKinds, maxPixels: Int) -> (outputs: ThumbnailsAndFingerprints, decodes: Int) {
        guard !kinds.isEmpty else {
            // Nothing to share: the fingerprinter reads nothing for no kinds.
            let outputs = SeparateThumbnailAndFingerprintRendering(thumbnailer: thumbnailer, fingerprinter: fingerprinter)
                .thumbnailsAndFingerprints(path: path, subject: subject, format: format, orientation: orientation,
                                           specs: specs, kinds: kinds, maxPixels: maxPixels)
            return (outputs, -1)
        }
        let limit = PixelLimit(format: format, maxPixels: maxPixels)
        let file: ImageFile
        do {
            file = try ImageFile(imageAt: path, subject: subject, format: format, limit: limit, expecting: nil)
        } catch {
            let failure = error as? ImgrepoError ?? .undecodable(subject: subject, reason: "\(error)")
            return (ThumbnailsAndFingerprints(thumbnails: specs.map { _ in .failure(failure) }, fingerprints: .failure(failure)), 0)
        }

        let algorithm = kinds.contains(.perceptualHash) ? GDFingerprinter.perceptualAlgorithm : nil
        let grid = algorithm?.gridSize
        var gray = [Double](repeating: 0, count: grid.map { $0.width * $0.height } ?? 0)
        var jobs = specs.map { spec in
            var job = imgrepo_thumb_job()
            job.box_width = Int32(spec.width)
            job.box_height = Int32(spec.height)
            job.output_format = spec.format.outputFormat
            job.quality = Int32(clamping: spec.quality)
            return job
        }
        var result = imgrepo_fingerprint_result()
        var message = [CChar](repeating: 0, count: 512)
        var decodes: Int32 = 0
        let status = gray.withUnsafeMutableBufferPointer { grayBuffer in
                jobs.withUnsafeMutableBufferPointer { jobBuffer in
                    var request = imgrepo_fingerprint_request(
                        source: file.source, source_format: format.sourceFormat,
                        orientation: Int32(clamping: orientation), pixel_hash: kinds.contains(.pixelHash) ? 1 : 0,
                        gray_width: Int32(grid?.width ?? 0), gray_height: Int32(grid?.height ?? 0),
                        gray: grid == nil ? nil : grayBuffer.baseAddress, max_pixels: Int64(limit.pixels))
                    return imgrepo_thumbnails_and_fingerprint(&request, jobBuffer.baseAddress, jobBuffer.count,
                                                              &result, &message, message.count, &decodes)
                }
        }

        let thumbnails = jobs.map { job -> Result<RenderedThumbnail, ImgrepoError> in
            guard job.status == Int32(IMGREPO_THUMB_OK.rawValue), let bytes = job.result.bytes else {
                let text = withUnsafeBytes(of: job.error) { Array($0.bindMemory(to: CChar.self)) + [0] }
                return .failure(imagingError(status: job.status, width: job.result.width, height: job.result.height,
                                             message: text, subject: subject, limit: limit))
            }
            defer { imgrepo_thumb_free(bytes) }
            return .success(RenderedThumbnail(bytes: Array(UnsafeRawBufferPointer(start: bytes, count: job.result.size)),
                                              width: Int(job.result.width), height: Int(job.result.height)))
        }
        let fingerprints: Result<ImageFingerprints, ImgrepoError>
        if status == Int32(IMGREPO_THUMB_OK.rawValue) {
            let digest = kinds.contains(.pixelHash) ? withUnsafeBytes(of: result.pixel_sha512) { hexString(Array($0)) } : nil
            fingerprints = .success(ImageFingerprints(pixelSHA512: digest, perceptualHash: algorithm.map { $0.hash(gray: gray) }))
        } else {
            fingerprints = .failure(imagingError(status: status, width: result.width, height: result.height, message: message,
                                                 subject: subject, limit: limit))
        }
        return (ThumbnailsAndFingerprints(thumbnails: thumbnails, fingerprints: fingerprints), Int(decodes))
    }
}
