/// Builds small TIFF/EXIF payloads by hand, so tests can state exactly which bytes a decoder
/// meets, including ones no well-behaved writer (libexif among them) would produce.
struct TIFFBuilder {
    struct Field {
        var tag: UInt16
        var type: UInt16
        var count: UInt32
        /// The value bytes, already in the builder's byte order.
        var data: [UInt8]
    }

    var bigEndian = false
    var ifd0: [Field] = []
    var exif: [Field] = []
    var gps: [Field] = []

    func u16(_ v: UInt16) -> [UInt8] {
        bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)]
    }

    func u32(_ v: UInt32) -> [UInt8] {
        let be = [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
        return bigEndian ? be : be.reversed()
    }

    func ascii(_ tag: UInt16, _ text: String, terminate: Bool = true) -> Field {
        let bytes = Array(text.utf8) + (terminate ? [0] : [])
        return Field(tag: tag, type: 2, count: UInt32(bytes.count), data: bytes)
    }

    func short(_ tag: UInt16, _ values: UInt16...) -> Field {
        Field(tag: tag, type: 3, count: UInt32(values.count), data: values.flatMap(u16))
    }

    func byte(_ tag: UInt16, _ values: UInt8...) -> Field {
        Field(tag: tag, type: 1, count: UInt32(values.count), data: values)
    }

    func rational(_ tag: UInt16, _ values: (UInt32, UInt32)...) -> Field {
        Field(tag: tag, type: 5, count: UInt32(values.count), data: values.flatMap { u32($0.0) + u32($0.1) })
    }

    func srational(_ tag: UInt16, _ values: (Int32, Int32)...) -> Field {
        Field(tag: tag, type: 10, count: UInt32(values.count),
              data: values.flatMap { u32(UInt32(bitPattern: $0.0)) + u32(UInt32(bitPattern: $0.1)) })
    }

    /// Header, IFD0, then the Exif and GPS IFDs when they have fields, each IFD followed by
    /// the values too long to sit in its entries.
    func build() -> [UInt8] {
        var out: [UInt8] = bigEndian ? [0x4D, 0x4D, 0x00, 0x2A] : [0x49, 0x49, 0x2A, 0x00]
        out += u32(8)
        var main = ifd0
        // Placeholders: the pointer values are patched in once the sub-IFDs have offsets.
        if !exif.isEmpty { main.append(Field(tag: 0x8769, type: 4, count: 1, data: u32(0))) }
        if !gps.isEmpty { main.append(Field(tag: 0x8825, type: 4, count: 1, data: u32(0))) }
        let mainSize = blockSize(main)
        let exifOffset = 8 + mainSize
        let gpsOffset = exifOffset + (exif.isEmpty ? 0 : blockSize(exif))
        main = main.map { field in
            var f = field
            if f.tag == 0x8769 { f.data = u32(UInt32(exifOffset)) }
            if f.tag == 0x8825 { f.data = u32(UInt32(gpsOffset)) }
            return f
        }
        out += block(main, at: 8)
        if !exif.isEmpty { out += block(exif, at: exifOffset) }
        if !gps.isEmpty { out += block(gps, at: gpsOffset) }
        return out
    }

    private func blockSize(_ fields: [Field]) -> Int {
        2 + 12 * fields.count + 4 + fields.reduce(0) { $0 + ($1.data.count > 4 ? ($1.data.count + 1) & ~1 : 0) }
    }

    private func block(_ fields: [Field], at offset: Int) -> [UInt8] {
        let sorted = fields.sorted { $0.tag < $1.tag }
        var entries = u16(UInt16(sorted.count))
        var extra: [UInt8] = []
        let extraStart = offset + 2 + 12 * sorted.count + 4
        for f in sorted {
            entries += u16(f.tag) + u16(f.type) + u32(f.count)
            if f.data.count > 4 {
                entries += u32(UInt32(extraStart + extra.count))
                extra += f.data
                if extra.count % 2 == 1 { extra.append(0) }
            } else {
                entries += f.data + [UInt8](repeating: 0, count: 4 - f.data.count)
            }
        }
        return entries + u32(0) + extra
    }
}
