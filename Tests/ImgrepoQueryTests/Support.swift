#if canImport(Glibc)
import Glibc
#endif
import ImgrepoCore
import Testing

/// The reason of the `invalidArgument` error `body` throws, after checking it names `value`.
func invalidArgument(_ value: String, sourceLocation: SourceLocation = #_sourceLocation,
                     _ body: () throws -> Any) -> String? {
    do {
        _ = try body()
        Issue.record("expected an error for \(value)", sourceLocation: sourceLocation)
        return nil
    } catch ImgrepoError.invalidArgument(let named, let reason) {
        #expect(named == value, sourceLocation: sourceLocation)
        return reason
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The syntax error `parse` reports for `text`.
func whereError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> WhereSyntaxError? {
    do {
        let predicate = try WhereExpression.parse(text)
        Issue.record("expected a syntax error, got \(predicate)", sourceLocation: sourceLocation)
        return nil
    } catch let error as WhereSyntaxError {
        return error
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Shorthands for expected predicates.
func cmp(_ field: QueryField, _ op: ComparisonOperator, _ value: Int64) -> QueryPredicate { .compare(field, op, .integer(value)) }
func cmp(_ field: QueryField, _ op: ComparisonOperator, _ value: Double) -> QueryPredicate { .compare(field, op, .real(value)) }
func cmp(_ field: QueryField, _ op: ComparisonOperator, _ value: String) -> QueryPredicate { .compare(field, op, .text(value)) }

/// `[start, end)` on the wall-clock field `taken`.
func takenWithin(_ start: String, _ end: String) -> QueryPredicate {
    .and([cmp(.taken, .greaterOrEqual, start), cmp(.taken, .less, end)])
}

/// Microseconds of a local-time `YYYY[-MM[-DD[THH:MM[:SS]]]]`, computed independently of the
/// code under test: the fields handed straight to mktime(3).
func local(_ text: String) -> Int64 {
    let parts = text.split(separator: "T")
    let date = parts[0].split(separator: "-").map { Int32($0)! }
    let time = parts.count > 1 ? parts[1].split(separator: ":").map { Int32($0)! } : []
    var t = tm()
    t.tm_year = date[0] - 1900
    t.tm_mon = (date.count > 1 ? date[1] : 1) - 1
    t.tm_mday = date.count > 2 ? date[2] : 1
    t.tm_hour = time.count > 0 ? time[0] : 0
    t.tm_min = time.count > 1 ? time[1] : 0
    t.tm_sec = time.count > 2 ? time[2] : 0
    t.tm_isdst = -1
    return Int64(mktime(&t)) * 1_000_000
}

/// Microseconds of an ISO 8601 instant with offset.
func utc(_ text: String) -> Int64 { Timestamp(iso8601: text)!.microseconds }
