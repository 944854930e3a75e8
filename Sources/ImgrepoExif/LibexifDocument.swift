internal import CExifLoader
#if canImport(Glibc)
import Glibc
#endif

typealias CExifData = CExifLoader.ExifData
typealias CExifEntry = CExifLoader.ExifEntry

/// Owns one libexif `ExifData` and its `ExifLog`, loaded from a payload, and frees both.
///
/// Not thread-safe; meant to live for a single `LibexifDecoder.decode` call.
final class LibexifDocument {
    private let data: UnsafeMutablePointer<CExifData>?
    private let log: OpaquePointer?
    private let collector = LogCollector()
    /// libexif's functions; set whenever `data` is.
    private var exif: imgrepo_exif!

    /// Loads `payload`, which must start with `Exif\0\0` and be at most `UInt32.max` bytes.
    init(payload: [UInt8]) {
        guard let exif = Libexif.library.functions else {
            data = nil
            log = nil
            collector.add(Libexif.library.problem ?? "libexif cannot be loaded")
            return
        }
        self.exif = exif
        data = exif.exif_data_new()
        log = exif.exif_log_new()
        guard let data else {
            collector.add("libexif: could not allocate exif data")
            return
        }
        // Report what the file holds: no fixing to the specification, unknown tags kept.
        exif.exif_data_unset_option(data, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION)
        exif.exif_data_unset_option(data, EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS)
        if let log {
            // A C callback captures nothing: the collector travels as user data.
            exif.exif_log_set_func(log, { _, code, domain, format, args, user in
                guard let user, let args else { return }
                Unmanaged<LogCollector>.fromOpaque(user).takeUnretainedValue()
                    .receive(code: code, domain: domain, format: format, args: args)
            }, Unmanaged.passUnretained(collector).toOpaque())
            exif.exif_data_log(data, log)
        }
        payload.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            exif.exif_data_load_data(data, base, UInt32(buffer.count))
        }
    }

    deinit {
        if let data { exif.exif_data_unref(data) }
        if let log { exif.exif_log_unref(log) }
    }

    /// libexif's complaints while loading, deduplicated.
    var messages: [String] { collector.messages }

    /// Every entry of IFD0, IFD1, Exif, GPS and Interoperability, in that order, at most `limit`.
    func entries(limit: Int) -> (entries: [RawExifEntry], truncated: Bool) {
        guard let data else { return ([], false) }
        let order = exif.exif_data_get_byte_order(data)
        let ifds = data.pointee.ifd
        let contents = [ifds.0, ifds.1, ifds.2, ifds.3, ifds.4]
        var result: [RawExifEntry] = []
        for (index, content) in contents.enumerated() {
            guard let ifd = ExifIFD(rawValue: index), let content, let list = content.pointee.entries else { continue }
            for i in 0..<Int(content.pointee.count) {
                guard let entry = list[i] else { continue }
                guard result.count < limit else { return (result, true) }
                result.append(copy(entry, ifd: ifd, order: order))
            }
        }
        return (result, false)
    }

    /// The maker-note entries libexif interprets (Canon, Casio, Fuji, Nikon, Olympus, Pentax,
    /// Apple), as libexif numbers, names and renders them, at most `limit`; entries libexif has
    /// no name for are left out. The maker-note data belongs to `data`: it is read here and
    /// never freed separately.
    func makerNote(limit: Int) -> [MakerNoteEntry] {
        guard let data, let note = exif.exif_data_get_mnote_data(data) else { return [] }
        var result: [MakerNoteEntry] = []
        var text = [CChar](repeating: 0, count: 256)
        for i in 0 ..< min(Int(exif.exif_mnote_data_count(note)), limit) {
            guard let cName = exif.exif_mnote_data_get_name(note, UInt32(i)) else { continue }
            let name = String(decoding: UnsafeRawBufferPointer(start: cName, count: strlen(cName)), as: UTF8.self)
            let length = text.withUnsafeMutableBufferPointer { buffer -> Int in
                guard let base = buffer.baseAddress,
                      exif.exif_mnote_data_get_value(note, UInt32(i), base, UInt32(buffer.count)) != nil else { return 0 }
                return strnlen(base, buffer.count - 1)
            }
            let value = String(decoding: text.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            result.append(MakerNoteEntry(name: name, value: value, id: Int(exif.exif_mnote_data_get_id(note, UInt32(i)))))
        }
        return result
    }

    private func copy(_ entry: UnsafeMutablePointer<CExifEntry>, ifd: ExifIFD, order: ExifByteOrder) -> RawExifEntry {
        let e = entry.pointee
        let tag = Int(e.tag.rawValue)
        let name: String
        if let cName = exif.exif_tag_get_name_in_ifd(e.tag, ExifIfd(rawValue: UInt32(ifd.rawValue))) {
            name = String(decoding: UnsafeRawBufferPointer(start: cName, count: strlen(cName)), as: UTF8.self)
        } else {
            name = "0x" + hex2(UInt8(truncatingIfNeeded: tag >> 8)) + hex2(UInt8(truncatingIfNeeded: tag))
        }

        var text = [CChar](repeating: 0, count: 1024)
        let textLength = text.withUnsafeMutableBufferPointer { buffer -> Int in
            guard let base = buffer.baseAddress, exif.exif_entry_get_value(entry, base, UInt32(buffer.count)) != nil else { return 0 }
            return strnlen(base, buffer.count - 1)
        }
        let rendered = text.prefix(textLength).map { UInt8(bitPattern: $0) }

        let components = e.components > UInt(Int.max) ? Int.max : Int(e.components)
        let size = Int(e.size)
        var bytes: [UInt8] = []
        var values: [Double?] = []
        if let raw = e.data, size > 0 {
            bytes = Array(UnsafeBufferPointer(start: raw, count: min(size, RawExifEntry.maximumBytes)))
            values = numbers(raw, size: size, format: e.format, components: components, order: order)
        }
        return RawExifEntry(ifd: ifd, tag: tag, name: name, format: Int(e.format.rawValue), components: components,
                            text: String(decoding: rendered, as: UTF8.self), values: values, bytes: bytes)
    }

    /// The leading numeric components, read only when `size` covers all of them.
    private func numbers(_ raw: UnsafeMutablePointer<UInt8>, size: Int, format: ExifFormat, components: Int,
                         order: ExifByteOrder) -> [Double?] {
        guard let type = ExifFieldType(rawValue: Int(format.rawValue)) else { return [] }
        switch type {
        case .ascii, .undefined: return []
        default: break
        }
        let width = Int(exif.exif_format_get_size(format))
        guard width > 0, components > 0, components <= size / width else { return [] }
        let motorola = order == EXIF_BYTE_ORDER_MOTOROLA
        return (0..<min(components, RawExifEntry.maximumValues)).map { k -> Double? in
            let p = raw + k * width
            switch type {
            case .byte: return Double(p[0])
            case .sbyte: return Double(Int8(bitPattern: p[0]))
            case .short: return Double(exif.exif_get_short(p, order))
            case .sshort: return Double(exif.exif_get_sshort(p, order))
            case .long: return Double(exif.exif_get_long(p, order))
            case .slong: return Double(exif.exif_get_slong(p, order))
            case .rational:
                let r = exif.exif_get_rational(p, order)
                return r.denominator == 0 ? nil : Double(r.numerator) / Double(r.denominator)
            case .srational:
                let r = exif.exif_get_srational(p, order)
                return r.denominator == 0 ? nil : Double(r.numerator) / Double(r.denominator)
            case .float:
                let value = Double(Float(bitPattern: exif.exif_get_long(p, order)))
                return value.isFinite ? value : nil
            case .double:
                let first = UInt64(exif.exif_get_long(p, order)), second = UInt64(exif.exif_get_long(p + 4, order))
                let value = Double(bitPattern: motorola ? first << 32 | second : second << 32 | first)
                return value.isFinite ? value : nil
            case .ascii, .undefined: return nil
            }
        }
    }
}

/// Collects libexif's log messages during one load. Keeps only problems (corrupt data, out of
/// memory), each once, at most `limit`.
private final class LogCollector {
    static let limit = 20
    private(set) var messages: [String] = []
    private var seen: Set<String> = []
    private var dropped = false

    func add(_ message: String) {
        guard !seen.contains(message) else { return }
        guard messages.count < Self.limit else {
            if !dropped { dropped = true; messages.append("further libexif messages dropped") }
            return
        }
        seen.insert(message)
        messages.append(message)
    }

    /// Formats one libexif message and keeps it when it reports a problem.
    func receive(code: ExifLogCode, domain: UnsafePointer<CChar>?, format: UnsafePointer<CChar>?,
                 args: CVaListPointer) {
        guard code == EXIF_LOG_CODE_CORRUPT_DATA || code == EXIF_LOG_CODE_NO_MEMORY, let format else { return }
        var buffer = [CChar](repeating: 0, count: 512)
        let written = buffer.withUnsafeMutableBufferPointer { b -> Int in
            guard let base = b.baseAddress else { return 0 }
            // vsnprintf consumes the va_list, so it gets one call with a fixed buffer; longer
            // messages are cut.
            let n = vsnprintf(base, b.count, format, args)
            return n < 0 ? 0 : min(Int(n), b.count - 1)
        }
        var text = String(decoding: buffer.prefix(written).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if let domain {
            text = String(decoding: UnsafeRawBufferPointer(start: domain, count: strlen(domain)), as: UTF8.self)
                + ": " + text
        }
        add("libexif " + text)
    }
}
