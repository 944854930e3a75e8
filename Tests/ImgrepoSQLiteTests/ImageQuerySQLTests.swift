import ImageProbe
import ImgrepoCore
import ImgrepoSQL
@testable import ImgrepoSQLite
import Testing

/// The engine-neutral query compiler, including a dialect no SQLite test exercises.
@Suite struct ImageQuerySQLTests {
    static let regexpDialect = SQLDialect(nullOrdering: .isNullKey, globMatching: .regexpLike, lowerFunction: "LOWER",
                                          distanceFunction: "km", nullSafeEqual: "<=>", keywordList: "GROUP_CONCAT(keyword)",
                                          hammingDistance: .bitCountOfXor)

    @Test func userValuesOnlyEverAppearAsArguments() throws {
        let hostile = "'; DROP TABLE images; --"
        let query = ImageQuery(predicate: .and([
            .compare(.owner, .equal, .text(hostile)),
            .glob(.name, "x' OR 1=1 --"),
            .not(.glob(.make, "\"; DELETE")),
            .compare(.taken, .greater, .text("2024'")),
            .near(latitude: 12.5, longitude: 3.25, kilometres: 7.75),
        ]), sort: [SortOrder(.taken)], limit: 5, offset: 3, after: 42)
        for dialect in [SQLDialect.sqlite, Self.regexpDialect] {
            let fragment = try ImageQuerySQL.select("id", matching: query, anchor: [.text("2024'"), .integer(9)], dialect: dialect)
            for text in ["DROP", "OR 1=1", "DELETE", "2024", "12.5", "3.25", "7.75", "42"] {
                #expect(!fragment.sql.contains(text))
            }
            #expect(fragment.sql.filter { $0 == "?" }.count == fragment.arguments.count)
        }
    }

    @Test func theSQLiteShapeOfAFilteredSortedPage() throws {
        let query = ImageQuery(predicate: .and([
            .or([.glob(.make, "Canon*"), .glob(.model, "Canon*")]),
            .compare(.taken, .greaterOrEqual, .text("2018-01-01T00:00:00")),
            .compare(.taken, .less, .text("2021-01-01T00:00:00")),
        ]), sort: [SortOrder(.taken)], limit: 50)
        let fragment = try ImageQuerySQL.select("id", matching: query, anchor: nil, dialect: .sqlite)
        // The filter excludes NULL capture times, so the order needs no NULLS LAST and an
        // index on taken_local can deliver it.
        #expect(fragment.sql == """
            SELECT id FROM images WHERE ((lower(make) >= ? AND lower(make) < ?) \
            OR (lower(model) >= ? AND lower(model) < ?)) \
            AND (taken_local >= ?) AND (taken_local < ?) ORDER BY taken_local ASC, id ASC LIMIT ?
            """)
        #expect(fragment.arguments == [
            .text("canon"), .text("canoo"), .text("canon"), .text("canoo"),
            .text("2018-01-01T00:00:00"), .text("2021-01-01T00:00:00"), .integer(50),
        ])
    }

    @Test func nullsGoLastWhenTheFilterAllowsThem() throws {
        let query = ImageQuery(sort: [SortOrder(.width), SortOrder(.height, descending: true)], offset: 10)
        let sqlite = try ImageQuerySQL.select("id", matching: query, anchor: nil, dialect: .sqlite)
        #expect(sqlite.sql == "SELECT id FROM images ORDER BY width ASC NULLS LAST, height DESC, id DESC LIMIT ? OFFSET ?")
        #expect(sqlite.arguments == [.integer(Int64(Int.max)), .integer(10)])
        let other = try ImageQuerySQL.select("id", matching: query, anchor: nil, dialect: Self.regexpDialect)
        #expect(other.sql == "SELECT id FROM images ORDER BY width IS NULL, width ASC, height DESC, id DESC LIMIT ? OFFSET ?")
    }

    @Test func globsWithWildcardsInsideKeepTheGlobAndItsNULEscape() throws {
        let fragment = try ImageQuerySQL.condition(.glob(.model, "EOS R?"), dialect: .sqlite)
        #expect(fragment.sql == """
            lower(model) >= ? AND lower(model) < ? AND \
            CASE WHEN instr(lower(model), char(0)) > 0 THEN imgrepo_glob(?, lower(model)) ELSE lower(model) GLOB ? END
            """)
        #expect(fragment.arguments == [.text("eos r"), .text("eos s"), .text("eos r?"), .text("eos r?")])
        let long = try ImageQuerySQL.condition(.glob(.model, String(repeating: "x?", count: 30_000)), dialect: .sqlite)
        #expect(long.sql.hasSuffix("AND imgrepo_glob(?, lower(model))"))
    }

    @Test func aRegexpDialectTranslatesGlobs() throws {
        let fragment = try ImageQuerySQL.condition(.glob(.name, "IMG_*.JP?G"), dialect: Self.regexpDialect)
        #expect(fragment.sql == "LOWER(original_name) >= ? AND LOWER(original_name) < ? AND REGEXP_LIKE(LOWER(original_name), ?, 'c')")
        #expect(fragment.arguments == [.text("img_"), .text("img`"), .text("^img_.*\\.jp.g$")])
    }

    @Test func keysetConditionsFollowDirectionsAndNulls() {
        let keys = ImageQuerySQL.effectiveSort([SortOrder(.taken), SortOrder(.size, descending: true)])
        #expect(keys == [SortOrder(.taken), SortOrder(.size, descending: true), SortOrder(.id, descending: true)])
        let anchored = ImageQuerySQL.keyset(keys, anchor: [.text("2020"), .integer(5), .integer(7)], nonNull: ImageQuerySQL.neverNull)
        #expect(anchored.sql == """
            (taken_local > ? OR taken_local IS NULL) OR ((taken_local = ?) AND (byte_size < ?)) \
            OR ((taken_local = ?) AND (byte_size = ?) AND (id < ?))
            """)
        // After a NULL capture time, only other NULLs with a later tie-break can follow.
        let afterNull = ImageQuerySQL.keyset(keys, anchor: [.null, .integer(5), .integer(7)], nonNull: ImageQuerySQL.neverNull)
        #expect(afterNull.sql == "((taken_local IS NULL) AND (byte_size < ?)) OR ((taken_local IS NULL) AND (byte_size = ?) AND (id < ?))")
        #expect(ImageQuerySQL.effectiveSort([]) == [SortOrder(.id)])
        #expect(ImageQuerySQL.effectiveSort([SortOrder(.size), SortOrder(.size, descending: true)]) == [SortOrder(.size), SortOrder(.id)])
    }

    @Test func nonNullFieldsFollowTheLogic() {
        let taken = QueryPredicate.compare(.taken, .greater, .text("2020"))
        let make = QueryPredicate.glob(.make, "a*")
        #expect(ImageQuerySQL.nonNullFields(.and([taken, make])) == [.taken, .make])
        #expect(ImageQuerySQL.nonNullFields(.or([taken, .and([taken, make])])) == [.taken])
        #expect(ImageQuerySQL.nonNullFields(.not(.isNull(.taken))) == [])
        #expect(ImageQuerySQL.nonNullFields(.near(latitude: 0, longitude: 0, kilometres: 1)) == [.latitude, .longitude])
    }

    @Test func globsTranslateToAnchoredRegularExpressions() {
        #expect(ImageQuerySQL.regularExpression(forGlob: "*.png") == "^.*\\.png$")
        #expect(ImageQuerySQL.regularExpression(forGlob: "[bB]each?") == "^[bB]each.$")
        #expect(ImageQuerySQL.regularExpression(forGlob: "[!a-c]x") == "^[^a-c]x$")
        #expect(ImageQuerySQL.regularExpression(forGlob: "a(1)+[") == "^a\\(1\\)\\+\\[$")
    }

    @Test func globPrefixesBecomeRanges() {
        #expect(ImageQuerySQL.prefixRange(ofGlob: "canon*")! == ("canon", "canoo"))
        #expect(ImageQuerySQL.prefixRange(ofGlob: "ab?d")! == ("ab", "ac"))
        #expect(ImageQuerySQL.prefixRange(ofGlob: "x[yz]")! == ("x", "y"))
        #expect(ImageQuerySQL.prefixRange(ofGlob: "*x") == nil)
        #expect(ImageQuerySQL.prefixRange(ofGlob: "") == nil)
        #expect(ImageQuerySQL.prefixRange(ofGlob: "é*") == nil)
        #expect(ImageQuerySQL.prefixRange(ofGlob: "a\u{7F}*") == nil)
        #expect(ImageQuerySQL.asciiLowercased("ÉCLAIR Ünï ABC") == "ÉclaiR Ünï abc".replacingOccurrences("R", "r"))
    }

    @Test func wrongKindsAreInvalidArguments() {
        #expect(throws: ImgrepoError.self) { try ImageQuerySQL.condition(.compare(.iso, .equal, .text("x")), dialect: .sqlite) }
        #expect(throws: ImgrepoError.self) { try ImageQuerySQL.condition(.compare(.make, .equal, .real(1)), dialect: .sqlite) }
        #expect(throws: ImgrepoError.self) { try ImageQuerySQL.condition(.compare(.uploaded, .equal, .real(1)), dialect: .sqlite) }
        #expect(throws: ImgrepoError.self) { try ImageQuerySQL.condition(.glob(.size, "1*"), dialect: .sqlite) }
        #expect(throws: Never.self) { try ImageQuerySQL.condition(.compare(.iso, .equal, .real(1.5)), dialect: .sqlite) }
        #expect(throws: Never.self) { try ImageQuerySQL.condition(.compare(.fnumber, .equal, .integer(2)), dialect: .sqlite) }
    }
}

private extension String {
    func replacingOccurrences(_ target: Character, _ replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
