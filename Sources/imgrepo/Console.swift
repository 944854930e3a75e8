import ImgrepoOutput
#if canImport(Glibc)
import Glibc
#endif

/// stdout is data, stderr is talk. Both go through C stdio, which buffers stdout.
enum Console {
    /// stdout is buffered here and written with write(2) (C stdio's globals are not
    /// concurrency-safe in Swift 6); stderr is written at once.
    nonisolated(unsafe) private static var buffer: [UInt8] = {
        var b = [UInt8]()
        b.reserveCapacity(1 << 16)
        return b
    }()

    /// A progress line on stderr, erased before anything else is printed.
    nonisolated(unsafe) static var progress: ProgressLine?

    static func out(_ text: String) {
        progress?.clear()
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flushStdout() }
    }

    /// Raw bytes on stdout (the output layer's sink).
    static func write(_ bytes: [UInt8]) {
        progress?.clear()
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flushStdout() }
    }

    static func line(_ text: String) {
        progress?.clear()
        out(text)
        buffer.append(10)
        if buffer.count >= 1 << 16 { flushStdout() }
    }

    /// One human line on stdout (a per-file line such as `stored 12 NAME`), with control
    /// characters made visible (`visibleText`): a name can neither split it nor reach the
    /// terminal as an escape sequence. Machine formats go through `line` or `write`.
    static func textLine(_ text: String) {
        line(visibleText(text))
    }

    /// One line on stderr, prefixed `imgrepo: `, with control characters made visible
    /// (`visibleText`): every message goes through here, so that however it was put together
    /// (a file name with a newline, an expression with an escape) it stays one line and never
    /// drives the terminal.
    static func error(_ message: String) {
        progress?.clear()
        flushStdout() // keep stdout and stderr in order on a shared terminal
        writeAll(2, Array("imgrepo: \(visibleText(message))\n".utf8))
    }

    static func flush() { flushStdout() }

    private static func flushStdout() {
        guard !buffer.isEmpty else { return }
        writeAll(1, buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return // EPIPE and friends: the reader has gone; nothing useful to say
                }
                offset += n
            }
        }
    }

    static var stdoutIsTerminal: Bool { isatty(1) == 1 }

    /// The terminal's width in columns when stdout is a terminal; nil otherwise, so that
    /// output piped to a file is never truncated.
    static var terminalWidth: Int? {
        guard stdoutIsTerminal else { return nil }
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = getenv("COLUMNS").flatMap({ Int(String(cString: $0)) }), columns > 0 { return columns }
        return 80
    }
    static var stdinIsTerminal: Bool { isatty(0) == 1 }

    /// Colour only on a terminal, never under NO_COLOR (any value) or TERM=dumb.
    static var useColour: Bool {
        guard stdoutIsTerminal else { return false }
        if getenv("NO_COLOR") != nil { return false }
        if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
        return true
    }

    /// The process environment as a dictionary.
    static func environment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                result[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            pointer += 1
        }
        return result
    }
}
