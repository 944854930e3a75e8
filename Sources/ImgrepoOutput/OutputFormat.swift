/// How rows are printed on stdout (`--format`).
public enum OutputFormat: String, CaseIterable, Sendable {
    /// Aligned columns for people: human sizes and local times; the only format whose text
    /// depends on the terminal (its width, and colour).
    case table
    /// One JSON array, streamed: `[`, one object per line, `]`.
    case json
    /// One JSON object per line.
    case ndjson
    /// RFC 4180 comma-separated values, LF line endings, a header line unless `--no-headers`.
    case csv
    /// Tab-separated values with `\t`, `\n`, `\r`, `\\` (and `\0`) escaped, a header line unless `--no-headers`.
    case tsv

    /// Whether the format has a header line that `--no-headers` removes.
    public var hasHeaders: Bool {
        switch self {
        case .table, .csv, .tsv: true
        case .json, .ndjson: false
        }
    }

    /// Parses a `--format` value, any case; the error lists the valid ones.
    public init(parsing text: String) throws {
        guard let format = OutputFormat(rawValue: text.lowercased()) else {
            throw OutputError.unknownFormat(text)
        }
        self = format
    }
}

/// The version of the JSON shape documented in docs/json.md. Adding keys keeps it; renaming
/// or removing a key, or changing a key's type or meaning, increments it.
public let jsonSchemaVersion = 2

/// Errors in output options, with messages in the house style (lower case, naming the value).
public enum OutputError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownFormat(String)
    case unknownField(String, valid: [String])
    case emptyFieldList

    public var description: String {
        switch self {
        case .unknownFormat(let f):
            "unknown format '\(f)' (known: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .unknownField(let f, let valid):
            "unknown field '\(f)' (known: \(valid.joined(separator: ", ")))"
        case .emptyFieldList:
            "--fields needs at least one field name"
        }
    }
}
