/// The part of swift-argument-parser's `--experimental-dump-help` JSON (ToolInfoV0) the man
/// pages are made from. ArgumentParserToolInfo, which defines it, is not a product of the
/// package, so the few fields used are mirrored here.
struct ToolInfo: Decodable {
    var serializationVersion: Int
    var command: CommandInfo
}

struct CommandInfo: Decodable {
    var commandName: String
    var superCommands: [String]?
    var abstract: String?
    var discussion: String?
    var shouldDisplay: Bool?
    var subcommands: [CommandInfo]?
    var arguments: [ArgumentInfo]?

    /// `imgrepo upload`: the words a user types.
    var fullName: String { ((superCommands ?? []) + [commandName]).joined(separator: " ") }
    /// `imgrepo-upload`: the page's name.
    var pageName: String { ((superCommands ?? []) + [commandName]).joined(separator: "-") }

    /// The subcommands that get a page: displayed ones, without ArgumentParser's own `help`.
    var documentedSubcommands: [CommandInfo] {
        (subcommands ?? []).filter { $0.shouldDisplay != false && $0.commandName != "help" }
    }
}

struct ArgumentInfo: Decodable {
    struct Name: Decodable {
        var kind: String
        var name: String

        /// `-o`, `--output`, or `-long` for a single-dash long name.
        var text: String {
            switch kind {
            case "short": "-" + name
            case "longWithSingleDash": "-" + name
            default: "--" + name
            }
        }
    }

    /// `positional`, `option` or `flag`.
    var kind: String
    var shouldDisplay: Bool
    var sectionTitle: String?
    var isOptional: Bool
    var isRepeating: Bool
    var names: [Name]?
    var valueName: String?
    var defaultValue: String?
    var abstract: String?
    var discussion: String?

    /// Short names first, as `--help` lists them.
    var sortedNames: [Name] {
        (names ?? []).sorted { ($0.kind == "short" ? 0 : 1) < ($1.kind == "short" ? 0 : 1) }
    }
}
