import Foundation
import ImageProbe
import ImgrepoCore
import ImgrepoFixtures
import ImgrepoThumbnail
import Testing

/// A `ContentHasher` whose "digest" is the hex of every byte it was fed: equal to the file's
/// hex only when each byte went in once and in order. `onUpdate` sees the count fed so far.
final class RecordingHasher: ContentHasher {
    private var bytes: [UInt8] = []
    private let onUpdate: (Int) -> Void

    init(onUpdate: @escaping (Int) -> Void = { _ in }) { self.onUpdate = onUpdate }

    func update(_ chunk: UnsafeRawBufferPointer) {
        bytes += chunk
        onUpdate(bytes.count)
    }

    func finalize() -> String { hexString(bytes) }
}

/// Set once; read and written by one decode's thread only.
final class Flag: @unchecked Sendable {
    var isSet = false
}

/// Decoding with an `ExpectedContent` (issue 23, item 6): the file is hashed in the decoder's own
/// reads, every byte once and in order whatever the decoder skips or seeks; bytes that do not
/// hash to the expected name are refused as an integrity failure, whatever the decoder made of
/// them; and a file cut short while it is read is an error, never a signal.
@Suite("blob integrity") struct IntegrityTests {
    static let spec = try! ThumbnailSpec(size: 32)

    static func expecting(_ bytes: [UInt8]) -> ExpectedContent {
        ExpectedContent(sha512: hexString(bytes), makeHasher: { RecordingHasher() })
    }

    @Test("every byte of every format reaches the hasher once, in order, for thumbnails and fingerprints",
          arguments: ["jpeg", "png", "gif", "webp", "tiff", "bmp", "heif", "avif", "progressive"])
    func everyByteOnceInOrder(kind: String) throws {
        let (bytes, format): ([UInt8], ImageFormat) = switch kind {
        case "heif": (Fixtures.heif(), .heif)
        case "avif": (Fixtures.avif(), .avif)
        case "progressive": (Fixtures.progressiveJPEG(), .jpeg)
        default: (Fixtures.quadrantPicture(kind), ImageFormat(rawValue: kind)!)
        }
        guard GDThumbnailer.decodableFormats().contains(format) else { return }
        // Trailing bytes after the image, which no decoder reads, are hashed too.
        let stored = bytes + Array("trailing bytes".utf8)
        let scratch = try Scratch()
        let path = try scratch.write(stored)
        _ = try GDThumbnailer().render(path: path, subject: "fixture", format: format, orientation: 1, spec: Self.spec,
                                       maxPixels: defaultMaxPixels, expecting: Self.expecting(stored))
        _ = try GDFingerprinter().fingerprints(path: path, subject: "fixture", format: format, orientation: 1, kinds: .all,
                                               maxPixels: defaultMaxPixels, expecting: Self.expecting(stored))
    }

    @Test("bytes that do not hash to the name are refused, decodable or not, and nothing is made")
    func mismatchIsAnIntegrityFailure() throws {
        let scratch = try Scratch()
        for (bytes, format) in [(Fixtures.jpeg(width: 64, height: 48), ImageFormat.jpeg),
                                (Fixtures.garbageWithPNGSignature(), .png)] {
            let path = try scratch.write(bytes)
            let other = ExpectedContent(sha512: hexString(bytes + [0]), makeHasher: { RecordingHasher() })
            let error = renderError {
                try GDThumbnailer().render(path: path, subject: "image 7", format: format, orientation: 1, spec: Self.spec,
                                           maxPixels: defaultMaxPixels, expecting: other)
            }
            guard case .integrity(let subject, _)? = error else {
                Issue.record("\(format): \(String(describing: error))")
                continue
            }
            #expect(subject == "image 7")
            #expect(throws: ImgrepoError.self) {
                try GDFingerprinter().fingerprints(path: path, subject: "image 7", format: format, orientation: 1,
                                                   kinds: .all, maxPixels: defaultMaxPixels, expecting: other)
            }
        }
    }

    @Test("a file cut short while it is being read is an integrity failure, not a signal")
    func truncatedWhileRead() throws {
        let bytes = Fixtures.jpeg(width: 1600, height: 1200, seed: 3)
        try #require(bytes.count > 256 * 1024)
        let scratch = try Scratch()
        let path = try scratch.write(bytes)
        let cut = Flag()
        // The first bytes hashed are those of the first read: cut the file under the decoder then.
        let expected = ExpectedContent(sha512: hexString(bytes), makeHasher: {
            RecordingHasher { _ in
                if !cut.isSet {
                    cut.isSet = true
                    _ = truncate(path, 100_000)
                }
            }
        })
        let error = renderError {
            try GDThumbnailer().render(path: path, subject: "image 3", format: .jpeg, orientation: 1, spec: Self.spec,
                                       maxPixels: defaultMaxPixels, expecting: expected)
        }
        #expect(cut.isSet)
        guard case .integrity(let subject, _)? = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(subject == "image 3")
    }
}
