import Foundation
import ImageProbe
import ImgrepoCore
import ImgrepoFixtures
import ImgrepoSHA512
import ImgrepoThumbnail
import Testing

/// A fresh temporary folder, removed on deinit.
final class Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("imgrepo-fingerprint-tests-\(UUID().uuidString)")
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

/// `GDFingerprinter`'s fingerprints of `bytes`, written to a temporary file.
func fingerprints(_ bytes: [UInt8], as format: ImageFormat, orientation: Int = 1, kinds: FingerprintKinds = .all,
                  maxPixels: Int = defaultMaxPixels) throws -> ImageFingerprints {
    let scratch = try Scratch()
    let path = try scratch.write(bytes)
    return try GDFingerprinter().fingerprints(path: path, subject: "fixture", format: format, orientation: orientation,
                                              kinds: kinds, maxPixels: maxPixels)
}

/// The fingerprints of a study file (`SimilarityStudy.File`).
func fingerprints(_ file: SimilarityStudy.File, kinds: FingerprintKinds = .all) throws -> ImageFingerprints {
    let format = try #require(ImageFormat(rawValue: file.encoding))
    return try fingerprints(file.bytes, as: format, orientation: file.orientation, kinds: kinds)
}

/// The perceptual hash of `bytes`.
func perceptualHash(_ bytes: [UInt8], as format: ImageFormat = .jpeg, orientation: Int = 1) throws -> UInt64 {
    try #require(try fingerprints(bytes, as: format, orientation: orientation, kinds: .perceptualHash).perceptualHash)
}

/// The SHA-512 of the canonical pixel stream (docs/repository-format.md, "Pixel hash") of
/// `width`×`height` pixels given row by row as R, G, B, A bytes, computed here from the
/// specification, independently of the C that decodes images.
func canonicalPixelHash(width: Int, height: Int, rgba: [UInt8]) -> String {
    precondition(rgba.count == width * height * 4)
    func bigEndian(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    let hasher = SHA512Hasher()
    let header = Array("imgrepo-pixels-v1\n".utf8) + bigEndian(width) + bigEndian(height)
    header.withUnsafeBytes { hasher.update($0) }
    rgba.withUnsafeBytes { hasher.update($0) }
    return hasher.finalize()
}

/// The error `body` throws, as `ImgrepoError`; records an issue when it throws nothing or
/// something else.
func fingerprintError(_ body: () throws -> ImageFingerprints, sourceLocation: SourceLocation = #_sourceLocation) -> ImgrepoError? {
    do {
        _ = try body()
        Issue.record("fingerprinted without an error", sourceLocation: sourceLocation)
        return nil
    } catch let error as ImgrepoError {
        return error
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The reason of an `undecodable` error about "fixture", or nil after recording an issue.
func undecodableReason(_ body: () throws -> ImageFingerprints, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
    let error = fingerprintError(body, sourceLocation: sourceLocation)
    guard case .undecodable(let subject, let reason)? = error else {
        Issue.record("expected undecodable, got \(String(describing: error))", sourceLocation: sourceLocation)
        return nil
    }
    #expect(subject == "fixture", sourceLocation: sourceLocation)
    #expect(!reason.contains("\n"), "one line: \(reason)", sourceLocation: sourceLocation)
    return reason
}
