import Foundation
import Testing

/// What the user gave is quoted so that a message stays one short line: control characters
/// in a name are escaped and never reach the terminal, a huge value is cut.
@Suite struct MessageTextTests {
    @Test func controlCharactersInANameAreEscaped() throws {
        let box = try Sandbox()
        let path = try box.file("a\nb\u{1b}[31m.jpg", Array("not an image".utf8))
        let r = try box.run(["upload", path])
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.errLines.count == 1, "one line on stderr, got: \(r.stderr)")
        #expect(!r.stderr.contains("\u{1b}"), "an ESC reached stderr")
        #expect(r.stderr.contains("a\\nb\\x1B[31m.jpg"), "\(r.stderr)")
        #expect(r.lines.count == 1, "one per-file line, got: \(r.out)")
        #expect(!r.out.contains("\u{1b}"), "an ESC reached stdout")
    }

    @Test func longWhereExpressionIsQuotedShort() throws {
        let box = try Sandbox()
        #expect(try box.run(["init"]).status == 0)
        let expression = "iso > " + String(repeating: "(", count: 120_000)
        let r = try box.run(["list", "--where", expression])
        #expect(r.status == 64, "\(r.stderr.prefix(300))")
        #expect(r.errLines.count == 1)
        #expect(r.stderr.utf8.count < 600, "\(r.stderr.utf8.count) bytes of error")
        #expect(r.stderr.contains("…"))
    }
}
