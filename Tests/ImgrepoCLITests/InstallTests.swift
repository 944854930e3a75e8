import Foundation
import ImgrepoCore
import Testing

struct DumpHelpError: Error, CustomStringConvertible {
    var output: String
    var description: String { "imgrepo --experimental-dump-help printed no command: \(output.prefix(200))" }
}

/// `make install-files` into a temporary DESTDIR, the pages it installs, and the generated files
/// (man/, completions/, README.md's exit status table) being what the sources make now.
@Suite struct InstallTests {
    /// The man pages there must be: the root command's and one per documented subcommand, as
    /// the built binary describes itself.
    static func expectedPages() throws -> [String] {
        let box = try Sandbox()
        let dump = try box.run(["--experimental-dump-help"])
        guard let root = try box.json(dump) as? [String: Any], let command = root["command"] as? [String: Any] else {
            throw DumpHelpError(output: dump.out)
        }
        func pages(_ command: [String: Any], prefix: String) -> [String] {
            let name = prefix + (command["commandName"] as? String ?? "?")
            let subcommands = (command["subcommands"] as? [[String: Any]] ?? []).filter {
                $0["commandName"] as? String != "help" && $0["shouldDisplay"] as? Bool != false
            }
            return [name + ".1"] + subcommands.flatMap { pages($0, prefix: name + "-") }
        }
        return pages(command, prefix: "")
    }

    /// Every regular file under `folder`, relative to it.
    static func files(under folder: String) -> Set<String> {
        var result: Set<String> = []
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return result }
        while let path = walker.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isFolder), !isFolder.boolValue {
                result.insert(path)
            }
        }
        return result
    }

    func make(_ box: Sandbox, _ arguments: [String]) throws -> Sandbox.Result {
        try box.run(["-C", packageRoot.path] + arguments, prefix: ["/usr/bin/env"], binary: "make")
    }

    @Test func installFilesPutsEverythingInItsPlaceAndUninstallRemovesIt() throws {
        let box = try Sandbox()
        let destdir = box.root.path + "/stage"
        let install = try make(box, ["install-files", "IMGREPO_BIN=\(Sandbox.binary)", "DESTDIR=\(destdir)", "PREFIX=/usr/local"])
        #expect(install.status == 0, "make install-files: \(install.stderr)")
        let pages = try Self.expectedPages()
        #expect(pages.count >= 11, "\(pages)")
        let expected = Set(["usr/local/bin/imgrepo",
                            "usr/local/share/bash-completion/completions/imgrepo",
                            "usr/local/share/zsh/site-functions/_imgrepo",
                            "usr/local/share/fish/vendor_completions.d/imgrepo.fish"]
                           + pages.map { "usr/local/share/man/man1/" + $0 })
        #expect(Self.files(under: destdir) == expected)

        let installed = destdir + "/usr/local/bin/imgrepo"
        #expect(try box.run(["--version"], binary: installed).out == imgrepoVersion + "\n")
        let bash = try box.run(["-n", destdir + "/usr/local/share/bash-completion/completions/imgrepo"], binary: "/bin/bash")
        #expect(bash.status == 0 && bash.stderr.isEmpty, "bash -n: \(bash.stderr)")

        let uninstall = try make(box, ["uninstall", "DESTDIR=\(destdir)", "PREFIX=/usr/local"])
        #expect(uninstall.status == 0, "make uninstall: \(uninstall.stderr)")
        #expect(Self.files(under: destdir).isEmpty)
    }

    @Test func installFilesRefusesAMissingBinary() throws {
        let box = try Sandbox()
        let result = try make(box, ["install-files", "IMGREPO_BIN=\(box.root.path)/no-such-binary", "DESTDIR=\(box.root.path)/stage"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no-such-binary"))
        #expect(Self.files(under: box.root.path + "/stage").isEmpty)
    }

    /// groff with every warning on, and man(1) as a reader runs it, say nothing about any page.
    @Test(arguments: try InstallTests.expectedPages()) func pageRendersWithoutWarnings(page: String) throws {
        let box = try Sandbox()
        let path = packageRoot.path + "/man/" + page
        try #require(FileManager.default.fileExists(atPath: path), "man/\(page) is missing: run scripts/generate-docs.sh")
        let groff = try box.run(["-ww", "-z", "-man", path], prefix: ["/usr/bin/env"], binary: "groff")
        #expect(groff.status == 0 && groff.stderr.isEmpty, "groff -ww -z -man \(page): \(groff.stderr)")
        let man = try box.run(["--warnings", "-l", path], environment: ["MANWIDTH": "80", "MANPAGER": "cat", "PAGER": "cat", "LANG": "C.UTF-8"],
                              prefix: ["/usr/bin/env"], binary: "man")
        #expect(man.status == 0 && man.stderr.isEmpty, "man --warnings -l \(page): \(man.stderr)")
        for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO"] {
            #expect(man.lines.contains(section), "\(page) has no \(section) section")
        }
    }

    /// The codes in `--help`'s EXIT STATUS table.
    static func helpCodes(_ box: Sandbox, _ command: [String]) throws -> [String] {
        let help = try box.run(command + ["--help"]).lines
        guard let start = help.firstIndex(of: "EXIT STATUS") else { return [] }
        return help[(start + 1)...].prefix { $0.hasPrefix("  ") }.compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    /// The codes in a page's EXIT STATUS section (each `.TP` term).
    static func pageCodes(_ page: String) throws -> [String] {
        let text = try String(contentsOfFile: packageRoot.path + "/man/" + page, encoding: .utf8)
        guard let section = text.components(separatedBy: ".SH \"EXIT STATUS\"\n").dropFirst().first else { return [] }
        let body = section.components(separatedBy: "\n.SH ").first ?? ""
        return body.components(separatedBy: "\n").filter { $0.hasPrefix("\\fB") }.map {
            $0.replacingOccurrences(of: "\\fB", with: "").replacingOccurrences(of: "\\fR", with: "")
        }
    }

    @Test func exitStatusSectionsAreTheHelpTables() throws {
        let box = try Sandbox()
        let rootCodes = try Self.helpCodes(box, [])
        #expect(rootCodes == ["0", "1", "3", "4", "5", "6", "64", "65", "66", "69", "73", "74", "77", "78", "130"])
        #expect(try Self.pageCodes("imgrepo.1") == rootCodes)
        for page in try Self.expectedPages() where page != "imgrepo.1" {
            let command = String(page.dropFirst("imgrepo-".count).dropLast(2))
            let codes = try Self.helpCodes(box, [command])
            #expect(!codes.isEmpty, "imgrepo \(command) --help has no EXIT STATUS table")
            #expect(try Self.pageCodes(page) == codes, "man/\(page) against imgrepo \(command) --help")
        }
    }

    /// What scripts/generate-docs.sh makes now is what is committed (scripts/test.sh checks the
    /// same with git; this catches it in any `swift test`).
    @Test func generatedFilesAreCurrent() throws {
        let box = try Sandbox()
        let out = box.root.path + "/generated"
        let binDir = URL(fileURLWithPath: Sandbox.binary).deletingLastPathComponent().path
        let generate = try box.run([packageRoot.path + "/scripts/generate-docs.sh", binDir, out], prefix: ["/usr/bin/env"], binary: "bash")
        try #require(generate.status == 0, "generate-docs.sh: \(generate.stderr)")
        let made = Self.files(under: out)
        let committed = Self.files(under: packageRoot.path + "/man").map { "man/" + $0 }
            + Self.files(under: packageRoot.path + "/completions").map { "completions/" + $0 } + ["README.md"]
        #expect(made == Set(committed), "run scripts/generate-docs.sh and commit the result")
        for file in made.sorted() {
            let fresh = try Data(contentsOf: URL(fileURLWithPath: out + "/" + file))
            let current = try? Data(contentsOf: packageRoot.appendingPathComponent(file))
            #expect(fresh == current, "\(file) is stale: run scripts/generate-docs.sh and commit the result")
        }
    }
}
