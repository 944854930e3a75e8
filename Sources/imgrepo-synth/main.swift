// imgrepo-synth: fills a catalogue with synthetic but realistic image rows, through the
// store API, for benchmarks (scripts/bench-catalogue.sh, scripts/bench-mysql.sh).
//
//   imgrepo-synth --catalogue PATH --count N [--seed S]
//   imgrepo-synth --catalogue mysql://USER@HOST[:PORT]/DB --count N   (password: IMGREPO_DB_PASSWORD)
//
// Creates the catalogue or appends to it. The same seed gives the same rows. No blobs are
// written: the rows describe images that are not there, which listing does not need.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ImgrepoCore
import ImgrepoCatalogues

/// SplitMix64: small, fast, and the same sequence on every platform.
struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// A standard normal deviate (Box–Muller).
    mutating func normal() -> Double {
        let u = max(unit(), 1e-300)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * unit())
    }

    /// An index drawn with probability proportional to `weights` (cumulative, ascending).
    mutating func pick(cumulative: [Double]) -> Int {
        let target = unit() * cumulative[cumulative.count - 1]
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > target { high = mid } else { low = mid + 1 }
        }
        return low
    }
}

func cumulative(_ weights: [Double]) -> [Double] {
    var total = 0.0
    return weights.map { total += $0; return total }
}

struct Camera {
    var make: String
    var model: String
    var sizes: [(Int, Int)]
    var isPhone: Bool
    var lens: String?
    var software: String?
}

let full24 = [(6000, 4000), (6048, 4024)], full45 = [(8192, 5464), (8256, 5504)], aps = [(6000, 4000), (5184, 3456)]
let mft = [(5184, 3888), (4608, 3456)], phone12 = [(4032, 3024), (3024, 4032)], phone48 = [(4284, 5712), (8064, 6048)]
/// About thirty cameras, most popular first; popularity falls off roughly as 1/rank.
let cameras: [Camera] = [
    Camera(make: "Apple", model: "iPhone 13", sizes: phone12, isPhone: true, lens: "iPhone 13 back dual wide camera 5.1mm f/1.6", software: "16.5"),
    Camera(make: "Apple", model: "iPhone 15 Pro", sizes: phone48, isPhone: true, lens: "iPhone 15 Pro back triple camera 6.86mm f/1.78", software: "17.2"),
    Camera(make: "samsung", model: "SM-G991B", sizes: phone12, isPhone: true, lens: nil, software: "G991BXXU5CVLL"),
    Camera(make: "Canon", model: "Canon EOS 5D Mark IV", sizes: [(6720, 4480)], isPhone: false, lens: "EF24-105mm f/4L IS II USM", software: "Firmware Version 1.3.3"),
    Camera(make: "Apple", model: "iPhone 11", sizes: phone12, isPhone: true, lens: nil, software: "15.7"),
    Camera(make: "Google", model: "Pixel 7", sizes: [(4080, 3072)], isPhone: true, lens: nil, software: "HDR+ 1.0"),
    Camera(make: "SONY", model: "ILCE-7M3", sizes: full24, isPhone: false, lens: "FE 24-70mm F2.8 GM", software: "ILCE-7M3 v4.01"),
    Camera(make: "NIKON CORPORATION", model: "NIKON D750", sizes: full24, isPhone: false, lens: "24.0-120.0 mm f/4.0", software: "Ver.1.15"),
    Camera(make: "Canon", model: "Canon EOS R5", sizes: full45, isPhone: false, lens: "RF24-105mm F4 L IS USM", software: "Firmware Version 1.8.1"),
    Camera(make: "FUJIFILM", model: "X-T3", sizes: [(6240, 4160)], isPhone: false, lens: "XF18-55mmF2.8-4 R LM OIS", software: "Digital Camera X-T3 Ver4.10"),
    Camera(make: "Apple", model: "iPhone 8", sizes: phone12, isPhone: true, lens: nil, software: "14.8"),
    Camera(make: "Canon", model: "Canon EOS 80D", sizes: aps, isPhone: false, lens: "EF-S18-135mm f/3.5-5.6 IS USM", software: "Firmware Version 1.0.3"),
    Camera(make: "NIKON CORPORATION", model: "NIKON Z 6", sizes: full24, isPhone: false, lens: "NIKKOR Z 24-70mm f/4 S", software: "Ver.3.30"),
    Camera(make: "samsung", model: "SM-S918B", sizes: [(4000, 3000)], isPhone: true, lens: nil, software: "S918BXXU1AWBD"),
    Camera(make: "OLYMPUS CORPORATION", model: "E-M10MarkII", sizes: mft, isPhone: false, lens: "OLYMPUS M.14-42mm F3.5-5.6 EZ", software: "Version 1.2"),
    Camera(make: "Panasonic", model: "DMC-GH4", sizes: mft, isPhone: false, lens: "LUMIX G VARIO 12-35/F2.8", software: "Ver.2.5"),
    Camera(make: "SONY", model: "DSC-RX100M3", sizes: [(5472, 3648)], isPhone: false, lens: nil, software: "DSC-RX100M3 v1.00"),
    Camera(make: "Canon", model: "Canon PowerShot S95", sizes: [(3648, 2736)], isPhone: false, lens: nil, software: nil),
    Camera(make: "Google", model: "Pixel 4a", sizes: [(4032, 3024)], isPhone: true, lens: nil, software: "HDR+ 1.0"),
    Camera(make: "NIKON CORPORATION", model: "NIKON D3200", sizes: aps, isPhone: false, lens: "18.0-55.0 mm f/3.5-5.6", software: "Ver.1.02"),
    Camera(make: "Xiaomi", model: "Redmi Note 8 Pro", sizes: [(4624, 3472)], isPhone: true, lens: nil, software: "begonia-user 11"),
    Camera(make: "HUAWEI", model: "P30 Pro", sizes: [(3648, 2736)], isPhone: true, lens: nil, software: "VOG-L29 10.0"),
    Camera(make: "Canon", model: "Canon EOS 350D DIGITAL", sizes: [(3456, 2304)], isPhone: false, lens: nil, software: "Firmware Version 1.0.3"),
    Camera(make: "FUJIFILM", model: "X100V", sizes: [(6240, 4160)], isPhone: false, lens: nil, software: "Digital Camera X100V Ver1.30"),
    Camera(make: "LEICA CAMERA AG", model: "LEICA Q2", sizes: full45, isPhone: false, lens: "SUMMILUX 1:1.7/28 ASPH.", software: "3.0"),
    Camera(make: "NIKON", model: "COOLPIX P900", sizes: [(4608, 3456)], isPhone: false, lens: nil, software: "COOLPIX P900V1.1"),
    Camera(make: "Nokia", model: "Lumia 1020", sizes: [(7712, 4352)], isPhone: true, lens: nil, software: "Windows Phone"),
    Camera(make: "PENTAX", model: "PENTAX K-1", sizes: [(7360, 4912)], isPhone: false, lens: nil, software: "PENTAX K-1 Ver 1.50"),
    Camera(make: "GoPro", model: "HERO9 Black", sizes: [(5184, 3888)], isPhone: false, lens: nil, software: "HD9.01.01.60.00"),
    Camera(make: "DJI", model: "FC3170", sizes: [(4000, 3000)], isPhone: false, lens: nil, software: "v01.00.0300"),
]
let cameraWeights = cumulative(cameras.indices.map { 1 / pow(Double($0) + 1.5, 0.9) })

/// About twenty cities with their UTC offsets: GPS positions cluster around them.
let cities: [(latitude: Double, longitude: Double, offset: String)] = [
    (48.8566, 2.3522, "+01:00"), (51.5074, -0.1278, "+00:00"), (40.7128, -74.0060, "-05:00"),
    (35.6762, 139.6503, "+09:00"), (52.5200, 13.4050, "+01:00"), (41.9028, 12.4964, "+01:00"),
    (37.7749, -122.4194, "-08:00"), (-33.8688, 151.2093, "+10:00"), (55.7558, 37.6173, "+03:00"),
    (19.4326, -99.1332, "-06:00"), (-22.9068, -43.1729, "-03:00"), (1.3521, 103.8198, "+08:00"),
    (28.6139, 77.2090, "+05:30"), (30.0444, 31.2357, "+02:00"), (-36.8485, 174.7633, "+12:00"),
    (64.1466, -21.9426, "+00:00"), (45.5017, -73.5673, "-05:00"), (59.3293, 18.0686, "+01:00"),
    (-1.2921, 36.8219, "+03:00"), (21.3069, -157.8583, "-10:00"),
]
let cityWeights = cumulative(cities.indices.map { 1 / (Double($0) + 2) })
let years = Array(2005...2025)
let yearWeights = cumulative(years.map { pow(Double($0 - 2004), 1.6) })
let owners = ["alice", "bob", "carol", "dave", "erin"]
let isoStops = [50, 64, 80, 100, 125, 160, 200, 250, 320, 400, 500, 640, 800, 1000, 1250, 1600, 2000, 2500,
                3200, 4000, 5000, 6400, 8000, 10000, 12800]
let apertures = [1.4, 1.8, 2.0, 2.8, 3.5, 4.0, 5.6, 8.0, 11.0, 16.0]
let exposures: [Double] = [8000, 4000, 2000, 1000, 500, 250, 125, 60, 30, 15, 2, 0.5].map { 1 / $0 }
let daysBefore = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]

func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

func hexDigest(_ random: inout Generator) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(128)
    for _ in 0..<8 {
        var word = random.next()
        for _ in 0..<16 {
            bytes.append(digits[Int(word & 0xF)])
            word >>= 4
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// One synthetic image; `serial` numbers file names.
func makeImage(_ random: inout Generator, serial: Int) -> NewImage {
    let camera = cameras[random.pick(cumulative: cameraWeights)]
    let (width, height) = camera.sizes[Int(random.next() % UInt64(camera.sizes.count))]
    let year = years[random.pick(cumulative: yearWeights)]
    let month = Int(random.next() % 12) + 1
    let day = Int(random.next() % 28) + 1
    let hour = Int(random.next() % 24), minute = Int(random.next() % 60), second = Int(random.next() % 60)
    let takenText = "\(year)-\(twoDigits(month))-\(twoDigits(day))T\(twoDigits(hour)):\(twoDigits(minute)):\(twoDigits(second))"

    let roll = random.unit()
    var exif = ExifData.absent
    // About 10% have no EXIF at all, another 10% EXIF without a capture time.
    if roll >= 0.10 {
        var summary = ExifSummary()
        summary.make = camera.make
        summary.model = camera.model
        summary.lens = camera.lens
        summary.software = camera.software
        if roll >= 0.20 { summary.takenLocal = takenText }
        summary.iso = Double(isoStops[min(isoStops.count - 1, Int(pow(random.unit(), 1.6) * Double(isoStops.count)))])
        summary.fNumber = camera.isPhone ? 1.8 : apertures[Int(random.next() % UInt64(apertures.count))]
        summary.exposureTime = exposures[Int(random.next() % UInt64(exposures.count))]
        summary.focalLength = camera.isPhone ? 5.1 : Double(Int(random.next() % 180) + 12)
        summary.orientation = random.unit() < 0.8 ? 1 : 6
        if random.unit() < 0.35 {
            let city = cities[random.pick(cumulative: cityWeights)]
            // Spread of about 10 km around the centre.
            summary.gpsLatitude = city.latitude + random.normal() * 0.09
            summary.gpsLongitude = city.longitude + random.normal() * 0.09 / max(0.2, cos(city.latitude * Double.pi / 180))
            summary.gpsAltitude = (random.unit() * 300).rounded()
            if summary.takenLocal != nil, random.unit() < 0.9 { summary.takenOffset = city.offset }
        }
        if summary.takenLocal != nil, summary.takenOffset == nil, random.unit() < 0.45 {
            summary.takenOffset = cities[random.pick(cumulative: cityWeights)].offset
        }
        exif = ExifData(status: .read, summary: summary)
    }

    let formatRoll = random.unit()
    let isHEIC = camera.isPhone && camera.make == "Apple" && formatRoll < 0.5
    let isPNG = !isHEIC && formatRoll > 0.95
    // Log-normal, median about 4.7 MB: most files between 3 and 8 MB.
    var size = exp(log(4.7e6) + random.normal() * 0.3)
    if isPNG { size *= 2.5 }
    let prefix = camera.isPhone ? "IMG_" : (camera.make.hasPrefix("NIKON") ? "DSC_" : "_MG_")
    let name = prefix + String(1000 + serial % 9000) + (isHEIC ? ".HEIC" : isPNG ? ".PNG" : ".JPG")
    let owner = owners[min(owners.count - 1, Int(pow(random.unit(), 1.5) * Double(owners.count)))]
    // Uploaded some time after capture, no later than 2026.
    let capture = (Int64(year) - 1970) * 31_556_952 + Int64(daysBefore[month - 1] + day) * 86_400 + Int64(hour * 3600)
    let uploaded = min(capture + Int64(random.unit() * 90 * 86_400), 1_767_225_600 - Int64(random.next() % 10_000_000))
    var image = NewImage(sha512: hexDigest(&random), originalName: name,
                         originalPath: "/home/\(owner)/Pictures/\(year)/\(name)", owner: owner,
                         uploadedAt: Timestamp(microseconds: uploaded * 1_000_000 + Int64(random.next() % 1_000_000)),
                         byteSize: Int64(size), format: isHEIC ? .heic : isPNG ? .png : .jpeg, width: width, height: height, exif: exif)
    image.fingerprints = ImageFingerprints(perceptualHash: perceptualHash(&random))
    image.fingerprintVersion = 1
    return image
}

/// The last perceptual hashes handed out, which near-duplicates copy.
nonisolated(unsafe) var recentHashes: [UInt64] = []

/// A perceptual hash: uniformly random, except that about 5% of images are near-duplicates of
/// a recent one (a burst, an edited copy): its hash with 0–6 bits flipped.
func perceptualHash(_ random: inout Generator) -> UInt64 {
    var hash = random.next()
    if !recentHashes.isEmpty, random.unit() < 0.05 {
        hash = recentHashes[Int(random.next() % UInt64(recentHashes.count))]
        for _ in 0..<Int(random.next() % 7) { hash ^= 1 << (random.next() % 64) }
    }
    if recentHashes.count < 64 { recentHashes.append(hash) } else { recentHashes[Int(random.next() % 64)] = hash }
    return hash
}

/// Writes `text` to standard error.
func printError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}

func fail(_ message: String) -> Never {
    printError("imgrepo-synth: \(message)\nusage: imgrepo-synth --catalogue PATH|mysql://USER@HOST[:PORT]/DB --count N [--seed S]\n")
    exit(64)
}

var catalogue: String?
var count: Int?
var seed: UInt64 = 1
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--catalogue":
        catalogue = arguments.popFirst()
    case "--count":
        guard let text = arguments.popFirst(), let n = Int(text), n >= 0 else { fail("--count needs a number") }
        count = n
    case "--seed":
        guard let text = arguments.popFirst(), let n = UInt64(text) else { fail("--seed needs a number") }
        seed = n
    case "-h", "--help":
        print("usage: imgrepo-synth --catalogue PATH|mysql://USER@HOST[:PORT]/DB --count N [--seed S]")
        exit(0)
    default:
        fail("unknown argument '\(argument)'")
    }
}
guard let catalogue else { fail("--catalogue is required") }
guard let count else { fail("--count is required") }

let clock = { () -> Double in
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
let started = clock()
do {
    // A bare path is a SQLite file, as before the registry; bulk loads want a large page cache.
    let url = catalogue.contains("://") || catalogue.hasPrefix("sqlite:") ? catalogue : "sqlite:" + catalogue
    let store = try CatalogueRegistry.open(url, repositoryRoot: ".", options: .init(sqliteCacheMebibytes: 256)) {
        getenv("IMGREPO_DB_PASSWORD").map { String(cString: $0) }
    }
    let before = try store.count()
    // Mix the catalogue's size into the seed so that appending does not repeat earlier rows.
    var random = Generator(state: seed &* 0x2545_F491_4F6C_DD1D &+ UInt64(before))
    var batch: [NewImage] = []
    batch.reserveCapacity(10_000)
    var recent: [NewImage] = []
    var duplicates = 0
    var made = 0
    while made < count {
        let image = makeImage(&random, serial: before + made)
        batch.append(image)
        made += 1
        if recent.count < 256 { recent.append(image) } else { recent[made % 256] = image }
        // About 1% are re-uploads of a recent image under another name.
        if random.unit() < 0.01, var again = recent.randomElement(using: &random) {
            again.originalName = "copy of " + again.originalName
            again.originalPath = again.originalPath.map { $0 + ".copy" }
            batch.append(again)
            duplicates += 1
        }
        if batch.count >= 10_000 || made == count {
            _ = try store.insert(contentsOf: batch)
            batch.removeAll(keepingCapacity: true)
        }
    }
    if !batch.isEmpty { _ = try store.insert(contentsOf: batch) }
    let seconds = clock() - started
    let total = try store.count()
    printError("imgrepo-synth: \(count) images (+\(duplicates) duplicate uploads) into \(catalogue) in "
          + "\(Double(Int(seconds * 10)) / 10) s; \(total) images in all\n")
} catch {
    printError("imgrepo-synth: \(error)\n")
    exit(1)
}
