#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ImgrepoCore

/// A value bound to a `?` placeholder. User input only ever reaches SQL this way.
package enum SQLValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    package init(_ value: Int64?) { self = value.map { .integer($0) } ?? .null }
    package init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    package init(_ value: Double?) { self = value.map { .real($0) } ?? .null }
    package init(_ value: String?) { self = value.map { .text($0) } ?? .null }

    package var isNull: Bool { self == .null }

    /// The value as an integer: integers as they are, reals truncated, decimal text (MySQL's
    /// `sum` of integers is a DECIMAL) parsed; nil for NULL and other text.
    package var integerValue: Int64? {
        switch self {
        case .null: nil
        case .integer(let v): v
        case .real(let v): v.isFinite ? Int64(v) : nil
        case .text(let v): Int64(v) ?? Double(v).flatMap { $0.isFinite ? Int64($0) : nil }
        }
    }

    /// The value as a double: numbers as they are, numeric text parsed; nil for NULL.
    package var realValue: Double? {
        switch self {
        case .null: nil
        case .integer(let v): Double(v)
        case .real(let v): v
        case .text(let v): Double(v)
        }
    }

    /// The value as text, or nil for NULL; numbers in their shortest decimal form.
    package var textValue: String? {
        switch self {
        case .null: nil
        case .integer(let v): String(v)
        case .real(let v): String(v)
        case .text(let v): v
        }
    }
}

/// SQL text with `?` placeholders and the values that fill them, in order.
package struct SQLFragment: Hashable, Sendable {
    package var sql: String
    package var arguments: [SQLValue]

    package init(_ sql: String, _ arguments: [SQLValue] = []) {
        self.sql = sql
        self.arguments = arguments
    }

    package init(sql: String, arguments: [SQLValue]) {
        self.init(sql, arguments)
    }

    package static let alwaysTrue = SQLFragment("1")
    package static let alwaysFalse = SQLFragment("0")

    /// The fragments joined by `separator`, each in parentheses.
    package static func joined(_ parts: [SQLFragment], separator: String) -> SQLFragment {
        SQLFragment(parts.map { "(\($0.sql))" }.joined(separator: separator), parts.flatMap(\.arguments))
    }
}

/// Compiles an `ImageQuery` into parameterised SQL over the `images` table.
///
/// Engine-neutral: the differences between engines come from the `SQLDialect`, the column
/// names from the catalogue schema (docs/catalogue-schema.md), which every driver shares.
/// Every value from the query is a bound argument; the SQL text holds only column names,
/// operators and `?`.
package enum ImageQuerySQL {
    /// The SQL expression a field stands for.
    package static func column(for field: QueryField) -> String {
        switch field {
        case .id: "id"
        case .sha512: "sha512"
        case .name: "original_name"
        case .path: "original_path"
        case .owner: "owner"
        case .uploaded: "uploaded_at"
        case .size: "byte_size"
        case .format: "format"
        case .width: "width"
        case .height: "height"
        case .pixels: "(width * height)"
        case .exif: "exif_status"
        case .make: "make"
        case .model: "model"
        case .lens: "lens"
        case .taken: "taken_local"
        case .takenUTC: "taken_utc"
        case .exposure: "exposure_time"
        case .fnumber: "f_number"
        case .iso: "iso"
        case .focal: "focal_length"
        case .orientation: "orientation"
        case .latitude: "gps_latitude"
        case .longitude: "gps_longitude"
        case .altitude: "gps_altitude"
        case .software: "software"
        case .artist: "artist"
        case .copyright: "copyright"
        case .title: "title"
        case .descriptionText: "description"
        case .creator: "creator"
        case .rating: "rating"
        case .focal35: "focal_length_35mm"
        case .flash: "flash"
        case .pixelHash: "pixel_sha512"
        // Several per image: conditions use `keywordCondition`; this (the smallest) serves
        // sorting and field-to-field comparisons.
        case .keyword: "(SELECT min(keyword) FROM image_keywords WHERE image_keywords.image_id = images.id)"
        }
    }

    /// The images with some keyword satisfying `condition` (on the column `k.keyword`): "keyword
    /// matches" means "any of its keywords matches". An `IN` rather than a correlated `EXISTS`,
    /// so the engine can start from the keyword index and look the few images up by id.
    package static func keywordCondition(_ condition: SQLFragment) -> SQLFragment {
        SQLFragment("id IN (SELECT k.image_id FROM image_keywords k WHERE \(condition.sql))", condition.arguments)
    }

    /// Fields whose columns are `NOT NULL` in the schema.
    package static let neverNull: Set<QueryField> = [.id, .sha512, .name, .owner, .uploaded, .size, .format, .exif]

    /// Mean Earth radius (IUGG), the one `near` and the distance function use.
    package static let earthRadiusKilometres = 6371.0088

    // MARK: Conditions

    /// The WHERE condition for `predicate`.
    ///
    /// - Throws: `ImgrepoError.invalidArgument` when a comparison's value is of a kind the
    ///   field cannot hold (text against an integer field, a number against a text field).
    package static func condition(_ predicate: QueryPredicate, dialect: SQLDialect) throws -> SQLFragment {
        switch predicate {
        case .all:
            return .alwaysTrue
        case .and(let parts):
            guard !parts.isEmpty else { return .alwaysTrue }
            return .joined(try parts.map { try condition($0, dialect: dialect) }, separator: " AND ")
        case .or(let parts):
            guard !parts.isEmpty else { return .alwaysFalse }
            return .joined(try parts.map { try condition($0, dialect: dialect) }, separator: " OR ")
        case .not(let inner):
            // "The image does not satisfy inner": an unknown (NULL) result counts as not
            // satisfied, so images lacking the field are included.
            let inner = try condition(inner, dialect: dialect)
            return SQLFragment("NOT coalesce((\(inner.sql)), 0)", inner.arguments)
        case .compare(.keyword, let op, let value):
            return keywordCondition(SQLFragment("k.keyword \(op.rawValue) ?", [try argument(value, for: .keyword)]))
        case .glob(.keyword, let pattern):
            return keywordCondition(try glob(.keyword, pattern, column: "k.keyword", dialect: dialect))
        case .isNull(.keyword):
            return SQLFragment("id NOT IN (SELECT k.image_id FROM image_keywords k)")
        case .compare(let field, let op, let value):
            return SQLFragment("\(column(for: field)) \(op.rawValue) \(dialect.placeholder(for: field))",
                               [try argument(value, for: field)])
        case .compareFields(let left, let op, let right):
            guard left.kind == right.kind || Set([left.kind, right.kind]) == [.integer, .real] else {
                throw ImgrepoError.invalidArgument(value: "\(left.rawValue) \(op.rawValue) \(right.rawValue)",
                                                   reason: "compares fields of different kinds")
            }
            return SQLFragment("\(column(for: left)) \(op.rawValue) \(column(for: right))")
        case .glob(let field, let pattern):
            return try glob(field, pattern, dialect: dialect)
        case .isNull(let field):
            return SQLFragment("\(column(for: field)) IS NULL")
        case .near(let latitude, let longitude, let kilometres):
            return near(latitude: latitude, longitude: longitude, kilometres: kilometres, dialect: dialect)
        case .boundingBox(let south, let west, let north, let east):
            return boundingBox(south: south, west: west, north: north, east: east)
        case .similar(let hash, let maxDistance):
            return SQLFragment("phash IS NOT NULL AND \(dialect.hammingToPlaceholder) <= ?",
                               [perceptualHashValue(hash), .integer(Int64(maxDistance))])
        }
    }

    /// How a perceptual hash is stored: its 64 bits as a signed integer (SQLite's INTEGER and
    /// MySQL's BIGINT are both signed).
    package static func perceptualHashValue(_ hash: UInt64) -> SQLValue {
        .integer(Int64(bitPattern: hash))
    }

    /// The bound value for comparing `field` with `value`.
    package static func argument(_ value: QueryValue, for field: QueryField) throws -> SQLValue {
        switch (field.kind, value) {
        case (.integer, .integer(let v)), (.real, .integer(let v)), (.instant, .integer(let v)):
            return .integer(v)
        case (.integer, .real(let v)), (.real, .real(let v)):
            return .real(v)
        case (.text, .text(let v)), (.wallClock, .text(let v)):
            return .text(v)
        default:
            throw ImgrepoError.invalidArgument(
                value: "\(value)", reason: "cannot compare field '\(field.rawValue)' (\(field.kind)) with this value")
        }
    }

    /// A case-insensitive shell glob: both sides folded to lower case (ASCII only, as SQLite's
    /// `lower` does, so other letters must match exactly).
    ///
    /// A literal ASCII prefix (`Canon*`) also becomes a range on the folded column, which an
    /// expression index on `lower(column)` can serve; GLOB itself cannot use one.
    package static func glob(_ field: QueryField, _ pattern: String, column override: String? = nil,
                             dialect: SQLDialect) throws -> SQLFragment {
        guard field.kind == .text || field.kind == .wallClock else {
            throw ImgrepoError.invalidArgument(value: pattern, reason: "field '\(field.rawValue)' does not hold text")
        }
        let folded = asciiLowercased(pattern)
        let subject = "\(dialect.lowerFunction)(\(override ?? column(for: field)))"
        var parts: [SQLFragment] = []
        switch dialect.globMatching {
        case .globOperator(let longestPattern, let fallbackFunction):
            let swiftGlob = SQLFragment("\(fallbackFunction)(?, \(subject))", [.text(folded)])
            if folded.utf8.contains(0) || folded.utf8.count > longestPattern {
                // GLOB would stop at the pattern's NUL, or refuse the pattern's length.
                parts.append(swiftGlob)
            } else {
                // GLOB also stops at a NUL in the value: those rare values go to the Swift glob.
                // Only the folded column appears, so an index on it can answer without the row.
                parts.append(SQLFragment(
                    "CASE WHEN instr(\(subject), char(0)) > 0 THEN \(swiftGlob.sql) ELSE \(subject) GLOB ? END",
                    swiftGlob.arguments + [.text(folded)]))
            }
        case .regexpLike:
            parts.append(SQLFragment("REGEXP_LIKE(\(subject), ?, 'c')", [.text(regularExpression(forGlob: folded))]))
        case .regexpOperator:
            if !folded.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) {
                return SQLFragment("\(subject) = ?", [.text(folded)])
            }
            let expression = regularExpression(forGlob: folded)
            parts.append(SQLFragment("\(subject) REGEXP ?", [.text("(?s-i)" + expression.dropLast() + "\\z")]))
        }
        if let (low, high) = prefixRange(ofGlob: folded) {
            // A literal prefix and one final `*` ("canon*") is exactly the range.
            if folded.utf8.count == low.utf8.count + 1, folded.hasSuffix("*") {
                return SQLFragment("\(subject) >= ? AND \(subject) < ?", [.text(low), .text(high)])
            }
            parts.insert(SQLFragment("\(subject) >= ? AND \(subject) < ?", [.text(low), .text(high)]), at: 0)
        }
        return SQLFragment(parts.map(\.sql).joined(separator: " AND "), parts.flatMap(\.arguments))
    }

    /// `text` with A–Z folded to a–z and every other character unchanged.
    package static func asciiLowercased(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return text }
        return String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// `[low, high)` holding every text the glob can match, from its literal ASCII prefix, or
    /// nil when there is none. Byte-wise (BINARY collation) order.
    package static func prefixRange(ofGlob glob: String) -> (String, String)? {
        var prefix: [UInt8] = []
        for byte in glob.utf8 {
            if byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "[") || byte >= 0x80 || byte == 0 {
                break
            }
            prefix.append(byte)
        }
        guard let last = prefix.last, last < 0x7F else { return nil }
        var high = prefix
        high[high.count - 1] = last + 1
        return (String(decoding: prefix, as: UTF8.self), String(decoding: high, as: UTF8.self))
    }

    /// Within `kilometres` of a point: a latitude/longitude box around the circle (which the
    /// GPS index serves) and then the exact great-circle distance.
    package static func near(latitude: Double, longitude: Double, kilometres: Double, dialect: SQLDialect) -> SQLFragment {
        guard kilometres >= 0, latitude.isFinite, longitude.isFinite, kilometres.isFinite || kilometres == .infinity else {
            return .alwaysFalse
        }
        let radians = Double.pi / 180
        let angle = kilometres / earthRadiusKilometres
        // A hair wider than exact, so rounding never drops a point the distance test keeps.
        let margin = 1e-6
        let latitudeSpan = angle / radians + margin
        let south = latitude - latitudeSpan
        let north = latitude + latitudeSpan
        var parts: [SQLFragment] = [SQLFragment("gps_latitude BETWEEN ? AND ?", [.real(south), .real(north)])]
        // The circle's longitude extent; unbounded when it reaches a pole or half the globe.
        let ratio = sin(min(angle, Double.pi / 2)) / cos(latitude * radians)
        if south > -90, north < 90, angle < Double.pi / 2, ratio < 1 {
            let longitudeSpan = asin(ratio) / radians * (1 + 1e-9) + margin
            if longitudeSpan < 180 {
                parts.append(longitudeRange(west: normalisedLongitude(longitude - longitudeSpan),
                                            east: normalisedLongitude(longitude + longitudeSpan)))
            }
        }
        parts.append(SQLFragment("\(dialect.distanceFunction)(?, ?, gps_latitude, gps_longitude) <= ?",
                                 [.real(latitude), .real(longitude), .real(kilometres)]))
        return SQLFragment(parts.map(\.sql).joined(separator: " AND "), parts.flatMap(\.arguments))
    }

    /// `longitude` brought into [-180, 180].
    package static func normalisedLongitude(_ longitude: Double) -> Double {
        var value = longitude.truncatingRemainder(dividingBy: 360)
        if value > 180 { value -= 360 }
        if value < -180 { value += 360 }
        return value
    }

    /// Longitudes from `west` eastwards to `east`, across the antimeridian when west > east.
    package static func longitudeRange(west: Double, east: Double) -> SQLFragment {
        if west <= east {
            return SQLFragment("gps_longitude BETWEEN ? AND ?", [.real(west), .real(east)])
        }
        return SQLFragment("(gps_longitude >= ? OR gps_longitude <= ?)", [.real(west), .real(east)])
    }

    package static func boundingBox(south: Double, west: Double, north: Double, east: Double) -> SQLFragment {
        let latitude = SQLFragment("gps_latitude BETWEEN ? AND ?", [.real(south), .real(north)])
        let longitude = longitudeRange(west: west, east: east)
        return SQLFragment(latitude.sql + " AND " + longitude.sql, latitude.arguments + longitude.arguments)
    }

    /// Fields that cannot be NULL in any row `predicate` matches. Sorting on such a field
    /// needs no NULLS LAST, which lets an index deliver the order.
    package static func nonNullFields(_ predicate: QueryPredicate) -> Set<QueryField> {
        switch predicate {
        case .all, .not, .isNull: []
        // A matching keyword says nothing about the smallest one being non-NULL in SQL terms
        // the sort needs; keep it out to be safe.
        case .compare(.keyword, _, _), .glob(.keyword, _): []
        case .compare(let field, _, _), .glob(let field, _): [field]
        case .compareFields(let left, _, let right): [left, right]
        case .near, .boundingBox: [.latitude, .longitude]
        case .similar: []
        case .and(let parts): parts.reduce(into: []) { $0.formUnion(nonNullFields($1)) }
        case .or(let parts):
            parts.dropFirst().reduce(parts.first.map(nonNullFields) ?? []) { $0.intersection(nonNullFields($1)) }
        }
    }

    // MARK: Ordering and paging

    /// The sort keys in force: the query's, without repeats, ending with id (in the last
    /// key's direction) so that the order is total.
    package static func effectiveSort(_ sort: [SortOrder]) -> [SortOrder] {
        var keys: [SortOrder] = []
        for key in sort where !keys.contains(where: { $0.field == key.field }) {
            keys.append(key)
            if key.field == .id { return keys }
        }
        keys.append(SortOrder(.id, descending: keys.last?.descending ?? false))
        return keys
    }

    /// `SELECT <key columns> FROM images WHERE id = ?`: the values `select` needs as its
    /// keyset anchor for `query.after`.
    package static func anchorLookup(for query: ImageQuery) -> String {
        let columns = effectiveSort(query.sort).map { column(for: $0.field) }.joined(separator: ", ")
        return "SELECT \(columns) FROM images WHERE id = ?"
    }

    /// `SELECT <columns> FROM images WHERE … ORDER BY … LIMIT ? OFFSET ?`.
    ///
    /// `anchor` holds the values of `anchorLookup(for:)` for the row `query.after` names; the
    /// result is then only the rows strictly after it. When `query.after` is set and `anchor`
    /// is nil (no such image), the statement matches nothing.
    package static func select(_ columns: String, matching query: ImageQuery, anchor: [SQLValue]?,
                       dialect: SQLDialect) throws -> SQLFragment {
        let keys = effectiveSort(query.sort)
        let known = nonNullFields(query.predicate).union(neverNull)
        var filter = try condition(query.predicate, dialect: dialect)
        if query.after != nil {
            let after = anchor.map { keyset(keys, anchor: $0, nonNull: known, dialect: dialect) } ?? .alwaysFalse
            filter = query.predicate == .all ? after : .joined([filter, after], separator: " AND ")
        }
        var sql = "SELECT \(columns) FROM images"
        if filter != .alwaysTrue {
            sql += " WHERE " + filter.sql
        }
        var order: [String] = []
        for key in keys {
            let column = column(for: key.field)
            if key.descending {
                // Both engines sort NULL below every value, so descending puts NULLs last.
                order.append("\(column) DESC")
            } else if known.contains(key.field) {
                order.append("\(column) ASC")
            } else {
                switch dialect.nullOrdering {
                case .nullsLastKeyword: order.append("\(column) ASC NULLS LAST")
                case .isNullKey: order += ["\(column) IS NULL", "\(column) ASC"]
                }
            }
        }
        sql += " ORDER BY " + order.joined(separator: ", ")
        var arguments = filter.arguments
        if query.limit != nil || query.offset > 0 {
            sql += " LIMIT ?"
            arguments.append(.integer(Int64(max(0, query.limit ?? Int.max))))
            if query.offset > 0 {
                sql += " OFFSET ?"
                arguments.append(.integer(Int64(query.offset)))
            }
        }
        return SQLFragment(sql, arguments)
    }

    /// Rows strictly after the anchor in the order `keys` (NULLs last in either direction):
    /// `(k1 after v1) OR (k1 = v1 AND k2 after v2) OR …`.
    package static func keyset(_ keys: [SortOrder], anchor: [SQLValue], nonNull: Set<QueryField>,
                               dialect: SQLDialect? = nil) -> SQLFragment {
        precondition(keys.count == anchor.count, "anchor does not match the sort keys")
        var alternatives: [SQLFragment] = []
        var equalSoFar: [SQLFragment] = []
        for (key, value) in zip(keys, anchor) {
            let column = column(for: key.field)
            let placeholder = dialect?.placeholder(for: key.field) ?? "?"
            // Nothing sorts after a NULL on this key (NULLs come last and tie with each other).
            if !value.isNull {
                var after = SQLFragment("\(column) \(key.descending ? "<" : ">") \(placeholder)", [value])
                if !nonNull.contains(key.field) {
                    after = SQLFragment("\(after.sql) OR \(column) IS NULL", after.arguments)
                }
                alternatives.append(equalSoFar.isEmpty ? after : .joined(equalSoFar + [after], separator: " AND "))
            }
            if value.isNull {
                if nonNull.contains(key.field) { break }
                equalSoFar.append(SQLFragment("\(column) IS NULL"))
            } else {
                equalSoFar.append(SQLFragment("\(column) = \(placeholder)", [value]))
            }
        }
        guard !alternatives.isEmpty else { return .alwaysFalse }
        return .joined(alternatives, separator: " OR ")
    }

    /// `SELECT count(*) FROM images WHERE …`.
    package static func count(matching predicate: QueryPredicate, dialect: SQLDialect) throws -> SQLFragment {
        let filter = try condition(predicate, dialect: dialect)
        return SQLFragment("SELECT count(*) FROM images" + whereClause(filter), filter.arguments)
    }

    /// ` WHERE <condition>`, or nothing for a condition that is always true.
    package static func whereClause(_ filter: SQLFragment) -> String {
        filter == .alwaysTrue ? "" : " WHERE " + filter.sql
    }

    package static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    /// An anchored regular expression matching what the shell glob matches: `*` any run,
    /// `?` one character, `[...]` and `[^...]`/`[!...]` a class; everything else literal.
    package static func regularExpression(forGlob glob: String) -> String {
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
