/// Walks ISO-BMFF boxes (HEIF, AVIF) through random access, with one step budget shared by
/// every walk so that a file of countless tiny boxes ends promptly.
final class ISOBoxWalker {
    let reader: WindowedReader
    private var steps = 0

    init(_ reader: WindowedReader) {
        self.reader = reader
    }

    /// Calls `body` with each box in `range`, in order, until it returns false or the range ends.
    /// Returns why the walk stopped early when the structure is broken, or nil.
    func forEachBox(in range: Range<Int>, _ body: (ISOBox) throws -> Bool) throws -> String? {
        var offset = range.lowerBound
        while offset < range.upperBound {
            steps += 1
            guard steps <= ProbeLimits.structureSteps else {
                return "more than \(ProbeLimits.structureSteps) boxes"
            }
            guard range.upperBound - offset >= 8, let header = try reader.exactly(at: offset, count: 8) else {
                return "truncated: box header at offset \(offset)"
            }
            let size32 = header.be32(0)
            let type = header.be32(4)
            let name = type.fourCCString
            var headerSize = 8
            let end: Int
            switch size32 {
            case 0:
                // The box extends to the end of its parent (for top-level boxes, of the file).
                end = range.upperBound
            case 1:
                guard range.upperBound - offset >= 16, let large = try reader.exactly(at: offset + 8, count: 8) else {
                    return "truncated: box header at offset \(offset)"
                }
                headerSize = 16
                let size = large.be64(0)
                guard size >= 16 else { return "box '\(name)' at offset \(offset) has invalid size \(size)" }
                guard size <= UInt64(range.upperBound - offset) else {
                    return overrun(name, offset, range)
                }
                end = offset + Int(size)
            default:
                guard size32 >= 8 else { return "box '\(name)' at offset \(offset) has invalid size \(size32)" }
                guard Int(size32) <= range.upperBound - offset else { return overrun(name, offset, range) }
                end = offset + Int(size32)
            }
            if type == UInt32(fourCC: "uuid") { headerSize += 16 }
            guard headerSize <= end - offset else {
                return "box '\(name)' at offset \(offset) has invalid size \(end - offset)"
            }
            if try !body(ISOBox(type: type, offset: offset, payloadStart: offset + headerSize, end: end)) {
                return nil
            }
            offset = end
        }
        return nil
    }

    private func overrun(_ name: String, _ offset: Int, _ range: Range<Int>) -> String {
        range.upperBound >= reader.size
            ? "truncated: box '\(name)' at offset \(offset) extends past end of file"
            : "box '\(name)' at offset \(offset) overruns its parent"
    }
}
