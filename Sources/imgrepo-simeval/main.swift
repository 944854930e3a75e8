// imgrepo-simeval: measures how well the perceptual hashes find edited copies of a picture and
// keep different pictures apart (issue 8, docs/duplicates.md), and prints Markdown.
//
//   imgrepo-simeval [--corpus DIR | --no-corpus] [--keep DIR]
//   imgrepo-simeval --timing DIR [--count N]
//
// The study: 30 synthetic sources (SimilarityStudy.syntheticSources) and the real photos listed
// below when the corpus folder (default ../shared/corpus) exists; for each, an original JPEG and
// one variant per SimilarityStudy.Transformation. A positive pair is (original, variant of it),
// a negative pair (original of A, original or variant of B) for A ≠ B. At each threshold d, a
// pair "matches" when its Hamming distance is at most d; recall is the share of positives that
// match, precision the share of matches that are positives.
//
// --keep DIR also writes every original and variant there, to look at.
// --timing DIR times GDFingerprinter on the JPEGs in DIR (pixel hash, perceptual hash, both), one
// thread, and prints milliseconds per image. Exit status: 0, or 2 on a usage error.
import Dispatch
import Foundation
import ImageProbe
import ImgrepoCore
import ImgrepoFixtures
import ImgrepoThumbnail
import Synchronization

/// Lets the study's non-Sendable pictures cross into worker threads, each read by one of them.
final class UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

let usage = """
    usage: imgrepo-simeval [--corpus DIR | --no-corpus] [--keep DIR]
           imgrepo-simeval --timing DIR [--count N]
    """

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("imgrepo-simeval: \(message)\n".utf8))
    exit(2)
}

func note(_ message: String) {
    FileHandle.standardError.write(Data("\(message)\n".utf8))
}

/// Photos of the corpus used as sources: distinct scenes, at least 360 pixels a side. Left out:
/// files that are another file's scene (Canon_40D_photoshop_import, canon_hdr_YES, the other
/// orientation/ samples, neighbouring gps/ frames) and the deliberately broken ones.
let corpusPhotos = [
    "jpg/Canon_PowerShot_S40.jpg", "jpg/Reconyx_HC500_Hyperfire.jpg",
    "jpg/exif-org/canon-ixus.jpg", "jpg/exif-org/fujifilm-dx10.jpg", "jpg/exif-org/fujifilm-mx1700.jpg",
    "jpg/exif-org/kodak-dc210.jpg", "jpg/exif-org/kodak-dc240.jpg", "jpg/exif-org/nikon-e950.jpg",
    "jpg/exif-org/olympus-d320l.jpg", "jpg/exif-org/ricoh-rdc5300.jpg", "jpg/exif-org/sanyo-vpcg250.jpg",
    "jpg/exif-org/sanyo-vpcsx550.jpg", "jpg/exif-org/sony-d700.jpg", "jpg/exif-org/sony-powershota5.jpg",
    "jpg/gps/DSCN0010.jpg", "jpg/gps/DSCN0025.jpg", "jpg/gps/DSCN0042.jpg",
    "jpg/hdr/canon_hdr_NO.jpg", "jpg/hdr/iphone_hdr_NO.jpg", "jpg/mobile/HMD_Nokia_8.3_5G.jpg",
    "jpg/orientation/landscape_1.jpg", "jpg/tests/11-tests.jpg", "jpg/tests/22-canon_tags.jpg",
    "jpg/tests/28-hex_value.jpg", "jpg/tests/45-gps_ifd.jpg", "jpg/tests/87_OSError.jpg", "jpg/xmp/BlueSquare.jpg",
]

// MARK: Arguments

var corpus: String? = "../shared/corpus"
var timingFolder: String?
var timingCount = 50
var keepFolder: String?
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--corpus":
        guard let path = arguments.popFirst() else { fail("--corpus needs a folder\n\(usage)") }
        corpus = path
    case "--no-corpus": corpus = nil
    case "--keep":
        guard let path = arguments.popFirst() else { fail("--keep needs a folder\n\(usage)") }
        keepFolder = path
    case "--timing":
        guard let path = arguments.popFirst() else { fail("--timing needs a folder\n\(usage)") }
        timingFolder = path
    case "--count":
        guard let text = arguments.popFirst(), let n = Int(text), n > 0 else { fail("--count needs a positive number\n\(usage)") }
        timingCount = n
    case "-h", "--help":
        print(usage)
        exit(0)
    default: fail("unexpected argument '\(argument)'\n\(usage)")
    }
}

let fingerprinter = GDFingerprinter()
let algorithms = PerceptualHashAlgorithm.allCases
let thresholds = 0...20

// MARK: Timing

func time(_ folder: String, count timingCount: Int) -> Never {
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        .filter { $0.lowercased().hasSuffix(".jpg") || $0.lowercased().hasSuffix(".jpeg") }.sorted()
    guard !names.isEmpty else { fail("no JPEGs in \(folder)") }
    let paths = names.prefix(timingCount).map { folder + "/" + $0 }
    print("| fingerprints | ms per image | images |")
    print("|---|---:|---:|")
    let modes: [(String, FingerprintKinds)] = [("perceptual hash (1/8 decode)", .perceptualHash),
                                                ("pixel hash (full decode + SHA-512)", .pixelHash), ("both", .all)]
    // Every file read once, so that no mode pays for the disk; one fingerprint loads the libraries.
    for path in paths { _ = FileManager.default.contents(atPath: path) }
    _ = try? fingerprinter.fingerprints(path: paths[0], subject: paths[0], format: .jpeg, orientation: 1,
                                        kinds: .all, maxPixels: defaultMaxPixels)
    for (label, kinds) in modes {
        let start = DispatchTime.now().uptimeNanoseconds
        for path in paths {
            do {
                _ = try fingerprinter.fingerprints(path: path, subject: path, format: .jpeg, orientation: 1,
                                                   kinds: kinds, maxPixels: defaultMaxPixels)
            } catch { fail("\(error)") }
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        print("| \(label) | \(String(format: "%.1f", elapsed / Double(paths.count))) | \(paths.count) |")
    }
    exit(0)
}

if let timingFolder { time(timingFolder, count: timingCount) }

// MARK: Study

var sources = SimilarityStudy.syntheticSources()
let syntheticCount = sources.count
if let corpus, FileManager.default.fileExists(atPath: corpus) {
    for name in corpusPhotos {
        guard let data = FileManager.default.contents(atPath: corpus + "/" + name) else { continue }
        if let source = SimilarityStudy.photoSource(name: "photo:" + name, bytes: Array(data)) { sources.append(source) }
    }
}
let transformations = SimilarityStudy.Transformation.allCases
note("imgrepo-simeval: \(sources.count) sources × \(transformations.count) transformations")

let scratch = keepFolder.map { URL(fileURLWithPath: $0, isDirectory: true) }
    ?? FileManager.default.temporaryDirectory.appendingPathComponent("imgrepo-simeval-\(UUID().uuidString)")
let keep = keepFolder != nil
try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
defer { if !keep { try? FileManager.default.removeItem(at: scratch) } }

/// An image's fingerprints under every algorithm.
struct Measured: Sendable {
    var hashes: [UInt64]  // indexed like `algorithms`
    var pixelSHA512: String
}

func measure(_ file: SimilarityStudy.File, named name: String) -> Measured {
    let path = scratch.appendingPathComponent(name).path
    do {
        try Data(file.bytes).write(to: URL(fileURLWithPath: path))
        defer { if !keep { try? FileManager.default.removeItem(atPath: path) } }
        guard let format = ImageFormat(rawValue: file.encoding) else { fail("unknown encoding \(file.encoding)") }
        let hashes = try algorithms.map {
            try fingerprinter.perceptualHash(path: path, subject: name, format: format, orientation: file.orientation,
                                             algorithm: $0, maxPixels: defaultMaxPixels)
        }
        let pixels = try fingerprinter.fingerprints(path: path, subject: name, format: format, orientation: file.orientation,
                                                    kinds: .pixelHash, maxPixels: defaultMaxPixels)
        return Measured(hashes: hashes, pixelSHA512: pixels.pixelSHA512 ?? "")
    } catch {
        fail("\(name): \(error)")
    }
}

/// originals[s], variants[s][t]
let results = Mutex<[Int: (Measured, [Measured])]>([:])
let sourceBox = UncheckedBox(sources)
DispatchQueue.concurrentPerform(iterations: sources.count) { s in
    let source = sourceBox.value[s]
    let original = SimilarityStudy.original(of: source)
    let base = "\(source.name.replacingOccurrences(of: "/", with: "_"))-original.\(original.encoding)"
    let measuredOriginal = measure(original, named: base)
    let measuredVariants = transformations.map { t in
        let variant = SimilarityStudy.variant(t, of: original)
        return measure(variant, named: "\(source.name.replacingOccurrences(of: "/", with: "_"))-\(t.rawValue).\(variant.encoding)")
    }
    results.withLock { $0[s] = (measuredOriginal, measuredVariants) }
}
let measured = results.withLock { $0 }
let originals = (0..<sources.count).map { measured[$0]!.0 }
let variants = (0..<sources.count).map { measured[$0]!.1 }

// MARK: Pairs

/// Distances of positive pairs per transformation, and of negative pairs per transformation of
/// the second image (nil: original against original), for one algorithm.
struct Distances {
    var positives: [SimilarityStudy.Transformation: [Int]] = [:]
    var negatives: [SimilarityStudy.Transformation?: [Int]] = [:]
    var closestNegatives: [(Int, String)] = []
}

@MainActor
func distances(_ a: Int) -> Distances {
    var d = Distances()
    var closest: [(Int, String)] = []
    for s in sources.indices {
        for (i, t) in transformations.enumerated() {
            d.positives[t, default: []].append(hammingDistance(originals[s].hashes[a], variants[s][i].hashes[a]))
        }
        for other in sources.indices where other != s {
            if other > s {
                let distance = hammingDistance(originals[s].hashes[a], originals[other].hashes[a])
                d.negatives[nil, default: []].append(distance)
                closest.append((distance, "\(sources[s].name) ~ \(sources[other].name)"))
            }
            for (i, t) in transformations.enumerated() {
                let distance = hammingDistance(originals[s].hashes[a], variants[other][i].hashes[a])
                d.negatives[t, default: []].append(distance)
                closest.append((distance, "\(sources[s].name) ~ \(sources[other].name) \(t.rawValue)"))
            }
        }
    }
    d.closestNegatives = Array(closest.sorted { $0.0 < $1.0 }.prefix(8))
    return d
}

struct Score {
    var truePositives = 0, positives = 0, falsePositives = 0
    var recall: Double { positives == 0 ? 1 : Double(truePositives) / Double(positives) }
    var precision: Double { truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives) }
}

func score(_ d: Distances, threshold: Int, only: SimilarityStudy.Transformation? = nil) -> Score {
    var score = Score()
    let kept = only.map { [$0] } ?? transformations.filter(\.inTarget)
    for t in kept {
        let p = d.positives[t] ?? []
        score.positives += p.count
        score.truePositives += p.filter { $0 <= threshold }.count
        score.falsePositives += (d.negatives[t] ?? []).filter { $0 <= threshold }.count
    }
    if only == nil { score.falsePositives += (d.negatives[nil] ?? []).filter { $0 <= threshold }.count }
    return score
}

func fixed(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }

func percentile(_ values: [Int], _ p: Double) -> Int {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

/// The largest threshold whose overall precision is at least 0.99.
func largestPreciseThreshold(_ d: Distances) -> Int? {
    thresholds.last { score(d, threshold: $0).precision >= 0.99 }
}

/// The largest threshold with no false match at all.
func largestCleanThreshold(_ d: Distances) -> Int? {
    thresholds.last { score(d, threshold: $0).falsePositives == 0 }
}

// MARK: Report

let positiveCount = sources.count * transformations.filter(\.inTarget).count
let negativeCount = sources.count * (sources.count - 1) / 2 + sources.count * (sources.count - 1) * transformations.filter(\.inTarget).count
print("# Perceptual hash robustness (imgrepo-simeval)")
print()
print("\(sources.count) sources (\(syntheticCount) synthetic, \(sources.count - syntheticCount) photos), "
      + "\(transformations.count) transformations (\(transformations.filter(\.inTarget).count) in the target). "
      + "Target set: \(positiveCount) positive pairs, \(negativeCount) negative pairs.")
print()
print("Currently stored: `\(GDFingerprinter.perceptualAlgorithm.rawValue)`, default --max-distance "
      + "\(ImageFingerprints.defaultMaxDistance).")

var all: [PerceptualHashAlgorithm: Distances] = [:]
for (a, algorithm) in algorithms.enumerated() { all[algorithm] = distances(a) }

print()
print("## Overall, target transformations")
print()
print("| d | " + algorithms.map { "\($0.rawValue) recall | precision | false" }.joined(separator: " | ") + " |")
print("|---:|" + String(repeating: "---:|---:|---:|", count: algorithms.count))
for t in thresholds {
    let cells = algorithms.map { algorithm -> String in
        let s = score(all[algorithm]!, threshold: t)
        return "\(fixed(s.recall)) | \(fixed(s.precision)) | \(s.falsePositives)"
    }
    print("| \(t) | " + cells.joined(separator: " | ") + " |")
}

for algorithm in algorithms {
    let d = all[algorithm]!
    print()
    print("## \(algorithm.rawValue): recall by transformation and threshold")
    print()
    print("| transformation | " + thresholds.map(String.init).joined(separator: " | ") + " |")
    print("|---|" + String(repeating: "---:|", count: thresholds.count))
    for t in transformations {
        let cells = thresholds.map { fixed(score(d, threshold: $0, only: t).recall, 2) }
        print("| \(t.rawValue)\(t.inTarget ? "" : " ¹") | " + cells.joined(separator: " | ") + " |")
    }
    print()
    print("## \(algorithm.rawValue): precision by transformation and threshold")
    print()
    print("| transformation | " + thresholds.map(String.init).joined(separator: " | ") + " |")
    print("|---|" + String(repeating: "---:|", count: thresholds.count))
    for t in transformations {
        let cells = thresholds.map { fixed(score(d, threshold: $0, only: t).precision, 2) }
        print("| \(t.rawValue)\(t.inTarget ? "" : " ¹") | " + cells.joined(separator: " | ") + " |")
    }
}

print()
print("¹ not in the target set.")

for algorithm in algorithms {
    let d = all[algorithm]!
    print()
    print("## \(algorithm.rawValue): distance distributions")
    print()
    print("| pairs | n | min | median | 95th pct | max |")
    print("|---|---:|---:|---:|---:|---:|")
    for t in transformations {
        let p = d.positives[t] ?? []
        print("| \(t.rawValue) | \(p.count) | \(p.min() ?? 0) | \(percentile(p, 0.5)) | \(percentile(p, 0.95)) | \(p.max() ?? 0) |")
    }
    let negatives = d.negatives.values.flatMap { $0 }
    print("| **different sources** | \(negatives.count) | \(negatives.min() ?? 0) | \(percentile(negatives, 0.5)) | "
          + "1st pct \(percentile(negatives, 0.01)), 0.1th pct \(percentile(negatives, 0.001)) | \(negatives.max() ?? 0) |")
    print()
    let histogram = (0...32).map { bucket in
        (bucket, d.positives.filter { $0.key.inTarget }.values.flatMap { $0 }.filter { $0 == bucket }.count,
         negatives.filter { $0 == bucket }.count)
    }
    print("Histogram (distance: positives in the target / negatives): "
          + histogram.map { "\($0.0): \($0.1)/\($0.2)" }.joined(separator: ", ") + ".")
    print()
    print("Closest different sources: " + d.closestNegatives.map { "\($0.1) (\($0.0))" }.joined(separator: "; ") + ".")
}

print()
print("## Pixel hash")
print()
print("| transformation | same pixel hash as the original |")
print("|---|---:|")
for (i, t) in transformations.enumerated() {
    let same = sources.indices.filter { variants[$0][i].pixelSHA512 == originals[$0].pixelSHA512 }.count
    print("| \(t.rawValue) | \(same)/\(sources.count) |")
}
let distinctOriginals = Set(originals.map(\.pixelSHA512)).count
print()
print("Different sources with the same pixel hash: \(sources.count - distinctOriginals).")

print()
print("## Thresholds")
print()
for algorithm in algorithms {
    let d = all[algorithm]!
    var line = "- \(algorithm.rawValue): "
    if let precise = largestPreciseThreshold(d) {
        let p = score(d, threshold: precise)
        line += "precision ≥ 0.99 up to d = \(precise) (recall \(fixed(p.recall)), \(p.falsePositives) false matches)"
    } else {
        line += "precision below 0.99 at every d"
    }
    if let clean = largestCleanThreshold(d) {
        line += "; no false match up to d = \(clean) (recall \(fixed(score(d, threshold: clean).recall)))"
    } else {
        line += "; false matches at every d"
    }
    print(line + ".")
}
let chosen = all[GDFingerprinter.perceptualAlgorithm]!
let atDefault = score(chosen, threshold: ImageFingerprints.defaultMaxDistance)
print("- stored: \(GDFingerprinter.perceptualAlgorithm.rawValue) at the default d = \(ImageFingerprints.defaultMaxDistance): "
      + "recall \(fixed(atDefault.recall)), precision \(fixed(atDefault.precision)), \(atDefault.falsePositives) false matches.")
print()
print("### Chosen algorithm at the default distance, by transformation")
print()
print("| transformation | recall | precision | false matches | median distance | max distance |")
print("|---|---:|---:|---:|---:|---:|")
for t in transformations {
    let s = score(chosen, threshold: ImageFingerprints.defaultMaxDistance, only: t)
    let p = chosen.positives[t] ?? []
    print("| \(t.rawValue)\(t.inTarget ? "" : " ¹") | \(fixed(s.recall)) | \(fixed(s.precision)) | \(s.falsePositives) | "
          + "\(percentile(p, 0.5)) | \(p.max() ?? 0) |")
}
print("| **all in the target** | \(fixed(atDefault.recall)) | \(fixed(atDefault.precision)) | \(atDefault.falsePositives) | | |")

print()
print("### Chosen algorithm at the default distance, by kind of source (target transformations)")
print()
print("| kind | sources | recall | misses |")
print("|---|---:|---:|---:|")
let chosenIndex = algorithms.firstIndex(of: GDFingerprinter.perceptualAlgorithm)!
var misses: [String] = []
var kinds: [String] = []
for source in sources where !kinds.contains(source.kind) { kinds.append(source.kind) }
for kind in kinds {
    let members = sources.indices.filter { sources[$0].kind == kind }
    var found = 0, total = 0
    for s in members {
        for (i, t) in transformations.enumerated() where t.inTarget {
            let distance = hammingDistance(originals[s].hashes[chosenIndex], variants[s][i].hashes[chosenIndex])
            total += 1
            if distance <= ImageFingerprints.defaultMaxDistance { found += 1 } else {
                misses.append("\(sources[s].name) \(t.rawValue) (\(distance))")
            }
        }
    }
    print("| \(kind) | \(members.count) | \(fixed(Double(found) / Double(total))) | \(total - found) |")
}
print()
print("Misses: " + (misses.isEmpty ? "none" : misses.joined(separator: "; ")) + ".")
