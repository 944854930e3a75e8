import ImageProbe
import ImgrepoCore
@testable import ImgrepoSQLite
import Testing

/// The engine-neutral query builder, including a dialect no SQLite test exercises.
@Suite struct ImageQuerySQLTests {
    @Test func userValuesOnlyEverAppearAsArguments() {
        var query = ImageQuery()
        query.owners = ["'; DROP TABLE images; --"]
        query.nameGlobs = ["x' OR 1=1 --"]
        query.cameraTexts = ["\"; DELETE"]
        query.takenAfter = "2024'"
        let fragment = ImageQuerySQL.select("id", matching: query, dialect: .sqlite)
        #expect(!fragment.sql.contains("DROP"))
        #expect(!fragment.sql.contains("OR 1=1"))
        #expect(!fragment.sql.contains("DELETE"))
        #expect(!fragment.sql.contains("2024"))
        #expect(fragment.sql.filter { $0 == "?" }.count == fragment.arguments.count)
    }

    @Test func theSQLiteShape() {
        var query = ImageQuery()
        query.owners = ["a", "b"]
        query.formats = [.png]
        query.cameraTexts = ["50%"]
        query.sort = .taken
        query.descending = true
        query.limit = 5
        let fragment = ImageQuerySQL.select("id", matching: query, dialect: .sqlite)
        #expect(fragment.sql == """
            SELECT id FROM images WHERE owner IN (?, ?) AND format IN (?) \
            AND (make LIKE ? ESCAPE '\\' OR model LIKE ? ESCAPE '\\') \
            ORDER BY taken_local DESC NULLS LAST, id DESC LIMIT ?
            """)
        #expect(fragment.arguments == [.text("a"), .text("b"), .text("png"), .text("%50\\%%"), .text("%50\\%%"), .integer(5)])
    }

    @Test func aDialectWithoutNullsLastOrGlobOrCaseInsensitiveLike() {
        let other = SQLDialect(nullOrdering: .isNullKey, globMatching: .regexpLike, likeEscapeCharacter: "!",
                               likeEscapeClause: "ESCAPE '!'", likeIgnoresCase: false)
        var query = ImageQuery()
        query.nameGlobs = ["IMG_*.jp?g"]
        query.cameraTexts = ["a!b"]
        query.sort = .width
        let fragment = ImageQuerySQL.select("id", matching: query, dialect: other)
        #expect(fragment.sql == """
            SELECT id FROM images WHERE (REGEXP_LIKE(original_name, ?, 'c')) \
            AND (LOWER(make) LIKE LOWER(?) ESCAPE '!' OR LOWER(model) LIKE LOWER(?) ESCAPE '!') \
            ORDER BY width IS NULL, width ASC, id ASC
            """)
        #expect(fragment.arguments == [.text("^IMG_.*\\.jp.g$"), .text("%a!!b%"), .text("%a!!b%")])
    }

    @Test func globsTranslateToAnchoredRegularExpressions() {
        #expect(ImageQuerySQL.regularExpression(forGlob: "*.png") == "^.*\\.png$")
        #expect(ImageQuerySQL.regularExpression(forGlob: "[bB]each?") == "^[bB]each.$")
        #expect(ImageQuerySQL.regularExpression(forGlob: "[!a-c]x") == "^[^a-c]x$")
        #expect(ImageQuerySQL.regularExpression(forGlob: "a(1)+[") == "^a\\(1\\)\\+\\[$")
    }

    @Test func likeEscapingMakesWildcardsLiteral() {
        #expect(ImageQuerySQL.escapeLike("100%_\\x", escape: "\\") == "100\\%\\_\\\\x")
        #expect(ImageQuerySQL.escapeLike("plain", escape: "\\") == "plain")
    }

    @Test func everySortKeyHasAColumn() {
        let columns = ImageQuery.SortKey.allCases.map(ImageQuerySQL.column(for:))
        #expect(columns == ["id", "original_name", "owner", "uploaded_at", "taken_local", "byte_size", "format", "width", "height"])
    }
}
