import ArgumentParser
import ImgrepoCore
import ImgrepoOutput
#if canImport(Glibc)
import Glibc
#endif

/// The output options every command that prints records shares (docs/json.md).
struct OutputFlags: ParsableArguments {
    @Option(help: ArgumentHelp("Output format: table, json, ndjson, csv or tsv.", valueName: "format"), completion: .list(["table", "json", "ndjson", "csv", "tsv"]))
    var format: String?

    @Flag(help: "Shorthand for --format json.")
    var json = false

    @Option(help: ArgumentHelp("Comma-separated fields to print, in order (docs/json.md lists them).", valueName: "list"))
    var fields: String?

    @Flag(help: "Leave out the header line of table, csv and tsv output.")
    var noHeaders = false

    @Option(help: ArgumentHelp("Time zone for times shown in tables: local, UTC, +02:00, Europe/Paris.", valueName: "zone"))
    var tz: String?

    /// The format asked for, else `fallback`.
    func resolvedFormat(default fallback: OutputFormat, jsonMeans: OutputFormat = .json) throws -> OutputFormat {
        if json {
            if let format, format.lowercased() != jsonMeans.rawValue {
                throw ImgrepoError.invalidArgument(value: "--json --format \(format)", reason: "contradict each other")
            }
            return jsonMeans
        }
        guard let format else { return fallback }
        do { return try OutputFormat(parsing: format) } catch {
            throw ImgrepoError.invalidArgument(value: "--format \(format)", reason: "\(error)")
        }
    }

    /// The record fields to print in `format`.
    func resolvedFields(for format: OutputFormat) throws -> [RecordField] {
        guard let fields else { return RecordField.defaults(for: format) }
        do { return try RecordField.parse(fields) } catch {
            throw ImgrepoError.invalidArgument(value: "--fields \(fields)", reason: "\(error)")
        }
    }

    /// Headers, colour, terminal width and time zone for a writer. Colour and width are the only
    /// things that depend on stdout being a terminal.
    func options() throws -> OutputOptions {
        var zone = DisplayTimeZone.local
        if let tz {
            do { zone = try DisplayTimeZone(parsing: tz) } catch {
                throw ImgrepoError.invalidArgument(value: "--tz \(tz)", reason: "\(error)")
            }
        }
        return OutputOptions(headers: !noHeaders, colour: Console.useColour, terminalWidth: Console.terminalWidth, timeZone: zone)
    }

    /// A writer of image records to stdout.
    func recordWriter(default fallback: OutputFormat = .table) throws -> RecordWriter {
        let format = try resolvedFormat(default: fallback)
        return RecordWriter(format: format, fields: try resolvedFields(for: format), options: try options(), sink: Console.write)
    }
}
