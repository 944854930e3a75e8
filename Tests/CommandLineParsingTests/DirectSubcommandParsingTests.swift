import ArgumentParser
@testable import imgrepo
import Testing

/// `Imgrepo.parseSubcommandDirectly` must make exactly the command `parseAsRoot` makes, or
/// nothing: it is a shortcut past ArgumentParser's root-level pass, never a second grammar.
/// Commands are compared through `String(describing:)`, which shows every option's parsed value.
@Suite("Parsing a subcommand directly gives what the full parse gives")
struct DirectSubcommandParsingTests {
    /// Every `imgrepo ...` command in the Examples blocks of the root's and each subcommand's
    /// help, cut at the first shell operator (a pipe, a redirection, `;`), with quoting undone.
    static let documentedExamples: [[String]] = {
        let discussions = [Imgrepo.configuration.discussion] + Imgrepo.configuration.subcommands.map { $0.configuration.discussion }
        var examples: [[String]] = []
        for discussion in discussions {
            var inExamples = false
            for line in discussion.split(separator: "\n", omittingEmptySubsequences: false) {
                if line == "Examples:" { inExamples = true; continue }
                guard inExamples, line.hasPrefix("  ") else { inExamples = false; continue }
                let words = shellWords(String(line))
                guard let start = words.firstIndex(of: "imgrepo") else { continue }
                let command = Array(words[(start + 1)...].prefix { !["|", ">", "<", "2>&1", ";", "&&", "||"].contains($0) })
                if !command.isEmpty, !examples.contains(command) { examples.append(command) }
            }
        }
        return examples
    }()

    /// Option spellings the examples do not show, for every command.
    static let moreArguments: [[String]] = [
        ["list"], ["list", "--json"], ["list", "--format", "ndjson", "--fields", "id,sha512,taken_at", "--no-headers"],
        ["list", "--camera", "Canon*", "--taken", "2018..2020", "--sort", "taken", "--limit", "50", "--format", "json"],
        ["list", "--taken", "2023-06..2023-08-15", "--uploaded", "..2022-12-31", "--make", "nikon", "--make", "canon",
         "--iso", "100..400", "--fnumber", "..2.8", "--exposure", "..1/250", "--focal", "24..70", "--type", "jpeg,png",
         "--name", "IMG_*", "--size", "5M..", "--width", "1000..", "--pixels", "12M..", "--orientation", "portrait",
         "--has-gps", "--near", "48.85,2.35,25", "--owner", "alice", "--sort", "taken,-size", "--offset", "10", "--count"],
        ["list", "--where", "taken >= 2023-06 and (make = \"Canon\" or iso > 1600)", "--after", "42", "--tz", "UTC"],
        ["list", "--bbox", "40,-10,50,10", "--no-gps", "--lens", "*50mm*", "--keyword", "cat", "--rating", "4..", "--reverse"],
        ["list", "--similar-to", "7", "--max-distance", "10"], ["list", "--format=csv", "--fields=id,name"],
        ["stats", "--json", "--camera", "Canon*"], ["details", "1", "--json"], ["details", "ab12"],
        ["get", "1", "-o", "out/"], ["get", "1", "-o", "-"], ["get", "1", "-o", "dir/"], ["delete", "3", "--json"],
        ["thumbnail", "1", "--size", "128", "--format", "png", "-o", "t.png"], ["thumbnail", "1", "--no-cache", "--json"],
        ["upload", "a.jpg", "b.png", "--owner", "bob", "--json"], ["upload", "--from-file", "-", "-0"],
        ["upload", "x.jpg", "--name", "y.jpg", "--dedup", "pixels", "--fingerprints", "all", "--thumbnails", "256,1024"],
        ["verify", "--json"], ["index", "--pixel-hash"], ["similar", "4", "--limit", "3"],
        ["duplicates", "--by", "similar", "--max-distance", "8", "--format", "ndjson"],
        ["init", "--repo", "/tmp/r"], ["migrate-catalog", "--to", "mysql://u@h/db"],
        ["list", "--repo", "/tmp/r", "--database", "sqlite:/tmp/c.sqlite"], ["upload", "x.jpg", "-q", "--strict", "--dry-run"],
    ]

    /// Arguments the shortcut must leave to the full parse: help, versions, completion and
    /// documentation requests, and every kind of error.
    static let leftToTheFullParse: [[String]] = [
        [], ["--help"], ["-h"], ["help"], ["help", "list"], ["--version"], ["list", "--help"], ["list", "-h"],
        ["list", "help"], ["list", "--version"], ["thumbnail", "--help"], ["no-such-command"], ["list", "--bogus"],
        ["list", "-"], ["list", "--", "--json"], ["list", "--limit"], ["list", "--limit", "ten"],
        ["upload"], ["upload", "a.jpg", "b.jpg", "--name", "c.jpg"], ["get"], ["details", "1", "2", "3", "--nope"],
        ["list", "--generate-completion-script", "bash"], ["--generate-completion-script", "bash"],
        ["list", "--experimental-dump-help"], ["---completion", "list", "--", "--ty"],
    ]

    @Test("the help's examples are all valid commands", arguments: documentedExamples)
    func examplesParse(arguments: [String]) throws {
        _ = try Imgrepo.parseAsRoot(arguments)
    }

    @Test("the same command as the full parse", arguments: documentedExamples + moreArguments)
    func sameCommand(arguments: [String]) throws {
        let full: ParsableCommand
        do { full = try Imgrepo.parseAsRoot(arguments) } catch {
            // Not a valid command line (a listed spelling may be refused by a check): then the
            // shortcut must give nothing.
            #expect(Imgrepo.parseSubcommandDirectly(arguments) == nil, "\(arguments) fails the full parse: \(error)")
            return
        }
        let direct = try #require(Imgrepo.parseSubcommandDirectly(arguments), "\(arguments)")
        #expect(String(describing: direct) == String(describing: full))
    }

    @Test("every listed spelling is valid, so the comparison above compares something")
    func listedSpellingsParse() {
        let invalid = Self.moreArguments.filter { (try? Imgrepo.parseAsRoot($0)) == nil }
        #expect(invalid.isEmpty, "not valid: \(invalid)")
    }

    @Test("nothing for help, versions, completion and errors", arguments: leftToTheFullParse)
    func leftAlone(arguments: [String]) {
        #expect(Imgrepo.parseSubcommandDirectly(arguments) == nil)
    }

    @Test("the documented examples cover every subcommand")
    func examplesCoverEverySubcommand() {
        let named = Set(Self.documentedExamples.compactMap(\.first))
        for subcommand in Imgrepo.configuration.subcommands {
            #expect(named.contains(subcommand.configuration.commandName!), "\(subcommand.configuration.commandName!)")
        }
    }
}

/// Splits a shell line into words: whitespace separates, '...' and "..." quote (the quotes
/// removed), a backslash escapes the next character outside single quotes, an unquoted `;` or
/// `|` is a word of its own, and an unquoted `#` starting a word ends the line.
func shellWords(_ line: String) -> [String] {
    var words: [String] = []
    var current = ""
    var inWord = false
    var quote: Character?
    var escaped = false
    for c in line {
        if escaped { current.append(c); escaped = false; continue }
        if let q = quote {
            if c == q { quote = nil } else if c == "\\" && q == "\"" { escaped = true } else { current.append(c) }
            continue
        }
        switch c {
        case "#" where !inWord: return words
        case ";", "|":
            if inWord { words.append(current); current = ""; inWord = false }
            words.append(String(c))
        case "'", "\"": quote = c; inWord = true
        case "\\": escaped = true; inWord = true
        case " ", "\t":
            if inWord { words.append(current); current = ""; inWord = false }
        default: current.append(c); inWord = true
        }
    }
    if inWord { words.append(current) }
    return words
}
