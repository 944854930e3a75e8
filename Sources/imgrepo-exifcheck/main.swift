// imgrepo-exifcheck: compares the EXIF (and XMP-filled) fields upload records with exiftool's, for every image
// in a folder, and prints a Markdown agreement table and each disagreement (docs/metadata.md).
//
//   imgrepo-exifcheck FOLDER [--reference reference.json]
//   imgrepo-exifcheck --extract FOLDER
//
// --extract only extracts, from every file under FOLDER, what upload records (EXIF and XMP,
// read the way upload reads them: the whole file through the inspector), and prints how many
// files were images: `make bench` times it against `exiftool -json -n -r` over the folder.
//
// Without --reference it runs `exiftool -json -n -r .` in FOLDER. Files are named relative to
// FOLDER as exiftool names them (`./jpg/a.jpg`). Exit status: 0 when every compared field
// agrees, 1 when some disagree, 2 on a usage error or when a file or exiftool cannot be read.
import Foundation
import ImageProbe
import ImgrepoExif
import ImgrepoXMP

let usage = "usage: imgrepo-exifcheck FOLDER [--reference REFERENCE.json] | --extract FOLDER"

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("imgrepo-exifcheck: \(message)\n".utf8))
    exit(2)
}

var folder: String?
var referencePath: String?
var extractOnly = false
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--extract":
        extractOnly = true
    case "--reference":
        guard let path = arguments.popFirst() else { fail("--reference needs a file\n\(usage)") }
        referencePath = path
    case "-h", "--help":
        print(usage)
        exit(0)
    default:
        guard folder == nil, !argument.hasPrefix("-") else { fail("unexpected argument '\(argument)'\n\(usage)") }
        folder = argument
    }
}
guard let folder else { fail(usage) }
let root = URL(fileURLWithPath: folder, isDirectory: true)

/// What upload would record for the file, reading only what the metadata needs: a JPEG up to
/// its first scan, other formats whole (their metadata may lie anywhere). nil for a non-image.
func extract(_ url: URL, xmp: ExpatXMPDecoder) -> [ExifCheckField: ExifCheckValue]? {
    guard let handle = try? FileHandle(forReadingFrom: url) else { fail("cannot read \(url.path)") }
    defer { try? handle.close() }
    var head = (try? handle.read(upToCount: 64 << 10)) ?? Data()
    guard let format = head.withUnsafeBytes({ ImageFormat.sniff(UnsafeRawBufferPointer(rebasing: $0.prefix(ImageFormat.signatureLength))) })
    else { return nil }
    let inspector = ImageInspector(format: format)
    var bytes = [UInt8]()
    while !head.isEmpty {
        head.withUnsafeBytes { inspector.consume($0) }
        bytes.append(contentsOf: head)
        if inspector.metadataComplete { break }
        head = (try? handle.read(upToCount: 1 << 20)) ?? Data()
    }
    guard let info = try? inspector.finish(file: InMemoryBytes(bytes)) else { return nil }
    return ExifCheck.values(info: info, xmp: xmp)
}

if extractOnly {
    guard let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
        fail("cannot read the folder \(folder)")
    }
    var files = 0, images = 0, withMetadata = 0
    let xmp = ExpatXMPDecoder()
    for case let url as URL in walk where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
        files += 1
        guard let values = extract(url, xmp: xmp) else { continue }
        images += 1
        if values.keys.contains(where: { $0 != .imageWidth && $0 != .imageHeight }) { withMetadata += 1 }
    }
    print("\(files) files, \(images) images, \(withMetadata) with EXIF or XMP fields")
    exit(0)
}

/// exiftool's JSON: an array of objects, one a file, keyed by SourceFile.
func referenceObjects(_ json: Data) -> [String: [String: ExifCheckValue]] {
    guard let array = (try? JSONSerialization.jsonObject(with: json)) as? [[String: Any]] else {
        fail("the exiftool reference is not a json array of objects")
    }
    var bySource: [String: [String: ExifCheckValue]] = [:]
    for object in array {
        guard let source = object["SourceFile"] as? String else { continue }
        var tags: [String: ExifCheckValue] = [:]
        for (key, value) in object {
            switch value {
            case let s as String: tags[key] = .text(s)
            // exiftool prints all-digit text (a model "5D", SubSecTime "07") as numbers too.
            case let n as NSNumber: tags[key] = .number(n.doubleValue)
            default: continue
            }
        }
        bySource[source.hasPrefix("./") ? source : "./" + source] = tags
    }
    return bySource
}

func runExiftool(in folder: URL) -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["exiftool", "-json", "-n", "-r", "."]
    process.currentDirectoryURL = folder
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { fail("cannot run exiftool: \(error)") }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    // exiftool exits 1 when some file had an error but still prints the others.
    guard !data.isEmpty else { fail("exiftool printed nothing (status \(process.terminationStatus)); is it installed?") }
    return data
}

let json: Data
if let referencePath {
    do { json = try Data(contentsOf: URL(fileURLWithPath: referencePath)) } catch {
        fail("cannot read \(referencePath): \(error.localizedDescription)")
    }
} else {
    json = runExiftool(in: root)
}
let reference = referenceObjects(json)

var report = ExifAgreementReport()
var notImages: [String] = []
for source in reference.keys.sorted() {
    let url = root.appendingPathComponent(String(source.dropFirst(2)))
    let bytes: [UInt8]
    do { bytes = [UInt8](try Data(contentsOf: url)) } catch { fail("cannot read \(url.path): \(error.localizedDescription)") }
    guard let ours = ExifCheck.values(ofFile: bytes, xmp: ExpatXMPDecoder()) else {
        notImages.append(source)
        continue
    }
    report.add(file: source, ours: ours, reference: reference[source]!)
}
print(report.markdown(), terminator: "")
if !notImages.isEmpty {
    print("\nNot images to imgrepo (not compared): \(notImages.joined(separator: ", "))")
}
exit(report.disagreements.isEmpty ? 0 : 1)
