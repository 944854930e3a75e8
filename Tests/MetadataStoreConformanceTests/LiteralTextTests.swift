import ImageProbe
import ImgrepoCore
import Testing

/// Values reach the catalogue as data, never as SQL: quotes, LIKE and GLOB wildcards,
/// backslashes, NUL and very long strings are stored as given and matched literally by `=`
/// and by globs that escape their wildcards (`[*]`, `[?]`, `[[]`).
@Suite struct LiteralTextTests {
    /// Distinct values, several differing only in one character another engine might treat
    /// specially; none differ only in ASCII case, so globs tell them apart too.
    static let values: [String] = [
        "50%_off'\"\\.jpg", "50x_off'\"\\.jpg", "50%xoff'\"\\.jpg", "50%_off'\"x.jpg", "50%_off.jpg",
        "'", "''", "\"", "%", "_", "\\", "\\\\", "*", "?", "[", "]", "[*]", "a*b", "a?b", "axb",
        "a\u{0}b", "a", "a\u{0}", "\u{0}",
        "'; DROP TABLE images; --", "x' OR '1'='1", "ünï 写真 🎞",
        String(repeating: "long'%_\\", count: 12_500), String(repeating: "long'%_\\", count: 12_499) + "long'%_/",
    ]

    /// The text fields a query reaches, with a function that puts a value into a new image.
    static let fields: [(QueryField, @Sendable (inout NewImage, String) -> Void)] = [
        (.name, { $0.originalName = $1 }),
        (.path, { $0.originalPath = $1 }),
        (.owner, { $0.owner = $1 }),
        (.sha512, { $0.sha512 = $1 }),
        (.make, { $0.exif.summary.make = $1 }),
        (.model, { $0.exif.summary.model = $1 }),
        (.lens, { $0.exif.summary.lens = $1 }),
        (.taken, { $0.exif.summary.takenLocal = $1 }),
        (.software, { $0.exif.summary.software = $1 }),
        (.artist, { $0.exif.summary.artist = $1 }),
        (.copyright, { $0.exif.summary.copyright = $1 }),
    ]

    /// A distinct digest seed per index (fixed width, so that zero padding cannot collide).
    func seed(_ index: Int) -> String {
        let hex = String(index, radix: 16)
        return String(repeating: "0", count: 4 - hex.count) + hex
    }

    /// `value` as a glob matching only itself.
    static func literalGlob(_ value: String) -> String {
        var glob = ""
        for character in value {
            switch character {
            case "*", "?", "[": glob += "[\(character)]"
            default: glob.append(character)
            }
        }
        return glob
    }

    @Test(arguments: Driver.allCases)
    func everyTextFieldMatchesHostileValuesLiterally(driver: Driver) throws {
        // A driver that keeps the hash in a fixed-width hex column cannot hold hostile text there.
        for (field, assign) in Self.fields where field != .sha512 || driver.acceptsAnyTextAsSHA512 {
            try withStore(driver) { store throws in
                var stored: [String: Int64] = [:]
                for (index, value) in Self.values.enumerated() {
                    var image = sample(seed(index), exif: ExifData(status: .read))
                    assign(&image, value)
                    let id = try store.store(image)
                    stored[value] = id
                    let record = try #require(try store.image(id: id))
                    #expect(record == expectedRecord(image, id: id), "\(field) round trip of \(value.debugDescription.prefix(40))")
                }
                for value in Self.values {
                    let label = "\(field) \(value.debugDescription.prefix(40))"
                    let equal = try store.images(matching: ImageQuery(predicate: .compare(field, .equal, .text(value))))
                    #expect(equal.map(\.id) == [stored[value]], "= \(label)")
                    let globbed = try store.images(matching: ImageQuery(predicate: .glob(field, Self.literalGlob(value))))
                    #expect(globbed.map(\.id) == [stored[value]], "glob \(label)")
                    #expect(try store.count(matching: .compare(field, .notEqual, .text(value))) == Self.values.count - 1, "!= \(label)")
                }
                // Wildcards still work around hostile text.
                let prefixed = try store.images(matching: ImageQuery(predicate: .glob(field, "50%_off*"))).map(\.id)
                #expect(Set(prefixed) == Set(["50%_off'\"\\.jpg", "50%_off'\"x.jpg", "50%_off.jpg"].map { stored[$0] }), "\(field) prefix")
                let nul = try store.images(matching: ImageQuery(predicate: .glob(field, "a\u{0}*"))).map(\.id)
                #expect(Set(nul) == Set(["a\u{0}b", "a\u{0}"].map { stored[$0] }), "\(field) NUL prefix")
                #expect(try store.count() == Self.values.count)
            }
        }
    }

    @Test(arguments: Driver.allCases)
    func hostileSortAndKeysetValuesAreData(driver: Driver) throws {
        try withStore(driver) { store throws in
            for (index, value) in Self.values.enumerated() {
                _ = try store.store(sample(seed(index), name: value))
            }
            let sorted = try store.images(matching: ImageQuery(sort: [SortOrder(.name)])).map(\.originalName)
            #expect(sorted == Self.values.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
            let ids = try store.images(matching: ImageQuery(sort: [SortOrder(.name, descending: true)])).map(\.id)
            for (position, id) in ids.enumerated() {
                let rest = try store.images(matching: ImageQuery(sort: [SortOrder(.name, descending: true)], after: id)).map(\.id)
                #expect(rest == Array(ids[(position + 1)...]))
            }
        }
    }
}
