import ImgrepoCore
import ImgrepoOutput
#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress display on stderr: files done (of the total when it is known), bytes,
/// rate, ETA and the current file, redrawn at most ten times a second. Shown only when stderr
/// is a terminal (or `--progress` forces it); everything else printed clears it first.
final class ProgressLine {
    private let start = Timestamp.now()
    private var lastDraw: Int64 = 0
    private var visible = false
    private let width: Int

    /// nil when progress is not to be shown.
    init?(forced: Bool?) {
        let show = forced ?? (isatty(2) == 1)
        guard show else { return nil }
        var size = winsize()
        width = ioctl(2, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 20 ? Int(size.ws_col) : 80
    }

    /// Files done (of `total` when known), bytes, rate, ETA and the current file.
    func update(done: Int, total: Int?, bytes: Int64, current: String) {
        guard due() else { return }
        let seconds = max(Double(Timestamp.now().microseconds - start.microseconds) / 1e6, 0.001)
        var text = total.map { "\(done)/\($0) files" } ?? "\(done) files"
        text += ", \(humanSize(bytes)), \(humanSize(Int64(Double(bytes) / seconds)))/s"
        if let total, done > 0, total > done {
            text += ", ETA \(Int((Double(total - done) * seconds / Double(done)).rounded(.up))) s"
        }
        let room = width - text.count - 3
        if room > 8 {
            let shown = visibleText(current)
            let name = shown.count > room ? "…" + shown.suffix(room - 1) : shown
            text += "  " + name
        }
        show(text)
    }

    /// Any text, throttled like `update` unless `force`.
    func draw(_ text: String, force: Bool = false) {
        guard force || due() else { return }
        show(text)
    }

    /// Whether a tenth of a second has passed since the last redraw (and starts a new one).
    private func due() -> Bool {
        let now = Timestamp.now().microseconds
        guard now - lastDraw >= 100_000 else { return false }
        lastDraw = now
        return true
    }

    private func show(_ text: String) {
        write("\r\u{1B}[K" + String(text.prefix(width - 1)))
        visible = true
    }

    /// Erases the line, before other output or at the end.
    func clear() {
        guard visible else { return }
        write("\r\u{1B}[K")
        visible = false
    }

    private func write(_ text: String) {
        Console.flush()
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress!, $0.count) }
    }
}
