import ImgrepoCore
import Testing

@Suite("--where: grammar")
struct WhereGrammarTests {
    func parse(_ text: String) throws -> QueryPredicate { try WhereExpression.parse(text) }

    @Test func theExampleFromTheHelp() throws {
        #expect(try parse(#"taken >= 2023-06 and (make = "Canon" or iso > 1600)"#)
                == .and([cmp(.taken, .greaterOrEqual, "2023-06-01T00:00:00"),
                         .or([cmp(.make, .equal, "Canon"), cmp(.iso, .greater, Int64(1600))])]))
    }

    @Test func everyComparisonOperator() throws {
        #expect(try parse("iso = 100") == cmp(.iso, .equal, Int64(100)))
        #expect(try parse("iso != 100") == cmp(.iso, .notEqual, Int64(100)))
        #expect(try parse("iso <> 100") == cmp(.iso, .notEqual, Int64(100)))
        #expect(try parse("iso < 100") == cmp(.iso, .less, Int64(100)))
        #expect(try parse("iso <= 100") == cmp(.iso, .lessOrEqual, Int64(100)))
        #expect(try parse("iso > 100") == cmp(.iso, .greater, Int64(100)))
        #expect(try parse("iso >= 100") == cmp(.iso, .greaterOrEqual, Int64(100)))
        #expect(try parse("iso>=100") == cmp(.iso, .greaterOrEqual, Int64(100)))
        #expect(try parse("  ISO\t>=\n100  ") == cmp(.iso, .greaterOrEqual, Int64(100)))
        #expect(try parse("f_number <= 2.8") == cmp(.fnumber, .lessOrEqual, 2.8))
    }

    @Test func andBindsTighterThanOr() throws {
        let a = cmp(.iso, .equal, Int64(1)), b = cmp(.iso, .equal, Int64(2)), c = cmp(.iso, .equal, Int64(3))
        #expect(try parse("iso = 1 or iso = 2 and iso = 3") == .or([a, .and([b, c])]))
        #expect(try parse("iso = 1 and iso = 2 or iso = 3") == .or([.and([a, b]), c]))
        #expect(try parse("(iso = 1 or iso = 2) and iso = 3") == .and([.or([a, b]), c]))
        #expect(try parse("iso = 1 AND iso = 2 And iso = 3") == .and([a, b, c]))
        #expect(try parse("(iso = 1 and iso = 2) and iso = 3") == .and([a, b, c]))
        #expect(try parse("iso = 1 or (iso = 2 or iso = 3)") == .or([a, b, c]))
        #expect(try parse("((((iso = 1))))") == a)
    }

    @Test func not() throws {
        let a = cmp(.iso, .equal, Int64(1)), b = cmp(.iso, .equal, Int64(2))
        #expect(try parse("not iso = 1") == .not(a))
        #expect(try parse("NOT not iso = 1") == .not(.not(a)))
        #expect(try parse("not iso = 1 and iso = 2") == .and([.not(a), b]))
        #expect(try parse("not (iso = 1 or iso = 2)") == .not(.or([a, b])))
    }

    @Test func inBetweenIsNullAndGlob() throws {
        #expect(try parse("iso in (100, 200,400)") == .or([cmp(.iso, .equal, Int64(100)), cmp(.iso, .equal, Int64(200)), cmp(.iso, .equal, Int64(400))]))
        #expect(try parse("iso in (100)") == cmp(.iso, .equal, Int64(100)))
        #expect(try parse(#"make in ("Canon", 'Nikon')"#) == .or([cmp(.make, .equal, "Canon"), cmp(.make, .equal, "Nikon")]))
        #expect(try parse("iso between 100 and 400") == .and([cmp(.iso, .greaterOrEqual, Int64(100)), cmp(.iso, .lessOrEqual, Int64(400))]))
        #expect(try parse("iso between 100 and 400 and iso != 200")
                == .and([cmp(.iso, .greaterOrEqual, Int64(100)), cmp(.iso, .lessOrEqual, Int64(400)), cmp(.iso, .notEqual, Int64(200))]))
        #expect(try parse("taken between 2023-06 and 2023-08-15") == takenWithin("2023-06-01T00:00:00", "2023-08-16T00:00:00"))
        #expect(try parse("lens is null") == .isNull(.lens))
        #expect(try parse("lens IS NOT NULL") == .not(.isNull(.lens)))
        #expect(try parse(#"make ~ "canon*""#) == .glob(.make, "canon*"))
        #expect(try parse(#"name ~ 'IMG_[0-9]*'"#) == .glob(.name, "IMG_[0-9]*"))
    }

    @Test func fieldAliasesAndFormatNames() throws {
        #expect(try parse("bytes > 5M") == cmp(.size, .greater, Int64(5_000_000)))
        #expect(try parse("lat < -33.5") == cmp(.latitude, .less, -33.5))
        #expect(try parse("gps_altitude>-10") == cmp(.altitude, .greater, -10.0))
        #expect(try parse(#"type = "JPG""#) == cmp(.format, .equal, "jpeg"))
        #expect(try parse(#"format in ("tif", "png")"#) == .or([cmp(.format, .equal, "tiff"), cmp(.format, .equal, "png")]))
    }

    @Test func unitsAndFractions() throws {
        #expect(try parse("size >= 4.2MB") == cmp(.size, .greaterOrEqual, Int64(4_200_000)))
        #expect(try parse("size < 1MiB") == cmp(.size, .less, Int64(1_048_576)))
        #expect(try parse("pixels >= 12M") == cmp(.pixels, .greaterOrEqual, Int64(12_000_000)))
        #expect(try parse("exposure <= 1/250") == cmp(.exposure, .lessOrEqual, 0.004))
        #expect(try parse("exposure in (1/250, 0.5)") == .or([cmp(.exposure, .equal, 0.004), cmp(.exposure, .equal, 0.5)]))
    }

    @Test func datePeriodSemantics() throws {
        #expect(try parse("taken = 2023-06") == takenWithin("2023-06-01T00:00:00", "2023-07-01T00:00:00"))
        #expect(try parse("taken >= 2023-06") == cmp(.taken, .greaterOrEqual, "2023-06-01T00:00:00"))
        #expect(try parse("taken > 2023-06") == cmp(.taken, .greaterOrEqual, "2023-07-01T00:00:00"))
        #expect(try parse("taken < 2023-06") == cmp(.taken, .less, "2023-06-01T00:00:00"))
        #expect(try parse("taken <= 2023-06") == cmp(.taken, .less, "2023-07-01T00:00:00"))
        #expect(try parse("taken != 2023-06") == .or([cmp(.taken, .less, "2023-06-01T00:00:00"), cmp(.taken, .greaterOrEqual, "2023-07-01T00:00:00")]))
        #expect(try parse("taken <> 2023") == .or([cmp(.taken, .less, "2023-01-01T00:00:00"), cmp(.taken, .greaterOrEqual, "2024-01-01T00:00:00")]))
        #expect(try parse("taken = 2024-02-29T23:59:59") == takenWithin("2024-02-29T23:59:59", "2024-03-01T00:00:00"))
        #expect(try parse(#"taken = "2023-06-01 12:30""#) == takenWithin("2023-06-01T12:30:00", "2023-06-01T12:31:00"))
        #expect(try parse("taken in (2023-06-01, 2023-06-03)")
                == .or([takenWithin("2023-06-01T00:00:00", "2023-06-02T00:00:00"), takenWithin("2023-06-03T00:00:00", "2023-06-04T00:00:00")]))
        #expect(try parse("uploaded >= 2023-06-01T12:30Z") == cmp(.uploaded, .greaterOrEqual, utc("2023-06-01T12:30:00Z")))
        #expect(try parse("uploaded > 2023-06-01T12:30:00+02:00") == cmp(.uploaded, .greaterOrEqual, utc("2023-06-01T10:30:01Z")))
        #expect(try parse("taken_utc < 2023-06-01T00:00-05:00") == cmp(.takenUTC, .less, utc("2023-06-01T05:00:00Z")))
        #expect(try parse("uploaded = 2024") == .and([cmp(.uploaded, .greaterOrEqual, local("2024")), cmp(.uploaded, .less, local("2025"))]))
    }

    @Test func quotingAndEscapes() throws {
        #expect(try parse(#"artist = "Jane \"JD\" Doe""#) == cmp(.artist, .equal, #"Jane "JD" Doe"#))
        #expect(try parse(#"artist = 'O\'Brien'"#) == cmp(.artist, .equal, "O'Brien"))
        #expect(try parse(#"artist = "O'Brien""#) == cmp(.artist, .equal, "O'Brien"))
        #expect(try parse(#"artist = 'say "hi"'"#) == cmp(.artist, .equal, #"say "hi""#))
        #expect(try parse(#"path = "C:\\photos\\x.jpg""#) == cmp(.path, .equal, #"C:\photos\x.jpg"#))
        // SQL LIKE wildcards are ordinary characters: values are bound, never pasted.
        #expect(try parse(#"name = "100%_done""#) == cmp(.name, .equal, "100%_done"))
        #expect(try parse(#"name = "x'; DROP TABLE images; --""#) == cmp(.name, .equal, "x'; DROP TABLE images; --"))
        #expect(try parse("name = \"a\u{0}b\"") == cmp(.name, .equal, "a\u{0}b"))
        #expect(try parse(#"make = """#) == cmp(.make, .equal, ""))
        #expect(try parse(#"make = "Ünïcödé 📷""#) == cmp(.make, .equal, "Ünïcödé 📷"))
        #expect(try parse(#"make ~ "*\\*""#) == .glob(.make, #"*\*"#))
    }

    @Test func longStringsUpToTheLimit() throws {
        let long = String(repeating: "x", count: WhereExpression.maximumLength - 9)
        let text = "name = \"\(long)\""
        #expect(text.count == WhereExpression.maximumLength)
        #expect(try parse(text) == cmp(.name, .equal, long))
        let tooLong = text + " "
        #expect(whereError(tooLong) == WhereSyntaxError(column: 10_001, message: "expression longer than 10000 characters"))
    }

    @Test func nestingUpToTheLimit() throws {
        let depth = WhereExpression.maximumDepth
        let nested = String(repeating: "(", count: depth) + "iso = 1" + String(repeating: ")", count: depth)
        #expect(try parse(nested) == cmp(.iso, .equal, Int64(1)))
        let tooDeep = "(" + nested + ")"
        #expect(whereError(tooDeep) == WhereSyntaxError(column: 101, message: "nested more than 100 levels deep"))
        let nots = String(repeating: "not ", count: depth + 1) + "iso = 1"
        #expect(whereError(nots)?.column == 401)
        let mixed = String(repeating: "not (", count: 1_000) + "iso = 1" + String(repeating: ")", count: 1_000)
        #expect(whereError(mixed)?.message == "nested more than 100 levels deep")
        var expected = cmp(.iso, .equal, Int64(1))
        for _ in 0..<depth { expected = .not(expected) }
        #expect(try parse(String(repeating: "not ", count: depth) + "iso = 1") == expected)
    }

    @Test func flatChainsOfAnyLengthDoNotRecurse() throws {
        let terms = Array(repeating: "iso = 1", count: 800)
        #expect(try parse(terms.joined(separator: " or ")) == .or(Array(repeating: cmp(.iso, .equal, Int64(1)), count: 800)))
    }

    @Test(arguments: [
        #"taken >= 2023-06 and (make = "Canon" or iso > 1600)"#,
        "taken between 2023-06 and 2023-08-15",
        "uploaded >= 2024-03-01T00:00Z",
        #"make ~ "canon*" and lens is not null"#,
        #"format in ("jpeg", "png") and pixels >= 12M"#,
        "exposure <= 1/250 and fnumber <= 2.8",
        "size > 5MB or (width >= 4000 and not orientation in (6, 8))",
        #"artist = "Jane \"JD\" Doe""#,
        "latitude < 0 and altitude < -10",
    ])
    func documentedExamplesParse(_ text: String) throws {
        _ = try parse(text)
    }

    @Test func documentedExampleStructure() throws {
        #expect(try parse("size > 5MB or (width >= 4000 and not orientation in (6, 8))")
                == .or([cmp(.size, .greater, Int64(5_000_000)),
                        .and([cmp(.width, .greaterOrEqual, Int64(4000)),
                              .not(.or([cmp(.orientation, .equal, Int64(6)), cmp(.orientation, .equal, Int64(8))]))])]))
    }

    @Test func errorDescriptionNamesTheColumn() {
        #expect(WhereSyntaxError(column: 7, message: "not a number").description == "column 7: not a number")
    }
}

@Suite("--where: errors point at their column")
struct WhereErrorTests {
    func expectError(_ text: String, column: Int, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = whereError(text, sourceLocation: sourceLocation)
        #expect(error?.column == column, "\(text)", sourceLocation: sourceLocation)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "") should contain \(message)", sourceLocation: sourceLocation)
    }

    @Test func emptyExpression() {
        expectError("", column: 1, "empty expression")
        expectError("   ", column: 4, "empty expression")
    }

    @Test func unexpectedCharacters() {
        expectError("iso > 5 & make = 'x'", column: 9, "unexpected character '&'")
        expectError("iso > 5; drop table images", column: 8, "unexpected character ';'")
        expectError("iso == 5", column: 5, "'==' is written '='")
        expectError("iso ! 5", column: 5, "did you mean '!='?")
        expectError("iso = 5 \u{0}", column: 9, "unexpected character U+0000")
        expectError("📷 = 1", column: 1, "unexpected character U+1F4F7")
        expectError("make = \"é\" and é", column: 16, "unexpected character U+00E9")
    }

    @Test func unterminatedStringsPointAtTheirQuote() {
        expectError(#"make = "Canon"#, column: 8, "unterminated string")
        expectError("make = 'Canon", column: 8, "unterminated string")
        expectError(#"make = "Canon\"#, column: 8, "unterminated string")
        expectError(#"make = "a\nb""#, column: 10, #"unknown escape '\n'"#)
    }

    @Test func unknownFieldsSuggestTheClosest() {
        expectError("isso > 100", column: 1, "unknown field 'isso' (did you mean 'iso'?)")
        expectError("iso > 1 and mkae = 'x'", column: 13, "did you mean 'make'?")
        expectError("iso > 1 and taken_at_utc > 2023", column: 13, "did you mean 'taken_utc'?")
        expectError("zzzzzzzz = 1", column: 1, "fields: id, sha512,")
    }

    @Test func missingPieces() {
        expectError("iso >", column: 6, "missing value after '>'")
        expectError("iso > and make = 'x'", column: 7, "expected a number after '>', found 'and'")
        expectError("iso", column: 4, "expected an operator")
        expectError("iso 100", column: 5, "expected an operator")
        expectError("iso not in (1)", column: 5, "write 'not' before the field")
        expectError("(iso > 5", column: 9, "missing ')' to close the '(' at column 1")
        expectError("((iso > 5) or iso < 2", column: 22, "missing ')' to close the '(' at column 1")
        expectError("(iso > 5 make", column: 10, "expected ')' but found 'make'")
        expectError("iso > 5 and", column: 12, "expected a field name, found the end of the expression")
        expectError("iso > 5 or ()", column: 13, "expected a field name, found ')'")
        expectError("and iso > 5", column: 1, "expected a field name, found 'and'")
        expectError("lens is", column: 8, "expected 'null' after 'is'")
        expectError("lens is not 5", column: 13, "expected 'null' after 'is not'")
        expectError("iso in 100", column: 8, "expected '(' after 'in'")
        expectError("iso in ()", column: 9, "expected a number after '(', found ')'")
        expectError("iso in (1, 2", column: 13, "missing ')' to close the list at column 8")
        expectError("iso in (1 2)", column: 11, "expected ',' or ')' but found '2'")
        expectError("iso between 1", column: 14, "expected 'and' after the lower bound of 'between'")
        expectError("iso between 1 and", column: 18, "missing value after 'and'")
        expectError("make ~ Canon", column: 8, "expected a quoted pattern after '~'")
    }

    @Test func trailingInput() {
        expectError("iso > 5 6", column: 9, "unexpected '6' after a complete condition")
        expectError("iso > 5 make = 'x'", column: 9, "unexpected 'make' after a complete condition")
        expectError("iso > 5)", column: 8, "unmatched ')'")
    }

    @Test func literalsMustSuitTheirField() {
        expectError(#"iso = "abc""#, column: 7, "iso takes a number, not text")
        expectError("iso = abc", column: 7, "expected a number after '=', found 'abc'")
        expectError("iso > 100.5", column: 7, "iso takes whole numbers")
        expectError("iso > -5", column: 7, "iso cannot be negative")
        expectError("size > 5X", column: 8, "unknown unit 'X'")
        expectError("make = Canon", column: 8, #"make is text: quote the value ("Canon")"#)
        expectError("model = 5D", column: 9, #"model is text: quote the value ("5D")"#)
        expectError("make = null", column: 8, "is null")
        expectError("iso ~ 'x*'", column: 5, "'~' matches text fields only")
        expectError("make ~ 'x[ab'", column: 8, "unclosed '['")
        expectError("taken > 2023-13", column: 9, "month 13 does not exist")
        expectError("taken = 2023-02-29", column: 9, "day 29 does not exist in 2023-02")
        expectError("taken > 2023-06-01T12:00Z", column: 9, "taken is the camera's wall-clock time")
        expectError("taken > June", column: 9, "expected a date after '>', found 'June'")
        expectError("taken between 2024 and 2023", column: 15, "empty range: '2024' comes after '2023'")
        expectError("iso between 400 and 100", column: 13, "empty range: '400' comes after '100'")
        expectError("exposure <= 1/0", column: 13, "division by zero")
        expectError("exposure <= nan", column: 13, "expected a number after '<=', found 'nan'")
        expectError(#"name = "📷" and iso = x"#, column: 22, "expected a number")
    }
}
