import Foundation
import ImgrepoCore
import ImgrepoFixtures

/// What the decoder should report for a fixture written from `exif`.
func expectedSummary(_ exif: FixtureExif) -> ExifSummary {
    var s = ExifSummary()
    s.make = exif.make; s.model = exif.model; s.lens = exif.lensModel
    s.software = exif.software; s.artist = exif.artist; s.copyright = exif.copyright
    if let text = exif.dateTimeOriginal {
        s.takenLocal = isoLocal(exiftool: text) + (exif.subSecTimeOriginal.map { "." + $0 } ?? "")
    }
    s.takenOffset = exif.offsetTimeOriginal
    s.exposureTime = exif.exposureTime.map { Double($0.0) / Double($0.1) }
    s.fNumber = exif.fNumber.map { Double($0.0) / Double($0.1) }
    s.focalLength = exif.focalLength.map { Double($0.0) / Double($0.1) }
    s.iso = exif.iso.map(Double.init)
    s.orientation = exif.orientation.map(Int.init)
    s.gpsLatitude = exif.gpsLatitude; s.gpsLongitude = exif.gpsLongitude; s.gpsAltitude = exif.gpsAltitude
    return s
}

/// `2023:06:01 12:34:56` as `2023-06-01T12:34:56`.
func isoLocal(exiftool text: String) -> String {
    var chars = Array(text.prefix(19))
    if chars.count == 19 { chars[4] = "-"; chars[7] = "-"; chars[10] = "T" }
    return String(chars)
}

/// True when `a` and `b` are both nil or differ by at most `tolerance`.
func close(_ a: Double?, _ b: Double?, _ tolerance: Double = 1e-9) -> Bool {
    switch (a, b) {
    case (nil, nil): true
    case let (x?, y?): abs(x - y) <= tolerance * max(1, abs(y))
    default: false
    }
}

/// A fresh temporary folder, removed by `cleanUp`.
struct TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("imgrepo-exif-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func write(_ bytes: [UInt8], named name: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file
    }

    func cleanUp() { try? FileManager.default.removeItem(at: url) }
}

/// The path of an executable on PATH, or nil.
func executableOnPath(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for folder in path.split(separator: ":") {
        let candidate = "\(folder)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

/// Runs `exiftool -json -n` (or, not `numeric`, `-json`: printed values) on `files` and returns
/// one dictionary per file, keyed by SourceFile.
func exiftoolJSON(_ exiftool: String, files: [String], numeric: Bool = true) throws -> [String: [String: Any]] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: exiftool)
    process.arguments = ["-json"] + (numeric ? ["-n"] : []) + files
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let parsed = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    var bySource: [String: [String: Any]] = [:]
    for object in parsed {
        if let source = object["SourceFile"] as? String { bySource[source] = object }
    }
    return bySource
}

/// A JSON value as text (exiftool prints all-digit models such as `5D` as strings but some as numbers).
func jsonText(_ value: Any?) -> String? {
    switch value {
    case nil: nil
    case let s as String: s
    case let n as NSNumber: n.stringValue
    default: "\(value!)"
    }
}

func jsonNumber(_ value: Any?) -> Double? {
    switch value {
    case let n as NSNumber: n.doubleValue
    case let s as String: Double(s)
    default: nil
    }
}

/// The EXIF payload (without `Exif\0\0`) of the first APP1 Exif segment of a JPEG, found with
/// a plain marker walk that stops at the first scan.
func exifPayload(ofJPEG bytes: [UInt8]) -> [UInt8]? {
    guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
    var i = 2
    while i + 4 <= bytes.count {
        guard bytes[i] == 0xFF else { return nil }
        let marker = bytes[i + 1]
        if marker == 0xFF { i += 1; continue }            // fill byte
        if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 { i += 2; continue }
        if marker == 0xDA || marker == 0xD9 { return nil }
        let length = Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
        guard length >= 2, i + 2 + length <= bytes.count else { return nil }
        let body = bytes[(i + 4)..<(i + 2 + length)]
        if marker == 0xE1, body.starts(with: [0x45, 0x78, 0x69, 0x66, 0, 0]) {
            return Array(body.dropFirst(6))
        }
        i += 2 + length
    }
    return nil
}
