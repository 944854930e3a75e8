import Foundation
import ImageProbe
import Testing

/// A Canon CIFF heap as exiftool documents it (CanonRaw.pm): the records' values, then the
/// directory (a 16-bit count and 10-byte entries: tag, size, offset from the heap's start), then
/// the directory's offset in the heap's last 4 bytes. A nested heap is a record of type 0x2800 or
/// 0x3000; a tag with 0x4000 keeps its value in the entry's own 8 bytes.
struct CIFFHeap {
    enum Record {
        case value(UInt16, [UInt8])
        case inEntry(UInt16, [UInt8])
        case heap(UInt16, CIFFHeap)
        /// An entry written as given, for hostile variants.
        case raw(tag: UInt16, size: UInt32, offset: UInt32)
    }

    var records: [Record]

    func u16(_ v: UInt16, _ little: Bool) -> [UInt8] {
        little ? [UInt8(v & 0xFF), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 0xFF)]
    }
    func u32(_ v: UInt32, _ little: Bool) -> [UInt8] {
        little ? u16(UInt16(v & 0xFFFF), true) + u16(UInt16(v >> 16), true) : u16(UInt16(v >> 16), false) + u16(UInt16(v & 0xFFFF), false)
    }

    func bytes(littleEndian little: Bool = true) -> [UInt8] {
        var data: [UInt8] = []
        var entries: [UInt8] = []
        for record in records {
            switch record {
            case .value(let tag, let value):
                entries += u16(tag, little) + u32(UInt32(value.count), little) + u32(UInt32(data.count), little)
                data += value
            case .heap(let tag, let heap):
                let value = heap.bytes(littleEndian: little)
                entries += u16(tag, little) + u32(UInt32(value.count), little) + u32(UInt32(data.count), little)
                data += value
            case .inEntry(let tag, let value):
                entries += u16(tag, little) + value + [UInt8](repeating: 0, count: max(0, 8 - value.count))
            case .raw(let tag, let size, let offset):
                entries += u16(tag, little) + u32(size, little) + u32(offset, little)
            }
        }
        let directory = UInt32(data.count)
        return data + u16(UInt16(records.count), little) + entries + u32(directory, little)
    }
}

/// The APP0 payload: byte order, header length 26, `HEAPJPGM`, version 1.1, 8 reserved bytes,
/// then the root heap (as the PowerShot A5 writes it).
func ciffSegment(_ root: CIFFHeap, littleEndian: Bool = true) -> [UInt8] {
    let order: [UInt8] = littleEndian ? [0x49, 0x49] : [0x4D, 0x4D]
    return order + root.u32(26, littleEndian) + Array("HEAPJPGM".utf8) + root.u16(1, littleEndian) + root.u16(1, littleEndian)
        + [UInt8](repeating: 0, count: 8) + root.bytes(littleEndian: littleEndian)
}

/// SOI, a JFIF APP0, `payload` in a second APP0, DQT, SOF, DHT, a scan, EOI.
func jpegWithCIFF(_ payload: [UInt8]) -> [UInt8] {
    [0xFF, 0xD8] + Fixture.segment(0xE0, Array("JFIF".utf8) + [0, 1, 2, 1, 0, 180, 0, 180, 0, 0])
        + Fixture.segment(0xE0, payload) + Fixture.dqt + Fixture.sof(width: 640, height: 480) + Fixture.dht
        + Fixture.sos + Fixture.scanData + [0xFF, 0xD9]
}

@Suite("JPEG APP0 Canon CIFF")
struct CanonCIFFTests {
    static let makeModel = Array("Canon\0Canon PowerShot A5\0".utf8) + [UInt8](repeating: 0, count: 6)
    /// 2000-10-27 22:56:26 UTC, time zone code 0, zone info 0.
    static let timeStamp: [UInt8] = [0x1A, 0x08, 0xFA, 0x39] + [UInt8](repeating: 0, count: 8)
    /// FocalType 1, FocalLength 5, FocalPlaneXSize 199, FocalPlaneYSize 146.
    static let focal: [UInt8] = [1, 0, 5, 0, 0xC7, 0, 0x92, 0]

    /// The A5's shape: TimeStamp in the root, Make and Model in CameraObject (0x2807), the focal
    /// length in the entry itself (0x5029) inside ExifInformation (0x300b).
    static func a5(littleEndian: Bool = true, focal: [UInt8] = focal) -> CIFFHeap {
        CIFFHeap(records: [
            .value(0x1803, [0, 0, 1, 0, 0, 0, 0, 0x40]),
            .value(0x180E, littleEndian ? timeStamp : [0x39, 0xFA, 0x08, 0x1A] + [UInt8](repeating: 0, count: 8)),
            .heap(0x2807, CIFFHeap(records: [
                .value(0x0810, Array("Chris Smith\0".utf8)),
                .value(0x080A, makeModel),
                .heap(0x3004, CIFFHeap(records: [.value(0x101C, [100, 0])])),
            ])),
            .heap(0x300B, CIFFHeap(records: [.inEntry(0x5029, littleEndian ? focal : stride(from: 0, to: focal.count, by: 2).flatMap { [focal[$0 + 1], focal[$0]] })])),
        ])
    }

    static let expected = CanonCIFF(make: "Canon", model: "Canon PowerShot A5", takenLocal: "2000-10-27T22:56:26", focalLength: 5)

    @Test("the JPEG walk finds the heap in the second APP0 segment and parses it")
    func inJPEG() throws {
        let info = try #require(try inspect(jpegWithCIFF(ciffSegment(Self.a5()))))
        #expect(info.damage == nil)
        #expect(info.width == 640)
        #expect(info.canonCIFF == Self.expected)
        // In 7-byte chunks too: the segment is gathered across them.
        #expect(try inspect(jpegWithCIFF(ciffSegment(Self.a5())), chunkSize: 7)?.canonCIFF == Self.expected)
    }

    @Test("big-endian (MM) heaps read the same")
    func bigEndian() {
        #expect(CanonCIFF.parse(ciffSegment(Self.a5(littleEndian: false), littleEndian: false)) == Self.expected)
    }

    @Test("Make and Model: CanonRawMakeModel (0x080a), Make in bytes 0-5, Model from byte 6 to its NUL")
    func makeModel() {
        func parsed(_ value: [UInt8]) -> CanonCIFF? { CanonCIFF.parse(ciffSegment(CIFFHeap(records: [.value(0x080A, value)]))) }
        #expect(parsed(Self.makeModel) == CanonCIFF(make: "Canon", model: "Canon PowerShot A5"))
        #expect(parsed(Array("Canon\0".utf8)) == CanonCIFF(make: "Canon"), "6 bytes: no Model")
        #expect(parsed(Array("Canon".utf8)) == nil, "shorter than Make's 6 bytes")
        #expect(parsed(Array("Canon\0Canon PowerShot A50  ".utf8))?.model == "Canon PowerShot A50", "trailing blanks go")
    }

    @Test("DateTimeOriginal: TimeStamp (0x180e) word 0, seconds since 1970 as UTC; the zone code is not applied")
    func timeStamp() {
        func parsed(_ value: [UInt8]) -> CanonCIFF? { CanonCIFF.parse(ciffSegment(CIFFHeap(records: [.value(0x180E, value)]))) }
        #expect(parsed(Self.timeStamp)?.takenLocal == "2000-10-27T22:56:26")
        // Zone code +3600 s and "valid" info (0x80000000): exiftool still reports the clock's value.
        #expect(parsed([0x1A, 0x08, 0xFA, 0x39, 0x10, 0x0E, 0, 0, 0, 0, 0, 0x80])?.takenLocal == "2000-10-27T22:56:26")
        #expect(parsed([0x1A, 0x08, 0xFA, 0x39])?.takenLocal == "2000-10-27T22:56:26", "word 0 alone")
        #expect(parsed([0, 0, 0, 0, 0, 0, 0, 0]) == nil, "0 is an unset clock")
        #expect(parsed([0x1A, 0x08, 0xFA]) == nil, "shorter than a word")
        #expect(parsed([0xFF, 0xFF, 0xFF, 0xFF])?.takenLocal == "2106-02-07T06:28:15")
    }

    @Test("FocalLength: CanonFocalLength (0x1029) word 1 in mm, in the entry (0x5029) or outside it")
    func focalLength() {
        func parsed(_ record: CIFFHeap.Record) -> CanonCIFF? { CanonCIFF.parse(ciffSegment(CIFFHeap(records: [record]))) }
        #expect(parsed(.inEntry(0x5029, Self.focal)) == CanonCIFF(focalLength: 5))
        #expect(parsed(.value(0x1029, [2, 0, 0x9A, 0x02, 0, 0, 0, 0])) == CanonCIFF(focalLength: 666))
        #expect(parsed(.value(0x1029, [1, 0, 0, 0, 0xC7, 0])) == nil, "0 is no value")
        #expect(parsed(.value(0x1029, [1, 0, 5])) == nil, "shorter than two words")
    }

    @Test("repeated records: the last Make, Model and time count, the first focal length (exiftool's priorities)")
    func repeated() {
        let heap = CIFFHeap(records: [
            .value(0x080A, Array("Canon\0First\0".utf8)), .inEntry(0x5029, [1, 0, 7, 0]),
            .value(0x180E, [1, 0, 0, 0]),
            .heap(0x300B, CIFFHeap(records: [.value(0x080A, Array("Canon\0Second\0".utf8)), .inEntry(0x5029, [1, 0, 9, 0])])),
        ])
        #expect(CanonCIFF.parse(ciffSegment(heap)) == CanonCIFF(make: "Canon", model: "Second", takenLocal: "1970-01-01T00:00:01", focalLength: 7))
    }

    @Test("other APP0 segments, and records of other tags, give nothing")
    func nothing() throws {
        #expect(try inspect(Fixture.jpeg())?.canonCIFF == nil)
        #expect(CanonCIFF.parse(Array("JFIF".utf8) + [0, 1, 2, 1, 0, 180, 0, 180, 0, 0]) == nil)
        #expect(CanonCIFF.parse(ciffSegment(CIFFHeap(records: [.value(0x0810, Array("Chris Smith\0".utf8))]))) == nil)
        var crw = ciffSegment(Self.a5())
        crw.replaceSubrange(10 ..< 14, with: Array("CCDR".utf8))
        #expect(CanonCIFF.parse(crw) == nil, "HEAPCCDR is a CRW file's heap, not exiftool's APP0 test")
        #expect(try inspect(jpegWithCIFF(crw))?.canonCIFF == nil)
    }

    @Test("every truncation of the file and of the segment is safe and never gives a wrong value")
    func truncated() throws {
        let segment = ciffSegment(Self.a5())
        func plausible(_ c: CanonCIFF?) -> Bool {
            guard let c else { return true }
            let e = Self.expected
            return (c.make == nil || c.make == e.make) && (c.model == nil || c.model == e.model)
                && (c.takenLocal == nil || c.takenLocal == e.takenLocal) && (c.focalLength == nil || c.focalLength == e.focalLength)
        }
        for length in 0 ..< segment.count {
            #expect(plausible(CanonCIFF.parse(segment.prefix(length))), "segment cut at \(length)")
        }
        let file = jpegWithCIFF(segment)
        for length in 0 ... file.count {
            let info = try inspect(Array(file.prefix(length)))
            if let c = info?.canonCIFF { #expect(c == Self.expected, "file cut at \(length)") }
        }
    }

    @Test("a heap that contains itself, or two that contain each other, is read once")
    func loops() {
        // The root's only record is a heap spanning the whole root: the same directory again.
        var root = CIFFHeap(records: [.raw(tag: 0x2807, size: 0, offset: 0)])
        let length = UInt32(root.bytes().count)
        root.records = [.raw(tag: 0x2807, size: length, offset: 0)]
        #expect(CanonCIFF.parse(ciffSegment(root)) == nil)
        // With a record beside the loop: found once, and the walk ends.
        var withMake = CIFFHeap(records: [.value(0x080A, Array("Canon\0A5\0".utf8)), .raw(tag: 0x3004, size: 0, offset: 0)])
        let whole = UInt32(withMake.bytes().count)
        withMake.records[1] = .raw(tag: 0x3004, size: whole, offset: 0)
        #expect(CanonCIFF.parse(ciffSegment(withMake)) == CanonCIFF(make: "Canon", model: "A5"))
        // Sixty entries all naming the same nested heap: its directory is read once.
        let inner = CIFFHeap(records: [.value(0x080A, Array("Canon\0A5\0".utf8))]).bytes()
        var shared = CIFFHeap(records: [.value(0x0001, inner)])
        shared.records += (0 ..< 60).map { _ in .raw(tag: 0x300B, size: UInt32(inner.count), offset: 0) }
        #expect(CanonCIFF.parse(ciffSegment(shared)) == CanonCIFF(make: "Canon", model: "A5"))
    }

    @Test("nesting deeper than ProbeLimits' 8 levels is not followed")
    func depth() {
        func nested(_ levels: Int) -> CIFFHeap {
            var heap = CIFFHeap(records: [.value(0x080A, Array("Canon\0Deep\0".utf8))])
            for _ in 0 ..< levels { heap = CIFFHeap(records: [.heap(0x2807, heap)]) }
            return heap
        }
        #expect(CanonCIFF.parse(ciffSegment(nested(8)))?.model == "Deep")
        #expect(CanonCIFF.parse(ciffSegment(nested(9))) == nil)
        #expect(CanonCIFF.parse(ciffSegment(nested(500))) == nil)
    }

    @Test("huge counts, bad offsets and sizes, an invalid tag: nothing, or only what lies inside")
    func hostile() {
        let make = CIFFHeap.Record.value(0x080A, Array("Canon\0A5\0".utf8))
        var segment = ciffSegment(CIFFHeap(records: [make]))
        // The directory count (after the 9-byte value) claims 65,535 entries.
        segment[26 + 9] = 0xFF; segment[26 + 10] = 0xFF
        #expect(CanonCIFF.parse(segment) == nil)
        // The directory offset past the end, at the very end, and at 0xFFFFFFFF.
        for offset: UInt32 in [UInt32(segment.count), UInt32(segment.count - 27), 0xFFFF_FFFF, 0xFFFF_FFFE] {
            var s = ciffSegment(CIFFHeap(records: [make]))
            s.replaceSubrange(s.count - 4 ..< s.count, with: CIFFHeap(records: []).u32(offset, true))
            #expect(CanonCIFF.parse(s) == nil, "directory at \(offset)")
        }
        // Header lengths past the segment, or leaving no room for a heap.
        for header: UInt32 in [0xFFFF_FFFF, 10_000, UInt32(segment.count), UInt32(segment.count - 3)] {
            var s = ciffSegment(CIFFHeap(records: [make]))
            s.replaceSubrange(2 ..< 6, with: CIFFHeap(records: []).u32(header, true))
            #expect(CanonCIFF.parse(s) == nil, "header length \(header)")
        }
        // Records and nested heaps reaching past their heap are skipped; the good one still counts.
        for (size, offset): (UInt32, UInt32) in [(0xFFFF_FFFF, 0), (8, 0xFFFF_FFFF), (0xFFFF_FFF0, 0x20), (40, 0)] {
            for tag: UInt16 in [0x180E, 0x1029, 0x080A, 0x2807, 0x3004] {
                let heap = CIFFHeap(records: [.raw(tag: tag, size: size, offset: offset), make])
                #expect(CanonCIFF.parse(ciffSegment(heap)) == CanonCIFF(make: "Canon", model: "A5"), "tag \(tag) size \(size) offset \(offset)")
            }
        }
        // A tag with bit 15 set ends its directory (exiftool: "Bad CRW directory entry").
        let bad = CIFFHeap(records: [.raw(tag: 0x8000, size: 0, offset: 0), make])
        #expect(CanonCIFF.parse(ciffSegment(bad)) == nil)
        // Past the budget of 4,096 entries the walk stops: 6,000 entries in one directory.
        let crowd = CIFFHeap(records: [make] + (0 ..< 6_000).map { _ in .inEntry(0x5001, []) })
        #expect(CanonCIFF.parse(ciffSegment(crowd)) == nil)
    }

    @Test("hostile segments cost little: the walk is bounded by the entry budget")
    func bounded() {
        // 3,000 distinct empty heaps of 6 bytes (a count of 0, then their directory's offset 0),
        // each named by an entry: 3,000 directories to read.
        let cells = (0 ..< 3_000).flatMap { _ in [UInt8](repeating: 0, count: 6) }
        let fan = CIFFHeap(records: [.value(0x0001, cells)]
            + (0 ..< 3_000).map { .raw(tag: 0x2807, size: 6, offset: UInt32($0 * 6)) })
        let crowd = CIFFHeap(records: (0 ..< 6_000).map { _ in .inEntry(0x5029, [1, 0, 5, 0]) })
        let samples = [ciffSegment(fan), ciffSegment(crowd),
                       ciffSegment(CIFFHeap(records: [])).prefix(26) + (0 ..< 65_000).map { UInt8(truncatingIfNeeded: $0 &* 131) },
                       ciffSegment(CIFFHeap(records: [])).prefix(26) + [UInt8](repeating: 0, count: 65_000)]
        let clock = ContinuousClock()
        for segment in samples {
            #expect(segment.count <= 65_533, "fits an APP0 segment")
            let elapsed = clock.measure { _ = CanonCIFF.parse(segment) }
            #expect(elapsed < .seconds(1))
        }
        #expect(CanonCIFF.parse(ciffSegment(fan)) == nil)
    }

    /// The shared corpus's PowerShot A5 (misnamed sony-powershota5.jpg), when present.
    static let corpusFile: URL? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return [root.appendingPathComponent("shared/corpus"), URL(fileURLWithPath: "/work/shared/corpus")]
            .map { $0.appendingPathComponent("jpg/exif-org/sony-powershota5.jpg") }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }()

    @Test("the corpus's PowerShot A5 gives exiftool's values", .enabled(if: corpusFile != nil, "no shared corpus"))
    func corpus() throws {
        let bytes = try [UInt8](Data(contentsOf: try #require(Self.corpusFile)))
        let info = try #require(try inspect(bytes, chunkSize: 1 << 20))
        #expect(info.canonCIFF == Self.expected)
        #expect(info.exif == nil)
    }
}
