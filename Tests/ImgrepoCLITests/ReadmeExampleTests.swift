import Foundation
import Testing

/// A fenced shell block of a Markdown file, marked to be run.
struct MarkdownExample: Equatable {
    /// The line of the opening fence, 1-based.
    var line: Int
    var code: String
}

/// README.md's examples, run: every ```sh block that a `<!-- example -->` line precedes
/// (blank lines may separate them) is a command a reader can paste, so a test runs it.
enum MarkdownExamples {
    static let marker = "<!-- example -->"

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    /// The marked blocks, in order. A marker not followed by a ```sh (or ```bash) fence, or a
    /// block never closed, is an error: a marker that marks nothing would hide a block from the test.
    static func extract(_ markdown: String, name: String = "README.md") throws -> [MarkdownExample] {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var examples: [MarkdownExample] = []
        var index = 0
        while index < lines.count {
            defer { index += 1 }
            guard lines[index].trimmingCharacters(in: .whitespaces) == marker else { continue }
            var fence = index + 1
            while fence < lines.count, lines[fence].trimmingCharacters(in: .whitespaces).isEmpty { fence += 1 }
            guard fence < lines.count, ["```sh", "```bash"].contains(lines[fence].trimmingCharacters(in: .whitespaces)) else {
                throw Malformed(description: "\(name):\(index + 1): \(marker) is not followed by a ```sh block")
            }
            guard let close = lines[(fence + 1)...].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "```" }) else {
                throw Malformed(description: "\(name):\(fence + 1): the ```sh block is never closed")
            }
            examples.append(MarkdownExample(line: fence + 1, code: lines[(fence + 1)..<close].joined(separator: "\n")))
            index = close
        }
        return examples
    }

    /// One bash script running `examples` in order, as a reader pasting them into one terminal
    /// would: state (variables, the working folder) carries over, and the first command that
    /// fails ends the run. Before each block it says `::example NAME:LINE` on stderr, so a
    /// failure names its block; `::examples done` at the end says that all of them ran.
    static func script(_ examples: [MarkdownExample], name: String = "README.md") -> String {
        var text = "set -euo pipefail\ncd \"$HOME\"\n"
        for example in examples {
            text += "echo '::example \(name):\(example.line)' >&2\n" + example.code + "\n"
        }
        return text + "echo '::examples done' >&2\n"
    }

    /// Runs the examples in `box` with a fresh HOME (also the working folder), the built
    /// binaries (imgrepo, imgrepo-sample) first on PATH, and no imgrepo setting in the environment.
    static func run(_ examples: [MarkdownExample], in box: Sandbox, name: String = "README.md") throws -> Sandbox.Result {
        let home = box.root.path + "/home"
        let binaries = URL(fileURLWithPath: Sandbox.binary).deletingLastPathComponent().path
        box.environment = ["HOME": home, "PATH": binaries + ":/usr/local/bin:/usr/bin:/bin", "TZ": "UTC", "LANG": "C.UTF-8"]
        try box.file("examples.sh", Array(script(examples, name: name).utf8))
        return try box.run([box.root.path + "/examples.sh"], binary: "/bin/bash")
    }

    /// The block a failed run stopped in: the last `::example` line on stderr.
    static func failedBlock(_ result: Sandbox.Result) -> String {
        result.errLines.last { $0.hasPrefix("::example ") }.map { String($0.dropFirst("::example ".count)) } ?? "before the first example"
    }
}

@Suite struct ReadmeExampleTests {
    @Test func everyMarkedExampleRuns() throws {
        let readme = try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let examples = try MarkdownExamples.extract(readme)
        // The tour, the jq recipes, the cron wrapper and the exit status example at least.
        #expect(examples.count >= 10, "only \(examples.count) marked examples in README.md")
        let box = try Sandbox()
        let result = try MarkdownExamples.run(examples, in: box)
        #expect(result.status == 0 && result.errLines.last == "::examples done",
                "README.md example at \(MarkdownExamples.failedBlock(result)) failed with status \(result.status):\n\(result.stderr.suffix(3000))")
        // The tour did what it says.
        let home = box.root.path + "/home"
        #expect(FileManager.default.contentsEqual(atPath: home + "/restored.jpg", andPath: home + "/tour-photos/IMG_0006.JPG"))
        #expect(FileManager.default.fileExists(atPath: home + "/thumbs/1-128.webp"))
        #expect(result.out.contains("exit status 4"))
        #expect(result.out.contains("exit status 3"))
    }

    @Test func onlyMarkedShellBlocksAreExtracted() throws {
        let markdown = """
            # Title

            ```sh
            not marked
            ```
            <!-- example -->
            ```sh
            echo one
            echo two
            ```

            <!-- example -->

            ```bash
            echo three
            ```
            """
        #expect(try MarkdownExamples.extract(markdown) == [
            MarkdownExample(line: 7, code: "echo one\necho two"),
            MarkdownExample(line: 14, code: "echo three"),
        ])
        #expect(throws: MarkdownExamples.Malformed.self) { try MarkdownExamples.extract("<!-- example -->\n```toml\na = 1\n```") }
        #expect(throws: MarkdownExamples.Malformed.self) { try MarkdownExamples.extract("<!-- example -->\n```sh\necho open") }
    }

    /// The runner is only worth something if a failing example fails it, wherever it fails.
    @Test(arguments: ["false", "false | cat", "imgrepo no-such-command", "echo $undefined_variable"])
    func aFailingExampleFailsTheRun(failing: String) throws {
        let examples = [MarkdownExample(line: 3, code: "echo first"), MarkdownExample(line: 9, code: failing + "\necho after")]
        let result = try MarkdownExamples.run(examples, in: try Sandbox())
        #expect(result.status != 0)
        #expect(MarkdownExamples.failedBlock(result) == "README.md:9")
        #expect(!result.out.contains("after"))
        #expect(!result.stderr.contains("::examples done"))
    }

    @Test func stateCarriesOverFromBlockToBlock() throws {
        let examples = [MarkdownExample(line: 1, code: "export GREETING=hello\ncd /tmp"),
                        MarkdownExample(line: 5, code: "echo \"$GREETING from $PWD\"")]
        let result = try MarkdownExamples.run(examples, in: try Sandbox())
        #expect(result.status == 0)
        #expect(result.out == "hello from /tmp\n")
    }
}
