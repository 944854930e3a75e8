import ArgumentParser
import Foundation
@testable import imgrepo
import Testing

/// `Imgrepo.parseQuickly` (`QuicklyParsable`) must make exactly the command the full parse makes,
/// or nothing, and must take the plain command lines it exists for. Commands are compared through
/// `String(describing:)`, which shows every option's parsed value: a property the quick parse
/// forgot to set shows as a definition instead of a value.
@Suite("The quick parse of list, thumbnail, get and details gives what the full parse gives")
struct QuickParsingTests {
    /// Spellings at the edges of what the quick parse takes, each either taken and the same as
    /// the full parse's, or left to it.
    static let edgeSpellings: [[String]] = [
        ["list", "--limit=50", "--sort=-taken"], ["list", "--sort", "-taken,size"], ["list", "--sort", "--json"],
        ["list", "--limit", "-5"], ["list", "--limit=-5"], ["list", "--limit", "+5"], ["list", "--limit", "5x"],
        ["list", "--limit", "99999999999999999999"], ["list", "--after", "9223372036854775807"],
        ["list", "--near", "-33.86,151.2,10"], ["list", "--near=-33.86,151.2,10"], ["list", "--bbox", "-10,-20,10,20"],
        ["list", "--taken", "2024", "--taken", "2022..2023"], ["list", "--make", "-"], ["list", "--make", "-x"],
        ["list", "--make", ""], ["list", "--make="], ["list", "--make", "a=b"], ["list", "--make=a=b"],
        ["list", "--json", "--json"], ["list", "--json=true"], ["list", "--limit", "1", "--limit", "2"],
        ["list", "--count", "--taken", "2024"], ["list", "--where", "iso > 1600", "--where", "make = \"Canon\""],
        ["list", "--taken-after", "2020", "--taken-before", "2021", "--uploaded-after", "2020", "--uploaded-before", "2030"],
        ["list", "--no-headers", "--format", "csv", "--fields", "id,name", "--tz", "UTC", "--owner", "o'neil"],
        ["list", "--similar-to", "ab12", "--max-distance", "0"], ["list", "--repo", "r", "--database", "sqlite:c.sqlite"],
        ["list", "--type", "jpeg", "--type", "png", "--keyword", "x", "--rating", "-1..5"], ["list", "--rating", "-1"],
        ["list", "x"], ["list", "help"], ["list", "--"], ["list", "-"], ["list", "--LIMIT", "5"], ["list", "--lim", "5"],
        ["list", "--limit"], ["list", "--has-gps", "--no-gps"], ["list", "-h"], ["list", "--help"], ["list", "--version"],
        ["list", "--experimental-dump-help"], ["list", "--generate-completion-script", "bash"],
        ["thumbnail", "1"], ["thumbnail", "1", "2", "abc", "-o", "out/"], ["thumbnail", "1", "-o", "-"], ["thumbnail", "1", "-o", "t.jpg"],
        ["thumbnail", "1", "--output=t.jpg"], ["thumbnail", "1", "-o=t.jpg"], ["thumbnail", "1", "-ot.jpg"], ["thumbnail", "-o", "d/", "1", "2"],
        ["thumbnail", "--repo", "/r", "--size", "256", "1"], ["thumbnail", "1", "--fit", "320x200", "--format", "png"],
        ["thumbnail", "1", "--quality", "90", "--format", "webp", "--max-pixels", "50M", "--no-cache", "--json", "-o", "d/"],
        ["thumbnail", "--prune"], ["thumbnail", "--prune", "--json"], ["thumbnail", "help"], ["thumbnail", ""],
        ["thumbnail", "1", "--size", "-3"], ["thumbnail", "1", "--size=-3"], ["thumbnail", "-1"], ["thumbnail", "1", "-o"],
        ["thumbnail", "1", "-o", "a", "-o", "b"], ["thumbnail", "1", "--", "2"], ["thumbnail", "1", "-h"],
        ["get", "1"], ["get", "1", "2"], ["get"], ["get", "-o", "x.jpg"], ["get", "-o", "x.jpg", "ab12cd34"], ["get", "1", "-o", "-"],
        ["get", "1", "--output=d/"], ["get", "1", "-o"], ["get", "help"], ["get", "1", "--json"], ["get", "--repo", "r", "7"],
        ["details", "1"], ["details", "1", "2"], ["details"], ["details", "1", "--json"], ["details", "--format=ndjson", "ab12"],
        ["details", "1", "--fields", "id,name", "--format", "csv", "--no-headers", "--tz", "+02:00"], ["details", "1", "-o", "x"],
        ["details", "1", "--json", "--json"], ["details", "1", "--help"], ["details", "--database", "sqlite:c.sqlite", "9"],
    ]

    /// Lines the quick parse exists for: the benchmarks' (docs/benchmarks.md) and everyday ones.
    static let mustBeQuick: [[String]] = [
        ["list", "--repo", "bench/repo", "--camera", "Canon*", "--taken", "2018..2020", "--sort", "taken", "--limit", "50", "--format", "json"],
        ["list", "--repo", "bench/repo", "--camera", "Canon*", "--taken", "2018..2020", "--count"],
        ["list", "--repo", "bench/repo", "--near", "48.8566,2.3522,25", "--limit", "50", "--format", "json"],
        ["list", "--repo", "bench/repo", "--format", "ndjson"], ["list"], ["list", "--json", "--limit", "20"],
        ["thumbnail", "--repo", "bench/repo", "--size", "256", "42"], ["thumbnail", "42", "-o", "t.jpg"],
        ["thumbnail", "42", "-o", "-"], ["thumbnail", "1", "2", "3", "--size", "1024", "--format", "webp", "-o", "thumbs/"],
        ["get", "42"], ["get", "42", "-o", "restored.jpg"], ["details", "42", "--json"], ["details", "--repo", "bench/repo", "1"],
    ]

    static let quickCommands = ["list", "thumbnail", "get", "details"]

    static var everyLine: [[String]] {
        (DirectSubcommandParsingTests.documentedExamples + DirectSubcommandParsingTests.moreArguments + edgeSpellings + mustBeQuick)
            .filter { quickCommands.contains($0.first ?? "") }
    }

    @Test("the same command as the full parse, or nothing", arguments: everyLine)
    func sameCommand(arguments: [String]) throws {
        let full: ParsableCommand
        do { full = try Imgrepo.parseAsRoot(arguments) } catch {
            #expect(Imgrepo.parseQuickly(arguments) == nil, "\(arguments) fails the full parse: \(error)")
            return
        }
        guard let quick = Imgrepo.parseQuickly(arguments) else { return }
        #expect(String(describing: quick) == String(describing: full), "\(arguments)")
    }

    @Test("the lines it exists for are taken", arguments: mustBeQuick)
    func taken(arguments: [String]) {
        #expect(Imgrepo.parseQuickly(arguments) != nil, "\(arguments)")
    }

    @Test("the documented examples of these commands are taken")
    func documentedExamplesAreTaken() {
        let examples = DirectSubcommandParsingTests.documentedExamples.filter { Self.quickCommands.contains($0.first ?? "") }
        #expect(examples.count >= 12)
        for example in examples {
            #expect(Imgrepo.parseQuickly(example) != nil, "\(example)")
        }
    }

    @Test("nothing for what the direct parse also leaves alone", arguments: DirectSubcommandParsingTests.leftToTheFullParse)
    func leftAlone(arguments: [String]) {
        #expect(Imgrepo.parseQuickly(arguments) == nil)
    }

    /// A declared option missing from a quick table would only send its lines to the full parse;
    /// one whose kind differs would read them wrongly. Both fail here.
    @Test("each table holds exactly the options ArgumentParser declares, with their kinds")
    func tablesMatchTheDeclarations() throws {
        try checkTable(Imgrepo.List.self, Imgrepo.List.quickOptions.map { ($0.names, $0.kind, $0.repeats) }, positional: Imgrepo.List.quickPositional != nil)
        try checkTable(Imgrepo.Thumbnail.self, Imgrepo.Thumbnail.quickOptions.map { ($0.names, $0.kind, $0.repeats) },
                       positional: Imgrepo.Thumbnail.quickPositional != nil)
        try checkTable(Imgrepo.Get.self, Imgrepo.Get.quickOptions.map { ($0.names, $0.kind, $0.repeats) },
                       positional: Imgrepo.Get.quickPositional != nil)
        try checkTable(Imgrepo.Details.self, Imgrepo.Details.quickOptions.map { ($0.names, $0.kind, $0.repeats) },
                       positional: Imgrepo.Details.quickPositional != nil)
    }

    func checkTable(_ command: ParsableCommand.Type, _ table: [([String], QuickOptionKind, Bool)], positional: Bool) throws {
        let name = try #require(command.configuration.commandName)
        let dump: String
        do {
            _ = try Imgrepo.parseAsRoot([name, "--experimental-dump-help"])
            Issue.record("--experimental-dump-help gave no dump"); return
        } catch { dump = Imgrepo.fullMessage(for: error) }
        let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.utf8)) as? [String: Any])
        let arguments = try #require((root["command"] as? [String: Any])?["arguments"] as? [[String: Any]])
        var declared: [String: (QuickOptionKind, Bool)] = [:]
        var declaresPositional = false
        for argument in arguments {
            let kind = argument["kind"] as? String
            if kind == "positional" { declaresPositional = true; continue }
            let names = ((argument["names"] as? [[String: Any]]) ?? []).map { name in
                (name["kind"] as? String == "short" ? "-" : "--") + (name["name"] as? String ?? "")
            }
            if names.contains("--help") || names.contains("--version") { continue }
            let quickKind: QuickOptionKind = kind == "flag" ? .flag
                : argument["parsingStrategy"] as? String == "unconditional" ? .unconditionalValue : .value
            declared[names.sorted().joined(separator: " ")] = (quickKind, argument["isRepeating"] as? Bool ?? false)
        }
        #expect(declaresPositional == positional, "\(name): positional arguments")
        var quick: [String: (QuickOptionKind, Bool)] = [:]
        for (names, kind, repeats) in table { quick[names.sorted().joined(separator: " ")] = (kind, repeats) }
        #expect(declared.count >= 3)
        #expect(Set(quick.keys) == Set(declared.keys), "\(name): \(Set(declared.keys).symmetricDifference(quick.keys).sorted())")
        for (names, (kind, repeats)) in declared {
            guard let entry = quick[names] else { continue }
            #expect(entry.0 == kind, "\(name) \(names): kind")
            #expect(entry.1 == repeats, "\(name) \(names): repeats")
        }
    }
}
