import PostgresNIO

/// A query put together piece by piece, for the few whose filters depend on what the user asked
/// (a field, a batch, items to skip): the text grows with fixed SQL only, and every value is
/// bound as a parameter, never spliced into the text.
struct PostgresStatement {
    private var sql: String
    private var bindings = PostgresBindings()

    /// Starts a statement with fixed SQL.
    init(_ sql: String) { self.sql = sql }

    /// Appends fixed SQL.
    mutating func append(_ text: String) { sql += text }

    /// Binds `value` and returns its placeholder (`$3`) for the text.
    mutating func bind(_ value: some PostgresThrowingDynamicTypeEncodable) throws -> String {
        try bindings.append(value)
        return "$\(bindings.count)"
    }

    /// The statement, ready to run.
    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: bindings) }
}
