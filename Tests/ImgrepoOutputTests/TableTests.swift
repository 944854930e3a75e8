import Foundation
import ImgrepoCore
import Testing
@testable import ImgrepoOutput

@Suite struct TableTests {
    @Test func defaultColumnsAlignedToTheData() {
        let text = Fixtures.render(.table, records: [Fixtures.full, Fixtures.sparse])
        #expect(text == """
        ID  NAME          FORMAT    SIZE  DIMENSIONS  TAKEN             CAMERA        OWNER
        42  IMG_0001.JPG  jpeg    4.2 MB   4000×3000  2023-06-01 12:34  Canon EOS R5  ada
         7  stdin         png        0 B           -  -                 -             bob

        """)
    }

    @Test func zeroRowsIsTheHeaderOrNothing() {
        #expect(Fixtures.render(.table, records: []) == "ID  NAME  FORMAT  SIZE  DIMENSIONS  TAKEN  CAMERA  OWNER\n")
        #expect(Fixtures.render(.table, options: OutputOptions(headers: false), records: []) == "")
    }

    @Test func noHeadersDropsOnlyTheHeader() {
        let text = Fixtures.render(.table, options: OutputOptions(headers: false), records: [Fixtures.sparse])
        #expect(text == "7  stdin  png  0 B  -  -  -  bob\n")
    }

    @Test func colourOnlyWhenAsked() {
        let plain = Fixtures.render(.table, records: [Fixtures.full])
        #expect(!plain.contains("\u{1B}"))
        let coloured = Fixtures.render(.table, options: OutputOptions(colour: true), records: [Fixtures.full])
        #expect(coloured.hasPrefix("\u{1B}[1mID  NAME"))
        #expect(coloured.replacingEscapes() == plain)
        for format in [OutputFormat.json, .ndjson, .csv, .tsv] {
            #expect(!Fixtures.render(format, options: OutputOptions(colour: true), records: [Fixtures.full]).contains("\u{1B}"))
        }
    }

    @Test func withoutAWidthNothingIsTruncated() {
        var r = Fixtures.full
        r.originalName = String(repeating: "long-name-", count: 30)
        let text = Fixtures.render(.table, records: [r])
        #expect(text.contains(r.originalName))
        #expect(!text.contains("…"))
    }

    /// Lines fit the width by shrinking the widest text columns; numbers and sizes stay whole.
    @Test(arguments: [40, 80, 200])
    func linesFitTheTerminalWidth(width: Int) throws {
        var wide = Fixtures.full
        wide.originalName = String(repeating: "vacances-été-", count: 8) + ".jpg"
        wide.owner = "漢字漢字漢字漢字漢字漢字"
        var accented = Fixtures.full
        accented.id = 1234
        accented.originalName = "café-crème.jpg"
        accented.exif.model = "Canon EOS R5 Mark II with a very long model name"
        let fields = try RecordField.parse("id,name,size,camera,owner")
        let text = Fixtures.render(.table, fields: fields, options: OutputOptions(terminalWidth: width), records: [wide, accented])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        // Fixed columns: id 4 + size 6 + gaps 8 = 18; text columns shrink to their titles (15).
        for line in lines { #expect(TerminalText.width(line) <= width, "\(line)") }
        #expect(lines[2].hasPrefix("1234  "))
        if width == 200 {
            #expect(!text.contains("…"))
            #expect(text.contains(wide.originalName) && text.contains("漢字漢字漢字漢字漢字漢字"))
        } else {
            #expect(text.contains("…"))
        }
        // Every line's size column ends at the same terminal column.
        func end(of needle: String, in line: String) throws -> Int {
            let r = try #require(line.range(of: needle))
            return TerminalText.width(String(line[..<r.upperBound]))
        }
        let sizeEnd = try end(of: "SIZE", in: lines[0])
        #expect(try end(of: "4.2 MB", in: lines[1]) == sizeEnd)
        #expect(try end(of: "4.2 MB", in: lines[2]) == sizeEnd)
    }

    @Test func whatCannotFitStillKeepsNumbersWhole() throws {
        let text = Fixtures.render(.table, options: OutputOptions(terminalWidth: 40), records: [Fixtures.full])
        #expect(text.hasPrefix("ID  NAME"))
        #expect(text.contains("4.2 MB") && text.contains("4000×3000") && text.contains("2023-06-01 12:34"))
    }

    @Test func wideAndCombiningCharactersAreMeasuredAsTheTerminalDrawsThem() {
        #expect(TerminalText.width("漢字") == 4)
        #expect(TerminalText.width("e\u{301}té") == 3)
        #expect(TerminalText.width("ｆｕｌｌ") == 8)
        #expect(TerminalText.truncate("漢字漢字", to: 5) == "漢字…")
        #expect(TerminalText.truncate("café-crème", to: 6) == "café-…")
        #expect(TerminalText.truncate("short", to: 5) == "short")
        let columns = [OutputColumn(key: "a"), OutputColumn(key: "b")]
        let text = Fixtures.render(.table, columns: columns, rows: [[.string("漢字"), .string("x")], [.string("abcde"), .string("y")]])
        #expect(text == "A      B\n漢字   x\nabcde  y\n")
    }

    @Test func rowsBeyondTheSizingWindowStreamWithItsWidths() {
        let sink = CollectingSink()
        let columns = [OutputColumn(key: "id", style: .number), OutputColumn(key: "name")]
        let writer = RecordWriter(format: .table, columns: columns, options: OutputOptions(tableSizingRows: 2), sink: sink.append)
        writer.write(values: [.int(1), .string("ab")])
        #expect(sink.bytes.isEmpty && writer.bufferedRowCount == 1)
        writer.write(values: [.int(2), .string("abcd")])
        #expect(writer.bufferedRowCount == 0)
        #expect(sink.text == "ID  NAME\n 1  ab\n 2  abcd\n")
        writer.write(values: [.int(300), .string("abcdefgh")])
        writer.finish()
        // A longer text is cut to the window's width; a longer number is never cut.
        #expect(sink.text == "ID  NAME\n 1  ab\n 2  abcd\n300  abc…\n")
    }
}

@Suite struct DisplayTimeZoneTests {
    let summer = Timestamp(iso8601: "2023-06-01T10:34:56Z")!
    let winter = Timestamp(iso8601: "2023-01-15T10:34:56Z")!

    @Test func utcAndFixedOffsets() throws {
        #expect(try DisplayTimeZone(parsing: "UTC").format(summer) == "2023-06-01 10:34")
        #expect(try DisplayTimeZone(parsing: "z") == .utc)
        #expect(try DisplayTimeZone(parsing: "+02:00").format(summer) == "2023-06-01 12:34")
        #expect(try DisplayTimeZone(parsing: "-0530").format(summer, seconds: true) == "2023-06-01 05:04:56")
        #expect(try DisplayTimeZone(parsing: "+14").format(summer) == "2023-06-02 00:34")
        #expect(try DisplayTimeZone(parsing: "-05:30").description == "-05:30")
    }

    @Test func tzDatabaseNamesFollowDaylightSaving() throws {
        let paris = try DisplayTimeZone(parsing: "Europe/Paris")
        #expect(paris.format(summer) == "2023-06-01 12:34")
        #expect(paris.format(winter) == "2023-01-15 11:34")
        let kolkata = try DisplayTimeZone(parsing: "Asia/Kolkata")
        #expect(kolkata.offsetSeconds(at: summer) == 19_800)
        // Switching zones back and forth gives each its own offsets.
        #expect(paris.offsetSeconds(at: winter) == 3600)
        #expect(DisplayTimeZone.utc.offsetSeconds(at: winter) == 0)
    }

    @Test func tablesShowInstantsInTheChosenZone() throws {
        let options = OutputOptions(timeZone: try DisplayTimeZone(parsing: "Europe/Paris"))
        let text = Fixtures.render(.table, fields: try RecordField.parse("uploaded_at,taken_utc,taken"), options: options,
                                   records: [Fixtures.full])
        // Instants move to the zone; the camera's own wall-clock time stays as recorded.
        #expect(text.split(separator: "\n")[1] == "2026-11-24 21:23  2023-06-01 12:34  2023-06-01 12:34")
        // Machine formats stay in UTC.
        #expect(Fixtures.render(.csv, fields: try RecordField.parse("uploaded_at"), options: options, records: [Fixtures.full])
                == "uploaded_at\n2026-11-24T20:23:00.123456Z\n")
    }

    @Test(arguments: ["", "Mars/Olympus", "../etc/passwd", "/etc/localtime", "+25:00", "+2:00", "Europe/../Paris", "UTC+2", "Europe/Paris "])
    func invalidZonesAreRefusedByName(value: String) {
        #expect(throws: DisplayTimeZone.InvalidZone(value: value)) { try DisplayTimeZone(parsing: value) }
        #expect(DisplayTimeZone.InvalidZone(value: value).description.hasPrefix("unknown time zone '\(value)'"))
    }

    @Test func localIsTheEnvironmentsZone() throws {
        #expect(try DisplayTimeZone(parsing: "local") == .local)
        #expect(DisplayTimeZone.local.description == "local")
        _ = DisplayTimeZone.local.format(summer) // whatever the machine's zone, it answers
    }
}

extension String {
    func replacingEscapes() -> String {
        var s = self
        for code in ["\u{1B}[1m", "\u{1B}[0m"] {
            while let r = s.range(of: code) { s.removeSubrange(r) }
        }
        return s
    }
}
