import Foundation
import ImgrepoFixtures
import Testing

/// Issue 23, item 10: with `objects/` on a file system of its own (shared storage, a disk of
/// its own), every upload failed with "invalid cross-device link": blobs were written in `tmp/`
/// and linked across. Now each such area has its own temp folder, `.tmp`, which verify knows.
@Suite struct SeparateFileSystemTests {
    @Test(.enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
    func objectsAndThumbnailsOnFileSystemsOfTheirOwn() throws {
        let box = try Sandbox()
        #expect(try box.run(["init"]).status == 0)
        var mounted: [String] = []
        defer { for point in mounted { _ = try? shell(["umount", point]) } }
        for area in ["objects", "thumbnails"] {
            let point = box.repo + "/" + area
            try FileManager.default.createDirectory(atPath: point, withIntermediateDirectories: true)
            try #require(try shell(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", point]).status == 0)
            mounted.append(point)
        }
        let files = try (0..<3).map { try box.file("in/\($0).jpg", Fixtures.jpeg(width: 40 + $0, height: 30, seed: UInt32(80 + $0))) }
        let upload = try box.run(["upload", "--thumbnails", "64"] + files)
        #expect(upload.status == 0, "\(upload.stderr)")
        #expect(upload.lines.count == 3 && upload.lines.allSatisfy { $0.hasPrefix("stored ") }, "\(upload.out)")
        #expect(try box.run(["thumbnail", "1", "--size", "32", "-o", box.root.path + "/t.jpg"]).status == 0)
        #expect(try box.run(["get", "2", "-o", box.root.path + "/2.jpg"]).status == 0)
        #expect(try box.run(["delete", "3"]).status == 0)
        let verify = try box.run(["verify", "--json"])
        #expect(verify.status == 0 && verify.out == "[]\n", "\(verify.out) \(verify.stderr)")

        // A temp file a killed writer left in objects/.tmp is a stale temp, and --repair removes it.
        let stale = box.repo + "/objects/.tmp/upload-999999999-dead"
        FileManager.default.createFile(atPath: stale, contents: Data([1, 2, 3]))
        let found = try box.run(["verify", "--format", "ndjson"])
        #expect(found.status == 6 && found.out.contains("\"kind\":\"stale_temp\"") && found.out.contains("objects/.tmp/upload-999999999-dead"),
                "\(found.out)")
        #expect(try box.run(["verify", "--repair"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: stale))
    }
}
