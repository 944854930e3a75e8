/// The ways one SQL engine's text differs from another's, as data.
///
/// The query builder (`ImageQuerySQL`) consults a dialect instead of branching on the engine,
/// so a MySQL driver is a new `SQLDialect` value plus its connection code. Only what the
/// shared SQL needs is here; each driver's own DDL and upsert statements stay in the driver.
struct SQLDialect: Hashable, Sendable {
    /// How `ORDER BY` puts NULLs after every value in both directions.
    enum NullOrdering: Hashable, Sendable {
        /// `column ASC NULLS LAST` (SQLite ≥ 3.30, PostgreSQL).
        case nullsLastKeyword
        /// `column IS NULL, column ASC` (MySQL, which has no NULLS LAST).
        case isNullKey
    }

    /// How a shell-style glob (`*`, `?`, `[...]`) is matched case-sensitively.
    enum GlobMatching: Hashable, Sendable {
        /// `column GLOB ?` with the glob bound as is (SQLite).
        case globOperator
        /// `REGEXP_LIKE(column, ?, 'c')` with the glob translated to an anchored regular
        /// expression (MySQL 8).
        case regexpLike
    }

    var nullOrdering: NullOrdering
    var globMatching: GlobMatching
    /// The character that escapes `%`, `_` and itself in LIKE patterns.
    var likeEscapeCharacter: Character
    /// The `ESCAPE` clause naming that character, as SQL text.
    var likeEscapeClause: String
    /// Whether `LIKE` ignores ASCII case on the catalogue's text columns; when false the builder
    /// lowers both sides.
    var likeIgnoresCase: Bool

    static let sqlite = SQLDialect(
        nullOrdering: .nullsLastKeyword,
        globMatching: .globOperator,
        likeEscapeCharacter: "\\",
        likeEscapeClause: "ESCAPE '\\'",
        likeIgnoresCase: true
    )
}
