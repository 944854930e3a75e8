#if canImport(Glibc)
import Glibc
#endif
import ImgrepoCore
import Testing
@testable import ImgrepoOutput

/// A million rows through each format: the writer holds nothing per row (a table at most its
/// sizing window), so the process's peak memory barely moves.
@Suite(.serialized) struct StreamingTests {
    final class CountingSink {
        var bytes = 0
        var lines = 0
        func append(_ chunk: [UInt8]) {
            bytes += chunk.count
            for b in chunk where b == 10 { lines += 1 }
        }
    }

    static func peakResidentKilobytes() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss)
    }

    @Test(arguments: OutputFormat.allCases)
    func aMillionRowsInConstantMemory(format: OutputFormat) throws {
        let rows = 1_000_000
        let fields = try RecordField.parse("id,name,size")
        let sink = CountingSink()
        let writer = RecordWriter(format: format, fields: fields, options: OutputOptions(tableSizingRows: 1000), sink: sink.append)
        var record = Fixtures.sparse
        let before = Self.peakResidentKilobytes()
        var maxBuffered = 0
        for i in 0..<rows {
            record.id = Int64(i)
            record.byteSize = Int64(i)
            writer.write(record)
            if i % 997 == 0 { maxBuffered = max(maxBuffered, writer.bufferedRowCount) }
        }
        writer.finish()
        let grown = Self.peakResidentKilobytes() - before
        #expect(writer.count == rows)
        #expect(maxBuffered <= (format == .table ? 1000 : 0))
        #expect(writer.bufferedRowCount == 0)
        let expectedLines = switch format {
        case .json: rows + 2
        case .ndjson: rows
        case .csv, .tsv, .table: rows + 1
        }
        #expect(sink.lines == expectedLines)
        // A million rows kept in memory would take well over 50 MB.
        #expect(grown < 24 * 1024, "peak memory grew by \(grown) kB while streaming \(format)")
    }
}
