/// A streaming digest of a file's bytes, named by lower-case hex.
///
/// The core does not hash by itself: it builds without any C library, and the fastest
/// SHA-512 here is libcrypto's, so the executable injects `ImgrepoSHA512.SHA512Hasher`.
public protocol ContentHasher: AnyObject {
    /// Adds bytes to the digest, in order.
    func update(_ bytes: UnsafeRawBufferPointer)
    /// The digest of everything added, as 128 lower-case hex characters. Called once.
    func finalize() -> String
}

/// Turns an EXIF payload (starting at its TIFF header) into typed fields and a tag table.
/// Never throws: an unparseable payload yields `ExifStatus.unreadable` with warnings.
public protocol ExifDecoding: Sendable {
    func decode(tiff: [UInt8]) -> ExifData
}

/// Lower-case hex of bytes.
public func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for b in bytes {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// Whether `text` is non-empty lower- or upper-case hex.
func isHex(_ text: String) -> Bool {
    !text.isEmpty && text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) }
}
