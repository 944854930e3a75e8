/// One man(7) page for one command, made from its `--experimental-dump-help` entry.
///
/// Sections, in order: NAME, SYNOPSIS, DESCRIPTION (the discussion's paragraphs), OPTIONS
/// (grouped by option group title), COMMANDS (a command with subcommands), EXIT STATUS,
/// ENVIRONMENT and FILES (the command's own tables, else the root command's), EXAMPLES, SEE
/// ALSO (the root page, sibling pages the text mentions, tools the examples use). The output
/// depends only on its inputs, so regenerating unchanged definitions changes no byte.
struct ManPage {
    var command: CommandInfo
    var root: CommandInfo
    var date: String
    var version: String

    /// Tools whose pages SEE ALSO lists when an example uses them.
    static let tools: [(name: String, section: Int)] = [
        ("cron", 8), ("crontab", 5), ("exiftool", 1), ("find", 1), ("jq", 1), ("logger", 1), ("xargs", 1),
    ]

    var isRoot: Bool { command.superCommands == nil || command.superCommands!.isEmpty }

    var text: String {
        let help = HelpText(command.discussion ?? "")
        let rootHelp = HelpText(root.discussion ?? "")
        var page = Roff()
        page.request("TH", command.pageName.uppercased(), "1", date, "\(root.commandName) \(version)", "\(root.commandName) manual")
        // Left-adjusted and unhyphenated: option names and paths must read as they are typed.
        page.request("ad", "l")
        page.request("nh")
        page.section("NAME")
        page.line(Roff.escape(command.pageName) + " \\- " + Roff.escape(summary))
        synopsis(into: &page)
        page.section("DESCRIPTION")
        if help.description.isEmpty {
            page.text(command.abstract ?? "")
        }
        for (index, paragraph) in help.description.enumerated() {
            if index > 0 { page.request("PP") }
            switch paragraph {
            case .text(let text): page.text(text)
            case .verbatim(let lines): page.verbatim(lines)
            }
        }
        options(into: &page)
        if !command.documentedSubcommands.isEmpty {
            page.section("COMMANDS")
            for sub in command.documentedSubcommands {
                page.request("TP")
                page.request("BR", sub.pageName, "(1)")
                page.text(sub.abstract ?? "")
            }
        }
        let exitStatus = help.table("EXIT STATUS")
        table(exitStatus, into: &page)
        if !isRoot, exitStatus != nil {
            page.request("PP")
            page.line("See \\fB" + Roff.escape(root.pageName) + "\\fR(1) for every exit status.")
        }
        table(help.table("ENVIRONMENT") ?? rootHelp.table("ENVIRONMENT"), into: &page)
        table(help.table("FILES") ?? rootHelp.table("FILES"), into: &page)
        for other in help.tables where !["EXIT STATUS", "ENVIRONMENT", "FILES", "SEE ALSO"].contains(other.title) {
            table(other, into: &page)
        }
        if !help.examples.isEmpty {
            page.section("EXAMPLES")
            page.verbatim(help.examples)
        }
        seeAlso(help, into: &page)
        return page.output
    }

    /// The abstract without its final full stop, as NAME lines go.
    var summary: String {
        var text = command.abstract ?? ""
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    var displayedArguments: [ArgumentInfo] { (command.arguments ?? []).filter(\.shouldDisplay) }

    func synopsis(into page: inout Roff) {
        page.section("SYNOPSIS")
        var parts = ["\\fB" + Roff.escape(command.fullName) + "\\fR"]
        if !command.documentedSubcommands.isEmpty {
            parts.append("\\fIcommand\\fR")
        }
        if displayedArguments.contains(where: { $0.kind != "positional" }) {
            parts.append("[\\fIoptions\\fR]")
        }
        for argument in displayedArguments where argument.kind == "positional" {
            var word = "\\fI" + Roff.escape(argument.valueName ?? "value") + "\\fR"
            if argument.isRepeating { word += " ..." }
            parts.append(argument.isOptional ? "[" + word + "]" : word)
        }
        page.line(parts.joined(separator: " "))
    }

    func options(into page: inout Roff) {
        let arguments = displayedArguments
        guard !arguments.isEmpty else { return }
        page.section("OPTIONS")
        // Positional arguments first, then options without a group title, then each group.
        var titles: [String] = []
        for argument in arguments { if let title = argument.sectionTitle, !titles.contains(title) { titles.append(title) } }
        entries(arguments.filter { $0.kind == "positional" }, into: &page)
        entries(arguments.filter { $0.kind != "positional" && $0.sectionTitle == nil }, into: &page)
        for title in titles {
            page.request("SS", title)
            entries(arguments.filter { $0.kind != "positional" && $0.sectionTitle == title }, into: &page)
        }
    }

    func entries(_ arguments: [ArgumentInfo], into page: inout Roff) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            var names = argument.sortedNames.map(\.text)
            // A flag with an inversion (--progress/--no-progress) is listed as two flags with one
            // abstract: one entry here.
            if index + 1 < arguments.count, argument.kind == "flag", arguments[index + 1].kind == "flag",
               arguments[index + 1].abstract == argument.abstract,
               let name = names.first, arguments[index + 1].sortedNames.map(\.text) == ["--no-" + name.dropFirst(2)] {
                names.append("--no-" + name.dropFirst(2))
                index += 1
            }
            page.request("TP")
            switch argument.kind {
            case "positional":
                page.line("\\fI" + Roff.escape(argument.valueName ?? "value") + "\\fR" + (argument.isRepeating ? " ..." : ""))
            case "option":
                page.line(names.map { "\\fB" + Roff.escape($0) + "\\fR" }.joined(separator: ", ")
                          + " \\fI" + Roff.escape(argument.valueName ?? "value") + "\\fR")
            default:
                page.line(names.map { "\\fB" + Roff.escape($0) + "\\fR" }.joined(separator: ", "))
            }
            var text = argument.abstract ?? ""
            if let discussion = argument.discussion, !discussion.isEmpty { text += " " + discussion }
            if argument.kind == "option", let value = argument.defaultValue { text += " Default: \(value)." }
            if argument.kind == "option", argument.isRepeating, !text.contains("repeat") { text += " May be repeated." }
            page.text(text)
            index += 1
        }
    }

    func table(_ table: HelpText.Table?, into page: inout Roff) {
        guard let table else { return }
        page.section(table.title)
        // Terms up to 20 characters share a line with their text; a longer one gets its own.
        let width = min(table.entries.map(\.term.count).max() ?? 0, 20) + 2
        for entry in table.entries {
            page.request("TP", String(width))
            page.line("\\fB" + Roff.escape(entry.term) + "\\fR")
            page.text(entry.text)
        }
        for paragraph in table.paragraphs {
            page.request("PP")
            page.text(paragraph)
        }
    }

    func seeAlso(_ help: HelpText, into page: inout Roff) {
        var references: [String] = []
        if isRoot {
            references += command.documentedSubcommands.map { $0.pageName + "(1)" }
        } else {
            references.append(root.pageName + "(1)")
            // Sibling commands the text names: "imgrepo verify", 'delete'.
            let prose = (command.discussion ?? "")
            for sibling in root.documentedSubcommands where sibling.commandName != command.commandName {
                if prose.contains(root.commandName + " " + sibling.commandName) || prose.contains("'" + sibling.commandName + "'")
                    || prose.contains("'" + sibling.commandName + " ") {
                    references.append(sibling.pageName + "(1)")
                }
            }
        }
        let exampleWords = Set(help.examples.joined(separator: " ").split { !$0.isLetter }.map(String.init))
        for tool in Self.tools where exampleWords.contains(tool.name) {
            references.append("\(tool.name)(\(tool.section))")
        }
        page.section("SEE ALSO")
        page.line(references.map { reference in
            let open = reference.firstIndex(of: "(")!
            return "\\fB" + Roff.escape(String(reference[..<open])) + "\\fR" + reference[open...]
        }.joined(separator: ", "))
        // Documents of the source tree the text refers to, for whoever has it at hand.
        let documents = Self.documents(in: (command.discussion ?? "") + " " + (command.arguments ?? []).compactMap(\.abstract).joined(separator: " "))
        if !documents.isEmpty {
            page.request("PP")
            page.text("In the imgrepo source: " + documents.joined(separator: ", ") + ".")
        }
    }

    /// `docs/json.md` and the like, in order of first mention.
    static func documents(in text: String) -> [String] {
        var found: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "docs/") {
            let name = rest[start.lowerBound...].prefix { $0.isLetter || $0.isNumber || "/-_.".contains($0) }
            var document = String(name)
            while document.hasSuffix(".") { document.removeLast() }
            if document.hasSuffix(".md"), !found.contains(document) { found.append(document) }
            rest = rest[start.upperBound...]
        }
        return found
    }
}
