import ImageProbe

/// Reads the values of command-line filters (`--taken 2023-06..`, `--size 5M..`, `--near ...`)
/// into predicates. docs/query-language.md describes every form.
///
/// Every function takes the option's name only to report errors: a malformed value throws
/// `ImgrepoError.invalidArgument(value: "<option> <text>", reason:)`, e.g.
/// `--iso abc: not a number`.
public enum FilterParser {
    /// The predicate for a filter on `field`: a glob for text fields, else a range.
    public static func predicate(_ text: String, field: QueryField, option: String) throws -> QueryPredicate {
        field.kind == .text ? try glob(text, field: field, option: option) : try range(text, field: field, option: option)
    }

    /// A range `A..B`, `A..`, `..B` or a single value `A` over a number or date field.
    ///
    /// Numbers are inclusive at both ends and a single number means equality; integer fields
    /// take no fractions, `size` takes units (`5M`, `4.2MB`, `3MiB`), `pixels` takes `12M`,
    /// real fields take fractions (`1/250`). Dates name periods (`2024` is the whole year):
    /// the range runs from the start of A's period to the end of B's, and a single date means
    /// its period. Dates without offset are wall-clock for `taken` and local time (TZ) for
    /// instants.
    ///
    /// - Throws: `ImgrepoError.invalidArgument` for a malformed value, a date that does not
    ///   exist (`2023-02-29`), a text field, or an empty range (`400..100`).
    public static func range(_ text: String, field: QueryField, option: String) throws -> QueryPredicate {
        let value = trimmed(text)
        func failure(_ reason: String) -> ImgrepoError { .invalidArgument(value: "\(option) \(text)", reason: reason) }
        guard field.kind != .text else { throw failure("\(field.rawValue) is text: ranges apply to numbers and dates") }
        guard !value.isEmpty else { throw failure("empty value") }
        guard let dots = value.firstRange(of: "..") else {
            do { return FieldLiteral.predicate(field, .equal, try FieldLiteral.read(value, for: field)) }
            catch { throw failure(error.reason) }
        }
        let lowerText = String(value[..<dots.lowerBound]), upperText = String(value[dots.upperBound...])
        guard !upperText.contains("..") else { throw failure("more than one '..'") }
        guard !lowerText.isEmpty || !upperText.isEmpty else { throw failure("a range needs at least one bound") }
        func bound(_ part: String) throws -> FieldLiteral.Value? {
            guard !part.isEmpty else { return nil }
            do { return try FieldLiteral.read(part, for: field) } catch { throw failure("\(part): \(error.reason)") }
        }
        let lower = try bound(lowerText), upper = try bound(upperText)
        do { return try FieldLiteral.range(field, lower: lower, upper: upper, lowerText: lowerText, upperText: upperText) }
        catch { throw failure(error.reason) }
    }

    /// Values strictly before `text`: before the start of a date's period (`--taken-before
    /// 2023-06` is before June 1), or less than a number.
    public static func before(_ text: String, field: QueryField, option: String) throws -> QueryPredicate {
        let value = trimmed(text)
        func failure(_ reason: String) -> ImgrepoError { .invalidArgument(value: "\(option) \(text)", reason: reason) }
        guard field.kind != .text else { throw failure("\(field.rawValue) is text: bounds apply to numbers and dates") }
        guard !value.isEmpty else { throw failure("empty value") }
        do { return FieldLiteral.predicate(field, .less, try FieldLiteral.read(value, for: field)) }
        catch { throw failure(error.reason) }
    }

    /// A case-insensitive shell glob over a text field (`Canon*`, `IMG_????.JPG`, `[CN]*`).
    /// A value without `*`, `?` or `[` matches the whole value, in any case.
    ///
    /// - Throws: for an empty pattern, an unclosed `[`, or a field that is not text.
    public static func glob(_ text: String, field: QueryField, option: String) throws -> QueryPredicate {
        func failure(_ reason: String) -> ImgrepoError { .invalidArgument(value: "\(option) \(text)", reason: reason) }
        guard field.kind == .text else { throw failure("\(field.rawValue) is not text: globs apply to text fields") }
        do { try FieldLiteral.checkGlob(text) } catch { throw failure(error.reason) }
        return .glob(field, text)
    }

    /// `landscape`, `portrait` or `square` (any case), the shape as displayed.
    ///
    /// - Throws: for any other word, listing the three.
    public static func orientation(_ text: String, option: String) throws -> DisplayOrientation {
        guard let shape = DisplayOrientation(rawValue: trimmed(text).lowercased()) else {
            throw ImgrepoError.invalidArgument(value: "\(option) \(text)", reason: "expected landscape, portrait or square")
        }
        return shape
    }

    /// `LAT,LON,KM`: images with GPS within KM kilometres of the point.
    ///
    /// - Throws: unless LAT is in -90...90, LON in -180...180 and KM a positive number.
    public static func near(_ text: String, option: String) throws -> QueryPredicate {
        func failure(_ reason: String) -> ImgrepoError { .invalidArgument(value: "\(option) \(text)", reason: reason) }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { trimmed(String($0)) }
        guard parts.count == 3 else { throw failure("expected latitude,longitude,kilometres") }
        guard let latitude = signedDecimal(parts[0]) else { throw failure("latitude \(parts[0]): not a number") }
        guard let longitude = signedDecimal(parts[1]) else { throw failure("longitude \(parts[1]): not a number") }
        guard let kilometres = signedDecimal(parts[2]) else { throw failure("distance \(parts[2]): not a number") }
        guard (-90...90).contains(latitude) else { throw failure("latitude \(parts[0]) is outside -90...90") }
        guard (-180...180).contains(longitude) else { throw failure("longitude \(parts[1]) is outside -180...180") }
        guard kilometres > 0 else { throw failure("distance \(parts[2]) must be more than 0 km") }
        return .near(latitude: latitude, longitude: longitude, kilometres: kilometres)
    }

    /// `S,W,N,E`: images with GPS inside the box. `W > E` means the box crosses the
    /// antimeridian (`-10,170,10,-170` spans 20° of longitude around 180°).
    ///
    /// - Throws: unless latitudes are in -90...90 with S ≤ N and longitudes in -180...180.
    public static func boundingBox(_ text: String, option: String) throws -> QueryPredicate {
        func failure(_ reason: String) -> ImgrepoError { .invalidArgument(value: "\(option) \(text)", reason: reason) }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { trimmed(String($0)) }
        guard parts.count == 4 else { throw failure("expected south,west,north,east") }
        let names = ["south", "west", "north", "east"]
        var values: [Double] = []
        for (name, part) in zip(names, parts) {
            guard let v = signedDecimal(part) else { throw failure("\(name) \(part): not a number") }
            let limit: Double = name == "south" || name == "north" ? 90 : 180
            guard (-limit...limit).contains(v) else { throw failure("\(name) \(part) is outside -\(Int(limit))...\(Int(limit))") }
            values.append(v)
        }
        guard values[0] <= values[2] else { throw failure("south \(parts[0]) is north of north \(parts[2])") }
        return .boundingBox(south: values[0], west: values[1], north: values[2], east: values[3])
    }

    /// Comma-separated formats (`jpeg,png`; also `jpg`, `tif`, any case): one comparison on
    /// `format` for a single type, an `.or` of them for several.
    ///
    /// - Throws: for an unknown or empty name, listing the known ones.
    public static func formats(_ text: String, option: String) throws -> QueryPredicate {
        var formats: [ImageFormat] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = trimmed(String(part))
            guard let format = ImageFormat(typeName: name) else {
                let known = ImageFormat.allCases.map(\.rawValue).joined(separator: ", ")
                let what = name.isEmpty ? "empty type" : "unknown type '\(name)'"
                throw ImgrepoError.invalidArgument(value: "\(option) \(text)", reason: "\(what) (known: \(known); also jpg, tif)")
            }
            if !formats.contains(format) { formats.append(format) }
        }
        let parts = formats.map { QueryPredicate.compare(.format, .equal, .text($0.rawValue)) }
        return parts.count == 1 ? parts[0] : .or(parts)
    }

    /// Comma-separated sort keys, each a field name optionally prefixed by `-` (descending) or
    /// `+` (ascending, the default): `taken,-size`.
    ///
    /// - Throws: for an unknown field (listing the fields), an empty key or a repeated field.
    public static func sortOrder(_ text: String, option: String) throws -> [SortOrder] {
        func failure(_ reason: String) -> ImgrepoError { .invalidArgument(value: "\(option) \(text)", reason: reason) }
        var orders: [SortOrder] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            var key = Substring(trimmed(String(part)))
            var descending = false
            if let sign = key.first, sign == "-" || sign == "+" {
                descending = sign == "-"
                key = key.dropFirst()
            }
            guard !key.isEmpty else { throw failure("empty sort key") }
            guard let field = QueryField(named: String(key)) else {
                throw failure("unknown field '\(key)' (fields: \(QueryField.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard !orders.contains(where: { $0.field == field }) else { throw failure("\(field.rawValue) appears twice") }
            orders.append(SortOrder(field, descending: descending))
        }
        return orders
    }

    // MARK: Helpers

    /// `text` without leading and trailing spaces and tabs (by scalar: no grapheme breaking).
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(scalars[first...last])
    }

    /// `-33.86`, `+2.5`, `151`: a finite decimal with optional sign, or nil.
    static func signedDecimal(_ text: String) -> Double? {
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        guard let decimal = DecimalText(rest) else { return nil }
        let value = decimal.double
        guard value.isFinite else { return nil }
        return negative ? -value : value
    }
}

/// The shape of an image as displayed, after applying its EXIF orientation: values 5–8 turn
/// the image a quarter, so a stored 4000×3000 image with orientation 6 displays as portrait.
public enum DisplayOrientation: String, CaseIterable, Hashable, Sendable {
    /// Displayed wider than tall.
    case landscape
    /// Displayed taller than wide.
    case portrait
    /// Width equals height (a quarter turn changes nothing).
    case square

    /// The predicate selecting images of this shape, built from and/or/compare only.
    ///
    /// `widthVersus` builds "stored width `op` stored height" for an operator. `QueryPredicate`
    /// has no field-to-field comparison yet; once it has one, pass it here
    /// (`{ .compareFields(.width, $0, .height) }`).
    ///
    /// An image without an orientation (NULL), or with a value outside 1–8, counts as upright.
    /// The predicate on the catalogue's width and height columns.
    public var predicate: QueryPredicate { predicate { .compareFields(.width, $0, .height) } }

    public func predicate(widthVersus: (ComparisonOperator) -> QueryPredicate) -> QueryPredicate {
        let turned = QueryPredicate.and([.compare(.orientation, .greaterOrEqual, .integer(5)),
                                         .compare(.orientation, .lessOrEqual, .integer(8))])
        // Spelled out rather than `not(turned)`: a NULL orientation must count as upright
        // whatever a driver makes of NOT over NULL.
        let upright = QueryPredicate.or([.isNull(.orientation),
                                         .compare(.orientation, .less, .integer(5)),
                                         .compare(.orientation, .greater, .integer(8))])
        switch self {
        case .square:
            return widthVersus(.equal)
        case .landscape:
            return .or([turned.and(widthVersus(.less)), upright.and(widthVersus(.greater))])
        case .portrait:
            return .or([turned.and(widthVersus(.greater)), upright.and(widthVersus(.less))])
        }
    }
}
