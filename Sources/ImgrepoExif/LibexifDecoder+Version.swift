internal import CExifLoader
#if canImport(Glibc)
import Glibc
#endif

extension LibexifDecoder {
    /// The libexif this process loads, as the file name of its shared object, e.g.
    /// "libexif.so.12.3.4" (libexif 0.6.24's). libexif has no function that reports its version,
    /// so the object's name, which carries its ABI version, is the most precise answer there is.
    /// Nil when the library cannot be loaded or its object located (no /proc). Loads libexif.
    public static var libraryVersion: String? {
        guard let symbol = Libexif.library.functions?.exif_data_new else { return nil }
        let address = UInt(bitPattern: unsafeBitCast(symbol, to: UnsafeRawPointer.self))
        // /proc/self/maps names the real file mapped at each range ("libexif.so.12.3.4", where the
        // loader's name is the soname "libexif.so.12"). dladdr would do, but Swift's Glibc
        // module is imported without _GNU_SOURCE, so Dl_info is out of reach.
        for line in mappedObjects() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, let dash = fields[0].firstIndex(of: "-"),
                  let start = UInt(fields[0][..<dash], radix: 16),
                  let end = UInt(fields[0][fields[0].index(after: dash)...], radix: 16),
                  start <= address, address < end else { continue }
            return fields[5].split(separator: "/").last.map(String.init)
        }
        return nil
    }

    /// The lines of /proc/self/maps; empty when it cannot be read.
    private static func mappedObjects() -> [Substring] {
        let fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n")
    }
}
