/// A command's discussion (the text after OVERVIEW in `--help`), cut into what becomes
/// DESCRIPTION and what becomes sections of their own.
///
/// The discussion is read as blocks separated by blank lines:
/// - a block starting with `Examples:` (or `EXAMPLES`) holds example command lines, indented
///   two spaces; further indentation is kept (a continued pipeline);
/// - a block starting with a heading in capitals (`EXIT STATUS`, `ENVIRONMENT`, `FILES`, ...)
///   is a table: entries indented two spaces, term and text separated by two or more spaces;
///   lines indented further continue the entry above; unindented lines after the entries are
///   a paragraph of that section (`ExitStatus.helpTable` and `HelpSections` write these);
/// - any other block is a paragraph of DESCRIPTION, whose indented lines are shown as written.
struct HelpText {
    struct Entry: Equatable {
        var term: String
        var text: String
    }

    struct Table {
        var title: String
        var entries: [Entry] = []
        /// Paragraphs that follow the entries in the same section.
        var paragraphs: [String] = []
    }

    /// A DESCRIPTION paragraph: lines to fill, or lines to show as written.
    enum Paragraph {
        case text(String)
        case verbatim([String])
    }

    var description: [Paragraph] = []
    var tables: [Table] = []
    var examples: [String] = []

    init(_ discussion: String) {
        for block in Self.blocks(discussion) {
            let head = block[0].trimmingSpaces
            if head == "Examples:" || head == "EXAMPLES" {
                if !examples.isEmpty { examples.append("") }
                examples += Self.outdented(Array(block.dropFirst()))
            } else if Self.isHeading(head) {
                tables.append(Self.table(titled: head, block.dropFirst()))
            } else {
                description += Self.paragraphs(block)
            }
        }
    }

    func table(_ title: String) -> Table? { tables.first { $0.title == title } }

    /// Lines grouped at blank lines; each group non-empty.
    static func blocks(_ text: String) -> [[String]] {
        var result: [[String]] = [[]]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.trimmingSpaces.isEmpty {
                if !result[result.count - 1].isEmpty { result.append([]) }
            } else {
                result[result.count - 1].append(line)
            }
        }
        return result.filter { !$0.isEmpty }
    }

    /// `EXIT STATUS`, `SEE ALSO`: capitals and spaces, at least one word of two letters.
    static func isHeading(_ line: String) -> Bool {
        line.count >= 2 && line.allSatisfy { $0 == " " || ("A"..."Z").contains($0) } && line.first != " "
    }

    static func indentation(_ line: String) -> Int { line.prefix { $0 == " " }.count }

    /// The lines without the indentation they all share.
    static func outdented(_ lines: [String]) -> [String] {
        let common = lines.map(indentation).min() ?? 0
        return lines.map { String($0.dropFirst(common)) }
    }

    static func table(titled title: String, _ lines: ArraySlice<String>) -> Table {
        var table = Table(title: title)
        var paragraph: [String] = []
        for line in lines {
            let indent = indentation(line)
            let body = line.trimmingSpaces
            if indent == 0 {
                paragraph.append(body)
            } else if indent > 2, !table.entries.isEmpty, paragraph.isEmpty {
                let last = table.entries.count - 1
                table.entries[last].text += (table.entries[last].text.isEmpty ? "" : " ") + body
            } else if let gap = body.range(of: "  ") {
                table.entries.append(Entry(term: String(body[..<gap.lowerBound]), text: body[gap.upperBound...].trimmingSpaces))
            } else {
                table.entries.append(Entry(term: body, text: ""))
            }
        }
        if !paragraph.isEmpty { table.paragraphs.append(paragraph.joined(separator: " ")) }
        return table
    }

    /// Runs of unindented lines become text; runs of indented lines are kept as written.
    static func paragraphs(_ block: [String]) -> [Paragraph] {
        var result: [Paragraph] = []
        var text: [String] = []
        var verbatim: [String] = []
        func flush() {
            if !text.isEmpty { result.append(.text(text.joined(separator: " "))); text = [] }
            if !verbatim.isEmpty { result.append(.verbatim(outdented(verbatim))); verbatim = [] }
        }
        for line in block {
            if indentation(line) > 0 {
                if !text.isEmpty { flush() }
                verbatim.append(line)
            } else {
                if !verbatim.isEmpty { flush() }
                text.append(line)
            }
        }
        flush()
        return result
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces.
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
