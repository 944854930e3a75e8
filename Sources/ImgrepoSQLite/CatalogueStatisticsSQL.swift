import ImgrepoCore

/// The statements behind `statistics(matching:)`, run in one read transaction so that the
/// totals and the breakdowns describe the same snapshot.
///
/// A duplicate upload is a known name beyond an image's first: names are recorded once per
/// (image, name, path), so re-uploading the same file under the same name and path is not
/// counted again.
struct CatalogueStatisticsSQL {
    var predicate: QueryPredicate
    var dialect: SQLDialect

    func run(on connection: SQLiteConnection) throws -> CatalogueStatistics {
        let filter = try ImageQuerySQL.condition(predicate, dialect: dialect)
        let whereClause = ImageQuerySQL.whereClause(filter)
        return try connection.readTransaction {
            // The correlated count is served by the (image_id, name, path) unique index.
            let totals = try connection.prepare("""
                SELECT count(*), coalesce(sum(byte_size), 0),
                       coalesce(sum(CASE WHEN names > 1 THEN names - 1 ELSE 0 END), 0),
                       coalesce(sum(CASE WHEN names > 1 THEN (names - 1) * byte_size ELSE 0 END), 0)
                FROM (SELECT byte_size, (SELECT count(*) FROM image_names WHERE image_names.image_id = images.id) AS names
                      FROM images\(whereClause)) AS matching
                """).firstRow(filter.arguments) { row in
                (Int(row.int64()), row.int64(), Int(row.int64()), row.int64())
            } ?? (0, 0, 0, 0)

            let byFormat = try groups("format", filter: filter, whereClause: whereClause, connection: connection)
            let byYear = try groups("substr(taken_local, 1, 4)", filter: filter, whereClause: whereClause, connection: connection)
                .sorted { Self.yearOrder($0.key, $1.key) }

            let cameras = try connection.prepare("""
                SELECT make, model, count(*), coalesce(sum(byte_size), 0) FROM images\(whereClause)
                GROUP BY make, model
                """).rows(filter.arguments) { row in
                (Self.cameraName(make: row.optionalText(), model: row.optionalText()), Int(row.int64()), row.int64())
            }
            // Different (make, model) pairs can name the same camera ("Canon"/"EOS R5" and
            // "Canon"/"Canon EOS R5"): merge by name.
            var merged: [String?: CatalogueStatistics.Group] = [:]
            for (key, images, bytes) in cameras {
                merged[key, default: .init(key: key, images: 0, bytes: 0)].images += images
                merged[key, default: .init(key: key, images: 0, bytes: 0)].bytes += bytes
            }
            let byCamera = merged.values.sorted(by: Self.countOrder)

            return CatalogueStatistics(images: totals.0, bytes: totals.1, duplicateUploads: totals.2,
                                       bytesSaved: totals.3, byFormat: byFormat.sorted(by: Self.countOrder),
                                       byCamera: byCamera, byYear: byYear)
        }
    }

    private func groups(_ key: String, filter: SQLFragment, whereClause: String,
                        connection: SQLiteConnection) throws -> [CatalogueStatistics.Group] {
        try connection.prepare("""
            SELECT \(key), count(*), coalesce(sum(byte_size), 0) FROM images\(whereClause) GROUP BY 1
            """).rows(filter.arguments) { row in
            CatalogueStatistics.Group(key: row.optionalText(), images: Int(row.int64()), bytes: row.int64())
        }
    }

    /// Most images first, then by key, the group without a key last.
    static func countOrder(_ a: CatalogueStatistics.Group, _ b: CatalogueStatistics.Group) -> Bool {
        if a.images != b.images { return a.images > b.images }
        return keyOrder(a.key, b.key)
    }

    static func yearOrder(_ a: String?, _ b: String?) -> Bool { keyOrder(a, b) }

    /// Ascending, nil last.
    static func keyOrder(_ a: String?, _ b: String?) -> Bool {
        switch (a, b) {
        case (let a?, let b?): a < b
        case (_?, nil): true
        default: false
        }
    }

    /// "make model", without repeating the brand when the model already starts with the
    /// make's first word ("Canon" + "Canon EOS R5" is "Canon EOS R5", "NIKON CORPORATION" +
    /// "NIKON Z 6" is "NIKON Z 6"); nil when neither is known.
    static func cameraName(make: String?, model: String?) -> String? {
        let make = make?.trimmingSpaces.nilIfEmpty
        let model = model?.trimmingSpaces.nilIfEmpty
        switch (make, model) {
        case (nil, nil): return nil
        case (let make?, nil): return make
        case (nil, let model?): return model
        case (let make?, let model?):
            let brand = make.split(separator: " ").first.map(String.init) ?? make
            let modelWords = model.split(separator: " ")
            if let first = modelWords.first, first.lowercased() == brand.lowercased() {
                return model
            }
            return make + " " + model
        }
    }
}

private extension String {
    var trimmingSpaces: String {
        let scalars = unicodeScalars.drop(while: { $0 == " " || $0 == "\t" })
        var end = scalars.endIndex
        while end > scalars.startIndex, scalars[scalars.index(before: end)] == " " || scalars[scalars.index(before: end)] == "\t" {
            end = scalars.index(before: end)
        }
        return String(String.UnicodeScalarView(scalars[scalars.startIndex..<end]))
    }

    var nilIfEmpty: String? { isEmpty ? nil : self }
}
