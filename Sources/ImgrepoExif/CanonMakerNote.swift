#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Canon's maker note read by exiftool's rules (Image::ExifTool::Canon), for the ISO when
/// libexif rejects the note: an IFD at the note's start, in the TIFF's byte order, whose
/// offsets count from the TIFF header. Editors that move the note leave those offsets stale;
/// Canon's 8-byte footer (`II*\0` or `MM\0*` and the note's original offset) says by how much,
/// and exiftool shifts the base by the difference ("Adjusted MakerNotes base by …"), unless
/// the last value already ends right at the footer (Picasa and ACDSee update the offsets but
/// not the footer).
enum CanonMakerNote {
    /// exiftool's Composite ISO: CameraSettings' CameraISO (index 16) when it is a number,
    /// else ShotInfo's BaseISO (index 2) × AutoISO (index 1) / 100. nil unless `make` starts
    /// with "Canon" (the condition exiftool tests) and the blocks it needs are valid: each
    /// starts with its own size in bytes, as exiftool's Validate requires.
    static func iso(_ note: MakerNoteBlock, make: String?) -> Double? {
        guard make?.hasPrefix("Canon") == true else { return nil }
        var tiff = note.tiff
        // exiftool guesses the order ("Unknown"): the TIFF's, unless the count looks wrong.
        if !plausibleCount(tiff.u16(note.offset)) { tiff = tiff.swapped }
        guard plausibleCount(tiff.u16(note.offset)), let entries = tiff.directory(at: note.offset) else { return nil }
        let base = baseFix(note, tiff: tiff, entries: entries)

        func block(_ tag: UInt16) -> (offset: Int, count: Int)? {
            guard let entry = entries.first(where: { $0.tag == tag }), entry.type == 3 || entry.type == 8,
                  let size = entry.size, size >= 2, let at = tiff.valueOffset(entry, base: size > 4 ? base : 0),
                  tiff.u16(at).map(Int.init) == size else { return nil }
            return (at, size / 2)
        }
        func value(_ block: (offset: Int, count: Int)?, _ index: Int) -> Int16? {
            guard let block, index < block.count else { return nil }
            return tiff.s16(block.offset + 2 * index)
        }

        if let raw = value(block(0x0001), 16).map({ UInt16(bitPattern: $0) }), raw != 0x7FFF,
           let iso = cameraISO(raw), iso > 0 {
            return Double(iso)
        }
        let shot = block(0x0004)
        guard let auto = value(shot, 1), let baseISO = value(shot, 2), baseISO != 0 else { return nil }
        let autoValue = exp(Double(auto) / 32 * log(2)) * 100
        let baseValue = exp(Double(baseISO) / 32 * log(2)) * 100 / 32
        let iso = significant15(baseValue * autoValue / 100)
        return iso.isFinite && iso > 0 ? iso : nil
    }

    /// `value` to 15 significant digits, as exiftool prints numbers (`%.15g`): the exp/log
    /// round trip leaves 99.99999999999999 where the value is 100.
    static func significant15(_ value: Double) -> Double {
        guard value.isFinite, value != 0 else { return value }
        let scale = pow(10, 14 - floor(log10(abs(value))))
        return (value * scale).rounded() / scale
    }

    /// CameraISO as a number (exiftool's Canon::CameraISO): bit 14 set means the value is in
    /// the low 14 bits; else a code, of which only some are numbers ("Auto" is not).
    static func cameraISO(_ raw: UInt16) -> Int? {
        if raw & 0x4000 != 0 { return Int(raw & 0x3FFF) }
        return [16: 50, 17: 100, 18: 200, 19: 400, 20: 800][raw]
    }

    private static func plausibleCount(_ count: UInt16?) -> Bool {
        guard let count else { return false }
        return count > 0 && count < 256
    }

    /// What to add to the note's stored offsets (exiftool's MakerNotes::FixBase for Canon).
    static func baseFix(_ note: MakerNoteBlock, tiff: TIFFBytes, entries: [TIFFBytes.Entry]) -> Int {
        let footer = note.offset + note.count - 8
        guard note.count > 8, let head = tiff.slice(footer, 4),
              Array(head) == (tiff.littleEndian ? [0x49, 0x49, 0x2A, 0x00] : [0x4D, 0x4D, 0x00, 0x2A]),
              let original = tiff.u32(footer + 4) else { return 0 }
        let fix = note.offset - Int(original)
        guard fix != 0 else { return 0 }
        // exiftool's value blocks: out-of-line values up to the first entry of an unknown type;
        // the last block is the longest one at the highest offset.
        var last: (offset: Int, size: Int)?
        for entry in entries {
            guard (1...13).contains(entry.type) else { break }
            guard let size = entry.size, size > 4, let stored = tiff.u32(entry.fieldOffset).map(Int.init) else { continue }
            if last == nil || stored > last!.offset || (stored == last!.offset && size > last!.size) {
                last = (stored, size)
            }
        }
        guard let last else { return 0 }
        let lastEnd = last.offset + last.size
        let endDifference = note.offset + note.count - lastEnd - 8
        return endDifference == 0 || endDifference == 1 ? 0 : fix
    }
}
