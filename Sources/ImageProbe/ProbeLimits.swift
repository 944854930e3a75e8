/// Bounds that keep hostile files from costing unbounded memory or time.
enum ProbeLimits {
    /// The largest EXIF block the inspector keeps; larger ones are dropped with a warning.
    static let exifBytes = 16 * 1024 * 1024

    /// The largest XMP packet the inspector keeps; larger ones are dropped with a warning.
    /// Real packets are a few KiB (JPEG's standard packet cannot pass 64 KiB).
    static let xmpBytes = 1024 * 1024

    /// The most text a compressed PNG raw profile (zTXt, compressed iTXt) may inflate to: the
    /// hex of an `exifBytes` block, a newline every 72 digits, and the header.
    static let rawProfileTextBytes = 2 * exifBytes + exifBytes / 8

    /// "16 MiB", "1 MiB", "512 KiB": a limit as the warnings name it.
    static func describe(bytes: Int) -> String {
        bytes % (1024 * 1024) == 0 ? "\(bytes / (1024 * 1024)) MiB" : "\(bytes / 1024) KiB"
    }

    /// The most boxes, chunks or directory entries a random-access walk visits before it calls
    /// the file damaged. Real files have tens; the cap only stops pathological ones.
    static let structureSteps = 100_000

    /// How deep Canon CIFF heaps may nest inside a JPEG's APP0 segment (`CanonCIFF`). Cameras
    /// nest two or three levels; deeper is a crafted file.
    static let ciffDepth = 8

    /// The most CIFF directory entries one segment's walk reads, all directories together.
    /// A PowerShot A5 writes 35; a 64 KiB segment could declare millions through shared heaps.
    static let ciffEntries = 4_096
}
