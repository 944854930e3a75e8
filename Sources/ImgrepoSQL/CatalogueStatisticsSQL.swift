import ImgrepoCore

/// The statements behind `statistics(matching:)` for every driver, run in one read transaction so that the
/// totals and the breakdowns describe the same snapshot.
///
/// A duplicate upload is a known name beyond an image's first: names are recorded once per
/// (image, name, path), so re-uploading the same file under the same name and path is not
/// counted again.
package struct CatalogueStatisticsSQL {
    package var predicate: QueryPredicate
    package var dialect: SQLDialect

    package init(predicate: QueryPredicate, dialect: SQLDialect) {
        self.predicate = predicate
        self.dialect = dialect
    }

    package func run(on connection: some SQLRowReading) throws -> CatalogueStatistics {
        let filter = try ImageQuerySQL.condition(predicate, dialect: dialect)
        let whereClause = ImageQuerySQL.whereClause(filter)
        return try connection.readTransaction {
            // The correlated count is served by the index on image_names(image_id, …).
            let totals = try connection.allRows("""
                SELECT count(*), coalesce(sum(byte_size), 0),
                       coalesce(sum(CASE WHEN names > 1 THEN names - 1 ELSE 0 END), 0),
                       coalesce(sum(CASE WHEN names > 1 THEN (names - 1) * byte_size ELSE 0 END), 0)
                FROM (SELECT byte_size, (SELECT count(*) FROM image_names WHERE image_names.image_id = images.id) AS names
                      FROM images\(whereClause)) AS matching
                """, filter.arguments).first.map { row in
                (Int(row[0].integerValue ?? 0), row[1].integerValue ?? 0, Int(row[2].integerValue ?? 0), row[3].integerValue ?? 0)
            } ?? (0, 0, 0, 0)

            let byFormat = try groups("format", filter: filter, whereClause: whereClause, connection: connection)
            let byYear = try groups("substr(taken_local, 1, 4)", filter: filter, whereClause: whereClause, connection: connection)
                .sorted { Self.yearOrder($0.key, $1.key) }

            let cameras = try connection.allRows("""
                SELECT make, model, count(*), coalesce(sum(byte_size), 0) FROM images\(whereClause)
                GROUP BY make, model
                """, filter.arguments).map { row in
                (Self.cameraName(make: row[0].textValue, model: row[1].textValue),
                 Int(row[2].integerValue ?? 0), row[3].integerValue ?? 0)
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
                        connection: some SQLRowReading) throws -> [CatalogueStatistics.Group] {
        try connection.allRows("""
            SELECT \(key), count(*), coalesce(sum(byte_size), 0) FROM images\(whereClause) GROUP BY 1
            """, filter.arguments).map { row in
            CatalogueStatistics.Group(key: row[0].textValue, images: Int(row[1].integerValue ?? 0),
                                      bytes: row[2].integerValue ?? 0)
        }
    }

    /// Most images first, then by key, the group without a key last.
    package static func countOrder(_ a: CatalogueStatistics.Group, _ b: CatalogueStatistics.Group) -> Bool {
        if a.images != b.images { return a.images > b.images }
        return keyOrder(a.key, b.key)
    }

    package static func yearOrder(_ a: String?, _ b: String?) -> Bool { keyOrder(a, b) }

    /// Ascending, nil last.
    package static func keyOrder(_ a: String?, _ b: String?) -> Bool {
        switch (a, b) {
        case (let a?, let b?): a < b
        case (_?, nil): true
        default: false
        }
    }

    /// "make model", without repeating the brand when the model already starts with the
    /// make's first word ("Canon" + "Canon EOS R5" is "Canon EOS R5", "NIKON CORPORATION" +
    /// "NIKON Z 6" is "NIKON Z 6"); nil when neither is known.
    package static func cameraName(make: String?, model: String?) -> String? {
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


/// What the engine-neutral SQL needs from a driver's connection: small result sets as values.
package protocol SQLRowReading {
    /// Runs `body` inside one read transaction (consistent reads), or just runs it inside the
    /// transaction already open on this connection.
    func readTransaction<T>(_ body: () throws -> T) throws -> T
    /// Every row `sql` yields with `arguments` bound, each as its column values in order.
    func allRows(_ sql: String, _ arguments: [SQLValue]) throws -> [[SQLValue]]
}
