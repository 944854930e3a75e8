#if canImport(Glibc)
import Glibc
#endif
import ImgrepoCore
import Testing
@testable import ImgrepoOutput

/// A million rows through each format: the writer holds nothing per row (a table at most its
/// sizing window), so its output reaches the sink as the rows come: at no point does the sink
/// lag the rows written by more than the sizing window plus one output buffer.
///
/// Why not the process's peak RSS: every suite of the package runs in this one process, in
/// parallel, and a thumbnail or HEIF test decoding next door moves the peak by tens of MB. The
/// whole-process figure is measured where a process is alone: `make bench` streams a million
/// catalogue rows through `imgrepo list` under GNU time (docs/benchmarks.md).
@Suite(.serialized) struct StreamingTests {
    final class CountingSink {
        var bytes = 0
        var lines = 0
        func append(_ chunk: [UInt8]) {
            bytes += chunk.count
            for b in chunk where b == 10 { lines += 1 }
        }
    }

    @Test(arguments: OutputFormat.allCases)
    func aMillionRowsStreamThrough(format: OutputFormat) throws {
        let rows = 1_000_000
        let window = 1000
        let fields = try RecordField.parse("id,name,size")
        let sink = CountingSink()
        let writer = RecordWriter(format: format, fields: fields, options: OutputOptions(tableSizingRows: window), sink: sink.append)
        var record = Fixtures.sparse
        var maxBuffered = 0
        var maxLag = 0
        for i in 0..<rows {
            record.id = Int64(i)
            record.byteSize = Int64(i)
            writer.write(record)
            if i % 997 == 0 {
                maxBuffered = max(maxBuffered, writer.bufferedRowCount)
                maxLag = max(maxLag, (i + 1) - sink.lines)
            }
        }
        writer.finish()
        #expect(writer.count == rows)
        #expect(maxBuffered <= (format == .table ? window : 0))
        #expect(writer.bufferedRowCount == 0)
        let expectedLines = switch format {
        case .json: rows + 2
        case .ndjson: rows
        case .csv, .tsv, .table: rows + 1
        }
        #expect(sink.lines == expectedLines)
        // Rows are ≥ 10 bytes, so a 64 KiB output buffer holds under 6,600 of them; a writer
        // that kept every row would lag by up to a million.
        let allowed = (format == .table ? window : 0) + 6_600
        #expect(maxLag <= allowed, "the sink lagged \(maxLag) rows behind while streaming \(format)")
    }
}
