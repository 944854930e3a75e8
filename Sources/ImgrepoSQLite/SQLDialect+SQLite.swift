import ImgrepoSQL

extension SQLDialect {
    /// SQLite ≥ 3.30: NULLS LAST, GLOB with the driver's `imgrepo_glob` for what GLOB cannot
    /// take, ASCII-only `lower`, and the driver's `imgrepo_km` and
    /// `imgrepo_hamming` (`SQLiteFunctions`).
    package static let sqlite = SQLDialect(
        nullOrdering: .nullsLastKeyword,
        globMatching: .globOperator(longestPattern: 50_000, fallbackFunction: SQLiteFunctions.globName),
        lowerFunction: "lower",
        distanceFunction: SQLiteFunctions.distanceName,
        nullSafeEqual: "IS",
        // The primary key (image_id, seq) that serves the look-up yields the rows in order.
        keywordList: "group_concat(keyword, char(31))",
        hammingDistance: .function(SQLiteFunctions.hammingName)
    )
}
