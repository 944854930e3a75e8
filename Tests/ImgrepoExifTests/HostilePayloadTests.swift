import ImgrepoCore
import ImgrepoExif
import ImgrepoFixtures
import Testing

/// Broken and hostile payloads never crash the decoder, and what it reports stays sane.
@Suite("hostile payloads")
struct HostilePayloadTests {
    let decoder = LibexifDecoder()

    /// Checks the invariants every decoded result keeps, whatever the input.
    func expectSane(_ d: ImgrepoCore.ExifData, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(d.status == .read || d.status == .unreadable, "\(label)", sourceLocation: sourceLocation)
        if d.status == .read {
            #expect(!d.tags.isEmpty, "\(label)", sourceLocation: sourceLocation)
        } else {
            #expect(d.tags.isEmpty && !d.warnings.isEmpty, "\(label)", sourceLocation: sourceLocation)
        }
        #expect(d.tags.count <= LibexifDecoder.maximumTagCount, "\(label)", sourceLocation: sourceLocation)
        #expect(d.warnings.count <= 22, "\(label)", sourceLocation: sourceLocation)
        let s = d.summary
        if let o = s.orientation { #expect((1...8).contains(o), "\(label)", sourceLocation: sourceLocation) }
        if let v = s.gpsLatitude { #expect(abs(v) <= 90, "\(label)", sourceLocation: sourceLocation) }
        if let v = s.gpsLongitude { #expect(abs(v) <= 180, "\(label)", sourceLocation: sourceLocation) }
        for v in [s.exposureTime, s.fNumber, s.focalLength, s.gpsAltitude, s.gpsLatitude, s.gpsLongitude] {
            if let v { #expect(v.isFinite, "\(label)", sourceLocation: sourceLocation) }
        }
        if let offset = s.takenOffset { #expect(offset.utf8.count == 6, "\(label)", sourceLocation: sourceLocation) }
        if let local = s.takenLocal { #expect(local.utf8.count >= 19, "\(label)", sourceLocation: sourceLocation) }
        for tag in d.tags { #expect(tag.text.utf8.count <= 1024, "\(label)", sourceLocation: sourceLocation) }
    }

    @Test("empty and tiny payloads are unreadable, with a reason")
    func tiny() {
        for bytes in [[], [0x49], Array("II*\0".utf8), [0x49, 0x49, 0x2A, 0, 8, 0, 0, 0, 0, 0]] as [[UInt8]] {
            let d = decoder.decode(tiff: bytes)
            #expect(d.status == .unreadable, "\(bytes)")
            #expect(!d.warnings.isEmpty)
            expectSane(d, "\(bytes)")
        }
    }

    @Test("a payload that is not a TIFF header is unreadable", arguments: [
        Array("Exif\0\0II*\0\u{8}\0\0\0".utf8), Array("IM*\0\u{8}\0\0\0\0\0".utf8), Array("MM*\0\0\0\0\u{8}\0\0".utf8),
    ])
    func notTIFF(bytes: [UInt8]) {
        let d = decoder.decode(tiff: bytes)
        #expect(d.status == .unreadable)
        #expect(d.warnings.first?.contains("tiff header") == true, "\(d.warnings)")
    }

    @Test("an IFD offset past the end is unreadable, with the reason")
    func offsetPastEnd() {
        for order in [[0x49, 0x49, 0x2A, 0x00, 0x00, 0xFF, 0x00, 0x00], [0x4D, 0x4D, 0x00, 0x2A, 0x7F, 0xFF, 0xFF, 0xFF]] as [[UInt8]] {
            let d = decoder.decode(tiff: order + [UInt8](repeating: 0, count: 40))
            #expect(d.status == .unreadable)
            #expect(d.warnings.contains { $0.contains("past the end") }, "\(d.warnings)")
            expectSane(d, "offset past end")
        }
    }

    @Test("libexif's own complaints become warnings; what it could read is kept")
    func libexifComplaint() {
        var t = TIFFBuilder()
        t.ifd0 = [t.ascii(0x010F, "Canon"), t.short(0x0112, 3)]
        var bytes = t.build()
        // Point IFD0's "next IFD" (IFD1) far past the end.
        let next = 8 + 2 + 12 * 2
        bytes[next..<(next + 4)] = [0x00, 0x00, 0xFF, 0x00]
        let d = decoder.decode(tiff: bytes)
        #expect(d.status == .read)
        #expect(d.summary.orientation == 3)
        #expect(d.summary.make == "Canon")
        #expect(d.warnings == ["libexif ExifData: Bogus offset of IFD1."])
    }

    @Test("an IFD claiming 65535 entries is cut to what the payload holds")
    func hugeCount() {
        var t = TIFFBuilder()
        t.ifd0 = [t.ascii(0x010F, "Canon"), t.short(0x0112, 3)]
        var bytes = t.build()
        bytes[8] = 0xFF; bytes[9] = 0xFF
        bytes += [UInt8](repeating: 0x11, count: 12 * 50)
        let d = decoder.decode(tiff: bytes)
        expectSane(d, "65535 entries")
        #expect(d.tags.count < 100)
    }

    @Test("IFDs that point at each other do not loop")
    func ifdLoop() {
        var t = TIFFBuilder()
        t.ifd0 = [t.ascii(0x010F, "Canon")]
        t.exif = [t.ascii(0x9003, "2023:06:01 12:34:56")]
        var bytes = t.build()
        // Point the Exif IFD's "next IFD" and IFD0's "next IFD" back at IFD0.
        let ifd0Count = Int(bytes[8])
        let next0 = 8 + 2 + 12 * ifd0Count
        bytes[next0] = 8; bytes[next0 + 1] = 0; bytes[next0 + 2] = 0; bytes[next0 + 3] = 0
        let d = decoder.decode(tiff: bytes)
        expectSane(d, "loop")
        #expect(d.summary.make == "Canon")
    }

    @Test("seeded random bytes, with and without a valid header, never crash (200 each)")
    func randomBytes() {
        var state: UInt64 = 0x1234_5678_9ABC_DEF0
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        for i in 0..<200 {
            let length = Int(next() % 600)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: next()) }
            expectSane(decoder.decode(tiff: bytes), "random \(i)")
            // The same bytes behind a valid header and a small IFD offset, so libexif parses them.
            bytes = (i % 2 == 0 ? [0x49, 0x49, 0x2A, 0x00, 0x08, 0, 0, 0] : [0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 0x08]) + bytes
            expectSane(decoder.decode(tiff: bytes), "random with header \(i)")
        }
    }

    @Test("a valid payload with seeded byte flips never crashes (200 mutations)")
    func mutations() {
        let original = Fixtures.exifPayload(.sample)
        var state: UInt32 = 42
        func next() -> UInt32 { state ^= state << 13; state ^= state >> 17; state ^= state << 5; return state }
        for i in 0..<200 {
            var bytes = original
            for _ in 0..<(1 + Int(next() % 8)) {
                bytes[8 + Int(next() % UInt32(bytes.count - 8))] = UInt8(truncatingIfNeeded: next())
            }
            if i % 10 == 0 { bytes = Array(bytes.prefix(8 + Int(next() % UInt32(bytes.count - 8)))) }
            expectSane(decoder.decode(tiff: bytes), "mutation \(i)")
        }
    }

    @Test("libexif warnings are deduplicated and capped")
    func warningsCapped() {
        // Many entries with an invalid format make libexif complain once per entry.
        var bytes: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 0x08, 0, 0, 0, 200, 0]
        for i in 0..<200 {
            bytes += [UInt8(i), 0x01, UInt8(20 + i % 200), 0x00, 0xFF, 0xFF, 0, 0, 0xF0, 0xFF, 0xFF, 0x7F]
        }
        bytes += [0, 0, 0, 0]
        let d = decoder.decode(tiff: bytes)
        expectSane(d, "invalid formats")
        #expect(Set(d.warnings).count == d.warnings.count)
    }

    @Test("the corrupt-EXIF fixture's block is unreadable")
    func corruptFixture() throws {
        let payload = try #require(exifPayload(ofJPEG: Fixtures.jpegWithCorruptExif()))
        let d = decoder.decode(tiff: payload)
        #expect(d.status == .unreadable)
        #expect(!d.warnings.isEmpty)
    }
}
