/// The `--where` expression language: conditions over named fields, combined with `and`, `or`,
/// `not` and parentheses, read into a `QueryPredicate`. docs/query-language.md is the reference.
///
/// ```
/// taken >= 2023-06 and (make = "Canon" or iso > 1600)
/// ```
///
/// The language has no way to write SQL: it only names fields, operators and literals, and the
/// result is data that drivers compile with bound parameters.
public enum WhereExpression {
    /// Longer input is refused before it is read.
    public static let maximumLength = 10_000
    /// How deeply parentheses and `not` may nest, so hostile input cannot exhaust the stack.
    public static let maximumDepth = 100

    /// The predicate `text` expresses.
    ///
    /// - Throws: `WhereSyntaxError`, with the 1-based column at fault: an unexpected character,
    ///   an unterminated string, an unknown field (with the closest name), a missing value or
    ///   `)`, trailing input, an empty expression, a literal that does not suit its field, too
    ///   deep nesting or too long input.
    public static func parse(_ text: String) throws -> QueryPredicate {
        let scalars = Array(text.unicodeScalars)
        func column(_ offset: Int) -> Int {
            let clamped = min(max(offset, 0), scalars.count)
            return String(String.UnicodeScalarView(scalars[..<clamped])).count + 1
        }
        guard scalars.count <= maximumLength else {
            throw WhereSyntaxError(column: maximumLength + 1,
                                   message: "expression longer than \(maximumLength) characters")
        }
        do {
            var parser = WhereParser(tokens: try WhereLexer.tokens(scalars), scalars: scalars, column: column)
            return try parser.parseExpression()
        } catch {
            throw WhereSyntaxError(column: column(error.offset), message: error.message)
        }
    }
}

/// A `--where` expression that cannot be read, with the column at fault.
public struct WhereSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// 1-based, counted in characters; one past the end when the expression stops too early.
    public var column: Int
    public var message: String

    public init(column: Int, message: String) {
        self.column = column
        self.message = message
    }

    /// `column 7: unknown field 'isso' (did you mean 'iso'?)`.
    public var description: String { "column \(column): \(message)" }
}

/// Recursive descent over the tokens, one function per grammar rule.
struct WhereParser {
    let tokens: [WhereToken]
    let scalars: [Unicode.Scalar]
    let column: (Int) -> Int
    var position = 0
    var depth = 0

    static let keywords: Set<String> = ["and", "or", "not", "is", "null", "in", "between"]

    var current: WhereToken { tokens[position] }

    mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    func isKeyword(_ keyword: String, _ token: WhereToken? = nil) -> Bool {
        if case .word(let w) = (token ?? current).kind { return w.lowercased() == keyword }
        return false
    }

    func isSymbol(_ symbol: WhereSymbol) -> Bool { current.kind == .symbol(symbol) }

    /// The token as written, for messages: `'iso'`, or "the end of the expression".
    func describe(_ token: WhereToken) -> String {
        guard token.kind != .end else { return "the end of the expression" }
        var text = String(String.UnicodeScalarView(scalars[token.start..<token.end]))
        if text.count > 30 { text = String(text.prefix(27)) + "..." }
        return "'\(text)'"
    }

    func failure(_ message: String, at token: WhereToken? = nil) -> WhereFailure {
        WhereFailure(offset: (token ?? current).start, message: message)
    }

    // MARK: Rules

    /// expr, then nothing.
    mutating func parseExpression() throws(WhereFailure) -> QueryPredicate {
        guard current.kind != .end else { throw failure("empty expression") }
        let predicate = try parseOr()
        switch current.kind {
        case .end: return predicate
        case .symbol(.close): throw failure("unmatched ')'")
        default: throw failure("unexpected \(describe(current)) after a complete condition (join conditions with 'and' or 'or')")
        }
    }

    /// or := and ( "or" and )*
    mutating func parseOr() throws(WhereFailure) -> QueryPredicate {
        var operands = [try parseAnd()]
        while isKeyword("or") {
            advance()
            operands.append(try parseAnd())
        }
        guard operands.count > 1 else { return operands[0] }
        return .or(operands.flatMap { if case .or(let inner) = $0 { inner } else { [$0] } })
    }

    /// and := unary ( "and" unary )*
    mutating func parseAnd() throws(WhereFailure) -> QueryPredicate {
        var operands = [try parseUnary()]
        while isKeyword("and") {
            advance()
            operands.append(try parseUnary())
        }
        guard operands.count > 1 else { return operands[0] }
        return .and(operands.flatMap { if case .and(let inner) = $0 { inner } else { [$0] } })
    }

    /// unary := "not" unary | primary
    mutating func parseUnary() throws(WhereFailure) -> QueryPredicate {
        guard isKeyword("not") else { return try parsePrimary() }
        try enter()
        advance()
        defer { depth -= 1 }
        return .not(try parseUnary())
    }

    /// primary := "(" expr ")" | comparison
    mutating func parsePrimary() throws(WhereFailure) -> QueryPredicate {
        guard isSymbol(.open) else { return try parseComparison() }
        let open = current
        try enter()
        advance()
        defer { depth -= 1 }
        let inner = try parseOr()
        guard isSymbol(.close) else {
            let what = current.kind == .end ? "missing ')'" : "expected ')' but found \(describe(current)),"
            throw failure("\(what) to close the '(' at column \(column(open.start))")
        }
        advance()
        return inner
    }

    mutating func enter() throws(WhereFailure) {
        depth += 1
        guard depth <= WhereExpression.maximumDepth else {
            throw failure("nested more than \(WhereExpression.maximumDepth) levels deep")
        }
    }

    /// comparison := FIELD op VALUE | FIELD "~" STRING | FIELD "is" ["not"] "null"
    ///             | FIELD "in" "(" VALUE ("," VALUE)* ")" | FIELD "between" VALUE "and" VALUE
    mutating func parseComparison() throws(WhereFailure) -> QueryPredicate {
        let fieldToken = current
        guard case .word(let name) = fieldToken.kind, !Self.keywords.contains(name.lowercased()) else {
            throw failure("expected a field name, found \(describe(fieldToken))")
        }
        guard let field = QueryField(named: name) else {
            throw failure("unknown field '\(name)' (\(Self.suggestion(for: name)))")
        }
        advance()
        let operatorToken = current
        switch operatorToken.kind {
        case .symbol(let symbol) where symbol.comparison != nil:
            advance()
            let value = try parseValue(for: field, after: operatorToken)
            return FieldLiteral.predicate(field, symbol.comparison!, value)

        case .symbol(.tilde):
            guard field.kind == .text else {
                throw failure("'~' matches text fields only, and \(field.rawValue) is not text")
            }
            advance()
            let patternToken = current
            guard case .string(let pattern) = patternToken.kind else {
                throw failure("expected a quoted pattern after '~', found \(describe(patternToken))")
            }
            do { try FieldLiteral.checkGlob(pattern) } catch { throw failure(error.reason, at: patternToken) }
            advance()
            return .glob(field, pattern)

        case .word(let w) where w.lowercased() == "is":
            advance()
            let negated = isKeyword("not")
            if negated { advance() }
            guard isKeyword("null") else {
                throw failure("expected 'null' after '\(negated ? "is not" : "is")', found \(describe(current))")
            }
            advance()
            return negated ? .not(.isNull(field)) : .isNull(field)

        case .word(let w) where w.lowercased() == "in":
            advance()
            guard isSymbol(.open) else { throw failure("expected '(' after 'in', found \(describe(current))") }
            let open = current
            advance()
            var options: [QueryPredicate] = []
            var previous = open
            while true {
                let value = try parseValue(for: field, after: previous)
                options.append(FieldLiteral.predicate(field, .equal, value))
                if isSymbol(.comma) {
                    previous = current
                    advance()
                    continue
                }
                guard isSymbol(.close) else {
                    let what = current.kind == .end ? "missing ')'" : "expected ',' or ')' but found \(describe(current)),"
                    throw failure("\(what) to close the list at column \(column(open.start))")
                }
                advance()
                break
            }
            return options.count == 1 ? options[0] : .or(options)

        case .word(let w) where w.lowercased() == "between":
            advance()
            let lowerToken = current
            let lower = try parseValue(for: field, after: operatorToken)
            guard isKeyword("and") else {
                throw failure("expected 'and' after the lower bound of 'between', found \(describe(current))")
            }
            let andToken = current
            advance()
            let upperToken = current
            let upper = try parseValue(for: field, after: andToken)
            do {
                return try FieldLiteral.range(field, lower: lower, upper: upper,
                                              lowerText: describe(lowerToken), upperText: describe(upperToken))
            } catch {
                throw failure(error.reason, at: lowerToken)
            }

        case .word(let w) where w.lowercased() == "not":
            throw failure("expected an operator after '\(name)'; to negate, write 'not' before the field")

        default:
            throw failure("expected an operator (=, !=, <>, <, <=, >, >=, ~, is, in, between) after '\(name)', found \(describe(operatorToken))")
        }
    }

    /// VALUE, read for `field`; `after` is the token it follows, for messages.
    mutating func parseValue(for field: QueryField, after: WhereToken) throws(WhereFailure) -> FieldLiteral.Value {
        let token = current
        let expected: String
        switch field.kind {
        case .integer, .real: expected = "a number"
        case .text: expected = "a quoted text"
        case .wallClock, .instant: expected = "a date"
        }
        let text: String
        switch token.kind {
        case .bare(let bare):
            guard field.kind != .text else {
                throw failure("\(field.rawValue) is text: quote the value (\"\(bare)\")")
            }
            text = bare
        case .string(let string):
            guard field.kind != .integer && field.kind != .real else {
                throw failure("\(field.rawValue) takes a number, not text")
            }
            text = string
        case .word(let word) where word.lowercased() == "null":
            throw failure("compare with null using 'is null' or 'is not null'")
        case .word(let word) where field.kind == .text && !Self.keywords.contains(word.lowercased()):
            throw failure("\(field.rawValue) is text: quote the value (\"\(word)\")")
        case .end:
            throw failure("missing value after \(describe(after)) (expected \(expected))")
        default:
            throw failure("expected \(expected) after \(describe(after)), found \(describe(token))")
        }
        do {
            let value = try FieldLiteral.read(text, for: field)
            advance()
            return value
        } catch {
            throw failure(error.reason, at: token)
        }
    }

    // MARK: Suggestions

    /// "did you mean 'iso'?" for a near miss, else the list of fields.
    static func suggestion(for name: String) -> String {
        let lowered = name.lowercased()
        let candidates = QueryField.allCases.flatMap { [$0.rawValue] + $0.aliases }
        let scored = candidates.map { ($0, editDistance(lowered, $0)) }
        if let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, lowered.count / 3) {
            return "did you mean '\(best.0)'?"
        }
        return "fields: " + QueryField.allCases.map(\.rawValue).joined(separator: ", ")
    }

    /// Levenshtein distance, over the first 64 characters of each.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.prefix(64)), y = Array(b.prefix(64))
        var previous = Array(0...y.count)
        for i in 1...max(x.count, 1) where !x.isEmpty {
            var row = [i] + Array(repeating: 0, count: y.count)
            for j in 1...max(y.count, 1) where !y.isEmpty {
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            previous = row
        }
        return x.isEmpty ? y.count : previous[y.count]
    }
}
