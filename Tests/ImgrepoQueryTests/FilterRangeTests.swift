import ImgrepoCore
import Testing

@Suite("Command-line ranges over numbers")
struct NumberRangeTests {
    @Test func integerRangeFormsAreInclusive() throws {
        #expect(try FilterParser.range("100..400", field: .iso, option: "--iso") == .and([cmp(.iso, .greaterOrEqual, Int64(100)), cmp(.iso, .lessOrEqual, Int64(400))]))
        #expect(try FilterParser.range("1600..", field: .iso, option: "--iso") == cmp(.iso, .greaterOrEqual, Int64(1600)))
        #expect(try FilterParser.range("..400", field: .iso, option: "--iso") == cmp(.iso, .lessOrEqual, Int64(400)))
        #expect(try FilterParser.range("200", field: .iso, option: "--iso") == cmp(.iso, .equal, Int64(200)))
        #expect(try FilterParser.range("400..400", field: .iso, option: "--iso") == .and([cmp(.iso, .greaterOrEqual, Int64(400)), cmp(.iso, .lessOrEqual, Int64(400))]))
        #expect(try FilterParser.range(" 4000.. ", field: .width, option: "--width") == cmp(.width, .greaterOrEqual, Int64(4000)))
        #expect(try FilterParser.range("+7", field: .id, option: "--id") == cmp(.id, .equal, Int64(7)))
    }

    @Test func realRangesTakeDecimalsAndFractions() throws {
        #expect(try FilterParser.range("..2.8", field: .fnumber, option: "--fnumber") == cmp(.fnumber, .lessOrEqual, 2.8))
        #expect(try FilterParser.range("..1/250", field: .exposure, option: "--exposure") == cmp(.exposure, .lessOrEqual, 0.004))
        #expect(try FilterParser.range("1/250", field: .exposure, option: "--exposure") == cmp(.exposure, .equal, 1.0 / 250))
        #expect(try FilterParser.range("1/1000..1/60", field: .exposure, option: "--exposure")
                == .and([cmp(.exposure, .greaterOrEqual, 0.001), cmp(.exposure, .lessOrEqual, 1.0 / 60)]))
        #expect(try FilterParser.range("0.5..2.5", field: .exposure, option: "--exposure") == .and([cmp(.exposure, .greaterOrEqual, 0.5), cmp(.exposure, .lessOrEqual, 2.5)]))
        #expect(try FilterParser.range("24..70", field: .focal, option: "--focal") == .and([cmp(.focal, .greaterOrEqual, 24.0), cmp(.focal, .lessOrEqual, 70.0)]))
        #expect(try FilterParser.range("1.5/3", field: .exposure, option: "--exposure") == cmp(.exposure, .equal, 0.5))
    }

    @Test func negativeNumbersWhereTheyMakeSense() throws {
        #expect(try FilterParser.range("-100..-50", field: .altitude, option: "--altitude") == .and([cmp(.altitude, .greaterOrEqual, -100.0), cmp(.altitude, .lessOrEqual, -50.0)]))
        #expect(try FilterParser.range("..-33.5", field: .latitude, option: "--latitude") == cmp(.latitude, .lessOrEqual, -33.5))
        #expect(try FilterParser.range("-180..-179.5", field: .longitude, option: "--longitude") == .and([cmp(.longitude, .greaterOrEqual, -180.0), cmp(.longitude, .lessOrEqual, -179.5)]))
        #expect(invalidArgument("--size -5M") { try FilterParser.range("-5M", field: .size, option: "--size") } == "size cannot be negative")
        #expect(invalidArgument("--iso -100..") { try FilterParser.range("-100..", field: .iso, option: "--iso") } == "-100: iso cannot be negative")
    }

    @Test func sizeUnitsAreDecimalUnlessBinary() throws {
        let cases: [(String, Int64)] = [
            ("5M", 5_000_000), ("5MB", 5_000_000), ("5mb", 5_000_000), ("4.2M", 4_200_000), ("1K", 1_000), ("1kb", 1_000),
            ("2G", 2_000_000_000), ("1T", 1_000_000_000_000), ("1TB", 1_000_000_000_000), ("512B", 512), ("512", 512),
            ("1KiB", 1_024), ("3MiB", 3 * 1_048_576), ("1.5KiB", 1_536), ("1GiB", 1 << 30), ("2TiB", 2 << 40), ("0.5k", 500),
        ]
        for (text, bytes) in cases {
            #expect(try FilterParser.range(text + "..", field: .size, option: "--size") == cmp(.size, .greaterOrEqual, bytes), "\(text)")
        }
        #expect(try FilterParser.range("1M..2.5M", field: .size, option: "--size") == .and([cmp(.size, .greaterOrEqual, Int64(1_000_000)), cmp(.size, .lessOrEqual, Int64(2_500_000))]))
    }

    @Test func pixelUnitsCountPixels() throws {
        #expect(try FilterParser.range("12M..", field: .pixels, option: "--pixels") == cmp(.pixels, .greaterOrEqual, Int64(12_000_000)))
        #expect(try FilterParser.range("12MP..", field: .pixels, option: "--pixels") == cmp(.pixels, .greaterOrEqual, Int64(12_000_000)))
        #expect(try FilterParser.range("..800K", field: .pixels, option: "--pixels") == cmp(.pixels, .lessOrEqual, Int64(800_000)))
        #expect(try FilterParser.range("24.2M", field: .pixels, option: "--pixels") == cmp(.pixels, .equal, Int64(24_200_000)))
        #expect(invalidArgument("--pixels 5MiB") { try FilterParser.range("5MiB", field: .pixels, option: "--pixels") }?.hasPrefix("unknown unit 'MiB'") == true)
    }

    @Test func badNumbersNameOptionAndValue() {
        #expect(invalidArgument("--iso abc") { try FilterParser.range("abc", field: .iso, option: "--iso") } == "not a number")
        #expect(invalidArgument("--iso 400..100") { try FilterParser.range("400..100", field: .iso, option: "--iso") } == "empty range: 400 comes after 100")
        #expect(invalidArgument("--size 5X") { try FilterParser.range("5X", field: .size, option: "--size") }?.hasPrefix("unknown unit 'X'") == true)
        #expect(invalidArgument("--iso 100.5") { try FilterParser.range("100.5", field: .iso, option: "--iso") } == "iso takes whole numbers")
        #expect(invalidArgument("--size 1.0005K") { try FilterParser.range("1.0005K", field: .size, option: "--size") } == "size takes whole numbers")
        #expect(invalidArgument("--iso 1/2") { try FilterParser.range("1/2", field: .iso, option: "--iso") } == "iso takes whole numbers, not fractions")
        #expect(invalidArgument("--iso 5K") { try FilterParser.range("5K", field: .iso, option: "--iso") } == "not a number")
        #expect(invalidArgument("--exposure 1/0") { try FilterParser.range("1/0", field: .exposure, option: "--exposure") } == "division by zero")
        #expect(invalidArgument("--fnumber 2.8mm") { try FilterParser.range("2.8mm", field: .fnumber, option: "--fnumber") } == "not a number")
        for garbage in ["nan", "NaN", "inf", "-inf", "infinity", "1e3", "0x10", ".5", "5.", "1,5", "--1", "", "  "] {
            #expect(invalidArgument("--exposure \(garbage)") { try FilterParser.range(garbage, field: .exposure, option: "--exposure") } != nil, "\(garbage)")
        }
        #expect(invalidArgument("--iso 99999999999999999999") { try FilterParser.range("99999999999999999999", field: .iso, option: "--iso") } == "number too large")
        #expect(invalidArgument("--size 10000000T") { try FilterParser.range("10000000T", field: .size, option: "--size") } == "number too large")
        let huge = "1" + String(repeating: "0", count: 400)
        #expect(invalidArgument("--altitude \(huge)") { try FilterParser.range(huge, field: .altitude, option: "--altitude") } == "number too large")
        #expect(invalidArgument("--iso ..") { try FilterParser.range("..", field: .iso, option: "--iso") } == "a range needs at least one bound")
        #expect(invalidArgument("--iso 1..2..3") { try FilterParser.range("1..2..3", field: .iso, option: "--iso") } == "more than one '..'")
        #expect(invalidArgument("--iso 1...5") { try FilterParser.range("1...5", field: .iso, option: "--iso") } == ".5: not a number")
        #expect(invalidArgument("--iso 100..abc") { try FilterParser.range("100..abc", field: .iso, option: "--iso") } == "abc: not a number")
        #expect(invalidArgument("--make 1..2") { try FilterParser.range("1..2", field: .make, option: "--make") } != nil)
    }
}

@Suite("Command-line ranges over dates")
struct DateRangeTests {
    func taken(_ text: String) throws -> QueryPredicate { try FilterParser.range(text, field: .taken, option: "--taken") }

    @Test func singleDatesMeanTheirPeriod() throws {
        #expect(try taken("2024") == takenWithin("2024-01-01T00:00:00", "2025-01-01T00:00:00"))
        #expect(try taken("2023-06") == takenWithin("2023-06-01T00:00:00", "2023-07-01T00:00:00"))
        #expect(try taken("2023-12") == takenWithin("2023-12-01T00:00:00", "2024-01-01T00:00:00"))
        #expect(try taken("2023-06-30") == takenWithin("2023-06-30T00:00:00", "2023-07-01T00:00:00"))
        #expect(try taken("2023-12-31") == takenWithin("2023-12-31T00:00:00", "2024-01-01T00:00:00"))
        #expect(try taken("2023-06-01T12:30") == takenWithin("2023-06-01T12:30:00", "2023-06-01T12:31:00"))
        #expect(try taken("2023-06-01T23:59") == takenWithin("2023-06-01T23:59:00", "2023-06-02T00:00:00"))
        #expect(try taken("2023-06-01T12:30:15") == takenWithin("2023-06-01T12:30:15", "2023-06-01T12:30:16"))
        #expect(try taken("2023-12-31T23:59:59") == takenWithin("2023-12-31T23:59:59", "2024-01-01T00:00:00"))
        #expect(try taken("2023-06-01 12:30") == takenWithin("2023-06-01T12:30:00", "2023-06-01T12:31:00"))
    }

    @Test func rangesRunFromStartOfFirstToEndOfLast() throws {
        #expect(try taken("2023-06..2023-08-15") == takenWithin("2023-06-01T00:00:00", "2023-08-16T00:00:00"))
        #expect(try taken("..2022-12-31") == cmp(.taken, .less, "2023-01-01T00:00:00"))
        #expect(try taken("2023..") == cmp(.taken, .greaterOrEqual, "2023-01-01T00:00:00"))
        #expect(try taken("2023..2023") == takenWithin("2023-01-01T00:00:00", "2024-01-01T00:00:00"))
        #expect(try taken("2023-06-15..2023-06") == takenWithin("2023-06-15T00:00:00", "2023-07-01T00:00:00"))
        #expect(try taken("2023-06-01T08:00..2023-06-01T17:30:00") == takenWithin("2023-06-01T08:00:00", "2023-06-01T17:30:01"))
    }

    @Test func leapYears() throws {
        #expect(try taken("2024-02-29") == takenWithin("2024-02-29T00:00:00", "2024-03-01T00:00:00"))
        #expect(try taken("2024-02") == takenWithin("2024-02-01T00:00:00", "2024-03-01T00:00:00"))
        #expect(try taken("2000-02-29") == takenWithin("2000-02-29T00:00:00", "2000-03-01T00:00:00"))
        #expect(try taken("2023-02-28") == takenWithin("2023-02-28T00:00:00", "2023-03-01T00:00:00"))
        #expect(invalidArgument("--taken 2023-02-29") { try taken("2023-02-29") } == "day 29 does not exist in 2023-02, which has 28 days")
        #expect(invalidArgument("--taken 1900-02-29") { try taken("1900-02-29") } == "day 29 does not exist in 1900-02, which has 28 days")
    }

    @Test func yearNineThousandNineHundredNinetyNineEndsAfterEveryTime() throws {
        #expect(try taken("9999") == takenWithin("9999-01-01T00:00:00", "9999-12-31T24:00:00"))
        #expect(try taken("9999-12-31T23:59:59") == takenWithin("9999-12-31T23:59:59", "9999-12-31T24:00:00"))
    }

    @Test func badDatesNameOptionAndValue() {
        #expect(invalidArgument("--taken 2023-13") { try taken("2023-13") } == "month 13 does not exist")
        #expect(invalidArgument("--taken 2023-00") { try taken("2023-00") } == "month 0 does not exist")
        #expect(invalidArgument("--taken 2023-02-30") { try taken("2023-02-30") } == "day 30 does not exist in 2023-02, which has 28 days")
        #expect(invalidArgument("--taken 2023-04-31") { try taken("2023-04-31") } == "day 31 does not exist in 2023-04, which has 30 days")
        #expect(invalidArgument("--taken 2023-06-01T24:00") { try taken("2023-06-01T24:00") } == "no such time of day: 24:00")
        #expect(invalidArgument("--taken 2023-06-01T12:60") { try taken("2023-06-01T12:60") } == "no such time of day: 12:60")
        #expect(invalidArgument("--taken 2023-06-01T12:30:60") { try taken("2023-06-01T12:30:60") } == "second 60 does not exist")
        #expect(invalidArgument("--taken 2023-08..2023-06") { try taken("2023-08..2023-06") } == "empty range: 2023-08 comes after 2023-06")
        #expect(invalidArgument("--taken 2023-06-01T12:00Z") { try taken("2023-06-01T12:00Z") }?.hasPrefix("taken is the camera's wall-clock time") == true)
        for malformed in ["23", "2023-6", "2023-06-1", "2023/06/01", "2023-06-01T12", "2023-06-01T12:30:00.5", "June", "2023-06-01Z", "2023-06-01T12:30+2"] {
            #expect(invalidArgument("--taken \(malformed)") { try taken(malformed) }?.hasPrefix("not a date") == true, "\(malformed)")
        }
        #expect(invalidArgument("--taken 2023-13..2024") { try taken("2023-13..2024") } == "2023-13: month 13 does not exist")
    }

    @Test func instantsWithOffsetsAreExact() throws {
        let uploaded = { (text: String) in try FilterParser.range(text, field: .uploaded, option: "--uploaded") }
        #expect(try uploaded("2023-06-01T12:30Z") == .and([cmp(.uploaded, .greaterOrEqual, utc("2023-06-01T12:30:00Z")), cmp(.uploaded, .less, utc("2023-06-01T12:31:00Z"))]))
        #expect(try uploaded("2023-06-01T12:30:00+02:00..") == cmp(.uploaded, .greaterOrEqual, utc("2023-06-01T10:30:00Z")))
        #expect(try uploaded("..2023-06-01T23:59:59-05:30") == cmp(.uploaded, .less, utc("2023-06-02T05:30:00Z")))
        #expect(try FilterParser.range("2023-06-01T12:30:00Z", field: .takenUTC, option: "--taken-utc")
                == .and([cmp(.takenUTC, .greaterOrEqual, Int64(1_685_622_600_000_000)), cmp(.takenUTC, .less, Int64(1_685_622_601_000_000))]))
        #expect(invalidArgument("--uploaded 2023-06-01T12:00Z..2023-06-01T13:00+02:00") {
            try uploaded("2023-06-01T12:00Z..2023-06-01T13:00+02:00")
        } == "empty range: 2023-06-01T12:00Z comes after 2023-06-01T13:00+02:00")
    }

    @Test func instantsWithoutOffsetAreLocalTime() throws {
        let uploaded = { (text: String) in try FilterParser.range(text, field: .uploaded, option: "--uploaded") }
        #expect(try uploaded("2024") == .and([cmp(.uploaded, .greaterOrEqual, local("2024")), cmp(.uploaded, .less, local("2025"))]))
        #expect(try uploaded("2023-03..2023-11-05") == .and([cmp(.uploaded, .greaterOrEqual, local("2023-03")), cmp(.uploaded, .less, local("2023-11-06"))]))
        #expect(try uploaded("2023-06-01T12:30") == .and([cmp(.uploaded, .greaterOrEqual, local("2023-06-01T12:30")), cmp(.uploaded, .less, local("2023-06-01T12:31"))]))
        #expect(try uploaded("..2022-12-31") == cmp(.uploaded, .less, local("2023-01-01")))
    }

    @Test func beforeMeansBeforeThePeriodStarts() throws {
        #expect(try FilterParser.before("2023-06", field: .taken, option: "--taken-before") == cmp(.taken, .less, "2023-06-01T00:00:00"))
        #expect(try FilterParser.before("2023-06-01T00:00Z", field: .uploaded, option: "--uploaded-before") == cmp(.uploaded, .less, utc("2023-06-01T00:00:00Z")))
        #expect(invalidArgument("--taken-before 2023-13") { try FilterParser.before("2023-13", field: .taken, option: "--taken-before") } == "month 13 does not exist")
    }
}
