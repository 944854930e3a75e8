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

/// Microseconds of a local-time date, computed by the independent `DateBound`.
func local(_ text: String) -> Int64 { DateBound(text)!.instant.microseconds }

/// Microseconds of an ISO 8601 instant with offset.
func utc(_ text: String) -> Int64 { Timestamp(iso8601: text)!.microseconds }
