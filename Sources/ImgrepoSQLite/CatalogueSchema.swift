import ImgrepoSQL

/// The catalogue's schema as an ordered list of forward-only migrations.
///
/// `migrations[0]` takes an empty database to version 1, `migrations[n - 1]` takes version
/// n − 1 to n. A migration is never edited once released: a change is a new entry at the end.
/// The version lives in the one-row table `schema_version`, which the migration mechanism
/// (`CatalogueMigrator`) creates itself; docs/catalogue-schema.md describes every version.
enum CatalogueSchema {
    static let migrations: [String] = [
        // Version 1: images, their known names, their EXIF tags.
        """
        CREATE TABLE images (
            id             INTEGER PRIMARY KEY AUTOINCREMENT,
            sha512         TEXT    NOT NULL UNIQUE,
            original_name  TEXT    NOT NULL,
            original_path  TEXT,
            owner          TEXT    NOT NULL,
            uploaded_at    INTEGER NOT NULL,
            byte_size      INTEGER NOT NULL,
            format         TEXT    NOT NULL,
            mime_type      TEXT    NOT NULL,
            width          INTEGER,
            height         INTEGER,
            exif_status    TEXT    NOT NULL,
            make           TEXT,
            model          TEXT,
            lens           TEXT,
            taken_local    TEXT,
            taken_offset   TEXT,
            taken_utc      INTEGER,
            exposure_time  REAL,
            f_number       REAL,
            iso            INTEGER,
            focal_length   REAL,
            orientation    INTEGER,
            gps_latitude   REAL,
            gps_longitude  REAL,
            gps_altitude   REAL,
            software       TEXT,
            artist         TEXT,
            copyright      TEXT
        );
        CREATE INDEX images_owner ON images(owner);
        CREATE INDEX images_uploaded_at ON images(uploaded_at);
        CREATE INDEX images_taken_local ON images(taken_local);
        CREATE INDEX images_format ON images(format);
        CREATE INDEX images_make ON images(make);
        CREATE INDEX images_model ON images(model);
        CREATE INDEX images_original_name ON images(original_name);
        CREATE INDEX images_byte_size ON images(byte_size);

        CREATE TABLE image_names (
            id        INTEGER PRIMARY KEY AUTOINCREMENT,
            image_id  INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
            name      TEXT    NOT NULL,
            path      TEXT,
            owner     TEXT    NOT NULL,
            added_at  INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX image_names_image_name_path ON image_names(image_id, name, coalesce(path, ''));

        CREATE TABLE exif_tags (
            image_id    INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
            seq         INTEGER NOT NULL,
            ifd         TEXT    NOT NULL,
            tag_name    TEXT    NOT NULL,
            tag_id      INTEGER NOT NULL,
            value_text  TEXT    NOT NULL,
            value_num   REAL,
            PRIMARY KEY (image_id, seq)
        );
        """,
        // Version 2: indexes for filtered, sorted listing, counting and `near`, chosen with
        // EXPLAIN QUERY PLAN on a million-image catalogue (docs/catalogue-schema.md).
        """
        DROP INDEX images_taken_local;
        CREATE INDEX images_taken_camera ON images(taken_local, lower(make), lower(model));
        CREATE INDEX images_make_folded ON images(lower(make), taken_local);
        CREATE INDEX images_model_folded ON images(lower(model), taken_local);
        CREATE INDEX images_gps ON images(gps_latitude, gps_longitude);
        CREATE INDEX images_iso ON images(iso);
        """,
        // Version 3: XMP's descriptive fields, where the capture time came from, and keywords
        // (several per image, in the packet's order; the folded index serves `--keyword` globs).
        """
        ALTER TABLE images ADD COLUMN title TEXT;
        ALTER TABLE images ADD COLUMN description TEXT;
        ALTER TABLE images ADD COLUMN creator TEXT;
        ALTER TABLE images ADD COLUMN rating INTEGER;
        ALTER TABLE images ADD COLUMN taken_source TEXT;
        UPDATE images SET taken_source = 'exif' WHERE taken_local IS NOT NULL;
        CREATE INDEX images_rating ON images(rating);
        CREATE TABLE image_keywords (
            image_id  INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
            seq       INTEGER NOT NULL,
            keyword   TEXT    NOT NULL,
            PRIMARY KEY (image_id, seq)
        );
        CREATE INDEX image_keywords_folded ON image_keywords(lower(keyword), image_id);
        """,
        // Version 4: the upload's metadata warnings (joined by U+001F), FocalLengthIn35mmFormat,
        // Flash and the capture time's tag as columns
        // (filled for existing images from their stored EXIF tags), and the fingerprints of issue 8: the pixel hash (its
        // index finds pixel duplicates) and the perceptual hash (its index with the id covers
        // the `similar` scan, which then never reads the table).
        """
        ALTER TABLE images ADD COLUMN focal_length_35mm INTEGER;
        ALTER TABLE images ADD COLUMN flash INTEGER;
        ALTER TABLE images ADD COLUMN pixel_sha512 TEXT;
        ALTER TABLE images ADD COLUMN phash INTEGER;
        ALTER TABLE images ADD COLUMN fingerprint_version INTEGER;
        ALTER TABLE images ADD COLUMN taken_tag TEXT;
        ALTER TABLE images ADD COLUMN warnings TEXT;
        UPDATE images SET
            taken_tag = CASE
                WHEN taken_source IS NOT 'exif' THEN NULL
                WHEN EXISTS (SELECT 1 FROM exif_tags t WHERE t.image_id = images.id AND t.ifd = 'ExifIFD' AND t.tag_id = 36867)
                    THEN 'EXIF:DateTimeOriginal'
                WHEN EXISTS (SELECT 1 FROM exif_tags t WHERE t.image_id = images.id AND t.ifd = 'ExifIFD' AND t.tag_id = 36868)
                    THEN 'EXIF:CreateDate'
                WHEN EXISTS (SELECT 1 FROM exif_tags t WHERE t.image_id = images.id AND t.ifd = 'IFD0' AND t.tag_id = 306)
                    THEN 'EXIF:ModifyDate'
                ELSE NULL END,
            focal_length_35mm = (SELECT CAST(value_num AS INTEGER) FROM exif_tags t
                                 WHERE t.image_id = images.id AND t.tag_id = 41989 AND t.value_num > 0 LIMIT 1),
            flash = (SELECT CAST(value_num AS INTEGER) FROM exif_tags t
                     WHERE t.image_id = images.id AND t.tag_id = 37385 AND t.value_num IS NOT NULL LIMIT 1)
        WHERE exif_status = 'read';
        -- iso: a maker note's ISO may be fractional; the INTEGER column keeps it as REAL.
        CREATE INDEX images_pixel_sha512 ON images(pixel_sha512);
        CREATE INDEX images_phash ON images(phash, id);
        """,
    ]

    /// The version this code creates and understands.
    static var currentVersion: Int { migrations.count }
}

/// Brings a catalogue to the newest schema version, forward only, inside one write transaction.
struct CatalogueMigrator {
    var migrations: [String]

    var targetVersion: Int { migrations.count }

    /// The stored version: 0 when there is no `schema_version` table or it has no row.
    static func storedVersion(_ connection: SQLiteConnection) throws -> Int {
        let hasTable = try connection.prepare(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        ).firstRow { $0.int64() } ?? 0
        guard hasTable > 0 else { return 0 }
        let version = try connection.prepare("SELECT max(version) FROM schema_version").firstRow { $0.optionalInt64() }
        return Int((version ?? nil) ?? 0)
    }

    /// Whether the database holds tables other than SQLite's own and `schema_version`.
    static func hasForeignTables(_ connection: SQLiteConnection) throws -> Bool {
        let count = try connection.prepare("""
            SELECT count(*) FROM sqlite_master
            WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'schema_version'
            """).firstRow { $0.int64() } ?? 0
        return count > 0
    }

    /// Applies the missing migrations, or checks that none are missing when `readOnly`.
    ///
    /// The version is read once without a lock (the common case: nothing to do) and again
    /// under `BEGIN IMMEDIATE`, so two processes opening a new catalogue at once migrate it once.
    /// Throws `MigrationRefusal` for a catalogue this code must not touch.
    func migrate(_ connection: SQLiteConnection, readOnly: Bool) throws {
        let seen = try Self.storedVersion(connection)
        if seen == targetVersion { return }
        if seen > targetVersion { throw MigrationRefusal.newer(found: seen, known: targetVersion) }
        if readOnly { throw MigrationRefusal.readOnlyNeedsMigration(found: seen, known: targetVersion) }

        try connection.writeTransaction {
            try connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            let version = try Self.storedVersion(connection)
            if version > targetVersion { throw MigrationRefusal.newer(found: version, known: targetVersion) }
            if version == 0, try Self.hasForeignTables(connection) { throw MigrationRefusal.notACatalogue }
            for next in version..<targetVersion {
                try connection.execute(migrations[next])
                try connection.execute("DELETE FROM schema_version")
                try connection.prepare("INSERT INTO schema_version (version) VALUES (?)").run([.integer(Int64(next + 1))])
            }
        }
    }
}

/// Why a catalogue was not opened although SQLite could read it. Messages are the `reason` of
/// `ImgrepoError.databaseUnavailable`.
enum MigrationRefusal: Error, Equatable, CustomStringConvertible {
    case newer(found: Int, known: Int)
    case readOnlyNeedsMigration(found: Int, known: Int)
    case notACatalogue

    var description: String {
        switch self {
        case .newer(let found, let known):
            "catalogue schema version \(found) is newer than this imgrepo (\(known))"
        case .readOnlyNeedsMigration(let found, let known):
            "catalogue schema version \(found) needs upgrading to \(known), which a read-only open cannot do"
        case .notACatalogue:
            "not an imgrepo catalogue (it holds other tables and no schema version)"
        }
    }
}
