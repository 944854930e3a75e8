/// The catalogue's schema in MySQL/MariaDB: the same tables, columns and version numbers as
/// the SQLite schema (docs/catalogue-schema.md), in MySQL types, as forward-only migrations.
///
/// Differences from SQLite: text is utf8mb4 with the byte-wise, no-pad collation
/// (`utf8mb4_nopad_bin`: `=` is case-sensitive and exact, trailing spaces count, order is
/// byte order as in SQLite); the SHA-512 is `CHAR(128)` ASCII, uniquely indexed and checked to
/// be lower-case hex; instants are `DATETIME(6)` in UTC; long text columns are MEDIUMTEXT
/// with prefix indexes; known names are unique per (image, name, path) by the driver's
/// locking (the image row is locked while a name is added) rather than by an index, since
/// MariaDB cannot index an expression such as `coalesce(path, '')`.
///
/// MySQL commits DDL at once, so a migration is not one transaction: each migration's
/// statements run in order and the version is recorded after them, under a named lock
/// (`GET_LOCK`) so that two processes opening a new catalogue migrate it once.
enum MySQLCatalogueSchema {
    /// `imgrepo_km(lat1, lon1, lat2, lon2)`: the haversine distance in kilometres that `near`
    /// filters on, as SQLite's `imgrepo_km` computes it; NULL when any argument is NULL.
    static let distanceFunction = "imgrepo_km"
    /// `imgrepo_lower_ascii(text)`: A–Z folded to a–z, every other character unchanged.
    static let lowerFunction = "imgrepo_lower_ascii"

    static let migrations: [[String]] = [
        // Version 1: images, their known names, their EXIF tags.
        [
            """
            CREATE TABLE images (
                id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
                sha512         CHAR(128)    CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
                original_name  MEDIUMTEXT   NOT NULL,
                original_path  MEDIUMTEXT,
                owner          MEDIUMTEXT   NOT NULL,
                uploaded_at    DATETIME(6)  NOT NULL,
                byte_size      BIGINT       NOT NULL,
                format         VARCHAR(32)  NOT NULL,
                mime_type      VARCHAR(64)  NOT NULL,
                width          BIGINT,
                height         BIGINT,
                exif_status    VARCHAR(32)  NOT NULL,
                make           MEDIUMTEXT,
                model          MEDIUMTEXT,
                lens           MEDIUMTEXT,
                taken_local    MEDIUMTEXT,
                taken_offset   MEDIUMTEXT,
                taken_utc      DATETIME(6),
                exposure_time  DOUBLE,
                f_number       DOUBLE,
                iso            BIGINT,
                focal_length   DOUBLE,
                orientation    BIGINT,
                gps_latitude   DOUBLE,
                gps_longitude  DOUBLE,
                gps_altitude   DOUBLE,
                software       MEDIUMTEXT,
                artist         MEDIUMTEXT,
                copyright      MEDIUMTEXT,
                UNIQUE KEY images_sha512 (sha512),
                CONSTRAINT images_sha512_hex CHECK (sha512 REGEXP '^[0-9a-f]{128}$'),
                KEY images_owner (owner(255)),
                KEY images_uploaded_at (uploaded_at),
                KEY images_taken_local (taken_local(32)),
                KEY images_format (format),
                KEY images_make (make(255)),
                KEY images_model (model(255)),
                KEY images_original_name (original_name(255)),
                KEY images_byte_size (byte_size)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
            """,
            """
            CREATE TABLE image_names (
                id        BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
                image_id  BIGINT       NOT NULL,
                name      MEDIUMTEXT   NOT NULL,
                path      MEDIUMTEXT,
                owner     MEDIUMTEXT   NOT NULL,
                added_at  DATETIME(6)  NOT NULL,
                KEY image_names_image_name (image_id, name(255)),
                CONSTRAINT image_names_image FOREIGN KEY (image_id) REFERENCES images(id) ON DELETE CASCADE
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
            """,
            """
            CREATE TABLE exif_tags (
                image_id    BIGINT      NOT NULL,
                seq         BIGINT      NOT NULL,
                ifd         MEDIUMTEXT  NOT NULL,
                tag_name    MEDIUMTEXT  NOT NULL,
                tag_id      BIGINT      NOT NULL,
                value_text  MEDIUMTEXT  NOT NULL,
                value_num   DOUBLE,
                PRIMARY KEY (image_id, seq),
                CONSTRAINT exif_tags_image FOREIGN KEY (image_id) REFERENCES images(id) ON DELETE CASCADE
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
            """,
        ],
        // Version 2: indexes for sorted listing and `near`, and the functions the query
        // compiler calls (SQLite registers its own on each connection instead).
        [
            "DROP INDEX images_taken_local ON images",
            "CREATE INDEX images_taken_camera ON images (taken_local(32), make(64), model(64))",
            "CREATE INDEX images_gps ON images (gps_latitude, gps_longitude)",
            "CREATE INDEX images_iso ON images (iso)",
            """
            CREATE FUNCTION imgrepo_km(lat1 DOUBLE, lon1 DOUBLE, lat2 DOUBLE, lon2 DOUBLE) RETURNS DOUBLE
            DETERMINISTIC NO SQL
            RETURN 2 * 6371.0088 * ASIN(LEAST(1, SQRT(
                POW(SIN((lat2 - lat1) * (PI() / 180) / 2), 2)
                + COS(lat1 * (PI() / 180)) * COS(lat2 * (PI() / 180)) * POW(SIN((lon2 - lon1) * (PI() / 180) / 2), 2))))
            """,
            """
            CREATE FUNCTION imgrepo_lower_ascii(s MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin)
            RETURNS MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin
            DETERMINISTIC NO SQL
            RETURN REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(s, 'A', 'a'), 'B', 'b'), 'C', 'c'), 'D', 'd'), 'E', 'e'), 'F', 'f'), 'G', 'g'), 'H', 'h'), 'I', 'i'), 'J', 'j'), 'K', 'k'), 'L', 'l'), 'M', 'm'), 'N', 'n'), 'O', 'o'), 'P', 'p'), 'Q', 'q'), 'R', 'r'), 'S', 's'), 'T', 't'), 'U', 'u'), 'V', 'v'), 'W', 'w'), 'X', 'x'), 'Y', 'y'), 'Z', 'z')
            """,
        ],
        // Version 3: XMP's descriptive fields, where the capture time came from, and keywords
        // (several per image, in the packet's order).
        [
            """
            ALTER TABLE images ADD COLUMN title MEDIUMTEXT, ADD COLUMN description MEDIUMTEXT,
                ADD COLUMN creator MEDIUMTEXT, ADD COLUMN rating BIGINT, ADD COLUMN taken_source VARCHAR(8)
            """,
            "UPDATE images SET taken_source = 'exif' WHERE taken_local IS NOT NULL",
            "CREATE INDEX images_rating ON images (rating)",
            """
            CREATE TABLE image_keywords (
                image_id  BIGINT      NOT NULL,
                seq       BIGINT      NOT NULL,
                keyword   MEDIUMTEXT  NOT NULL,
                PRIMARY KEY (image_id, seq),
                KEY image_keywords_keyword (keyword(191)),
                CONSTRAINT image_keywords_image FOREIGN KEY (image_id) REFERENCES images(id) ON DELETE CASCADE
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
            """,
        ],
        // Version 4: FocalLengthIn35mmFormat, Flash and the capture time's tag (filled for existing images from their
        // stored EXIF tags), the pixel hash and the perceptual hash (issue 8).
        [
            """
            ALTER TABLE images ADD COLUMN focal_length_35mm BIGINT, ADD COLUMN flash BIGINT,
                ADD COLUMN pixel_sha512 VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin,
                ADD COLUMN phash BIGINT, ADD COLUMN fingerprint_version BIGINT, ADD COLUMN taken_tag VARCHAR(32),
                ADD COLUMN warnings MEDIUMTEXT
            """,
            """
            UPDATE images SET
                taken_tag = CASE
                    WHEN taken_source IS NULL OR taken_source <> 'exif' THEN NULL
                    WHEN EXISTS (SELECT 1 FROM exif_tags t WHERE t.image_id = images.id AND t.ifd = 'ExifIFD' AND t.tag_id = 36867)
                        THEN 'EXIF:DateTimeOriginal'
                    WHEN EXISTS (SELECT 1 FROM exif_tags t WHERE t.image_id = images.id AND t.ifd = 'ExifIFD' AND t.tag_id = 36868)
                        THEN 'EXIF:CreateDate'
                    WHEN EXISTS (SELECT 1 FROM exif_tags t WHERE t.image_id = images.id AND t.ifd = 'IFD0' AND t.tag_id = 306)
                        THEN 'EXIF:ModifyDate'
                    ELSE NULL END,
                focal_length_35mm = (SELECT CAST(t.value_num AS SIGNED) FROM exif_tags t
                                     WHERE t.image_id = images.id AND t.tag_id = 41989 AND t.value_num > 0 LIMIT 1),
                flash = (SELECT CAST(t.value_num AS SIGNED) FROM exif_tags t
                         WHERE t.image_id = images.id AND t.tag_id = 37385 AND t.value_num IS NOT NULL LIMIT 1)
            WHERE exif_status = 'read'
            """,
            // ISO as exiftool gives it, which a maker note can make fractional (SQLite's INTEGER
            // column keeps such a value as REAL by itself).
            "ALTER TABLE images MODIFY iso DOUBLE",
            "CREATE INDEX images_pixel_sha512 ON images (pixel_sha512)",
            "CREATE INDEX images_phash ON images (phash, id)",
        ],
    ]

    /// The version this code creates and understands.
    static var currentVersion: Int { migrations.count }
}
