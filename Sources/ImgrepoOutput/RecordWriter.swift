import ImgrepoCore

/// What a `RecordWriter` needs to know besides the format and the columns.
public struct OutputOptions: Sendable {
    /// Print the header line (table, CSV, TSV); `--no-headers` turns it off.
    public var headers: Bool
    /// Use ANSI colour in tables (a bold header). The caller decides: only on a terminal,
    /// never under NO_COLOR or TERM=dumb.
    public var colour: Bool
    /// The terminal's width in columns, or nil when stdout is not a terminal: tables are then
    /// never truncated.
    public var terminalWidth: Int?
    /// The zone in which tables show instants (`--tz`; default the environment's). Machine formats always write UTC.
    public var timeZone: DisplayTimeZone
    /// How many rows a table holds to size its columns before it streams the rest with those
    /// widths (later, longer text is cut with `…`). Bounds a table's memory.
    public var tableSizingRows: Int

    public init(headers: Bool = true, colour: Bool = false, terminalWidth: Int? = nil,
                timeZone: DisplayTimeZone = .local, tableSizingRows: Int = 1000) {
        self.headers = headers; self.colour = colour; self.terminalWidth = terminalWidth
        self.timeZone = timeZone; self.tableSizingRows = max(1, tableSizingRows)
    }
}

/// Writes rows in one `OutputFormat` to a byte sink as they come.
///
/// Contract:
/// - The sink is called with whole rows (and the header, and the closing `]`), in order,
///   never with a partial row; bytes are UTF-8. The writer keeps no reference to them.
/// - JSON, NDJSON, CSV and TSV hold no state per row: memory stays constant however many rows
///   are written. A table holds at most `tableSizingRows` rows to size its columns, then streams.
/// - Every row is written as soon as `write` returns, except table rows inside the sizing
///   window, which are written when the window fills or at `finish()`.
/// - `finish()` must be called once, after the last row; it writes the JSON array's `]` (an
///   empty array is `[]`), a table's buffered rows, and for a table without rows its header.
///   Writing after `finish()` is a programming error.
///
/// Not thread-safe: one writer is used by one thread.
public final class RecordWriter {
    public let format: OutputFormat
    public let columns: [OutputColumn]
    public let options: OutputOptions

    private let sink: ([UInt8]) -> Void
    private let fields: [RecordField]?
    private var buffer: [UInt8] = []
    private var rowCount = 0
    private var finished = false
    private var headerWritten = false

    // Table state: the sizing window, then the column widths.
    private var pending: [[String]] = []
    private var widths: [Int]?

    /// A writer of arbitrary rows: each row gives one value per column (`write(values:)`)
    /// or key/value pairs (`write(_:)`).
    public init(format: OutputFormat, columns: [OutputColumn], options: OutputOptions = OutputOptions(),
                sink: @escaping ([UInt8]) -> Void) {
        self.format = format
        self.columns = columns
        self.options = options
        self.sink = sink
        self.fields = nil
        buffer.reserveCapacity(4096)
    }

    /// A writer of image records showing `fields` (see `RecordField.parse`, `RecordField.defaults(for:)`).
    public init(format: OutputFormat, fields: [RecordField], options: OutputOptions = OutputOptions(),
                sink: @escaping ([UInt8]) -> Void) {
        self.format = format
        self.columns = fields.map(\.column)
        self.options = options
        self.sink = sink
        self.fields = fields
        buffer.reserveCapacity(4096)
    }

    /// Rows written so far.
    public var count: Int { rowCount }

    /// Table rows held to size columns (never more than `options.tableSizingRows`; 0 for other formats).
    public var bufferedRowCount: Int { pending.count }

    /// Writes one image record; the writer must have been created with `fields`.
    public func write(_ record: ImageRecord) {
        guard let fields else { preconditionFailure("RecordWriter.write(_: ImageRecord) needs a writer created with fields") }
        write(values: fields.map { $0.value(record) })
    }

    /// Writes one row given as key/value pairs: each column takes the value of its key, `null`
    /// when absent; keys that are not columns are ignored.
    public func write(_ pairs: [(String, JSONValue)]) {
        write(values: columns.map { column in pairs.first(where: { $0.0 == column.key })?.1 ?? .null })
    }

    /// Writes one row: one value per column, in column order.
    public func write(values: [JSONValue]) {
        precondition(!finished, "RecordWriter: write after finish()")
        precondition(values.count == columns.count, "RecordWriter: \(values.count) values for \(columns.count) columns")
        switch format {
        case .json:
            buffer.append(contentsOf: (rowCount == 0 ? "[\n" : ",\n").utf8)
            writeObject(values)
        case .ndjson:
            writeObject(values)
            buffer.append(10)
        case .csv, .tsv:
            writeHeaderIfNeeded()
            writeDelimited(values.map { MachineText.cell($0) }, quoteNulls: false)
        case .table:
            let cells = zip(columns, values).map { $0.style.render($1, timeZone: options.timeZone) }
            if widths == nil {
                pending.append(cells)
                if pending.count >= options.tableSizingRows { flushTableWindow() }
            } else {
                writeTableLine(cells, bold: false)
            }
        }
        rowCount += 1
        emit()
    }

    /// Ends the output; see the type's contract.
    public func finish() {
        guard !finished else { return }
        finished = true
        switch format {
        case .json: buffer.append(contentsOf: (rowCount == 0 ? "[]\n" : "\n]\n").utf8)
        case .ndjson: break
        case .csv, .tsv: writeHeaderIfNeeded()
        case .table: if widths == nil { flushTableWindow() }
        }
        emit()
    }

    // MARK: - Formats

    private func emit() {
        guard !buffer.isEmpty else { return }
        sink(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Each column's key as JSON text followed by `:`, escaped once per writer.
    private lazy var jsonKeys: [[UInt8]] = columns.map { column in
        var key: [UInt8] = []
        JSONValue.escape(column.key, into: &key)
        key.append(UInt8(ascii: ":"))
        return key
    }

    private func writeObject(_ values: [JSONValue]) {
        let keys = jsonKeys
        // Appends go to a local array, not the stored property: no exclusivity check per byte run.
        var out: [UInt8] = []
        swap(&out, &buffer)
        defer { swap(&out, &buffer) }
        out.append(UInt8(ascii: "{"))
        for i in values.indices {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: keys[i])
            values[i].write(into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    private func writeHeaderIfNeeded() {
        guard !headerWritten else { return }
        headerWritten = true
        guard options.headers else { return }
        writeDelimited(columns.map { MachineText.Cell.text($0.key) }, quoteNulls: false)
    }

    private func writeDelimited(_ cells: [MachineText.Cell], quoteNulls: Bool) {
        let separator: UInt8 = format == .csv ? UInt8(ascii: ",") : 9
        for (i, cell) in cells.enumerated() {
            if i > 0 { buffer.append(separator) }
            switch cell {
            case .null: break
            case .text(let s): format == .csv ? MachineText.csv(s, into: &buffer) : MachineText.tsv(s, into: &buffer)
            }
        }
        buffer.append(10)
    }

    private func flushTableWindow() {
        let titles = columns.map(\.title)
        var natural = options.headers ? titles.map(TerminalText.width) : Array(repeating: 0, count: columns.count)
        for row in pending {
            for (i, cell) in row.enumerated() { natural[i] = max(natural[i], TerminalText.width(cell)) }
        }
        widths = Self.fit(natural: natural, columns: columns, titles: options.headers ? titles : nil, limit: options.terminalWidth)
        if options.headers { writeTableLine(titles, bold: options.colour) }
        for row in pending { writeTableLine(row, bold: false) }
        pending = []
    }

    /// Column widths that fit `limit`, shrinking the widest text column one column at a time,
    /// never below its title (or 4); other columns keep their natural width. The line may
    /// still be wider than `limit` when the other columns alone are.
    static func fit(natural: [Int], columns: [OutputColumn], titles: [String]?, limit: Int?) -> [Int] {
        var widths = natural
        guard let limit, !widths.isEmpty else { return widths }
        let minimum = columns.indices.map { i in
            min(natural[i], max(4, titles.map { TerminalText.width($0[i]) } ?? 0))
        }
        var total = widths.reduce(0, +) + 2 * (widths.count - 1)
        while total > limit {
            var widest: Int?
            for i in columns.indices where columns[i].style == .text && widths[i] > minimum[i] {
                if widest == nil || widths[i] > widths[widest!] { widest = i }
            }
            guard let i = widest else { break }
            widths[i] -= 1
            total -= 1
        }
        return widths
    }

    private func writeTableLine(_ cells: [String], bold: Bool) {
        guard let widths else { return }
        var line = ""
        for (i, cell) in cells.enumerated() {
            if i > 0 { line += "  " }
            let text = columns[i].style == .text ? TerminalText.truncate(cell, to: widths[i]) : cell
            let gap = max(0, widths[i] - TerminalText.width(text))
            switch columns[i].alignment {
            case .right: line += String(repeating: " ", count: gap) + text
            case .left: line += i == cells.count - 1 ? text : text + String(repeating: " ", count: gap)
            }
        }
        if bold { line = "\u{1B}[1m" + line + "\u{1B}[0m" }
        buffer.append(contentsOf: line.utf8)
        buffer.append(10)
    }
}

/// Raw machine text of values for CSV and TSV.
enum MachineText {
    enum Cell { case null, text(String) }

    /// Strings as is, numbers as in JSON, booleans `true`/`false`, arrays and objects as
    /// compact JSON, null as nothing.
    static func cell(_ value: JSONValue) -> Cell {
        switch value {
        case .null: .null
        case .string(let s): .text(s)
        case .int(let i): .text(String(i))
        case .double(let d): d.isFinite ? .text(JSONValue.numberText(d)) : .null
        case .bool(let b): .text(b ? "true" : "false")
        case .array, .object: .text(value.text)
        }
    }

    /// RFC 4180: a field holding `,`, `"`, CR or LF — or an empty string, to tell it from a
    /// null — is quoted, with `"` doubled. NUL, which CSV readers refuse, becomes U+FFFD.
    static func csv(_ s: String, into out: inout [UInt8]) {
        var needsQuotes = s.isEmpty
        var hasNUL = false
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: ","), UInt8(ascii: "\""), 10, 13: needsQuotes = true
            case 0: hasNUL = true
            default: break
            }
        }
        if !needsQuotes && !hasNUL { out.append(contentsOf: s.utf8); return }
        if needsQuotes { out.append(UInt8(ascii: "\"")) }
        for b in s.utf8 {
            if b == UInt8(ascii: "\"") { out.append(b); out.append(b) }
            else if b == 0 { out.append(contentsOf: [0xEF, 0xBF, 0xBD]) }
            else { out.append(b) }
        }
        if needsQuotes { out.append(UInt8(ascii: "\"")) }
    }

    /// TSV: backslash, tab, LF, CR and NUL escaped as `\\`, `\t`, `\n`, `\r`, `\0`.
    static func tsv(_ s: String, into out: inout [UInt8]) {
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\\"): out.append(b); out.append(b)
            case 9: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 10: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 13: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "0"))
            default: out.append(b)
            }
        }
    }
}
