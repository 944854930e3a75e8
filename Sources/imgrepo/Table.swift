/// An aligned text table for people: columns sized to their widest cell, the header in bold
/// when colour is allowed (a terminal, no NO_COLOR, TERM not dumb).
struct Table {
    enum Alignment { case left, right }
    var headers: [String]
    var alignments: [Alignment]
    var rows: [[String]] = []

    func render(colour: Bool) -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, cell) in cells.enumerated() {
                let last = i == cells.count - 1
                switch alignments[i] {
                case .right: parts.append(cell.leftPadding(widths[i]))
                case .left: parts.append(last ? cell : cell.padding(widths[i]))
                }
            }
            return parts.joined(separator: "  ")
        }
        var out = ""
        let header = line(headers)
        out += colour ? "\u{1B}[1m\(header)\u{1B}[0m\n" : header + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }
}

/// `4.2 MB`: decimal units, one decimal below 10.
func humanSize(_ bytes: Int64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1000, unit < units.count - 1 { value /= 1000; unit += 1 }
    if unit == 0 { return "\(bytes) B" }
    let rounded = value < 10 ? (value * 10).rounded() / 10 : value.rounded()
    let text = rounded == rounded.rounded() && value >= 10 ? String(Int(rounded)) : String(rounded)
    return "\(text) \(units[unit])"
}
