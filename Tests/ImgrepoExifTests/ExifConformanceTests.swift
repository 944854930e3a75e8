import Foundation
import ImageProbe
import ImgrepoCore
import ImgrepoExif
import ImgrepoFixtures
import ImgrepoXMP
import Testing

/// The conformance check (`imgrepo-exifcheck`, docs/metadata.md): upload's extraction, from
/// every container, against `exiftool -json -n`.
@Suite("conformance with exiftool")
struct ExifConformanceTests {
    /// One fixture per container that carries EXIF, each with the full sample.
    static func fixtures() -> [(name: String, bytes: [UInt8])] {
        var south = FixtureExif.sample
        south.gpsLatitude = -33.856_784; south.gpsLongitude = -70.648_270; south.gpsAltitude = -28.25
        south.byteOrder = .bigEndian
        return [
            ("app1.jpg", Fixtures.jpeg(width: 96, height: 64, exif: .sample)),
            ("exif-chunk.png", Fixtures.png(width: 40, height: 30, exif: .sample)),
            ("raw-profile-text.png", Fixtures.pngWithRawProfile(width: 40, height: 30, exif: south)),
            ("raw-profile-itxt.png", Fixtures.pngWithRawProfile(width: 41, height: 31, exif: .sample, international: true)),
            ("raw-profile-ztxt.png", Fixtures.pngWithRawProfile(width: 42, height: 32, exif: south, compressed: true)),
            ("raw-profile-itxt-compressed.png", Fixtures.pngWithRawProfile(width: 43, height: 33, exif: .sample, international: true, compressed: true)),
            ("own-directories.tiff", Fixtures.tiff(width: 24, height: 16, exif: .sample)),
            ("own-directories-big-endian.tiff", Fixtures.tiff(width: 16, height: 24, exif: south)),
        ]
    }

    @Test("every fixture container agrees with exiftool on every field")
    func fixturesAgree() throws {
        let exiftool = try #require(executableOnPath("exiftool"),
                                    "exiftool is not on PATH: scripts/install-deps.sh test installs it")
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        var paths: [(String, [UInt8])] = []
        for (name, bytes) in Self.fixtures() { paths.append((try folder.write(bytes, named: name).path, bytes)) }
        let reference = try exiftoolJSON(exiftool, files: paths.map(\.0))

        var report = ExifAgreementReport()
        for (path, bytes) in paths {
            let tool = try #require(reference[path], "exiftool said nothing about \(path)")
            let ours = try #require(ExifCheck.values(ofFile: bytes))
            report.add(file: URL(fileURLWithPath: path).lastPathComponent, ours: ours, reference: checkValues(tool))
        }
        print(report.markdown())
        #expect(report.disagreements.isEmpty, "\(report.disagreements)")
        // Every field of the sample is compared in every container.
        for field in ExifCheckField.allCases {
            #expect(report.tallies[field]?.compared == paths.count, "\(field.rawValue) compared")
        }
    }

    @Test("imgrepo-exifcheck prints the table and exits 0 when all agree")
    func executable() throws {
        let binary = try #require(builtExecutable("imgrepo-exifcheck"), "build with --build-tests first")
        try #require(executableOnPath("exiftool") != nil, "exiftool is not on PATH")
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        for (name, bytes) in Self.fixtures() { _ = try folder.write(bytes, named: name) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [folder.url.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.hasPrefix("| field | compared | agreed | % | ours only |"))
        let fields = ExifCheckField.allCases.count
        #expect(text.contains("| **all** | \(fields * Self.fixtures().count) | \(fields * Self.fixtures().count) | 100.0 |"))
    }

    @Test("numbers agree within exiftool's printed precision")
    func precision() {
        #expect(ExifCheckValue.number(1.0 / 60).agrees(with: .number(0.01666666667)))
        #expect(!ExifCheckValue.number(0.0167).agrees(with: .number(0.01666666667)))
        #expect(ExifCheckValue.number(39.05134444444444).agrees(with: .number(39.0513444444444)))
        #expect(ExifCheckValue.number(1e-5).agrees(with: .number(1e-05)))
        #expect(!ExifCheckValue.number(65).agrees(with: .number(64.8419777325505)))
        #expect(ExifCheckValue.text("5D").agrees(with: .text("5D")))
        #expect(ExifCheckValue.text("054").agrees(with: .number(54)) == true)
    }
}

/// What the corpus reaches today (docs/metadata.md): every field agrees on every file, EXIF and
/// XMP read as upload reads them (as `imgrepo-exifcheck` does). A drop below these means
/// extraction regressed.
@Suite("conformance on the real-photo corpus", .enabled(if: Corpus.folder != nil, "no shared corpus (../shared/corpus)"))
struct CorpusConformanceTests {
    static let minimumOverall = 1.0
    static let minimumPerField: [ExifCheckField: Double] = Dictionary(uniqueKeysWithValues: ExifCheckField.allCases.map { ($0, 1.0) })

    @Test("every file of the corpus against reference.json")
    func corpus() throws {
        let folder = try #require(Corpus.folder)
        let reference = try parseExiftoolJSON(Data(contentsOf: folder.appendingPathComponent("reference.json")))
        var report = ExifAgreementReport()
        for (source, tool) in reference.sorted(by: { $0.key < $1.key }) {
            let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(String(source.dropFirst(2)))))
            guard let ours = ExifCheck.values(ofFile: bytes, xmp: ExpatXMPDecoder()) else { continue }
            report.add(file: source, ours: ours, reference: checkValues(tool))
        }
        print(report.markdown())
        #expect(report.files == 81)
        #expect(report.total.rate >= Self.minimumOverall, "overall \(report.total.rate)")
        for (field, minimum) in Self.minimumPerField {
            let rate = report.tallies[field]?.rate ?? 0
            #expect(rate >= minimum, "\(field.rawValue): \(rate) < \(minimum)")
        }
    }
}

/// exiftool's JSON values as the check compares them.
func checkValues(_ object: [String: Any]) -> [String: ExifCheckValue] {
    var tags: [String: ExifCheckValue] = [:]
    for (key, value) in object {
        switch value {
        case let s as String: tags[key] = .text(s)
        case let n as NSNumber: tags[key] = .number(n.doubleValue)
        default: continue
        }
    }
    return tags
}

/// exiftool's `-json` array keyed by SourceFile.
func parseExiftoolJSON(_ data: Data) throws -> [String: [String: Any]] {
    let parsed = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    var bySource: [String: [String: Any]] = [:]
    for object in parsed {
        if let source = object["SourceFile"] as? String { bySource[source] = object }
    }
    return bySource
}

/// An executable built beside the test bundle.
func builtExecutable(_ name: String) -> String? {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var folder = URL(fileURLWithPath: exe).deletingLastPathComponent()
    for _ in 0..<3 {
        let candidate = folder.appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        folder = folder.deletingLastPathComponent()
    }
    return nil
}
