/// Reads small pieces of a `RandomAccessBytes` through one cached window, so walking many
/// small headers costs one underlying read per window rather than one per header.
final class WindowedReader {
    let file: RandomAccessBytes
    let size: Int
    private var window: [UInt8] = []
    private var windowStart = 0
    private static let windowSize = 64 * 1024

    init(_ file: RandomAccessBytes) {
        self.file = file
        self.size = file.size
    }

    /// Up to `count` bytes at `offset`; fewer only at the end of the file, none past it.
    func bytes(at offset: Int, count: Int) throws -> [UInt8] {
        guard offset >= 0, count > 0, offset < size else { return [] }
        let count = min(count, size - offset)
        if offset >= windowStart, offset + count <= windowStart + window.count {
            return Array(window[(offset - windowStart) ..< (offset - windowStart + count)])
        }
        if count > Self.windowSize { return try file.read(at: offset, count: count) }
        window = try file.read(at: offset, count: Self.windowSize)
        windowStart = offset
        return Array(window.prefix(count))
    }

    /// The byte at `offset`, or nil past the end. Allocates nothing while the window holds it:
    /// walks that step through many tiny blocks (GIF sub-blocks) call this once per block.
    func byte(at offset: Int) throws -> UInt8? {
        guard offset >= 0, offset < size else { return nil }
        if offset < windowStart || offset >= windowStart + window.count {
            window = try file.read(at: offset, count: Self.windowSize)
            windowStart = offset
        }
        let i = offset - windowStart
        return i < window.count ? window[i] : nil
    }

    /// Exactly `count` bytes at `offset`, or nil when the file ends first.
    func exactly(at offset: Int, count: Int) throws -> [UInt8]? {
        let b = try bytes(at: offset, count: count)
        return b.count == count ? b : nil
    }
}
