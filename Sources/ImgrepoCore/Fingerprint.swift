import ImageProbe

/// What an image's pixels say about it, beyond its bytes (issue 8): the two keys for
/// "the same picture" that survive a metadata edit or a re-encode.
public struct ImageFingerprints: Hashable, Sendable {
    /// SHA-512 over the canonical decoding of the pixels (docs/repository-format.md,
    /// "Pixel hash"), lowercase hex, 128 characters; nil when it was not asked for.
    public var pixelSHA512: String?
    /// The 64-bit perceptual hash of the oriented image (docs/duplicates.md); nil when it was
    /// not asked for. Two images look alike when few bits differ (`hammingDistance`).
    public var perceptualHash: UInt64?

    /// The Hamming distance up to which two perceptual hashes are taken for the same picture
    /// when no `--max-distance` is given: 12 of 64 bits.
    ///
    /// Measured by `imgrepo-simeval` (docs/duplicates.md): at 12, 98.7% of the edited copies
    /// (re-encoded, resized, cropped, brightened, converted, re-tagged) are found, at least 95%
    /// of each kind of edit, and none of 62,244 pairs of different pictures match; the closest
    /// pair of different pictures is 14 apart. (The stored hash always has 32 bits set, so
    /// distances are even: 12 and 13 find the same images.)
    public static let defaultMaxDistance = 12

    public init(pixelSHA512: String? = nil, perceptualHash: UInt64? = nil) {
        self.pixelSHA512 = pixelSHA512
        self.perceptualHash = perceptualHash
    }
}

/// Which fingerprints a caller wants; computing either costs a decode.
public struct FingerprintKinds: OptionSet, Hashable, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let pixelHash = FingerprintKinds(rawValue: 1)
    public static let perceptualHash = FingerprintKinds(rawValue: 2)
    public static let all: FingerprintKinds = [.pixelHash, .perceptualHash]
}

/// Computes fingerprints from a stored file. Implemented over libjpeg-turbo and libgd by
/// `ImgrepoThumbnail.GDFingerprinter`; the core only sees this protocol.
///
/// Contract:
/// - The pixel hash is of the pixels as stored, before any orientation, so a file rewritten
///   with other metadata (EXIF edited or stripped, orientation tag changed) keeps it; it
///   changes with any change of a pixel value or of the size.
/// - The perceptual hash is of the oriented image (EXIF `orientation` 1–8 applied; HEIC/HEIF
///   use their container's rotation), so a photo and its rotated-by-tag copy match.
/// - The pixel count is checked against `maxPixels` before any pixels are decoded.
/// - Safe to call from several threads at once.
/// - Throws: `undecodable` naming `subject` and the format for a file that cannot be decoded;
///   `fileNotFound` or `io` when `path` cannot be opened or read.
public protocol ImageFingerprinting: Sendable {
    /// Bumped whenever the same file would give other values; stored next to the values so
    /// that `index` can recompute stale ones.
    var algorithmVersion: Int { get }

    /// `expecting`: the SHA-512 the file must have, checked in the same read as the decode
    /// (`ExpectedContent`); a mismatch throws `integrity` naming `subject` and gives no values.
    func fingerprints(path: String, subject: String, format: ImageFormat, orientation: Int,
                      kinds: FingerprintKinds, maxPixels: Int, expecting: ExpectedContent?) throws -> ImageFingerprints
}

extension ImageFingerprinting {
    /// The fingerprints of `kinds` of a catalogued image, from its blob in `objects`, the bytes
    /// checked against the image's SHA-512 as they are read; errors name `image ID`. What
    /// `index`, a search filling in what is missing, and an upload completing a known image's
    /// fingerprints all compute.
    func fingerprints(of record: ImageRecord, in objects: ObjectStore, kinds: FingerprintKinds, maxPixels: Int,
                      makeHasher: @escaping @Sendable () -> any ContentHasher) throws -> ImageFingerprints {
        try fingerprints(path: objects.path(for: record.sha512), subject: "image \(record.id)", format: record.format,
                         orientation: record.exif.orientation ?? 1, kinds: kinds, maxPixels: maxPixels,
                         expecting: ExpectedContent(sha512: record.sha512, makeHasher: makeHasher))
    }

    /// `fingerprints` without a hash to check.
    public func fingerprints(path: String, subject: String, format: ImageFormat, orientation: Int,
                             kinds: FingerprintKinds, maxPixels: Int) throws -> ImageFingerprints {
        try fingerprints(path: path, subject: subject, format: format, orientation: orientation, kinds: kinds,
                         maxPixels: maxPixels, expecting: nil)
    }
}

/// The number of bits in which two perceptual hashes differ (0–64).
@inlinable
public func hammingDistance(_ a: UInt64, _ b: UInt64) -> Int {
    (a ^ b).nonzeroBitCount
}
