extension Fixtures {
    /// An EXIF payload carrying exactly the fields set in `exif`, starting at its TIFF header
    /// (no `Exif\0\0` prefix), written by libexif.
    public static func exifPayload(_ exif: FixtureExif) -> [UInt8] {
        exifPayload(exif) { _ in }
    }

    /// `exifPayload` with more IFD0 entries, written by `extra` before the fixture's own.
    static func exifPayload(_ exif: FixtureExif, extra: (ExifPayloadWriter) -> Void) -> [UInt8] {
        let w = ExifPayloadWriter(byteOrder: exif.byteOrder)
        extra(w)
        if let v = exif.make { w.ascii(.ifd0, 0x010F, v) }
        if let v = exif.model { w.ascii(.ifd0, 0x0110, v) }
        if let v = exif.orientation { w.short(.ifd0, 0x0112, v) }
        if let v = exif.software { w.ascii(.ifd0, 0x0131, v) }
        if let v = exif.artist { w.ascii(.ifd0, 0x013B, v) }
        if let v = exif.copyright { w.ascii(.ifd0, 0x8298, v) }

        var hasExifIFD = false
        func exifIFD(_ write: () -> Void) { hasExifIFD = true; write() }
        if let v = exif.exposureTime { exifIFD { w.rationals(.exif, 0x829A, [v]) } }
        if let v = exif.fNumber { exifIFD { w.rationals(.exif, 0x829D, [v]) } }
        if let v = exif.iso { exifIFD { w.short(.exif, 0x8827, v) } }
        if let v = exif.dateTimeOriginal { exifIFD { w.ascii(.exif, 0x9003, v) } }
        if let v = exif.offsetTimeOriginal { exifIFD { w.ascii(.exif, 0x9011, v) } }
        if let v = exif.flash { exifIFD { w.short(.exif, 0x9209, v) } }
        if let v = exif.focalLength { exifIFD { w.rationals(.exif, 0x920A, [v]) } }
        if let v = exif.subSecTimeOriginal { exifIFD { w.ascii(.exif, 0x9291, v) } }
        if let v = exif.focalLength35mm { exifIFD { w.short(.exif, 0xA405, v) } }
        if let v = exif.lensModel { exifIFD { w.ascii(.exif, 0xA434, v) } }
        // ExifVersion 2.32, the first to define the OffsetTime tags.
        if hasExifIFD { w.undefined(.exif, 0x9000, Array("0232".utf8)) }

        let hasGPS = exif.gpsLatitude != nil || exif.gpsLongitude != nil || exif.gpsAltitude != nil
        if hasGPS { w.bytes(.gps, 0x0000, [2, 3, 0, 0]) }
        if let v = exif.gpsLatitude {
            w.ascii(.gps, 0x0001, v < 0 ? "S" : "N")
            writeCoordinate(w, 0x0002, abs(v), signed: exif.signedGPSRationals)
        }
        if let v = exif.gpsLongitude {
            w.ascii(.gps, 0x0003, v < 0 ? "W" : "E")
            writeCoordinate(w, 0x0004, abs(v), signed: exif.signedGPSRationals)
        }
        if let v = exif.gpsAltitude {
            w.bytes(.gps, 0x0005, [v < 0 ? 1 : 0])
            w.rationals(.gps, 0x0006, [(UInt32(min(abs(v) * 1000, 4e9).rounded()), 1000)])
        }
        return w.save()
    }

    /// An uncompressed RGB TIFF whose IFD0 carries `exif`'s IFD0 fields (and points to its Exif
    /// and GPS IFDs) besides the image tags, written by libexif; the pixels follow the directories.
    public static func tiff(width: Int, height: Int, exif: FixtureExif) -> [UInt8] {
        precondition(width > 0 && height > 0 && width * height <= 1 << 22, "fixture tiff too large")
        // The strip's offset is the structure's size, known once it is written: libexif writes
        // the same layout for any LONG value, so the first pass measures and the second is kept.
        func structure(stripOffset: UInt32) -> [UInt8] {
            exifPayload(exif) { w in
                w.long(.ifd0, 256, UInt32(width))
                w.long(.ifd0, 257, UInt32(height))
                w.shorts(.ifd0, 258, [8, 8, 8])
                w.short(.ifd0, 259, 1)   // no compression
                w.short(.ifd0, 262, 2)   // RGB
                w.long(.ifd0, 273, stripOffset)
                w.short(.ifd0, 277, 3)
                w.long(.ifd0, 278, UInt32(height))
                w.long(.ifd0, 279, UInt32(width * height * 3))
            }
        }
        let head = structure(stripOffset: UInt32(structure(stripOffset: 0).count))
        var random = SeededRandom(seed: 3)
        let pixels = (0 ..< width * height * 3).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        return head + pixels
    }

    /// A PNG carrying `exif` the legacy way, as ImageMagick writes it: a text chunk `Raw profile
    /// type exif` holding `Exif\0\0` and the payload as hex; tEXt, or iTXt when `international`,
    /// the text deflated (zTXt, compressed iTXt) when `compressed`.
    public static func pngWithRawProfile(width: Int, height: Int, exif: FixtureExif, international: Bool = false,
                                         compressed: Bool = false) -> [UInt8] {
        let bytes = png(width: width, height: height)
        let profile = exifHeader + exifPayload(exif)
        let digits = Array("0123456789abcdef".utf8)
        var text = Array("\nexif\n".utf8)
        let count = String(profile.count)
        text += Array((String(repeating: " ", count: max(0, 8 - count.count)) + count + "\n").utf8)
        for (i, b) in profile.enumerated() {
            text += [digits[Int(b >> 4)], digits[Int(b & 0xF)]]
            if i % 36 == 35 { text.append(0x0A) }
        }
        text.append(0x0A)
        let keyword = Array("Raw profile type exif".utf8) + [0]
        // iTXt: compression flag and method, no language, no translation; zTXt: method 0 (deflate).
        let chunk = switch (international, compressed) {
        case (true, false): pngChunk("iTXt", keyword + [0, 0, 0, 0] + text)
        case (true, true): pngChunk("iTXt", keyword + [1, 0, 0, 0] + zlib(text))
        case (false, true): pngChunk("zTXt", keyword + [0] + zlib(text))
        case (false, false): pngChunk("tEXt", keyword + text)
        }
        return Array(bytes[..<33]) + chunk + Array(bytes[33...])
    }

    /// Degrees, minutes and seconds (to 1/10000 s, about 3 mm) for a non-negative coordinate.
    private static func writeCoordinate(_ w: ExifPayloadWriter, _ tag: UInt16, _ value: Double, signed: Bool) {
        var degrees = Int(value.rounded(.down))
        let minutesExact = (value - Double(degrees)) * 60
        var minutes = Int(minutesExact.rounded(.down))
        var tenThousandths = Int(((minutesExact - Double(minutes)) * 60 * 10_000).rounded())
        if tenThousandths >= 600_000 { tenThousandths -= 600_000; minutes += 1 }
        if minutes >= 60 { minutes -= 60; degrees += 1 }
        if signed {
            w.signedRationals(.gps, tag, [(Int32(degrees), 1), (Int32(minutes), 1), (Int32(tenThousandths), 10_000)])
        } else {
            w.rationals(.gps, tag, [(UInt32(degrees), 1), (UInt32(minutes), 1), (UInt32(tenThousandths), 10_000)])
        }
    }
}
