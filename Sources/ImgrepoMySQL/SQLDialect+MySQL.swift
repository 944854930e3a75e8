import ImgrepoSQL

extension SQLDialect {
    /// MariaDB ≥ 10.5 (and MySQL 8 for everything but the glob): NULLs sorted last by an
    /// `IS NULL` key, globs as PCRE `REGEXP`, the schema's stored functions
    /// `imgrepo_lower_ascii` (MySQL's `LOWER` folds every Unicode letter; SQLite's only A–Z)
    /// and `imgrepo_km`, and instants as DATETIME(6) in UTC built from bound microseconds.
    package static let mysql = SQLDialect(
        nullOrdering: .isNullKey,
        globMatching: .regexpOperator,
        lowerFunction: MySQLCatalogueSchema.lowerFunction,
        distanceFunction: MySQLCatalogueSchema.distanceFunction,
        nullSafeEqual: "<=>",
        instantPlaceholder: "TIMESTAMPADD(MICROSECOND, ?, TIMESTAMP'1970-01-01 00:00:00')",
        keywordList: "GROUP_CONCAT(keyword ORDER BY seq SEPARATOR '\u{1F}')",
        hammingDistance: .bitCountOfXor
    )
}
