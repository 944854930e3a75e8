import ImgrepoCore

/// The summary fields that maker notes libexif does not decode give, read from the raw
/// MakerNote (tag 0x927C) of the payload by our own bounds-checked decoders.
struct VendorMakerNoteValues: Equatable {
    /// Canon's ISO, for notes libexif rejects (stale offsets after an edit).
    var canonISO: Double?
    /// Kodak Type3's exposure time, f-number and ISO.
    var kodak: KodakMakerNote.Values?
    /// Reconyx's DateTimeOriginal as `YYYY-MM-DDTHH:MM:SS`.
    var reconyxTaken: String?
    /// Olympus's ISOValue as an ISO (libexif renders it only as bytes).
    var olympusISO: Double?
    /// Nikon's Lens, its four values exact (libexif renders them rounded).
    var nikonLens: [Double?]?

    /// Reads whichever vendor layout `make` and the note's first bytes select; empty when the
    /// payload has no maker note or none of these layouts. Never traps on hostile input.
    init(tiff: [UInt8], make: String?) {
        guard let note = MakerNoteBlock(tiff: tiff) else { return }
        canonISO = CanonMakerNote.iso(note, make: make)
        kodak = KodakMakerNote.values(note.bytes, make: make)
        reconyxTaken = ReconyxMakerNote.dateTimeOriginal(note.bytes, make: make)
        olympusISO = OlympusMakerNote.isoValue(note, make: make)
        nikonLens = NikonMakerNote.lens(note)
    }

    init() {}
}

extension ExifSummary {
    /// `takenTag` for a capture time taken from a maker note.
    static let makerNoteDateTimeOriginalTag = "MakerNotes:DateTimeOriginal"

    /// Takes the maker-note values where exiftool takes them (docs/metadata.md): Canon's ISO
    /// only where EXIF has none (exiftool's Composite ISO has priority 0), and Olympus's
    /// ISOValue only where nothing else gave one; Kodak Type3's
    /// ExposureTime, FNumber and ISO over EXIF's (same tag names, default priority, read after
    /// the EXIF tags, so exiftool's later-wins rule lets them override); Reconyx's
    /// DateTimeOriginal (priority 0) where EXIF has no DateTimeOriginal, outranking EXIF's
    /// CreateDate and ModifyDate as exiftool's DateTimeOriginal would.
    mutating func apply(_ vendor: VendorMakerNoteValues) {
        if iso == nil, let canon = vendor.canonISO, canon >= 0, canon <= Double(Int32.max) {
            iso = canon
        }
        // Olympus's ISOValue is not exiftool's ISO (it reports it under its own name), so it
        // only fills a gap nothing else fills.
        if iso == nil, let olympus = vendor.olympusISO { iso = olympus }
        if let kodak = vendor.kodak {
            exposureTime = kodak.exposureTime ?? exposureTime
            fNumber = kodak.fNumber ?? fNumber
            iso = kodak.iso.map(Double.init) ?? iso
        }
        if let taken = vendor.reconyxTaken, takenTag != "EXIF:DateTimeOriginal" {
            takenLocal = taken
            takenOffset = nil
            takenTag = Self.makerNoteDateTimeOriginalTag
        }
    }
}
