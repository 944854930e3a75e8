import Foundation
import ImgrepoCore
import ImgrepoExif
import Testing

/// The shared corpus of real photos (not part of the project; absent in a fresh clone).
enum Corpus {
    static let folder: URL? = {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let candidates = [packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus"),
                          URL(fileURLWithPath: "/work/shared/corpus")]
        return candidates.first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("reference.json").path)
                && FileManager.default.fileExists(atPath: $0.appendingPathComponent("jpg").path)
        }
    }()
}

/// Real photos: the decoder survives every JPEG and agrees with exiftool's reference output.
@Suite("real-photo corpus", .enabled(if: Corpus.folder != nil, "no shared corpus (../shared/corpus) next to the package"))
struct CorpusTests {
    /// The share of compared fields that must agree. exiftool also reads maker notes, XMP and
    /// other blocks (see MEASURED.md) where libexif reads only the EXIF IFDs, and some corpus
    /// files are broken on purpose, so a few disagreements are expected; more than 10% would
    /// mean the decoder misreads standard tags.
    static let requiredAgreement = 0.90

    @Test("Make, Model, Orientation and DateTimeOriginal agree with reference.json")
    func agreement() throws {
        let folder = try #require(Corpus.folder)
        let json = try Data(contentsOf: folder.appendingPathComponent("reference.json"))
        let objects = try #require(try JSONSerialization.jsonObject(with: json) as? [[String: Any]])
        var reference: [String: [String: Any]] = [:]
        for object in objects {
            if let source = object["SourceFile"] as? String { reference[source] = object }
        }

        let jpgFolder = folder.appendingPathComponent("jpg")
        let enumerator = try #require(FileManager.default.enumerator(atPath: jpgFolder.path))
        let files = enumerator.compactMap { $0 as? String }
            .filter { $0.lowercased().hasSuffix(".jpg") || $0.lowercased().hasSuffix(".jpeg") }.sorted()
        #expect(!files.isEmpty)

        var compared = 0, agreed = 0, decoded = 0, withExif = 0
        var disagreements: [String] = []
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: jpgFolder.appendingPathComponent(file)))
            guard let payload = exifPayload(ofJPEG: bytes) else { continue }
            withExif += 1
            let result = LibexifDecoder().decode(tiff: payload)
            if result.status == .read { decoded += 1 }
            guard let tool = reference["./jpg/" + file] else { continue }
            let ours = result.summary
            let fields: [(String, String?, String?)] = [
                ("Make", ours.make, jsonText(tool["Make"])),
                ("Model", ours.model, jsonText(tool["Model"])),
                ("Orientation", ours.orientation.map { String($0) }, jsonText(tool["Orientation"])),
                ("DateTimeOriginal", ours.takenLocal.map { String($0.prefix(19)) },
                 jsonText(tool["DateTimeOriginal"]).map { isoLocal(exiftool: $0) }),
            ]
            for (key, mine, theirs) in fields {
                // Our capture time falls back to other dates where exiftool's DateTimeOriginal is
                // absent; only compare where exiftool has one.
                if key == "DateTimeOriginal" && theirs == nil { continue }
                guard mine != nil || theirs != nil else { continue }
                compared += 1
                if mine == theirs { agreed += 1 } else {
                    disagreements.append("\(file) \(key): ours \(mine ?? "nil"), exiftool \(theirs ?? "nil")")
                }
            }
        }
        let rate = compared == 0 ? 1 : Double(agreed) / Double(compared)
        let percent = (rate * 1000).rounded() / 10
        print("corpus: \(files.count) jpegs, \(withExif) with an exif block, \(decoded) decoded; "
              + "\(agreed)/\(compared) fields agree with exiftool (\(percent)%)")
        for line in disagreements { print("corpus disagreement: \(line)") }
        #expect(rate >= Self.requiredAgreement, "agreement \(percent)%: \(disagreements)")
    }
}
