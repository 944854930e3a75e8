import Foundation
import ImgrepoFixtures
import Testing

/// Where the repository is: --repo > IMGREPO_REPO > config.toml 'repo' > $XDG_DATA_HOME/imgrepo.
@Suite struct ConfigurationTests {
    func upload(_ box: Sandbox, _ extraArguments: [String] = [], environment: [String: String] = [:]) throws -> Sandbox.Result {
        let photo = try box.file("p-\(UUID().uuidString).gif", Fixtures.gif(width: 5, height: 5, seed: UInt32.random(in: 1...1_000_000)))
        return try box.run(["upload"] + extraArguments + [photo], environment: environment)
    }

    func writeConfig(_ box: Sandbox, _ text: String) throws {
        let folder = box.root.path + "/home/.config/imgrepo"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try text.write(toFile: folder + "/config.toml", atomically: true, encoding: .utf8)
    }

    @Test func precedence() throws {
        let box = try Sandbox()
        box.environment["IMGREPO_REPO"] = nil
        // Default: XDG_DATA_HOME/imgrepo.
        #expect(try upload(box).status == 0)
        #expect(FileManager.default.fileExists(atPath: box.root.path + "/home/.local/share/imgrepo/config"))
        // The config file beats the default.
        try writeConfig(box, "repo = \"\(box.root.path)/from-config\"\nowner = \"carol\"\n")
        #expect(try upload(box).status == 0)
        #expect(FileManager.default.fileExists(atPath: box.root.path + "/from-config/config"))
        // The environment beats the config file.
        #expect(try upload(box, environment: ["IMGREPO_REPO": box.root.path + "/from-env"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: box.root.path + "/from-env/config"))
        // The flag beats the environment.
        #expect(try upload(box, ["--repo", box.root.path + "/from-flag"], environment: ["IMGREPO_REPO": box.root.path + "/from-env"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: box.root.path + "/from-flag/config"))
        // The owner came from the config file; --owner beats it.
        let list = try #require(try box.json(try box.run(["list", "--json", "--repo", box.root.path + "/from-flag"])) as? [[String: Any]])
        #expect(list.first?["owner"] as? String == "carol")
        #expect(try upload(box, ["--owner", "dave", "--repo", box.root.path + "/from-flag"]).status == 0)
        let owners = try #require(try box.json(try box.run(["list", "--json", "--owner", "dave", "--repo", box.root.path + "/from-flag"])) as? [[String: Any]])
        #expect(owners.count == 1)
    }

    @Test func malformedConfigNamesTheFile() throws {
        let box = try Sandbox()
        try writeConfig(box, "repo = [unterminated\n")
        let r = try box.run(["list"])
        #expect(r.status == 78)
        #expect(r.stderr.contains("config.toml"))
        try writeConfig(box, "repoo = \"/x\"\n")
        let typo = try box.run(["list"])
        #expect(typo.status == 78)
        #expect(typo.stderr.contains("unknown key 'repoo'"))
    }

    @Test func listWithoutRepositoryIsUnavailable() throws {
        let box = try Sandbox()
        let r = try box.run(["list"])
        #expect(r.status == 69)
        #expect(r.stderr.contains(box.repo) && r.stderr.contains("imgrepo init"))
    }

    @Test func initIsIdempotentAndRefusesForeignFolders() throws {
        let box = try Sandbox()
        #expect(try box.run(["init"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: box.repo + "/catalog.sqlite"))
        let again = try box.run(["init"])
        #expect(again.status == 0)
        #expect(again.stderr.contains("already exists"))
        try box.file("photos/holiday.jpg", Fixtures.jpeg(width: 8, height: 8))
        let foreign = try box.run(["init", "--repo", box.root.path + "/photos"])
        #expect(foreign.status == 69)
        #expect(foreign.stderr.contains("holiday.jpg"))
    }

    @Test func everyCommandHelpListsExitCodes() throws {
        let box = try Sandbox()
        for command in ["upload", "get", "delete", "list", "details", "init"] {
            let r = try box.run([command, "--help"])
            #expect(r.status == 0)
            #expect(r.out.contains("EXIT STATUS"), "\(command) --help")
            #expect(r.out.contains("64"), "\(command) --help lists the usage code")
        }
        let version = try box.run(["--version"])
        #expect(version.status == 0)
        #expect(version.out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }
}

/// list's filters, sorting and table through the binary.
@Suite struct ListTests {
    @Test func filtersSortAndTable() throws {
        let box = try Sandbox()
        var canon = FixtureExif.sample
        canon.dateTimeOriginal = "2021:03:04 10:00:00"
        var nikon = FixtureExif.sample
        nikon.make = "NIKON CORPORATION"; nikon.model = "NIKON Z 6"; nikon.dateTimeOriginal = "2023:08:09 18:30:00"
        let a = try box.file("a.jpg", Fixtures.jpeg(width: 30, height: 20, seed: 1, exif: canon))
        let b = try box.file("b.jpg", Fixtures.jpeg(width: 31, height: 20, seed: 2, exif: nikon))
        let c = try box.file("c.png", Fixtures.png(width: 32, height: 20, seed: 3))
        #expect(try box.run(["upload", "--owner", "ann", a]).status == 0)
        #expect(try box.run(["upload", "--owner", "bob", b, c]).status == 0)

        func names(_ arguments: [String]) throws -> [String] {
            let r = try box.run(["list", "--json"] + arguments)
            #expect(r.status == 0, "\(arguments): \(r.stderr)")
            return (try box.json(r) as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        }
        #expect(try names([]) == ["a.jpg", "b.jpg", "c.png"])
        #expect(try names(["--owner", "bob"]) == ["b.jpg", "c.png"])
        #expect(try names(["--owner", "bob", "--owner", "ann"]) == ["a.jpg", "b.jpg", "c.png"])
        #expect(try names(["--type", "png"]) == ["c.png"])
        #expect(try names(["--type", "jpg,png", "--owner", "bob"]) == ["b.jpg", "c.png"])
        #expect(try names(["--name", "*.jpg"]) == ["a.jpg", "b.jpg"])
        #expect(try names(["--camera", "nikon"]) == ["b.jpg"])
        #expect(try names(["--taken-after", "2022"]) == ["b.jpg"])
        #expect(try names(["--taken-before", "2022-01-01"]) == ["a.jpg"])
        #expect(try names(["--uploaded-after", "2000-01-01", "--uploaded-before", "2999"]) == ["a.jpg", "b.jpg", "c.png"])
        #expect(try names(["--uploaded-after", "2999"]) == [])
        #expect(try names(["--sort", "taken", "--reverse"]) == ["b.jpg", "a.jpg", "c.png"])
        #expect(try names(["--sort", "width", "--reverse", "--limit", "2"]) == ["c.png", "b.jpg"])

        let table = try box.run(["list"], environment: ["NO_COLOR": "1"])
        #expect(table.status == 0)
        #expect(!table.out.contains("\u{1B}["), "no colour when stdout is not a terminal")
        let lines = table.lines
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("ID"))
        // The camera column does not repeat the brand the model already names.
        #expect(table.out.contains("Canon EOS R5") && !table.out.contains("Canon Canon"))
        #expect(table.out.contains("NIKON Z 6") && !table.out.contains("CORPORATION"))
        // Columns line up: every name starts under the NAME header.
        let nameColumn = lines[0].range(of: "NAME")!.lowerBound.utf16Offset(in: lines[0])
        for line in lines.dropFirst() {
            let start = line.index(line.startIndex, offsetBy: nameColumn)
            #expect(line[start] != " " && line[line.index(before: start)] == " ", "aligned: \(line)")
        }
    }
}
