// imgrepo-sample: writes deterministic sample images (EXIF in JPEG and PNG), for `make demo`,
// `make bench` and `make torture`. A developer tool: arguments are parsed by hand and it prints
// one line on stderr.
#if canImport(Glibc)
import Glibc
#endif
import ImgrepoFixtures

let usage = "usage: imgrepo-sample --out DIR [--count N] [--width W] [--height H] [--formats jpeg,png,gif,webp,tiff,bmp,heic] [--seed S]"

/// Writes `line` to standard error (file descriptor 2, so no shared `FILE` is involved).
func say(_ line: String) {
    var bytes = Array(line.utf8)
    if bytes.last != 0x0A { bytes.append(0x0A) }
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

/// Prints a one-line complaint and exits 64 (EX_USAGE).
func fail(_ message: String) -> Never {
    say("imgrepo-sample: \(message) (try --help)")
    exit(64)
}

struct Options {
    var out: String?
    var count = 10
    var width = 1600
    var height = 1200
    var formats = ["jpeg"]
    var seed: UInt32 = 1
}

func parse(_ arguments: [String]) -> Options {
    var options = Options()
    var i = 0
    func value(_ flag: String) -> String {
        i += 1
        guard i < arguments.count else { fail("\(flag) needs a value") }
        return arguments[i]
    }
    func positive(_ flag: String, max limit: Int) -> Int {
        let text = value(flag)
        guard let n = Int(text), n > 0, n <= limit else { fail("\(flag) must be a whole number from 1 to \(limit), not '\(text)'") }
        return n
    }
    while i < arguments.count {
        let flag = arguments[i]
        switch flag {
        case "--out": options.out = value(flag)
        case "--count": options.count = positive(flag, max: 1_000_000)
        case "--width": options.width = positive(flag, max: 20_000)
        case "--height": options.height = positive(flag, max: 20_000)
        case "--seed":
            let text = value(flag)
            guard let s = UInt32(text) else { fail("--seed must be a whole number from 0 to \(UInt32.max), not '\(text)'") }
            options.seed = s
        case "--formats":
            let list = value(flag).split(separator: ",").map { $0.lowercased() }
            let known = ["jpeg", "jpg", "png", "gif", "webp", "tiff", "tif", "bmp", "heic", "heif"]
            guard !list.isEmpty else { fail("--formats needs at least one of jpeg, png, gif, webp, tiff, bmp, heic") }
            for f in list where !known.contains(f) { fail("unknown format '\(f)' (known: jpeg, png, gif, webp, tiff, bmp, heic)") }
            options.formats = list.map { ["jpg": "jpeg", "tif": "tiff", "heif": "heic"][$0] ?? $0 }
        case "-h", "--help":
            print(usage)
            exit(0)
        default: fail("unknown argument '\(flag)'")
        }
        i += 1
    }
    guard options.out != nil else { fail("--out is required") }
    return options
}

/// Camera models the samples cycle through.
let cameras: [(make: String, model: String, lens: String?, software: String)] = [
    ("Canon", "Canon EOS R5", "RF24-105mm F4 L IS USM", "Firmware Version 1.8.1"),
    ("NIKON CORPORATION", "NIKON Z 6", "NIKKOR Z 24-70mm f/4 S", "Ver.03.10"),
    ("Apple", "iPhone 15", "iPhone 15 back dual wide camera 6.86mm f/1.6", "17.4.1"),
    ("SONY", "ILCE-7M3", "FE 28-70mm F3.5-5.6 OSS", "ILCE-7M3 v4.01"),
    ("FUJIFILM", "X-T4", "XF18-55mmF2.8-4 R LM OIS", "Digital Camera X-T4 Ver2.01"),
]
let offsets = ["+01:00", "+02:00", "-05:00", "+09:00", "+00:00", "-08:00", "+05:30"]
let orientations: [UInt16] = [1, 6, 8, 3]
let places: [(Double, Double, Double)] = [
    (48.858_222, 2.294_500, 35), (-33.856_784, 151.215_297, 5), (40.748_440, -73.985_664, 12),
    (35.658_581, 139.745_433, 40), (-22.951_916, -43.210_487, 700),
]

/// Deterministic, varied EXIF for sample number `n` (0-based).
func exif(for n: Int, seed: UInt32) -> FixtureExif {
    let camera = cameras[n % cameras.count]
    // Spread capture times over 2019–2024 with a multiplicative hash, so neighbours differ.
    let mixed = (UInt64(n) &+ UInt64(seed)) &* 0x9E37_79B9_7F4A_7C15
    let year = 2019 + Int(mixed >> 60) % 6
    let month = 1 + Int(mixed >> 52 & 0xFF) % 12
    let day = 1 + Int(mixed >> 44 & 0xFF) % 28
    let hour = Int(mixed >> 36 & 0xFF) % 24
    let minute = Int(mixed >> 28 & 0xFF) % 60
    let second = Int(mixed >> 20 & 0xFF) % 60
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    var e = FixtureExif(
        make: camera.make, model: camera.model, lensModel: camera.lens, software: camera.software,
        dateTimeOriginal: "\(year):\(two(month)):\(two(day)) \(two(hour)):\(two(minute)):\(two(second))",
        subSecTimeOriginal: n % 2 == 0 ? String(100 + n % 900) : nil,
        offsetTimeOriginal: n % 5 == 4 ? nil : offsets[n % offsets.count],
        exposureTime: (1, [60, 125, 250, 500, 1000][n % 5]), fNumber: ([18, 28, 40, 56, 80][n % 5], 10),
        iso: [100, 200, 400, 800, 1600, 3200][n % 6], focalLength: ([24, 35, 50, 85, 105][n % 5], 1),
        orientation: orientations[n % orientations.count],
        byteOrder: n % 3 == 1 ? .bigEndian : .littleEndian)
    if n % 3 == 0 {
        let place = places[(n / 3) % places.count]
        e.gpsLatitude = place.0; e.gpsLongitude = place.1; e.gpsAltitude = place.2
    }
    return e
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// reader never sees half a file. Returns an error message or nil.
func writeAtomically(_ bytes: [UInt8], to path: String) -> String? {
    let temp = path + ".tmp-\(getpid())"
    let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { return "cannot create \(temp): \(String(cString: strerror(errno)))" }
    var written = 0
    let failure: String? = bytes.withUnsafeBytes { buffer in
        while written < buffer.count {
            let n = write(fd, buffer.baseAddress! + written, buffer.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                return "cannot write \(temp): \(String(cString: strerror(errno)))"
            }
            written += n
        }
        return nil
    }
    if let failure { close(fd); unlink(temp); return failure }
    guard close(fd) == 0 else { unlink(temp); return "cannot close \(temp): \(String(cString: strerror(errno)))" }
    guard rename(temp, path) == 0 else {
        let message = "cannot rename \(temp) to \(path): \(String(cString: strerror(errno)))"
        unlink(temp)
        return message
    }
    return nil
}

let options = parse(Array(CommandLine.arguments.dropFirst()))
let out = options.out!
var info = stat()
if stat(out, &info) != 0 {
    guard mkdir(out, 0o755) == 0 || errno == EEXIST else {
        say("imgrepo-sample: cannot create \(out): \(String(cString: strerror(errno)))")
        exit(73)
    }
} else if info.st_mode & S_IFMT != S_IFDIR {
    fail("--out \(out) is not a folder")
}

var totalBytes = 0
for n in 0..<options.count {
    let format = options.formats[n % options.formats.count]
    let seed = options.seed &+ UInt32(truncatingIfNeeded: n)
    let number = zeroPadded(n + 1, width: 4)
    let bytes: [UInt8]
    let name: String
    switch format {
    case "png":
        bytes = Fixtures.png(width: options.width, height: options.height, seed: seed, exif: exif(for: n, seed: options.seed))
        name = "sample_\(number).png"
    case "gif":
        bytes = Fixtures.gif(width: options.width, height: options.height, seed: seed)
        name = "sample_\(number).gif"
    case "webp":
        bytes = Fixtures.webp(width: options.width, height: options.height, seed: seed)
        name = "sample_\(number).webp"
    case "tiff":
        bytes = Fixtures.tiff(width: options.width, height: options.height, seed: seed)
        name = "sample_\(number).tif"
    case "bmp":
        bytes = Fixtures.bmp(width: options.width, height: options.height, seed: seed)
        name = "sample_\(number).bmp"
    case "heic":
        // libgd draws one fixed picture for HEIF; the quality makes the samples' bytes differ.
        bytes = Fixtures.heif(width: options.width, height: options.height, quality: 50 + Int(seed % 50))
        name = "sample_\(number).heic"
    default:
        bytes = Fixtures.jpeg(width: options.width, height: options.height, seed: seed, exif: exif(for: n, seed: options.seed))
        name = "IMG_\(number).JPG"
    }
    if let problem = writeAtomically(bytes, to: out + "/" + name) {
        say("imgrepo-sample: \(problem)")
        exit(74)
    }
    totalBytes += bytes.count
}
say("imgrepo-sample: wrote \(options.count) images (\(totalBytes) bytes) to \(out)")

/// `7` as `0007`; numbers wider than `width` are left alone.
func zeroPadded(_ n: Int, width: Int) -> String {
    let digits = String(n)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
