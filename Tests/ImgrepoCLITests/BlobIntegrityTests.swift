import Foundation
import ImgrepoFixtures
import Testing

/// Pixels are made only from bytes that hash to their name (issue 23, item 6): `thumbnail` and
/// `index` check the blob's SHA-512 while they read it, refuse a blob changed since it was
/// stored with an integrity failure (exit 5) naming the image, and cache or store nothing made
/// from it. A blob cut short is the same clean failure, never a signal.
@Suite struct BlobIntegrityTests {
    /// A repository holding `images`, and each image's blob path by id (1, 2, ...).
    func repository(_ images: [(String, [UInt8])]) throws -> (Sandbox, [String]) {
        let box = try Sandbox()
        for (name, bytes) in images {
            let r = try box.run(["upload", try box.file(name, bytes)])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let list = try #require(try box.json(try box.run(["list", "--json", "--sort", "id"])) as? [[String: Any]])
        let blobs = list.compactMap { $0["sha512"] as? String }.map { box.repo + "/objects/" + $0.prefix(2) + "/" + $0.dropFirst(2) }
        for blob in blobs { try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: blob) }
        return (box, blobs)
    }

    /// Flips one byte in the middle of the file: the same size, other bytes.
    func flipByte(_ path: String) throws {
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    func thumbnailFiles(_ box: Sandbox) -> [String] {
        ((FileManager.default.enumerator(atPath: box.repo + "/thumbnails")?.allObjects as? [String]) ?? [])
            .filter { $0.contains("/") && !$0.hasSuffix("/") && $0.split(separator: "/").count > 1 }
    }

    @Test(arguments: ["jpeg", "png"]) func thumbnailOfACorruptBlobIsRefused(format: String) throws {
        let bytes = format == "jpeg" ? Fixtures.jpeg(width: 320, height: 240, seed: 9) : Fixtures.png(width: 160, height: 120, seed: 9)
        let (box, blobs) = try repository([("a." + format, bytes)])
        try flipByte(blobs[0])
        let r = try box.run(["thumbnail", "1"])
        #expect(r.status == 5, "\(r.stderr)")
        #expect(r.stderr.contains("image 1") && r.stderr.contains("integrity failure"), "\(r.stderr)")
        #expect(r.errLines.count == 1, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(thumbnailFiles(box).isEmpty, "\(thumbnailFiles(box))")
        // Uncached, the same refusal.
        #expect(try box.run(["thumbnail", "1", "--no-cache"]).status == 5)
    }

    @Test func indexStoresNoFingerprintsOfACorruptBlob() throws {
        let (box, blobs) = try repository([("a.jpg", Fixtures.jpeg(width: 320, height: 240, seed: 1)),
                                           ("b.png", Fixtures.png(width: 160, height: 120, seed: 2))])
        try flipByte(blobs[0])
        let r = try box.run(["index"])
        #expect(r.status == 3, "\(r.stderr)")
        #expect(r.stderr.contains("image 1: integrity failure"), "\(r.stderr)")
        let list = try #require(try box.json(try box.run(["list", "--json", "--sort", "id", "--fields", "id,pixel_sha512,phash"])) as? [[String: Any]])
        #expect(list.count == 2)
        #expect(list.first?["pixel_sha512"] is NSNull && list.first?["phash"] is NSNull, "\(list)")
        #expect(list.last?["pixel_sha512"] is String && list.last?["phash"] is String, "\(list)")
    }

    @Test(arguments: [1, 2]) func truncatedBlobIsACleanIntegrityFailure(keepFraction: Int) throws {
        let (box, blobs) = try repository([("a.jpg", Fixtures.jpeg(width: 640, height: 480, seed: 4))])
        // Cut to a half (the decoder runs out of data) or to all but the last byte (EOI lost:
        // the picture still decodes, only the hash tells).
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: blobs[0])))
        let kept = keepFraction == 1 ? bytes.count / 2 : bytes.count - 1
        try Data(bytes.prefix(kept)).write(to: URL(fileURLWithPath: blobs[0]))
        for command in [["thumbnail", "1"], ["index"]] {
            let r = try box.run(command)
            #expect(r.status > 0 && r.status < 128, "\(command): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("image 1: integrity failure"), "\(command): \(r.stderr)")
        }
        #expect(thumbnailFiles(box).isEmpty)
    }
}
