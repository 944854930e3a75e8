import Foundation
import ImgrepoFixtures
import Testing

/// Issue 23, item 10: a repository inside the folder being imported imported its own
/// thumbnails (and looked at its own blobs) on every run. The walk now never enters it.
@Suite struct RepositoryInsideInputTests {
    @Test(arguments: ["repo", ".imgrepo-hidden-but-walked"])
    func theRepositoryIsNeverWalkedIntoWhateverPathLeadsThere(name: String) throws {
        let box = try Sandbox()
        let photos = box.root.path + "/photos"
        for i in 0..<3 { _ = try box.file("photos/\(i).jpg", Fixtures.jpeg(width: 30 + i, height: 20, seed: UInt32(60 + i))) }
        box.environment["IMGREPO_REPO"] = photos + "/" + name
        let hidden = name.hasPrefix(".") ? ["--hidden"] : []

        let first = try box.run(["upload", "--thumbnails", "64"] + hidden + [photos])
        #expect(first.status == 0, "\(first.stderr)")
        let again = try box.run(["upload", "--thumbnails", "64"] + hidden + [photos])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.lines.contains("skipped \(photos)/\(name): the imgrepo repository itself"), "\(again.out)")
        // Through a symbolic link, and named directly.
        try FileManager.default.createSymbolicLink(atPath: box.root.path + "/link", withDestinationPath: photos + "/" + name)
        let viaLink = try box.run(["upload", "--follow-symlinks", box.root.path + "/link"])
        #expect(viaLink.lines == ["skipped \(box.root.path)/link: the imgrepo repository itself"], "\(viaLink.out)")
        #expect(try box.run(["list", "--count"]).out == "3\n")
    }
}
