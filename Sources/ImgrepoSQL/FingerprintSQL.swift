import ImgrepoCore

/// The SQL behind the fingerprint part of `MetadataStore` (issue 8), shared by every driver:
/// the `index` backlog and its updates, the duplicate groups, the compact hash scan.
package enum FingerprintSQL {
    /// Images after an id whose fingerprints of `kinds` are missing or of another `version`,
    /// in id order: arguments `after`, `version`, `limit` (bound in that order). With a nil
    /// `version`, only missing ones: one kind's `IS NULL` is then served by its index
    /// (`images_phash` holds the ids in order), so a search that fills what is missing before it
    /// runs costs nothing on an indexed catalogue.
    package static func backlog(columns: String, kinds: FingerprintKinds, version: Int?,
                                after id: Int64, limit: Int) -> SQLFragment {
        var stale = version == nil ? [] : ["fingerprint_version IS NULL", "fingerprint_version <> ?"]
        if kinds.contains(.pixelHash) { stale.append("pixel_sha512 IS NULL") }
        if kinds.contains(.perceptualHash) { stale.append("phash IS NULL") }
        if stale.isEmpty { stale.append("0") }
        return SQLFragment(
            "SELECT \(columns) FROM images WHERE id > ? AND (\(stale.joined(separator: " OR "))) ORDER BY id LIMIT ?",
            [.integer(id)] + (version.map { [.integer(Int64($0))] } ?? []) + [.integer(Int64(max(0, limit)))])
    }

    /// Sets one image's fingerprints: a NULL argument keeps the column's value.
    package static let update = """
        UPDATE images SET pixel_sha512 = coalesce(?, pixel_sha512), phash = coalesce(?, phash), \
        fingerprint_version = ? WHERE id = ?
        """

    /// The arguments of `update` for `entry`.
    package static func updateArguments(_ entry: FingerprintUpdate) -> [SQLValue] {
        [SQLValue(entry.fingerprints.pixelSHA512),
         entry.fingerprints.perceptualHash.map(ImageQuerySQL.perceptualHashValue) ?? .null,
         .integer(Int64(entry.version)), .integer(entry.id)]
    }

    /// The id of the oldest image with a pixel hash: argument the hash.
    package static let imageWithPixels = "SELECT id FROM images WHERE pixel_sha512 = ? ORDER BY id LIMIT 1"

    /// Every image whose pixel hash another image shares, by hash then id.
    package static func pixelDuplicates(columns: String) -> String {
        """
        SELECT \(columns) FROM images WHERE pixel_sha512 IN (
            SELECT pixel_sha512 FROM images WHERE pixel_sha512 IS NOT NULL
            GROUP BY pixel_sha512 HAVING count(*) > 1)
        ORDER BY pixel_sha512, id
        """
    }

    /// `pixelDuplicates`' rows cut into groups of one pixel hash each.
    package static func groupByPixels(_ records: [ImageRecord]) -> [[ImageRecord]] {
        var groups: [[ImageRecord]] = []
        for record in records {
            if let last = groups.last?.last, last.fingerprints.pixelSHA512 == record.fingerprints.pixelSHA512 {
                groups[groups.count - 1].append(record)
            } else {
                groups.append([record])
            }
        }
        return groups
    }

    /// Every image with more than one known name, by id.
    package static func severalNames(columns: String) -> String {
        """
        SELECT \(columns) FROM images WHERE id IN (
            SELECT image_id FROM image_names GROUP BY image_id HAVING count(*) > 1)
        ORDER BY id
        """
    }

    /// `id, phash` of the images with a perceptual hash that match `predicate`, in no set order:
    /// without ORDER BY the engine can read the `(phash, id)` index alone instead of the whole
    /// table (280 ms → 40 ms over a million rows); `sortedByID` puts the result in id order.
    package static func perceptualHashes(matching predicate: QueryPredicate, dialect: SQLDialect) throws -> SQLFragment {
        let condition = try ImageQuerySQL.condition(predicate, dialect: dialect)
        return SQLFragment("SELECT id, phash FROM images WHERE phash IS NOT NULL AND (\(condition.sql))",
                           condition.arguments)
    }

    /// The pairs in id order, as `MetadataStore.perceptualHashes` returns them.
    package static func sortedByID(_ ids: [Int64], _ hashes: [UInt64]) -> (ids: [Int64], hashes: [UInt64]) {
        if zip(ids, ids.dropFirst()).allSatisfy({ $0 < $1 }) { return (ids, hashes) }
        let order = ids.indices.sorted { ids[$0] < ids[$1] }
        return (order.map { ids[$0] }, order.map { hashes[$0] })
    }
}
