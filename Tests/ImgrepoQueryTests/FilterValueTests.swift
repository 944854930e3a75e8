import ImgrepoCore
import Testing

@Suite("Command-line globs, shapes, places, types and sort keys")
struct FilterValueTests {
    @Test func globsPassThroughCheckedAndCaseInsensitive() throws {
        #expect(try FilterParser.glob("Canon*", field: .make, option: "--make") == .glob(.make, "Canon*"))
        #expect(try FilterParser.glob("canon", field: .make, option: "--make") == .glob(.make, "canon"))
        #expect(try FilterParser.glob("IMG_[0-9]??.JPG", field: .name, option: "--name") == .glob(.name, "IMG_[0-9]??.JPG"))
        #expect(try FilterParser.glob("[]x]*", field: .name, option: "--name") == .glob(.name, "[]x]*"))
        #expect(try FilterParser.glob(" with spaces ", field: .name, option: "--name") == .glob(.name, " with spaces "))
        #expect(try FilterParser.predicate("Nikon*", field: .make, option: "--make") == .glob(.make, "Nikon*"))
        #expect(try FilterParser.predicate("100..", field: .iso, option: "--iso") == cmp(.iso, .greaterOrEqual, Int64(100)))
        #expect(invalidArgument("--name IMG[0-9") { try FilterParser.glob("IMG[0-9", field: .name, option: "--name") } == "unclosed '[' in pattern")
        #expect(invalidArgument("--make ") { try FilterParser.glob("", field: .make, option: "--make") } == "empty pattern")
        #expect(invalidArgument("--iso 1*") { try FilterParser.glob("1*", field: .iso, option: "--iso") } != nil)
    }

    @Test func orientationWords() throws {
        #expect(try FilterParser.orientation("landscape", option: "--orientation") == .landscape)
        #expect(try FilterParser.orientation("Portrait", option: "--orientation") == .portrait)
        #expect(try FilterParser.orientation("square", option: "--orientation") == .square)
        #expect(invalidArgument("--orientation wide") { try FilterParser.orientation("wide", option: "--orientation") } == "expected landscape, portrait or square")
    }

    /// A stand-in for "stored width op stored height" until the model can compare two fields.
    static func widthVersusHeight(_ op: ComparisonOperator) -> QueryPredicate { .compare(.width, op, .text("height")) }

    @Test func orientationAppliesQuarterTurnsAndTreatsMissingAsUpright() {
        let turned: [QueryPredicate] = [cmp(.orientation, .greaterOrEqual, Int64(5)), cmp(.orientation, .lessOrEqual, Int64(8))]
        let upright = QueryPredicate.or([.isNull(.orientation), cmp(.orientation, .less, Int64(5)), cmp(.orientation, .greater, Int64(8))])
        let w = Self.widthVersusHeight
        #expect(DisplayOrientation.landscape.predicate(widthVersus: w)
                == .or([.and(turned + [w(.less)]), .and([upright, w(.greater)])]))
        #expect(DisplayOrientation.portrait.predicate(widthVersus: w)
                == .or([.and(turned + [w(.greater)]), .and([upright, w(.less)])]))
        #expect(DisplayOrientation.square.predicate(widthVersus: w) == w(.equal))
    }

    @Test func near() throws {
        #expect(try FilterParser.near("48.8566,2.3522,25", option: "--near") == .near(latitude: 48.8566, longitude: 2.3522, kilometres: 25))
        #expect(try FilterParser.near("-33.86, 151.2, 0.5", option: "--near") == .near(latitude: -33.86, longitude: 151.2, kilometres: 0.5))
        #expect(try FilterParser.near("90,-180,1", option: "--near") == .near(latitude: 90, longitude: -180, kilometres: 1))
        #expect(invalidArgument("--near 91,0,5") { try FilterParser.near("91,0,5", option: "--near") } == "latitude 91 is outside -90...90")
        #expect(invalidArgument("--near 0,180.5,5") { try FilterParser.near("0,180.5,5", option: "--near") } == "longitude 180.5 is outside -180...180")
        #expect(invalidArgument("--near 0,0,0") { try FilterParser.near("0,0,0", option: "--near") } == "distance 0 must be more than 0 km")
        #expect(invalidArgument("--near 0,0,-5") { try FilterParser.near("0,0,-5", option: "--near") } == "distance -5 must be more than 0 km")
        #expect(invalidArgument("--near 0,0") { try FilterParser.near("0,0", option: "--near") } == "expected latitude,longitude,kilometres")
        #expect(invalidArgument("--near nan,0,5") { try FilterParser.near("nan,0,5", option: "--near") } == "latitude nan: not a number")
        #expect(invalidArgument("--near 0,0,inf") { try FilterParser.near("0,0,inf", option: "--near") } == "distance inf: not a number")
    }

    @Test func boundingBox() throws {
        #expect(try FilterParser.boundingBox("45,5,48,11", option: "--bbox") == .boundingBox(south: 45, west: 5, north: 48, east: 11))
        #expect(try FilterParser.boundingBox("-10,170,10,-170", option: "--bbox") == .boundingBox(south: -10, west: 170, north: 10, east: -170))
        #expect(invalidArgument("--bbox 48,5,45,11") { try FilterParser.boundingBox("48,5,45,11", option: "--bbox") } == "south 48 is north of north 45")
        #expect(invalidArgument("--bbox -91,5,45,11") { try FilterParser.boundingBox("-91,5,45,11", option: "--bbox") } == "south -91 is outside -90...90")
        #expect(invalidArgument("--bbox 1,2,3") { try FilterParser.boundingBox("1,2,3", option: "--bbox") } == "expected south,west,north,east")
        #expect(invalidArgument("--bbox 1,x,3,4") { try FilterParser.boundingBox("1,x,3,4", option: "--bbox") } == "west x: not a number")
    }

    @Test func types() throws {
        #expect(try FilterParser.formats("jpeg", option: "--type") == cmp(.format, .equal, "jpeg"))
        #expect(try FilterParser.formats("jpeg,png", option: "--type") == .or([cmp(.format, .equal, "jpeg"), cmp(.format, .equal, "png")]))
        #expect(try FilterParser.formats("JPG, tif,jpeg", option: "--type") == .or([cmp(.format, .equal, "jpeg"), cmp(.format, .equal, "tiff")]))
        let reason = invalidArgument("--type jpeg,raw") { try FilterParser.formats("jpeg,raw", option: "--type") }
        #expect(reason == "unknown type 'raw' (known: jpeg, png, gif, webp, tiff, bmp, heic, heif, avif; also jpg, tif)")
        #expect(invalidArgument("--type jpeg,") { try FilterParser.formats("jpeg,", option: "--type") }?.hasPrefix("empty type") == true)
    }

    @Test func sortKeys() throws {
        #expect(try FilterParser.sortOrder("taken,-size", option: "--sort") == [SortOrder(.taken), SortOrder(.size, descending: true)])
        #expect(try FilterParser.sortOrder("+ISO, -f_number", option: "--sort") == [SortOrder(.iso), SortOrder(.fnumber, descending: true)])
        let reason = invalidArgument("--sort sizee") { try FilterParser.sortOrder("sizee", option: "--sort") }
        #expect(reason?.hasPrefix("unknown field 'sizee' (fields: id, sha512, name,") == true)
        #expect(invalidArgument("--sort size,-size") { try FilterParser.sortOrder("size,-size", option: "--sort") } == "size appears twice")
        #expect(invalidArgument("--sort taken,") { try FilterParser.sortOrder("taken,", option: "--sort") } == "empty sort key")
        #expect(invalidArgument("--sort -") { try FilterParser.sortOrder("-", option: "--sort") } == "empty sort key")
    }
}
