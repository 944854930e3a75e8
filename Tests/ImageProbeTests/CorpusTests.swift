import Foundation
import ImageProbe
import Testing

/// The camera sample corpus next to the checkout (../shared/corpus), when this machine has it.
private let corpusURL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/corpus")
private let corpusExists = FileManager.default.fileExists(atPath: corpusURL.appendingPathComponent("reference.json").path)

@Suite("Camera sample corpus")
struct CorpusTests {
    /// Files that are broken on purpose: they must not crash the probe, and their sizes may differ.
    static func isDeliberatelyBroken(_ relativePath: String) -> Bool {
        relativePath.hasPrefix("jpg/invalid/") || relativePath.hasPrefix("jpg/tests/")
    }

    @Test("sizes agree with exiftool's on every intact file", .enabled(if: corpusExists))
    func sizesAgreeWithExiftool() throws {
        let data = try Data(contentsOf: corpusURL.appendingPathComponent("reference.json"))
        let entries = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        var agreed = 0, compared = 0, damaged: [String] = [], disagreed: [String] = []
        var exifAgreed = 0, exifCompared = 0
        for entry in entries {
            let source = try #require(entry["SourceFile"] as? String)
            let relative = source.hasPrefix("./") ? String(source.dropFirst(2)) : source
            let info = try probeFile(corpusURL.appendingPathComponent(relative).path)
            guard let info else {
                disagreed.append("\(relative): no known signature")
                if !Self.isDeliberatelyBroken(relative) { Issue.record("\(relative): not recognised") }
                continue
            }
            if let damage = info.damage { damaged.append("\(relative): \(damage)") }
            if info.format == .jpeg {
                // exiftool names the byte order of every EXIF block it reads. Informational only:
                // it also finds EXIF this probe does not look for (a second APP1, say).
                exifCompared += 1
                if (info.exif != nil) == (entry["ExifByteOrder"] != nil) { exifAgreed += 1 }
            }
            guard let width = entry["ImageWidth"] as? Int, let height = entry["ImageHeight"] as? Int else { continue }
            compared += 1
            if info.width == width, info.height == height {
                agreed += 1
            } else {
                let line = "\(relative): probe \(info.width.map(String.init) ?? "-")×\(info.height.map(String.init) ?? "-"), exiftool \(width)×\(height)"
                disagreed.append(line)
                if !Self.isDeliberatelyBroken(relative) { Issue.record(Comment(rawValue: line)) }
            }
        }
        print("corpus: \(agreed)/\(compared) sizes agree with exiftool; \(damaged.count) files reported damaged; "
            + "EXIF present in both or neither for \(exifAgreed)/\(exifCompared) JPEGs")
        for line in disagreed { print("  differs: \(line)") }
        for line in damaged { print("  damaged: \(line)") }
        #expect(compared > 0)
    }

    /// Probes `path` as the uploader does: 1 MiB chunks streamed, then random access through
    /// `FileDescriptorBytes`. Nil when the head has no known signature.
    private func probeFile(_ path: String) throws -> ImageInfo? {
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0, "cannot open \(path)")
        defer { close(fd) }
        var st = stat()
        try #require(fstat(fd, &st) == 0)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var inspector: ImageInspector?
        var first = true
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            try #require(n >= 0)
            if n == 0 { break }
            let sniffed: Bool = buffer.withUnsafeBytes { all in
                let chunk = UnsafeRawBufferPointer(rebasing: all[0 ..< n])
                if first {
                    first = false
                    guard let format = ImageFormat.sniff(UnsafeRawBufferPointer(rebasing: chunk.prefix(ImageFormat.signatureLength)))
                    else { return false }
                    inspector = ImageInspector(format: format)
                }
                inspector?.consume(chunk)
                return true
            }
            if !sniffed { return nil }
        }
        return try inspector?.finish(file: FileDescriptorBytes(fd: fd, size: Int(st.st_size)))
    }
}
