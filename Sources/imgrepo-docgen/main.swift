// imgrepo-docgen: writes the man pages of a swift-argument-parser tool from its
// `--experimental-dump-help` JSON, read on standard input: one page for the tool and one per
// subcommand (imgrepo.1, imgrepo-upload.1, ...). scripts/generate-docs.sh runs it.
//
//   imgrepo --experimental-dump-help | imgrepo-docgen --out man --date 2026-11-24 --version 0.1.0
//
// Why not the package's generate-manual plugin: its pages have no EXIT STATUS, ENVIRONMENT,
// FILES or EXAMPLES sections, and it cannot run with a built binary in CI without building
// again. Here those sections come from the commands' own help text (see HelpText).
import Foundation

let usage = "usage: imgrepo-docgen --out DIR --date YYYY-MM-DD --version VERSION < dump-help.json"

/// Prints a one-line complaint on stderr and exits with `status`.
func fail(_ message: String, status: Int32 = 64) -> Never {
    FileHandle.standardError.write(Data("imgrepo-docgen: \(message)\n".utf8))
    exit(status)
}

var out: String?
var date: String?
var version: String?
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    switch flag {
    case "--out": out = arguments.popFirst()
    case "--date": date = arguments.popFirst()
    case "--version": version = arguments.popFirst()
    case "-h", "--help": print(usage); exit(0)
    default: fail("unknown argument '\(flag)' (\(usage))")
    }
}
guard let out, let date, let version else { fail(usage) }
guard date.count == 10, date.split(separator: "-").count == 3 else { fail("--date \(date): expected YYYY-MM-DD") }

let input = FileHandle.standardInput.readDataToEndOfFile()
let tool: ToolInfo
do { tool = try JSONDecoder().decode(ToolInfo.self, from: input) } catch {
    fail("standard input is not --experimental-dump-help JSON: \(error)", status: 65)
}
guard tool.serializationVersion == 0 else {
    fail("dump-help serialization version \(tool.serializationVersion); this generator reads version 0", status: 65)
}

/// The root command and every documented subcommand below it, depth first.
func commands(_ command: CommandInfo) -> [CommandInfo] {
    [command] + command.documentedSubcommands.flatMap(commands)
}

do {
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
} catch {
    fail("cannot create \(out): \(error.localizedDescription)", status: 73)
}
var written: [String] = []
for command in commands(tool.command) {
    let page = ManPage(command: command, root: tool.command, date: date, version: version)
    let path = out + "/" + command.pageName + ".1"
    do { try Data(page.text.utf8).write(to: URL(fileURLWithPath: path)) } catch {
        fail("cannot write \(path): \(error.localizedDescription)", status: 74)
    }
    if HelpText(command.discussion ?? "").examples.isEmpty {
        FileHandle.standardError.write(Data("imgrepo-docgen: warning: \(command.fullName) has no Examples: block in its discussion\n".utf8))
    }
    written.append(command.pageName + ".1")
}
FileHandle.standardError.write(Data("imgrepo-docgen: wrote \(written.joined(separator: ", ")) in \(out)\n".utf8))
