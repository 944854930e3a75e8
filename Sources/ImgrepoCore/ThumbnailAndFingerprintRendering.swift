import ImageProbe

/// The thumbnails and fingerprints of one file, each a result of its own.
public struct ThumbnailsAndFingerprints: Sendable {
    /// One per requested spec, in the order of the specs.
    public var thumbnails: [Result<RenderedThumbnail, ImgrepoError>]
    public var fingerprints: Result<ImageFingerprints, ImgrepoError>

    public init(thumbnails: [Result<RenderedThumbnail, ImgrepoError>], fingerprints: Result<ImageFingerprints, ImgrepoError>) {
        self.thumbnails = thumbnails
        self.fingerprints = fingerprints
    }
}

/// Thumbnails and fingerprints of one file in one call, so that an implementation can decode the
/// file once for both (issue 8: the pixel hash "reusing the decode the thumbnail step does when
/// both are asked"). The upload worker uses it when both are asked for; everything else keeps
/// calling `ThumbnailRendering` and `ImageFingerprinting`.
///
/// Contract:
/// - Sharing a decode never changes an output: each thumbnail has the bytes, and the fingerprints
///   the values, that `ThumbnailRendering.render` (of a renderer with `thumbnailAlgorithmVersion`)
///   and `ImageFingerprinting.fingerprints` (with `fingerprintAlgorithmVersion`) give for the same
///   file alone. In particular the perceptual hash does not depend on which thumbnails were asked
///   for with it.
/// - Each output succeeds or fails alone, with the error the separate call would throw; a file
///   that cannot be opened or decoded fails every output with that error.
/// - Empty `specs` computes the fingerprints only; empty `kinds` gives empty fingerprints.
/// - Safe to call from several threads at once.
public protocol ThumbnailAndFingerprintRendering: Sendable {
    /// The `ThumbnailRendering.algorithmVersion` of the thumbnails made: part of their cache key.
    var thumbnailAlgorithmVersion: Int { get }
    /// The `ImageFingerprinting.algorithmVersion` of the fingerprints computed: stored with them.
    var fingerprintAlgorithmVersion: Int { get }

    func thumbnailsAndFingerprints(path: String, subject: String, format: ImageFormat, orientation: Int,
                                   specs: [ThumbnailSpec], kinds: FingerprintKinds,
                                   maxPixels: Int) -> ThumbnailsAndFingerprints
}

/// A renderer and a fingerprinter called one after the other: two decodes or more, the same
/// outputs. What an implementation that cannot share a decode does, and what tests compare to.
public struct SeparateThumbnailAndFingerprintRendering: ThumbnailAndFingerprintRendering {
    public let thumbnailer: any ThumbnailRendering
    public let fingerprinter: any ImageFingerprinting

    public init(thumbnailer: any ThumbnailRendering, fingerprinter: any ImageFingerprinting) {
        self.thumbnailer = thumbnailer
        self.fingerprinter = fingerprinter
    }

    public var thumbnailAlgorithmVersion: Int { thumbnailer.algorithmVersion }
    public var fingerprintAlgorithmVersion: Int { fingerprinter.algorithmVersion }

    public func thumbnailsAndFingerprints(path: String, subject: String, format: ImageFormat, orientation: Int,
                                          specs: [ThumbnailSpec], kinds: FingerprintKinds,
                                          maxPixels: Int) -> ThumbnailsAndFingerprints {
        let thumbnails = specs.map { spec in
            thumbnailer.renderResult(path: path, subject: subject, format: format, orientation: orientation,
                                     spec: spec, maxPixels: maxPixels)
        }
        let fingerprints: Result<ImageFingerprints, ImgrepoError>
        do {
            fingerprints = .success(try fingerprinter.fingerprints(path: path, subject: subject, format: format,
                                                                   orientation: orientation, kinds: kinds,
                                                                   maxPixels: maxPixels))
        } catch let error as ImgrepoError {
            fingerprints = .failure(error)
        } catch {
            fingerprints = .failure(.undecodable(subject: subject, reason: "\(error)"))
        }
        return ThumbnailsAndFingerprints(thumbnails: thumbnails, fingerprints: fingerprints)
    }
}
