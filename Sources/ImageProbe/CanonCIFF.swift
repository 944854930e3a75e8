/// The fields imgrepo takes from a Canon CIFF heap, the block of Canon's raw format (CRW) that
/// the early PowerShots (A5, A50, Pro70) wrote into a JPEG's APP0 segment instead of EXIF, read
/// by exiftool's rules (Image::ExifTool::CanonRaw, `exiftool -n` values).
///
/// Layout (CanonRaw.pm, ProcessCRW and ProcessCanonRaw): the segment starts with the byte order
/// (`II` or `MM`), a 32-bit header length and `HEAPJPGM`; the heap follows the header and runs to
/// the segment's end. A heap's last 4 bytes give its directory's offset; the directory is a
/// 16-bit count of 10-byte entries: tag (16 bits), size (32), offset (32). Offsets are relative
/// to the start of the heap holding the directory. Bits 14–15 of a tag give the location (0x4000:
/// the value is the entry's own 8 bytes of size and offset; 0x8000 is invalid and ends that
/// directory), bits 11–13 the type: 0x2800 and 0x3000 (outside the entry) are heaps themselves,
/// nested directories with the same layout.
public struct CanonCIFF: Hashable, Sendable {
    /// CanonRawMakeModel (0x080a) bytes 0–5, "Canon".
    public var make: String?
    /// CanonRawMakeModel bytes 6 on, up to the NUL.
    public var model: String?
    /// TimeStamp (0x180e) word 0, seconds since 1970 by the camera's clock, as
    /// `YYYY-MM-DDTHH:MM:SS`. Converted as UTC with no zone applied, like exiftool's
    /// DateTimeOriginal: the time zone code beside it (word 1) is not used.
    public var takenLocal: String?
    /// FocalLength (0x1029, int16u word 1), in mm: exiftool divides it by the Canon maker note's
    /// FocalUnits, which a JPEG holding CIFF instead of EXIF does not have (so 1).
    public var focalLength: Double?

    public init(make: String? = nil, model: String? = nil, takenLocal: String? = nil, focalLength: Double? = nil) {
        self.make = make; self.model = model; self.takenLocal = takenLocal; self.focalLength = focalLength
    }

    /// Whether an APP0 payload (after the marker and length) is a CIFF heap: exiftool's test,
    /// `^(II|MM).{4}HEAPJPGM`.
    public static func hasSignature<C: RandomAccessCollection>(_ payload: C) -> Bool
    where C.Element == UInt8, C.Index == Int {
        guard payload.count >= 14 else { return false }
        let s = payload.startIndex
        let order = (payload[s], payload[s + 1])
        guard order == (0x49, 0x49) || order == (0x4D, 0x4D) else { return false }
        return payload[s + 6 ..< s + 14].elementsEqual("HEAPJPGM".utf8)
    }

    /// The APP0 payload parsed; nil when it is not a CIFF heap or holds none of these records.
    ///
    /// Every offset and size is checked against the heap that holds it (a record or nested heap
    /// reaching outside is skipped; a directory that does not fit gives nothing); nesting stops
    /// at `ProbeLimits.ciffDepth`, a directory already visited (a loop) is not read again, and the
    /// walk stops after `ProbeLimits.ciffEntries` entries in all, so the time is linear in that
    /// bound whatever the bytes. Of repeated records the last counts for Make, Model and the
    /// time and the first for FocalLength, as exiftool's priorities have it (FocalLength has
    /// priority 0). Never traps on hostile input.
    public static func parse<C: RandomAccessCollection>(_ payload: C) -> CanonCIFF?
    where C.Element == UInt8, C.Index == Int {
        guard hasSignature(payload) else { return nil }
        var walk = Walk(bytes: Array(payload))
        let headerLength = Int(walk.u32(2))
        guard headerLength <= walk.bytes.count else { return nil }
        walk.readHeap(start: headerLength, length: walk.bytes.count - headerLength, depth: 0)
        return walk.found == CanonCIFF() ? nil : walk.found
    }

    /// One pass over a segment's heaps.
    struct Walk {
        let bytes: [UInt8]
        let littleEndian: Bool
        var found = CanonCIFF()
        var entriesLeft = ProbeLimits.ciffEntries
        /// Absolute offsets of the directories read, against loops and shared directories.
        var visited: Set<Int> = []

        init(bytes: [UInt8]) {
            self.bytes = bytes
            littleEndian = bytes.first == 0x49
        }

        /// Callers check `at + 2 <= bytes.count`.
        func u16(_ at: Int) -> UInt16 { littleEndian ? bytes.le16(at) : bytes.be16(at) }
        /// Callers check `at + 4 <= bytes.count`.
        func u32(_ at: Int) -> UInt32 { littleEndian ? bytes.le32(at) : bytes.be32(at) }

        /// Reads the heap at `start` of `length` bytes (inside `bytes`, checked by the caller).
        mutating func readHeap(start: Int, length: Int, depth: Int) {
            guard depth <= ProbeLimits.ciffDepth, length >= 6, entriesLeft > 0 else { return }
            let end = start + length
            // Offsets are 32-bit and `start` below 64 KiB: no overflow in Int.
            let directory = start + Int(u32(end - 4))
            guard directory + 2 <= end, visited.insert(directory).inserted else { return }
            let count = Int(u16(directory))
            guard directory + 2 + 10 * count <= end else { return }
            guard count <= entriesLeft else {
                // Past the budget the whole walk stops, keeping what it found.
                entriesLeft = 0
                return
            }
            entriesLeft -= count
            for index in 0 ..< count {
                let entry = directory + 2 + 10 * index
                let tag = u16(entry)
                guard tag & 0x8000 == 0 else { return }
                let inEntry = tag & 0x4000 != 0
                let size = Int(u32(entry + 2)), offset = Int(u32(entry + 6))
                let type = tag >> 8 & 0x38
                if (type == 0x28 || type == 0x30) && !inEntry {
                    if offset <= length, size <= length - offset {
                        readHeap(start: start + offset, length: size, depth: depth + 1)
                    }
                    continue
                }
                let value: ArraySlice<UInt8>
                if inEntry {
                    value = bytes[entry + 2 ..< entry + 10]
                } else if offset <= length, size <= length - offset {
                    value = bytes[start + offset ..< start + offset + size]
                } else {
                    continue
                }
                record(tag & 0x3FFF, value)
            }
        }

        mutating func record(_ id: UInt16, _ value: ArraySlice<UInt8>) {
            let s = value.startIndex
            switch id {
            case 0x080A:
                // exiftool's MakeModel table: Make is string[6], Model the rest.
                guard value.count >= 6 else { return }
                found.make = Self.text(value[s ..< s + 6])
                found.model = value.count > 6 ? Self.text(value[(s + 6)...]) : nil
            case 0x180E:
                guard value.count >= 4 else { return }
                let seconds = littleEndian ? value.le32(0) : value.be32(0)
                // 0 is exiftool's "0000:00:00 00:00:00", an unset clock.
                found.takenLocal = seconds == 0 ? nil : PictureInfo.utcDate(Int64(seconds))
            case 0x1029:
                guard found.focalLength == nil, value.count >= 4 else { return }
                let raw = littleEndian ? value.le16(2) : value.be16(2)
                if raw != 0 { found.focalLength = Double(raw) }
            default:
                return
            }
        }

        /// Up to the first NUL, trailing blanks dropped (as EXIF strings are); nil when empty.
        static func text(_ bytes: ArraySlice<UInt8>) -> String? {
            var chars = bytes.prefix { $0 != 0 }
            while let last = chars.last, last == 0x20 || last == 0x09 || last == 0x0A || last == 0x0D {
                chars.removeLast()
            }
            return chars.isEmpty ? nil : String(decoding: chars, as: UTF8.self)
        }
    }
}
