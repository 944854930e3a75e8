import Foundation
import ImgrepoFixtures
import Testing

/// File names are byte strings: any name a folder, the command line or `find -print0` gives
/// can be uploaded, and the catalogue records it in a lossless rendering
/// (docs/repository-format.md, "File names").
@Suite struct FileNameTests {
    /// Creates `folder/prefix` + 0xFF + `.jpg` under the sandbox with `bytes`, through POSIX
    /// (a Swift String cannot hold the byte); returns the folder.
    func invalidUTF8File(_ box: Sandbox, folder: String, prefix: String, _ bytes: [UInt8]) throws -> String {
        let dir = box.root.path + "/" + folder
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path: [UInt8] = Array((dir + "/" + prefix).utf8) + [0xFF] + Array(".jpg".utf8) + [0]
        let fd = path.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_EXCL, 0o644) } }
        try #require(fd >= 0)
        defer { close(fd) }
        #expect(bytes.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) } == bytes.count)
        return dir
    }

    @Test func invalidUTF8NamesUpload() throws {
        let box = try Sandbox()
        // As a folder's member.
        let walked = try invalidUTF8File(box, folder: "walked", prefix: "a", Fixtures.jpeg(width: 30, height: 20, seed: 1))
        let r1 = try box.run(["upload", walked])
        #expect(r1.status == 0, "\(r1.stderr)")
        #expect(r1.lines == ["stored 1 a\\xFF.jpg"], "\(r1.out)")
        // Through a NUL-separated list.
        let listed = try invalidUTF8File(box, folder: "listed", prefix: "b", Fixtures.jpeg(width: 30, height: 20, seed: 2))
        let list = Data(listed.utf8) + Data("/b".utf8) + Data([0xFF]) + Data(".jpg".utf8) + Data([0])
        let r2 = try box.run(["upload", "-0", "--from-file", "-"], stdin: list)
        #expect(r2.status == 0, "\(r2.stderr)")
        #expect(r2.lines == ["stored 2 b\\xFF.jpg"], "\(r2.out)")
        // As a plain argument: the shell expands the glob to the raw bytes, which Process
        // arguments (Swift Strings) cannot carry.
        _ = try invalidUTF8File(box, folder: "plain", prefix: "c", Fixtures.jpeg(width: 30, height: 20, seed: 3))
        let r3 = try box.run([], prefix: ["/bin/sh", "-c", "exec \"$0\" upload plain/c*.jpg"])
        #expect(r3.status == 0, "\(r3.stderr)")
        #expect(r3.lines == ["stored 3 c\\xFF.jpg"], "\(r3.out)")
        // The catalogue's rendering: the byte 0xFF is U+EFFF.
        let names = try #require(try box.json(try box.run(["list", "--json", "--sort", "id"])) as? [[String: Any]]).map { $0["name"] as? String }
        #expect(names == ["a\u{EFFF}.jpg", "b\u{EFFF}.jpg", "c\u{EFFF}.jpg"])
        // And `get -o DIR/` gives the file back its original bytes as a name.
        let out = box.root.path + "/restored/"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        #expect(try box.run(["get", "1", "-o", out]).status == 0)
        let restored: [UInt8] = Array((out + "a").utf8) + [0xFF] + Array(".jpg".utf8) + [0]
        var st = stat()
        #expect(restored.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { stat($0.baseAddress!, &st) } } == 0)
    }

    @Test func aWorkingFolderThatIsNotUTF8GivesAbsolutePathsThatAreRight() throws {
        let box = try Sandbox()
        let folder = try invalidUTF8File(box, folder: "work", prefix: "d", [])
        // A folder named d<0xFF>.jpg holding x.jpg, entered by the shell.
        let inside: [UInt8] = Array((folder + "/d").utf8) + [0xFF] + Array(".jpg".utf8)
        let raw = inside + [0]
        _ = raw.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { unlink($0.baseAddress!) } }
        #expect(raw.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { mkdir($0.baseAddress!, 0o755) } } == 0)
        let photo = Fixtures.jpeg(width: 30, height: 20, seed: 4)
        let r = try box.run([], stdin: Data(photo), prefix: ["/bin/sh", "-c", "cd work/d*.jpg && cat > x.jpg && exec \"$0\" upload x.jpg"])
        #expect(r.status == 0, "\(r.stderr)")
        let records = try #require(try box.json(try box.run(["list", "--json"])) as? [[String: Any]])
        #expect(records.first?["path"] as? String == folder + "/d\u{EFFF}.jpg/x.jpg")
    }
}
