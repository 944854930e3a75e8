internal import CExif

/// Owns a libexif `ExifMem` and an `ExifData` being filled in, and frees both.
final class ExifPayloadWriter {
    private let mem: OpaquePointer
    private let data: UnsafeMutablePointer<CExif.ExifData>
    private let order: ExifByteOrder

    init(byteOrder: FixtureExif.ByteOrder) {
        guard let mem = exif_mem_new_default() else { preconditionFailure("libexif: could not allocate an allocator") }
        guard let data = exif_data_new_mem(mem) else {
            exif_mem_unref(mem)
            preconditionFailure("libexif: could not allocate exif data")
        }
        self.mem = mem
        self.data = data
        order = byteOrder == .bigEndian ? EXIF_BYTE_ORDER_MOTOROLA : EXIF_BYTE_ORDER_INTEL
        // Write exactly the entries given: no mandatory tags added, none dropped as unknown.
        exif_data_unset_option(data, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION)
        exif_data_unset_option(data, EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS)
        exif_data_set_data_type(data, EXIF_DATA_TYPE_COMPRESSED)
        exif_data_set_byte_order(data, order)
    }

    deinit {
        exif_data_unref(data)
        exif_mem_unref(mem)
    }

    enum IFD: Int { case ifd0 = 0, exif = 2, gps = 3 }

    func ascii(_ ifd: IFD, _ tag: UInt16, _ text: String) {
        let bytes = Array(text.utf8) + [0]
        add(ifd, tag, EXIF_FORMAT_ASCII, components: bytes.count) { p, _ in
            for (i, b) in bytes.enumerated() { p[i] = b }
        }
    }

    func undefined(_ ifd: IFD, _ tag: UInt16, _ bytes: [UInt8]) {
        add(ifd, tag, EXIF_FORMAT_UNDEFINED, components: bytes.count) { p, _ in
            for (i, b) in bytes.enumerated() { p[i] = b }
        }
    }

    func bytes(_ ifd: IFD, _ tag: UInt16, _ bytes: [UInt8]) {
        add(ifd, tag, EXIF_FORMAT_BYTE, components: bytes.count) { p, _ in
            for (i, b) in bytes.enumerated() { p[i] = b }
        }
    }

    func short(_ ifd: IFD, _ tag: UInt16, _ value: UInt16) {
        add(ifd, tag, EXIF_FORMAT_SHORT, components: 1) { p, order in exif_set_short(p, order, value) }
    }

    func shorts(_ ifd: IFD, _ tag: UInt16, _ values: [UInt16]) {
        add(ifd, tag, EXIF_FORMAT_SHORT, components: values.count) { p, order in
            for (i, v) in values.enumerated() { exif_set_short(p + 2 * i, order, v) }
        }
    }

    func long(_ ifd: IFD, _ tag: UInt16, _ value: UInt32) {
        add(ifd, tag, EXIF_FORMAT_LONG, components: 1) { p, order in exif_set_long(p, order, value) }
    }

    func rationals(_ ifd: IFD, _ tag: UInt16, _ values: [(UInt32, UInt32)]) {
        add(ifd, tag, EXIF_FORMAT_RATIONAL, components: values.count) { p, order in
            for (i, v) in values.enumerated() {
                exif_set_rational(p + 8 * i, order, ExifRational(numerator: v.0, denominator: v.1))
            }
        }
    }

    func signedRationals(_ ifd: IFD, _ tag: UInt16, _ values: [(Int32, Int32)]) {
        add(ifd, tag, EXIF_FORMAT_SRATIONAL, components: values.count) { p, order in
            for (i, v) in values.enumerated() {
                exif_set_srational(p + 8 * i, order, ExifSRational(numerator: v.0, denominator: v.1))
            }
        }
    }

    /// The payload from the TIFF header on, without the `Exif\0\0` libexif writes first.
    func save() -> [UInt8] {
        var buffer: UnsafeMutablePointer<UInt8>?
        var size: UInt32 = 0
        exif_data_save_data(data, &buffer, &size)
        guard let buffer else { preconditionFailure("libexif: exif_data_save_data produced nothing") }
        defer { exif_mem_free(mem, buffer) }
        guard size > 6 else { preconditionFailure("libexif: exif_data_save_data produced \(size) bytes") }
        return Array(UnsafeBufferPointer(start: buffer + 6, count: Int(size) - 6))
    }

    private func add(_ ifd: IFD, _ tag: UInt16, _ format: ExifFormat, components: Int,
                     fill: (UnsafeMutablePointer<UInt8>, ExifByteOrder) -> Void) {
        let contents = data.pointee.ifd
        let all = [contents.0, contents.1, contents.2, contents.3, contents.4]
        guard let content = all[ifd.rawValue] else { preconditionFailure("libexif: ifd \(ifd) missing") }
        guard let entry = exif_entry_new_mem(mem) else { preconditionFailure("libexif: could not allocate an entry") }
        defer { exif_entry_unref(entry) }
        let size = components * Int(exif_format_get_size(format))
        guard let raw = exif_mem_alloc(mem, ExifLong(size)) else { preconditionFailure("libexif: could not allocate \(size) bytes") }
        let bytes = raw.assumingMemoryBound(to: UInt8.self)
        fill(bytes, order)
        entry.pointee.tag = CExif.ExifTag(rawValue: UInt32(tag))
        entry.pointee.format = format
        entry.pointee.components = UInt(components)
        entry.pointee.size = UInt32(size)
        entry.pointee.data = bytes
        // The content takes its own reference; the deferred unref drops ours.
        exif_content_add_entry(content, entry)
    }
}
