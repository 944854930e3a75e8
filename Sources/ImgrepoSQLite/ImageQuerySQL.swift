import ImageProbe
import ImgrepoCore

/// A value bound to a `?` placeholder. User input only ever reaches SQL this way.
enum SQLValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    init(_ value: Int64?) { self = value.map { .integer($0) } ?? .null }
    init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    init(_ value: Double?) { self = value.map { .real($0) } ?? .null }
    init(_ value: String?) { self = value.map { .text($0) } ?? .null }
}

/// SQL text with `?` placeholders and the values that fill them, in order.
struct SQLFragment: Hashable, Sendable {
    var sql: String
    var arguments: [SQLValue]
}

/// Turns an `ImageQuery` into a parameterised SELECT over the `images` table.
///
/// Engine-neutral: the differences between engines come from the `SQLDialect`, the column
/// names from the catalogue schema (docs/catalogue-schema.md), which every driver shares.
enum ImageQuerySQL {
    /// The `images` column a sort key orders by.
    static func column(for key: ImageQuery.SortKey) -> String {
        switch key {
        case .id: "id"
        case .name: "original_name"
        case .owner: "owner"
        case .uploaded: "uploaded_at"
        case .taken: "taken_local"
        case .size: "byte_size"
        case .format: "format"
        case .width: "width"
        case .height: "height"
        }
    }

    /// `SELECT <columns> FROM images WHERE … ORDER BY … LIMIT ?`.
    ///
    /// Kinds of condition are AND'ed, values within a kind OR'ed. The order puts NULLs last in
    /// both directions and breaks ties by id in the same direction as the sort, so a descending
    /// listing is the ascending one reversed, NULLs aside.
    static func select(_ columns: String, matching query: ImageQuery, dialect: SQLDialect) -> SQLFragment {
        var conditions: [String] = []
        var arguments: [SQLValue] = []

        func anyOf(_ values: [String], _ condition: String) {
            guard !values.isEmpty else { return }
            conditions.append("(" + Array(repeating: condition, count: values.count).joined(separator: " OR ") + ")")
            arguments += values.map { .text($0) }
        }

        if !query.owners.isEmpty {
            conditions.append("owner IN (\(placeholders(query.owners.count)))")
            arguments += query.owners.map { .text($0) }
        }
        switch dialect.globMatching {
        case .globOperator:
            anyOf(query.nameGlobs, "original_name GLOB ?")
        case .regexpLike:
            anyOf(query.nameGlobs.map(regularExpression(forGlob:)), "REGEXP_LIKE(original_name, ?, 'c')")
        }
        if !query.formats.isEmpty {
            conditions.append("format IN (\(placeholders(query.formats.count)))")
            arguments += query.formats.map { .text($0.rawValue) }
        }
        // Wall-clock text in one fixed format compares correctly as text; NULL never matches.
        if let after = query.takenAfter {
            conditions.append("taken_local >= ?")
            arguments.append(.text(after))
        }
        if let before = query.takenBefore {
            conditions.append("taken_local < ?")
            arguments.append(.text(before))
        }
        if let after = query.uploadedAfter {
            conditions.append("uploaded_at >= ?")
            arguments.append(.integer(after.microseconds))
        }
        if let before = query.uploadedBefore {
            conditions.append("uploaded_at < ?")
            arguments.append(.integer(before.microseconds))
        }
        if !query.cameraTexts.isEmpty {
            let like = dialect.likeIgnoresCase
                ? "? \(dialect.likeEscapeClause)"
                : "LOWER(?) \(dialect.likeEscapeClause)"
            let (make, model) = dialect.likeIgnoresCase ? ("make", "model") : ("LOWER(make)", "LOWER(model)")
            let one = "\(make) LIKE \(like) OR \(model) LIKE \(like)"
            conditions.append("(" + Array(repeating: one, count: query.cameraTexts.count).joined(separator: " OR ") + ")")
            for text in query.cameraTexts {
                let pattern = "%" + escapeLike(text, escape: dialect.likeEscapeCharacter) + "%"
                arguments += [.text(pattern), .text(pattern)]
            }
        }

        var sql = "SELECT \(columns) FROM images"
        if !conditions.isEmpty {
            sql += " WHERE " + conditions.joined(separator: " AND ")
        }
        let direction = query.descending ? "DESC" : "ASC"
        let key = column(for: query.sort)
        var order: [String] = []
        if key != "id" {
            switch dialect.nullOrdering {
            case .nullsLastKeyword: order.append("\(key) \(direction) NULLS LAST")
            case .isNullKey: order += ["\(key) IS NULL", "\(key) \(direction)"]
            }
        }
        order.append("id \(direction)")
        sql += " ORDER BY " + order.joined(separator: ", ")
        if let limit = query.limit {
            sql += " LIMIT ?"
            arguments.append(.integer(Int64(max(0, limit))))
        }
        return SQLFragment(sql: sql, arguments: arguments)
    }

    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    /// `text` with the LIKE wildcards and the escape character itself made literal.
    static func escapeLike(_ text: String, escape: Character) -> String {
        var result = ""
        for character in text {
            if character == "%" || character == "_" || character == escape {
                result.append(escape)
            }
            result.append(character)
        }
        return result
    }

    /// An anchored regular expression matching what the shell glob matches: `*` any run,
    /// `?` one character, `[...]` and `[!...]` a class; everything else literal.
    static func regularExpression(forGlob glob: String) -> String {
        var result = "^"
        var characters = Array(glob)[...]
        while let c = characters.popFirst() {
            switch c {
            case "*": result += ".*"
            case "?": result += "."
            case "[":
                guard let close = characters.dropFirst().firstIndex(of: "]") else {
                    result += "\\["
                    continue
                }
                var body = characters[characters.startIndex..<close]
                characters = characters[(close + 1)...]
                var negated = false
                if body.first == "!" || body.first == "^" {
                    negated = true
                    body = body.dropFirst()
                }
                let escaped = body.map { $0 == "\\" ? "\\\\" : String($0) }.joined()
                result += "[" + (negated ? "^" : "") + escaped + "]"
            default:
                if ".^$|()+{}\\[]".contains(c) { result += "\\" }
                result.append(c)
            }
        }
        return result + "$"
    }
}
