import ImgrepoCore

/// The ways one SQL engine's text differs from another's, as data.
///
/// The query compiler (`ImageQuerySQL`) consults a dialect instead of branching on the engine,
/// so each driver is a `SQLDialect` value (declared next to its connection code) plus that code. Only what the
/// shared SQL needs is here; each driver's own DDL and upsert statements stay in the driver.
package struct SQLDialect: Hashable, Sendable {
    /// How `ORDER BY` puts NULLs after every value in both directions.
    package enum NullOrdering: Hashable, Sendable {
        /// `column ASC NULLS LAST` (SQLite ≥ 3.30, PostgreSQL).
        case nullsLastKeyword
        /// `column IS NULL, column ASC` (MySQL, which has no NULLS LAST).
        case isNullKey
    }

    /// How a shell-style glob (`*`, `?`, `[...]`) is matched against a column already folded
    /// to lower case (the pattern is folded the same way, in Swift, before it is bound).
    package enum GlobMatching: Hashable, Sendable {
        /// `column GLOB ?` with the glob bound as is (SQLite), for patterns up to this many
        /// bytes (`SQLITE_MAX_LIKE_PATTERN_LENGTH`); longer ones, and patterns or values
        /// holding NUL, which GLOB reads as the end of the text, go to the driver's own glob
        /// function.
        case globOperator(longestPattern: Int, fallbackFunction: String)
        /// `REGEXP_LIKE(column, ?, 'c')` with the glob translated to an anchored regular
        /// expression (MySQL 8).
        case regexpLike
        /// `column REGEXP ?` with the glob translated to a PCRE expression that is
        /// case-sensitive, lets `.` match newlines and anchors at the very end (`(?s-i)^…\z`):
        /// MariaDB, which has no REGEXP_LIKE. A pattern without wildcards is plain equality
        /// on the folded column (PCRE refuses very long expressions; `=` has no such limit).
        case regexpOperator
    }

    package var nullOrdering: NullOrdering
    package var globMatching: GlobMatching
    /// The function that folds ASCII letters to lower case and leaves every other character
    /// alone (SQLite's `lower` without ICU). The compiler folds glob patterns the same way.
    package var lowerFunction: String
    /// A function `(lat1, lon1, lat2, lon2) -> kilometres` (great-circle distance, NULL when
    /// any argument is NULL) that the driver makes available on its connections.
    package var distanceFunction: String
    /// Null-safe equality: true when both sides are NULL (`IS` in SQLite, `<=>` in MySQL).
    package var nullSafeEqual: String
    /// The SQL that turns a bound integer of microseconds since the epoch (UTC) into the
    /// engine's representation of an instant column (`uploaded`, `taken_utc`): `?` where
    /// instants are stored as such integers (SQLite), a conversion to DATETIME(6) in MySQL.
    package var instantPlaceholder: String
    /// The aggregate that joins an image's `keyword` rows, in `seq` order, with U+001F
    /// (`ImageRecordSQL.columns`).
    package var keywordList: String
    /// How the Hamming distance between the `phash` column and a bound 64-bit integer is
    /// written: a driver function (`imgrepo_hamming(phash, ?)`, SQLite) or the engine's own
    /// `BIT_COUNT(phash ^ ?)` (MySQL, MariaDB).
    package enum HammingDistance: Hashable, Sendable {
        case function(String)
        case bitCountOfXor
    }
    package var hammingDistance: HammingDistance

    package init(nullOrdering: NullOrdering, globMatching: GlobMatching, lowerFunction: String,
                 distanceFunction: String, nullSafeEqual: String, instantPlaceholder: String = "?",
                 keywordList: String, hammingDistance: HammingDistance) {
        self.hammingDistance = hammingDistance
        self.nullOrdering = nullOrdering
        self.globMatching = globMatching
        self.lowerFunction = lowerFunction
        self.distanceFunction = distanceFunction
        self.nullSafeEqual = nullSafeEqual
        self.instantPlaceholder = instantPlaceholder
        self.keywordList = keywordList
    }

    /// The Hamming distance between the column `phash` and one bound argument.
    package var hammingToPlaceholder: String {
        switch hammingDistance {
        case .function(let name): "\(name)(phash, ?)"
        case .bitCountOfXor: "BIT_COUNT(phash ^ ?)"
        }
    }

    /// The placeholder for a value compared with `field`.
    package func placeholder(for field: QueryField) -> String {
        field.kind == .instant ? instantPlaceholder : "?"
    }
}
