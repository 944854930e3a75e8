import Foundation
import ImgrepoFixtures
import Testing

/// The shell completions (`--generate-completion-script`): an id argument offers the ids of the
/// repository the command line names, newest first; file arguments of upload offer image files.
/// Driven through bash the way bash-completion calls the generated function.
@Suite struct CompletionTests {
    /// A sandbox holding three images (ids 1–3) and a folder of mixed files to complete in.
    func sandbox() throws -> Sandbox {
        let box = try Sandbox()
        box.environment["PATH"] = URL(fileURLWithPath: Sandbox.binary).deletingLastPathComponent().path + ":" + box.environment["PATH"]!
        let paths = try (1...3).map { n in
            try box.file("photos/IMG_000\(n).JPG", Fixtures.jpeg(width: 16, height: 12, seed: UInt32(n)))
        }
        #expect(try box.run(["upload"] + paths).status == 0)
        try box.file("files/a.jpg", [0])
        try box.file("files/B.PNG", [0])
        try box.file("files/notes.txt", [0])
        try box.file("files/inner/x.gif", [0])
        return box
    }

    /// The candidates bash would offer for `line` (the cursor at its end), run in `folder`.
    func bashCompletions(_ box: Sandbox, _ line: String, in folder: String? = nil) throws -> [String] {
        let script = try box.run(["--generate-completion-script", "bash"])
        try #require(script.status == 0)
        try box.file("imgrepo.bash", Array(script.stdout))
        let driver = """
            source "$1"
            COMP_LINE="$2"; COMP_POINT=${#COMP_LINE}
            read -ra COMP_WORDS <<< "$COMP_LINE"
            [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            COMPREPLY=()
            _imgrepo imgrepo "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let result = try box.run(["-c", "cd \"$0\" && bash -c \"$1\" driver \"$2\" \"$3\"", folder ?? box.root.path, driver,
                                  box.root.path + "/imgrepo.bash", line], binary: "/bin/bash")
        #expect(result.stderr.isEmpty, "bash said: \(result.stderr)")
        return result.lines.filter { !$0.isEmpty }
    }

    @Test func idArgumentsOfferTheRepositorysIdsNewestFirst() throws {
        let box = try sandbox()
        for command in ["get", "delete", "details", "thumbnail"] {
            #expect(try bashCompletions(box, "imgrepo \(command) ") == ["3", "2", "1"], "imgrepo \(command)")
        }
        #expect(try bashCompletions(box, "imgrepo delete 3 2") == ["2"])
    }

    @Test func idCompletionReadsTheRepositoryTheLineNames() throws {
        let box = try sandbox()
        let other = box.root.path + "/other"
        let photo = try box.file("one.gif", Fixtures.gif(width: 4, height: 4, seed: 9))
        #expect(try box.run(["upload", "--repo", other, photo]).status == 0)
        #expect(try bashCompletions(box, "imgrepo get --repo \(other) ") == ["1"])
        #expect(try bashCompletions(box, "imgrepo get --repo=\(other) ") == ["1"])
        // A repository that does not exist offers nothing, and is not created by asking.
        #expect(try bashCompletions(box, "imgrepo get --repo \(box.root.path)/missing ").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: box.root.path + "/missing"))
    }

    @Test func uploadOffersImageFilesInEitherCaseAndFolders() throws {
        let box = try sandbox()
        let offered = Set(try bashCompletions(box, "imgrepo upload ", in: box.root.path + "/files"))
        #expect(offered == ["a.jpg", "B.PNG", "inner"])
    }

    @Test func optionValuesAreOffered() throws {
        let box = try sandbox()
        #expect(try bashCompletions(box, "imgrepo list --format ") == ["table", "json", "ndjson", "csv", "tsv"])
        #expect(try bashCompletions(box, "imgrepo thumbnail 1 --format ") == ["jpeg", "png", "webp"])
    }

    /// zsh and fish show a description beside each candidate: the image's name.
    @Test func zshAndFishGetTheNameAsADescription() throws {
        let box = try sandbox()
        // What the generated zsh and fish functions run (swift-argument-parser's protocol).
        func complete(_ shell: String) throws -> [String] {
            try box.run(["---completion", "delete", "--", "positional@0", "2", "0", "imgrepo", "delete", ""],
                        environment: ["SAP_SHELL": shell]).lines
        }
        #expect(try complete("zsh").filter { $0 != " " } == ["3:IMG_0003.JPG", "2:IMG_0002.JPG", "1:IMG_0001.JPG"])
        #expect(try complete("fish") == ["3\tIMG_0003.JPG", "2\tIMG_0002.JPG", "1\tIMG_0001.JPG"])
    }
}
