/// The ways one SQL engine's text differs from another's, as data.
///
/// The query compiler (`ImageQuerySQL`) consults a dialect instead of branching on the engine,
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

    /// How a shell-style glob (`*`, `?`, `[...]`) is matched against a column already folded
    /// to lower case (the pattern is folded the same way, in Swift, before it is bound).
    enum GlobMatching: Hashable, Sendable {
        /// `column GLOB ?` with the glob bound as is (SQLite), for patterns up to this many
        /// bytes (`SQLITE_MAX_LIKE_PATTERN_LENGTH`); longer ones, and patterns or values
        /// holding NUL, which GLOB reads as the end of the text, go to the driver's own glob
        /// function.
        case globOperator(longestPattern: Int)
        /// `REGEXP_LIKE(column, ?, 'c')` with the glob translated to an anchored regular
        /// expression (MySQL 8).
        case regexpLike
    }

    var nullOrdering: NullOrdering
    var globMatching: GlobMatching
    /// The function that folds ASCII letters to lower case and leaves every other character
    /// alone (SQLite's `lower` without ICU). The compiler folds glob patterns the same way.
    var lowerFunction: String
    /// A function `(lat1, lon1, lat2, lon2) -> kilometres` (great-circle distance, NULL when
    /// any argument is NULL) that the driver makes available on its connections.
    var distanceFunction: String
    /// Null-safe equality: true when both sides are NULL (`IS` in SQLite, `<=>` in MySQL).
    var nullSafeEqual: String

    static let sqlite = SQLDialect(
        nullOrdering: .nullsLastKeyword,
        globMatching: .globOperator(longestPattern: 50_000),
        lowerFunction: "lower",
        distanceFunction: SQLiteFunctions.distanceName,
        nullSafeEqual: "IS"
    )
}
