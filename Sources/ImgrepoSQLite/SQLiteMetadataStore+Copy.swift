import ImgrepoCore
import ImgrepoSQL

extension SQLiteMetadataStore {
    /// `insertImageSQL` with the id given rather than assigned: the same columns and values,
    /// so a copy writes what an upload writes (keywords, in their own table, follow). AUTOINCREMENT's high-water mark
    /// (`sqlite_sequence`) follows explicit ids, so later ids stay larger.
    static let copyImageSQL: String = insertImageSQL
        .replacing("INSERT INTO images (", with: "INSERT INTO images (id, ")
        .replacing("VALUES (", with: "VALUES (?, ")
        .replacing("RETURNING id", with: "")

    public func copyIn(_ images: [CatalogueImage]) throws {
        guard !images.isEmpty else { return }
        do {
            try connection.writeTransaction {
                let insertImage = try connection.prepare(Self.copyImageSQL)
                let insertName = try connection.prepare(Self.insertNameSQL)
                let insertTag = try connection.prepare(Self.insertTagSQL)
                let insertKeyword = try connection.prepare(Self.insertKeywordSQL)
                for image in images {
                    let id = image.record.id
                    try insertImage.run([.integer(id)] + Self.values(of: image.newImage))
                    for (seq, tag) in image.tags.enumerated() {
                        try insertTag.run([
                            .integer(id), .integer(Int64(seq)), .text(tag.ifd), .text(tag.name),
                            .integer(Int64(tag.tagID)), .text(tag.text), SQLValue(tag.number),
                        ])
                    }
                    for (seq, keyword) in image.record.exif.keywords.enumerated() {
                        try insertKeyword.run([.integer(id), .integer(Int64(seq)), .text(keyword)])
                    }
                    for name in image.names {
                        try insertName.run([
                            .integer(id), .text(name.name), SQLValue(name.path), .text(name.owner),
                            .integer(name.addedAt.microseconds),
                        ])
                    }
                }
            }
        } catch let error as SQLiteError {
            throw error.imgrepoError(location: path)
        }
    }
}
