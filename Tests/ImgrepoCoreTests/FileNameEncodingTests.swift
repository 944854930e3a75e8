import ImgrepoCore
import Testing

/// File names are bytes; `POSIX.fileName(decoding:)` turns them into a String without losing
/// any, and `POSIX.cPath` gives the same bytes back (docs/repository-format.md, "File names").
@Suite struct FileNameEncodingTests {
    func roundTrip(_ bytes: [UInt8]) -> [UInt8] {
        POSIX.cPath(POSIX.fileName(decoding: bytes)).dropLast().map { UInt8(bitPattern: $0) }
    }

    @Test func utf8NamesAreThemselves() {
        for name in ["photo.jpg", "été 2024.jpg", "漢字.png", "😀.gif", ""] {
            #expect(POSIX.fileName(decoding: Array(name.utf8)) == name)
            #expect(roundTrip(Array(name.utf8)) == Array(name.utf8))
        }
    }

    @Test func bytesThatAreNotUTF8BecomePrivateUseScalars() {
        #expect(POSIX.fileName(decoding: [0x61, 0xFF, 0x2E, 0x6A]) == "a\u{EFFF}.j")
        // A truncated sequence, a lone continuation byte, an overlong encoding, a surrogate.
        #expect(POSIX.fileName(decoding: [0xC3]) == "\u{EFC3}")
        #expect(POSIX.fileName(decoding: [0x80, 0x41]) == "\u{EF80}A")
        #expect(POSIX.fileName(decoding: [0xC0, 0xAF]) == "\u{EFC0}\u{EFAF}")
        #expect(POSIX.fileName(decoding: [0xED, 0xA0, 0x80]) == "\u{EFED}\u{EFA0}\u{EF80}")
    }

    @Test func aRealU_EF80IsEscapedTooSoThatNoTwoNamesDecodeAlike() {
        // U+EF80 spelled in UTF-8 (EE BE 80) and the raw byte 0x80 must not meet.
        let spelled = POSIX.fileName(decoding: Array("\u{EF80}".utf8))
        #expect(spelled == "\u{EFEE}\u{EFBE}\u{EF80}")
        #expect(spelled != POSIX.fileName(decoding: [0x80]))
        #expect(roundTrip(Array("\u{EF80}".utf8)) == Array("\u{EF80}".utf8))
    }

    @Test func everyByteStringComesBack() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 1...12, using: &generator)).map { _ in UInt8.random(in: 1...255, using: &generator) }
            #expect(roundTrip(bytes) == bytes, "\(bytes)")
        }
    }
}
