import Foundation
import ImgrepoCore
import Testing
@testable import ImgrepoOutput

@Suite struct JSONFormatTests {
    @Test func zeroRecordsIsAnEmptyArray() throws {
        let text = Fixtures.render(.json, records: [])
        #expect(text == "[]\n")
        #expect((try parseJSON(text) as? [Any])?.isEmpty == true)
    }

    @Test func oneRecordPerLineBetweenBrackets() throws {
        let text = Fixtures.render(.json, records: [Fixtures.full])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4)
        #expect(lines[0] == "[" && lines[2] == "]" && lines[3] == "")
        #expect(String(lines[1]) == Fixtures.full.json.text)
        let array = try #require(try parseJSON(text) as? [[String: Any]])
        #expect(array.count == 1)
        #expect(array[0]["id"] as? Int == 42)
    }

    @Test func manyRecordsParseBackInOrder() throws {
        let records = (1...50).map(Fixtures.numbered)
        let text = Fixtures.render(.json, records: records)
        let array = try #require(try parseJSON(text) as? [[String: Any]])
        #expect(array.map { $0["id"] as? Int } == (1...50).map { $0 })
        #expect(text.split(separator: "\n").count == 52)
    }

    @Test func absentValuesAreNullNeverEmptyText() throws {
        let text = Fixtures.render(.json, records: [Fixtures.sparse])
        let object = try #require((try parseJSON(text) as? [[String: Any]])?.first)
        #expect(object["make"] is NSNull)
        #expect(object["path"] is NSNull)
        #expect(object["width"] is NSNull)
        #expect(!text.contains("\"\""))
    }

    @Test func rowsAreStreamedAsTheyCome() {
        let sink = CollectingSink()
        let writer = RecordWriter(format: .json, fields: RecordField.documented, sink: sink.append)
        writer.write(Fixtures.full)
        #expect(sink.text.hasPrefix("[\n{\"id\":42,"))
        writer.write(Fixtures.sparse)
        #expect(sink.calls == 2)
        writer.finish()
        writer.finish() // idempotent
        #expect(sink.text.hasSuffix("}\n]\n"))
        #expect(sink.calls == 3)
    }
}

@Suite struct NDJSONFormatTests {
    @Test func zeroOneAndManyRecords() throws {
        #expect(Fixtures.render(.ndjson, records: []) == "")
        #expect(Fixtures.render(.ndjson, records: [Fixtures.sparse]) == Fixtures.sparse.json.text + "\n")
        let text = Fixtures.render(.ndjson, records: (1...20).map(Fixtures.numbered))
        let lines = text.split(separator: "\n")
        #expect(lines.count == 20)
        for (i, line) in lines.enumerated() {
            let object = try #require(try parseJSON(String(line)) as? [String: Any])
            #expect(object["id"] as? Int == i + 1)
        }
    }

    @Test func aLineBreakInAValueStaysOnItsLine() {
        var r = Fixtures.sparse
        r.originalName = "a\nb\u{2028}c"
        #expect(Fixtures.render(.ndjson, records: [r]).split(separator: "\n").count == 1)
    }
}

@Suite struct DelimitedFormatTests {
    let fields = try! RecordField.parse("id,name,path,size,uploaded_at,f_number")

    @Test func zeroRecordsIsTheHeaderOnly() {
        #expect(Fixtures.render(.csv, fields: fields, records: []) == "id,name,path,size,uploaded_at,f_number\n")
        #expect(Fixtures.render(.tsv, fields: fields, records: []) == "id\tname\tpath\tsize\tuploaded_at\tf_number\n")
        #expect(Fixtures.render(.csv, fields: fields, options: OutputOptions(headers: false), records: []) == "")
    }

    @Test func machineTextIsRawAndNullIsEmpty() {
        let csv = Fixtures.render(.csv, fields: fields, records: [Fixtures.full, Fixtures.sparse])
        #expect(csv == """
        id,name,path,size,uploaded_at,f_number
        42,IMG_0001.JPG,/photos/2023/IMG_0001.JPG,4213337,2026-11-24T20:23:00.123456Z,2.8
        7,stdin,,0,1970-01-01T00:00:00.000000Z,

        """)
        let tsv = Fixtures.render(.tsv, fields: fields, options: OutputOptions(headers: false), records: [Fixtures.sparse])
        #expect(tsv == "7\tstdin\t\t0\t1970-01-01T00:00:00.000000Z\t\n")
    }

    @Test func manyRecordsOneLineEach() {
        let records = (1...100).map(Fixtures.numbered)
        #expect(Fixtures.render(.csv, fields: fields, records: records).split(separator: "\n").count == 101)
        #expect(Fixtures.render(.tsv, fields: fields, records: records).split(separator: "\n").count == 101)
    }

    @Test func csvQuotesWhatNeedsQuotingPerRFC4180() {
        let cases: [(String, String)] = [
            ("plain", "plain"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("l1\nl2", "\"l1\nl2\""),
            ("cr\r", "\"cr\r\""),
            ("tab\there", "tab\there"),
            ("back\\slash", "back\\slash"),
            ("nul\u{0}x", "nul\u{FFFD}x"),
            ("é漢字", "é漢字"),
            ("", "\"\""),
        ]
        let columns = [OutputColumn(key: "v"), OutputColumn(key: "n", style: .number)]
        for (value, expected) in cases {
            let text = Fixtures.render(.csv, columns: columns, options: OutputOptions(headers: false), rows: [[.string(value), .null]])
            #expect(text == expected + ",\n", "\(value.debugDescription)")
        }
    }

    @Test func tsvEscapesTabsNewlinesBackslashesAndNUL() {
        let cases: [(String, String)] = [
            ("plain", "plain"),
            ("a\tb", "a\\tb"),
            ("l1\nl2\r", "l1\\nl2\\r"),
            ("back\\slash", "back\\\\slash"),
            ("nul\u{0}", "nul\\0"),
            ("a,\"b\"", "a,\"b\""),
            ("é漢字", "é漢字"),
        ]
        for (value, expected) in cases {
            let text = Fixtures.render(.tsv, columns: [OutputColumn(key: "v")], options: OutputOptions(headers: false), rows: [[.string(value)]])
            #expect(text == expected + "\n", "\(value.debugDescription)")
        }
    }

    @Test func nestedValuesAreCompactJSON() {
        let columns = [OutputColumn(key: "warnings"), OutputColumn(key: "ok")]
        let text = Fixtures.render(.csv, columns: columns, options: OutputOptions(headers: false),
                                   rows: [[.array([.string("a"), .string("b")]), .bool(true)]])
        #expect(text == "\"[\"\"a\"\",\"\"b\"\"]\",true\n")
    }
}

@Suite struct GenericRowTests {
    let columns = [OutputColumn(key: "format", style: .label), OutputColumn(key: "images", style: .number),
                   OutputColumn(key: "bytes", style: .bytes)]

    @Test func keyValuePairsFillColumnsByKey() {
        let sink = CollectingSink()
        let writer = RecordWriter(format: .ndjson, columns: columns, sink: sink.append)
        writer.write([("bytes", .int(4_200_000)), ("format", .string("jpeg")), ("extra", .int(1))])
        writer.finish()
        #expect(sink.text == #"{"format":"jpeg","images":null,"bytes":4200000}"# + "\n")
    }

    @Test func statsGroupsAsATable() {
        let text = Fixtures.render(.table, columns: columns, rows: [
            [.string("jpeg"), .int(12), .int(4_200_000)],
            [.string("png"), .int(3), .int(999)],
            [.null, .int(1), .int(0)],
        ])
        #expect(text == """
        FORMAT  IMAGES   BYTES
        jpeg        12  4.2 MB
        png          3   999 B
        -            1     0 B

        """)
    }
}
