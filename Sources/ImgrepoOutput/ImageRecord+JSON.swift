import ImgrepoCore

extension ImageRecord {
    /// The record as `list --json` prints it: every documented field, in docs/json.md's order.
    public var json: JSONValue { .object(jsonFields) }

    /// The documented fields as ordered key/value pairs (`RecordField.documented`).
    public var jsonFields: [(String, JSONValue)] {
        RecordField.documented.map { ($0.key, $0.value(self)) }
    }
}

extension KnownName {
    /// `{name, path, owner, added_at}`, as in `details --json`'s `names`.
    public var json: JSONValue {
        .object([("name", .string(name)), ("path", .string(path)), ("owner", .string(owner)), ("added_at", .string(addedAt.iso8601))])
    }
}

extension ExifTag {
    /// `{ifd, name, tag_id, value, number}`, as in `details --json`'s `exif_tags`.
    public var json: JSONValue {
        .object([("ifd", .string(ifd)), ("name", .string(name)), ("tag_id", .int(Int64(tagID))),
                 ("value", .string(text)), ("number", .double(number))])
    }
}
