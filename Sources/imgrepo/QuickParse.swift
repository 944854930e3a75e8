import ArgumentParser

/// How an option takes its value (`QuickOption`).
enum QuickOptionKind {
    /// No value: `--count`.
    case flag
    /// A value that does not look like an option: `--limit 50`, `--limit=50`.
    case value
    /// Any next word, as ArgumentParser's `.unconditional` strategies take it: `--sort -taken`.
    case unconditionalValue
}

/// One option a command's quick parse knows (`QuicklyParsable`), with what it sets.
struct QuickOption<Command> {
    /// Every spelling: `--limit`, or `-o` and `--output`.
    let names: [String]
    let kind: QuickOptionKind
    /// May be given more than once (an array option); a single-valued one given twice is left
    /// to the full parse.
    let repeats: Bool
    /// Sets the value on the command; false when the value does not convert (the full parse
    /// then reports it).
    let apply: (inout Command, String) -> Bool

    static func flag(_ names: String..., set: @escaping (inout Command) -> Void) -> Self {
        Self(names: names, kind: .flag, repeats: false) { command, _ in set(&command); return true }
    }

    /// An optional or defaulted `String` option.
    static func text(_ names: String..., unconditional: Bool = false, set: @escaping (inout Command, String) -> Void) -> Self {
        Self(names: names, kind: unconditional ? .unconditionalValue : .value, repeats: false) { command, value in
            set(&command, value); return true
        }
    }

    /// A `[String]` option, each occurrence adding one value.
    static func texts(_ names: String..., unconditional: Bool = false, append: @escaping (inout Command, String) -> Void) -> Self {
        Self(names: names, kind: unconditional ? .unconditionalValue : .value, repeats: true) { command, value in
            append(&command, value); return true
        }
    }

    /// An integer option, converted as ArgumentParser converts it (`T(String)`).
    static func integer<T: FixedWidthInteger>(_ names: String..., set: @escaping (inout Command, T) -> Void) -> Self {
        Self(names: names, kind: .value, repeats: false) { command, value in
            guard let number = T(value) else { return false }
            set(&command, number); return true
        }
    }

    /// This option as one of `Parent`'s, reached through `access` (an `@OptionGroup`).
    func lifted<Parent>(_ access: @escaping (inout Parent, (inout Command) -> Bool) -> Bool) -> QuickOption<Parent> {
        let apply = self.apply
        return QuickOption<Parent>(names: names, kind: kind, repeats: repeats) { (parent: inout Parent, value: String) in
            access(&parent) { apply(&$0, value) }
        }
    }
}

/// A command whose plain command lines are read without ArgumentParser's reflection: `list`,
/// whose first page is mostly process start-up (issue 3), `thumbnail`, whose cache hit is
/// (issue 5), and `get` and `details`, which scripts run once per image. ArgumentParser's parse of `list` is over half the process's instructions: it
/// reflects over the command's ~45 property wrappers twice, and each first look-up of a generic
/// requirement or a cast is a scan of the binary's ~3,900 protocol-conformance records.
///
/// It is a shortcut, never a second grammar: ArgumentParser's declarations stay the definition
/// (help, man pages, completions, errors). The quick parse knows a plain subset of spellings —
/// long options as `--name value` or `--name=value`, flags, the short options listed, plain
/// positionals — sets every property itself, and gives nil for anything else: help, an unknown
/// or repeated option, a value that looks like an option, a number that does not convert, `--`,
/// an empty word, or a command whose `validate()` throws. `parseAsRoot` then handles the line
/// exactly as before. `QuickParsingTests` checks that it makes what the full parse makes, that
/// every option the command declares is in its table, and that the lines it must take (the
/// benchmarks', the documented examples') are taken.
protocol QuicklyParsable: ParsableCommand {
    /// Every option and flag, by each of its spellings.
    static var quickOptions: [QuickOption<Self>] { get }
    /// Sets a positional argument, or refuses it (false: one more than the command takes); nil
    /// when the command takes none.
    static var quickPositional: ((inout Self, String) -> Bool)? { get }
    /// Whether every required argument was given.
    static func quickIsComplete(_ command: Self) -> Bool
    /// The command with every property set to its declared default, as the full parse of no
    /// arguments leaves it (a property left unset would stop the command when read).
    static func quickDefault() -> Self
}

extension QuicklyParsable {
    static var quickPositional: ((inout Self, String) -> Bool)? { nil }
    static func quickIsComplete(_ command: Self) -> Bool { true }

    /// The command `arguments` (after the command's name) describe, or nil to leave them to
    /// ArgumentParser.
    static func parseQuickly<Words: Collection<String>>(_ arguments: Words) -> Self? {
        let options = quickOptions
        var command = quickDefault()
        var given: [Int] = []
        var words = arguments.makeIterator()
        while let word = words.next() {
            guard word.hasPrefix("-") else {
                // `help` is ArgumentParser's own word; an empty one is nobody's.
                guard let quickPositional, !word.isEmpty, word != "help", quickPositional(&command, word) else { return nil }
                continue
            }
            var name = word
            var inline: String?
            if word.hasPrefix("--"), let equals = word.firstIndex(of: "=") {
                name = String(word[..<equals])
                inline = String(word[word.index(after: equals)...])
            }
            guard let index = options.firstIndex(where: { $0.names.contains(name) }) else { return nil }
            let option = options[index]
            if !option.repeats {
                guard !given.contains(index) else { return nil }
                given.append(index)
            }
            var value = ""
            switch option.kind {
            case .flag:
                guard inline == nil else { return nil }
            case .value, .unconditionalValue:
                if let inline {
                    value = inline
                } else {
                    guard let next = words.next() else { return nil }
                    // `-` alone is a value (stdout, stdin); other words with a dash are options.
                    if option.kind == .value, next.hasPrefix("-"), next != "-" { return nil }
                    value = next
                }
                guard !value.isEmpty else { return nil }
            }
            guard option.apply(&command, value) else { return nil }
        }
        guard quickIsComplete(command) else { return nil }
        do { try command.validate() } catch { return nil }
        return command
    }
}

extension Imgrepo {
    /// `imgrepo list|thumbnail|get|details ...` read by `QuicklyParsable`, or nil.
    static func parseQuickly(_ arguments: [String]) -> ParsableCommand? {
        switch arguments.first {
        case "list": List.parseQuickly(arguments.dropFirst())
        case "thumbnail": Thumbnail.parseQuickly(arguments.dropFirst())
        case "get": Get.parseQuickly(arguments.dropFirst())
        case "details": Details.parseQuickly(arguments.dropFirst())
        default: nil
        }
    }
}

// MARK: - The option groups

extension GlobalOptions {
    static func quickDefault() -> Self {
        var options = Self()
        options.repo = nil
        options.database = nil
        return options
    }

    static var quickOptions: [QuickOption<Self>] { [
        .text("--repo") { $0.repo = $1 },
        .text("--database") { $0.database = $1 },
    ] }
}

extension OutputFlags {
    static func quickDefault() -> Self {
        var flags = Self()
        flags.format = nil
        flags.json = false
        flags.fields = nil
        flags.noHeaders = false
        flags.tz = nil
        return flags
    }

    static var quickOptions: [QuickOption<Self>] { [
        .text("--format") { $0.format = $1 },
        .flag("--json") { $0.json = true },
        .text("--fields") { $0.fields = $1 },
        .flag("--no-headers") { $0.noHeaders = true },
        .text("--tz") { $0.tz = $1 },
    ] }
}

extension FilterOptions {
    static func quickDefault() -> Self {
        var filters = Self()
        filters.taken = []
        filters.uploaded = []
        filters.takenAfter = nil
        filters.takenBefore = nil
        filters.uploadedAfter = nil
        filters.uploadedBefore = nil
        filters.make = []
        filters.model = []
        filters.camera = []
        filters.lens = []
        filters.iso = []
        filters.fnumber = []
        filters.exposure = []
        filters.focal = []
        filters.type = []
        filters.name = []
        filters.size = []
        filters.width = []
        filters.height = []
        filters.pixels = []
        filters.orientation = []
        filters.hasGps = false
        filters.noGps = false
        filters.near = []
        filters.bbox = []
        filters.keyword = []
        filters.rating = []
        filters.owner = []
        filters.whereExpressions = []
        return filters
    }

    static var quickOptions: [QuickOption<Self>] { [
        .texts("--taken") { $0.taken.append($1) },
        .texts("--uploaded") { $0.uploaded.append($1) },
        .text("--taken-after") { $0.takenAfter = $1 },
        .text("--taken-before") { $0.takenBefore = $1 },
        .text("--uploaded-after") { $0.uploadedAfter = $1 },
        .text("--uploaded-before") { $0.uploadedBefore = $1 },
        .texts("--make") { $0.make.append($1) },
        .texts("--model") { $0.model.append($1) },
        .texts("--camera") { $0.camera.append($1) },
        .texts("--lens") { $0.lens.append($1) },
        .texts("--iso") { $0.iso.append($1) },
        .texts("--fnumber") { $0.fnumber.append($1) },
        .texts("--exposure") { $0.exposure.append($1) },
        .texts("--focal") { $0.focal.append($1) },
        .texts("--type") { $0.type.append($1) },
        .texts("--name") { $0.name.append($1) },
        .texts("--size") { $0.size.append($1) },
        .texts("--width") { $0.width.append($1) },
        .texts("--height") { $0.height.append($1) },
        .texts("--pixels") { $0.pixels.append($1) },
        .texts("--orientation") { $0.orientation.append($1) },
        .flag("--has-gps") { $0.hasGps = true },
        .flag("--no-gps") { $0.noGps = true },
        .texts("--near", unconditional: true) { $0.near.append($1) },
        .texts("--bbox", unconditional: true) { $0.bbox.append($1) },
        .texts("--keyword") { $0.keyword.append($1) },
        .texts("--rating", unconditional: true) { $0.rating.append($1) },
        .texts("--owner") { $0.owner.append($1) },
        .texts("--where") { $0.whereExpressions.append($1) },
    ] }
}

// MARK: - The commands

extension Imgrepo.List: QuicklyParsable {
    static func quickDefault() -> Self {
        var list = Self()
        list.global = .quickDefault()
        list.filters = .quickDefault()
        list.output = .quickDefault()
        list.sort = nil
        list.reverse = false
        list.limit = nil
        list.offset = nil
        list.after = nil
        list.count = false
        list.similarTo = nil
        list.maxDistance = nil
        return list
    }

    static var quickOptions: [QuickOption<Self>] {
        GlobalOptions.quickOptions.map { $0.lifted { list, set in set(&list.global) } }
        + FilterOptions.quickOptions.map { $0.lifted { list, set in set(&list.filters) } }
        + OutputFlags.quickOptions.map { $0.lifted { list, set in set(&list.output) } }
        + [
            .text("--sort", unconditional: true) { $0.sort = $1 },
            .flag("--reverse") { $0.reverse = true },
            .integer("--limit") { $0.limit = $1 },
            .integer("--offset") { $0.offset = $1 },
            .integer("--after") { $0.after = $1 },
            .flag("--count") { $0.count = true },
            .text("--similar-to") { $0.similarTo = $1 },
            .integer("--max-distance") { $0.maxDistance = $1 },
        ]
    }
}

extension Imgrepo.Thumbnail: QuicklyParsable {
    static func quickDefault() -> Self {
        var thumbnail = Self()
        thumbnail.global = .quickDefault()
        thumbnail.ids = []
        thumbnail.size = nil
        thumbnail.fit = nil
        thumbnail.format = "jpeg"
        thumbnail.quality = nil
        thumbnail.output = nil
        thumbnail.noCache = false
        thumbnail.maxPixels = "128M"
        thumbnail.json = false
        thumbnail.prune = false
        return thumbnail
    }

    static var quickOptions: [QuickOption<Self>] {
        GlobalOptions.quickOptions.map { $0.lifted { thumbnail, set in set(&thumbnail.global) } }
        + [
            .integer("--size") { $0.size = $1 },
            .text("--fit") { $0.fit = $1 },
            .text("--format") { $0.format = $1 },
            .integer("--quality") { $0.quality = $1 },
            .text("-o", "--output") { $0.output = $1 },
            .flag("--no-cache") { $0.noCache = true },
            .text("--max-pixels") { $0.maxPixels = $1 },
            .flag("--json") { $0.json = true },
            .flag("--prune") { $0.prune = true },
        ]
    }

    static var quickPositional: ((inout Self, String) -> Bool)? { { $0.ids.append($1); return true } }
}

/// The one id `get` and `details` take: a second is refused, a missing one leaves the line to
/// the full parse (which reports it).
private func setSingleID(_ id: inout String, _ word: String) -> Bool {
    guard id.isEmpty else { return false }
    id = word
    return true
}

extension Imgrepo.Get: QuicklyParsable {
    static func quickDefault() -> Self {
        var get = Self()
        get.global = .quickDefault()
        get.id = ""
        get.output = nil
        return get
    }

    static var quickOptions: [QuickOption<Self>] {
        GlobalOptions.quickOptions.map { $0.lifted { get, set in set(&get.global) } }
        + [.text("-o", "--output") { $0.output = $1 }]
    }

    static var quickPositional: ((inout Self, String) -> Bool)? { { setSingleID(&$0.id, $1) } }
    static func quickIsComplete(_ command: Self) -> Bool { !command.id.isEmpty }
}

extension Imgrepo.Details: QuicklyParsable {
    static func quickDefault() -> Self {
        var details = Self()
        details.global = .quickDefault()
        details.output = .quickDefault()
        details.id = ""
        return details
    }

    static var quickOptions: [QuickOption<Self>] {
        GlobalOptions.quickOptions.map { $0.lifted { details, set in set(&details.global) } }
        + OutputFlags.quickOptions.map { $0.lifted { details, set in set(&details.output) } }
    }

    static var quickPositional: ((inout Self, String) -> Bool)? { { setSingleID(&$0.id, $1) } }
    static func quickIsComplete(_ command: Self) -> Bool { !command.id.isEmpty }
}
