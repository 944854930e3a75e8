/// `text` fit for one line of a terminal: control characters (C0, DEL, C1, U+2028, U+2029)
/// shown as `\n`, `\t`, `\r` or `\x1B`, so that a file name holding a newline cannot split a
/// message and one holding an escape sequence cannot drive the terminal; and the bytes of a
/// file name that are not UTF-8 (U+EF80–U+EFFF in the catalogue's rendering,
/// docs/repository-format.md) shown as `\xFF`. Every human-facing line goes through it: the
/// stderr messages, the per-file lines, the table cells. Machine formats (JSON, CSV) escape by
/// their own rules and do not use it.
public func visibleText(_ text: String) -> String { TerminalText.visible(text) }

/// `4.2 MB`: decimal units (1 kB = 1000 B), one decimal below 10, whole numbers above.
public func humanSize(_ bytes: Int64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"]
    if bytes < 0 { return "-" + humanSize(bytes == .min ? .max : -bytes) }
    var value = Double(bytes)
    var unit = 0
    while value >= 999.5, unit < units.count - 1 { value /= 1000; unit += 1 }
    if unit == 0 { return "\(bytes) B" }
    if value < 9.95 {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
    return "\(Int(value.rounded())) \(units[unit])"
}

/// "Canon EOS R5" rather than "Canon Canon EOS R5", and "NIKON Z 6" rather than
/// "NIKON CORPORATION NIKON Z 6": many cameras repeat their brand in the model.
/// Nil when neither is known.
public func cameraName(make: String?, model: String?) -> String? {
    let make = (make ?? "").trimmingSpaces(), model = (model ?? "").trimmingSpaces()
    if model.isEmpty { return make.isEmpty ? nil : make }
    let brand = make.split(separator: " ").first.map { $0.lowercased() } ?? ""
    return brand.isEmpty || model.lowercased().hasPrefix(brand) ? model : make + " " + model
}

/// Exposure as photographers write it, after exiftool: `1/250` below a quarter second,
/// else seconds with at most one decimal (`0.5`, `2`, `2.5`).
public func exposureText(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds > 0 else { return JSONValue.numberText(seconds) }
    if seconds < 0.25001 { return "1/\(Int((1 / seconds).rounded()))" }
    return decimalText(seconds, maxFractionDigits: 1)
}

/// `12.3`, `8`: rounded to at most `maxFractionDigits` decimals, trailing zeros dropped.
public func decimalText(_ value: Double, maxFractionDigits: Int) -> String {
    guard value.isFinite else { return "-" }
    var scale = 1.0
    for _ in 0..<maxFractionDigits { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9e15 else { return JSONValue.numberText(value) }
    let units = Int64(scaled)
    let whole = units / Int64(scale)
    var fraction = String(units % Int64(scale))
    if maxFractionDigits > 0 {
        fraction = String(repeating: "0", count: maxFractionDigits - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
    } else {
        fraction = ""
    }
    let sign = value < 0 && units != 0 ? "-" : ""
    return sign + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
