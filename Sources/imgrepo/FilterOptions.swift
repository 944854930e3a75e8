import ArgumentParser
import ImgrepoCore

/// The filters every command that selects images takes (list, stats, and later verify).
/// Options of different kinds combine with AND; a repeated option ORs within itself.
struct FilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Camera time range: 2024, 2023-06..2023-08-15, 2023.., ..2022-12-31.", valueName: "range"))
    var taken: [String] = []

    @Option(help: ArgumentHelp("Upload time range, in the local time zone unless an offset is given.", valueName: "range"))
    var uploaded: [String] = []

    @Option(help: .hidden) var takenAfter: String?
    @Option(help: .hidden) var takenBefore: String?
    @Option(help: .hidden) var uploadedAfter: String?
    @Option(help: .hidden) var uploadedBefore: String?

    @Option(help: ArgumentHelp("Camera make: text it contains, or a glob ('Canon*'); any case.", valueName: "text"))
    var make: [String] = []

    @Option(help: ArgumentHelp("Camera model: text it contains, or a glob; any case.", valueName: "text"))
    var model: [String] = []

    @Option(help: ArgumentHelp("Make or model: text either contains, or a glob; any case.", valueName: "text"))
    var camera: [String] = []

    @Option(help: ArgumentHelp("Lens model: text it contains, or a glob; any case.", valueName: "text"))
    var lens: [String] = []

    @Option(help: ArgumentHelp("ISO range: 100..400, 1600.., 200.", valueName: "range"))
    var iso: [String] = []

    @Option(help: ArgumentHelp("F-number range: ..2.8.", valueName: "range"))
    var fnumber: [String] = []

    @Option(help: ArgumentHelp("Exposure time range in seconds: ..1/250.", valueName: "range"))
    var exposure: [String] = []

    @Option(help: ArgumentHelp("Focal length range in mm: 24..70.", valueName: "range"))
    var focal: [String] = []

    @Option(help: ArgumentHelp("Formats, comma-separated: jpeg,png,gif,webp,tiff,bmp,heic,heif,avif.", valueName: "types"),
            completion: .list(["jpeg", "png", "gif", "webp", "tiff", "bmp", "heic", "heif", "avif"]))
    var type: [String] = []

    @Option(help: ArgumentHelp("Original name, a case-insensitive glob ('IMG_*.JPG').", valueName: "glob"))
    var name: [String] = []

    @Option(help: ArgumentHelp("File size range with K, M, G units: 5M...", valueName: "range"))
    var size: [String] = []

    @Option(help: ArgumentHelp("Width range in pixels.", valueName: "range"))
    var width: [String] = []

    @Option(help: ArgumentHelp("Height range in pixels.", valueName: "range"))
    var height: [String] = []

    @Option(help: ArgumentHelp("Pixel count range: 12M...", valueName: "range"))
    var pixels: [String] = []

    @Option(help: ArgumentHelp("landscape, portrait or square, as displayed (EXIF orientation applied).", valueName: "shape"),
            completion: .list(["landscape", "portrait", "square"]))
    var orientation: [String] = []

    @Flag(help: "Only images with GPS coordinates.")
    var hasGps = false

    @Flag(help: "Only images without GPS coordinates.")
    var noGps = false

    @Option(parsing: .unconditionalSingleValue, help: ArgumentHelp("Within KM kilometres of a point: 48.8566,2.3522,25.", valueName: "lat,lon,km"))
    var near: [String] = []

    @Option(parsing: .unconditionalSingleValue, help: ArgumentHelp("Inside a box: south,west,north,east (west > east crosses 180°).", valueName: "s,w,n,e"))
    var bbox: [String] = []

    @Option(help: ArgumentHelp("XMP keyword (dc:subject): a case-insensitive glob over each keyword ('beach', 'holi*').", valueName: "glob"))
    var keyword: [String] = []

    // Unconditional: `--rating -1` (rejected pictures) is a value, not an option.
    @Option(parsing: .unconditionalSingleValue, help: ArgumentHelp("XMP rating range, -1 (rejected) to 5: 4.., 3..4, 5, -1.", valueName: "range"))
    var rating: [String] = []

    @Option(help: ArgumentHelp("Uploaded by this owner.", valueName: "name"))
    var owner: [String] = []

    @Option(name: .customLong("where"), help: ArgumentHelp("An expression over named fields (docs/query-language.md): taken >= 2023-06 and (make = \"Canon\" or iso > 1600).", valueName: "expr"))
    var whereExpressions: [String] = []

    /// Camera texts without glob characters match anywhere in the value (`--camera nikon` finds
    /// "NIKON Z 6"); with them they are globs over the whole value (`--make 'Canon*'`).
    static func containing(_ text: String) -> String {
        text.contains(where: { "*?[".contains($0) }) ? text : "*" + text + "*"
    }

    /// The conjunction of every filter given. Throws usage errors naming the option and value.
    func predicate() throws -> QueryPredicate {
        var result = QueryPredicate.all
        /// One predicate per value of an option, ORed.
        func any(_ values: [String], _ make: (String) throws -> QueryPredicate) throws {
            guard !values.isEmpty else { return }
            let parts = try values.map(make)
            result = result.and(parts.count == 1 ? parts[0] : .or(parts))
        }
        try any(taken) { try FilterParser.range($0, field: .taken, option: "--taken") }
        try any(uploaded) { try FilterParser.range($0, field: .uploaded, option: "--uploaded") }
        if let takenAfter { result = result.and(try FilterParser.range(takenAfter + "..", field: .taken, option: "--taken-after")) }
        if let takenBefore { result = result.and(try FilterParser.before(takenBefore, field: .taken, option: "--taken-before")) }
        if let uploadedAfter { result = result.and(try FilterParser.range(uploadedAfter + "..", field: .uploaded, option: "--uploaded-after")) }
        if let uploadedBefore { result = result.and(try FilterParser.before(uploadedBefore, field: .uploaded, option: "--uploaded-before")) }
        try any(make) { try FilterParser.glob(Self.containing($0), field: .make, option: "--make") }
        try any(model) { try FilterParser.glob(Self.containing($0), field: .model, option: "--model") }
        try any(camera) {
            .or([try FilterParser.glob(Self.containing($0), field: .make, option: "--camera"),
                 try FilterParser.glob(Self.containing($0), field: .model, option: "--camera")])
        }
        try any(lens) { try FilterParser.glob(Self.containing($0), field: .lens, option: "--lens") }
        try any(iso) { try FilterParser.range($0, field: .iso, option: "--iso") }
        try any(fnumber) { try FilterParser.range($0, field: .fnumber, option: "--fnumber") }
        try any(exposure) { try FilterParser.range($0, field: .exposure, option: "--exposure") }
        try any(focal) { try FilterParser.range($0, field: .focal, option: "--focal") }
        try any(type) { try FilterParser.formats($0, option: "--type") }
        try any(name) { try FilterParser.glob($0, field: .name, option: "--name") }
        try any(size) { try FilterParser.range($0, field: .size, option: "--size") }
        try any(width) { try FilterParser.range($0, field: .width, option: "--width") }
        try any(height) { try FilterParser.range($0, field: .height, option: "--height") }
        try any(pixels) { try FilterParser.range($0, field: .pixels, option: "--pixels") }
        try any(orientation) { try FilterParser.orientation($0, option: "--orientation").predicate }
        if hasGps && noGps { throw ImgrepoError.invalidArgument(value: "--has-gps --no-gps", reason: "contradict each other") }
        if hasGps { result = result.and(.not(.isNull(.latitude))) }
        if noGps { result = result.and(.isNull(.latitude)) }
        try any(near) { try FilterParser.near($0, option: "--near") }
        try any(bbox) { try FilterParser.boundingBox($0, option: "--bbox") }
        try any(keyword) { try FilterParser.glob($0, field: .keyword, option: "--keyword") }
        try any(rating) { try FilterParser.range($0, field: .rating, option: "--rating") }
        try any(owner) { .compare(.owner, .equal, .text($0)) }
        try any(whereExpressions) { text in
            do { return try WhereExpression.parse(text) } catch let error as WhereSyntaxError {
                throw ImgrepoError.invalidArgument(value: "--where '\(text)'", reason: error.description)
            }
        }
        return result
    }
}
