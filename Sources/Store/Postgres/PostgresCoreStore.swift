import Foundation
import FormTemplate
import Logging
import PostgresNIO

/// The core store on PostgreSQL: the same tables as ``CoreStore`` (``CoreLayout``'s names, digit
/// fields as text, choices as integers), in the shared database or another one.
package final class PostgresCoreStore: CoreRecords {
    private let pool: RenewingPool
    private let logger: Logger

    /// The core store in the same database as a capture store, on its connection pool.
    package init(sharing store: PostgresStore) {
        (pool, logger) = (store.pool, store.logger)
    }

    private init(pool: RenewingPool, logger: Logger) {
        (self.pool, self.logger) = (pool, logger)
    }

    /// Connects to a core store of its own at `location`.
    package static func open(_ location: String) async throws -> PostgresCoreStore {
        let parsed = try PostgresLocation(location)
        var logger = Logger(label: "pindai.core.postgres")
        logger.logLevel = .error
        let pool = RenewingPool(configuration: parsed.configuration, background: logger)
        do {
            try await pool.retryingQuery("SELECT 1", logger: logger)
        } catch {
            pool.close()
            throw StoreError("\(parsed.display): cannot open the core store: \(String(reflecting: error))\n(check the server runs and the database exists)")
        }
        return PostgresCoreStore(pool: pool, logger: logger)
    }

    private static func sqlType(_ field: Field) -> String {
        switch field.kind {
        case .digits, .text: "TEXT"
        case .checkbox, .choice: "BIGINT"
        }
    }

    /// Creates a form's tables, and columns a template gained since, under the caller's lock.
    private func ensureTables(_ template: FormTemplate, _ db: PostgresConnection) async throws {
        let (familyTable, memberTable) = CoreLayout.tables(for: template)
        let (family, member) = CoreLayout.layout(template)
        try await db.query(
            PostgresQuery(unsafeSQL: "CREATE TABLE IF NOT EXISTS \(familyTable) (serial BIGINT PRIMARY KEY, promotedAt TIMESTAMPTZ NOT NULL, warnings TEXT NOT NULL)"),
            logger: logger)
        try await db.query(
            PostgresQuery(
                unsafeSQL: "CREATE TABLE IF NOT EXISTS \(memberTable) (serial BIGINT NOT NULL REFERENCES \(familyTable)(serial), member INTEGER NOT NULL, PRIMARY KEY (serial, member))"),
            logger: logger)
        for field in family {
            try await db.query(
                PostgresQuery(unsafeSQL: "ALTER TABLE \(familyTable) ADD COLUMN IF NOT EXISTS \(CoreLayout.column(field.id)) \(Self.sqlType(field))"), logger: logger)
        }
        for field in member {
            try await db.query(
                PostgresQuery(unsafeSQL: "ALTER TABLE \(memberTable) ADD COLUMN IF NOT EXISTS \(CoreLayout.column(field.baseID)) \(Self.sqlType(field))"), logger: logger)
        }
    }

    /// Writes a family's record in one transaction; of two machines promoting the same family,
    /// the second finds it there and writes nothing (promotion happens exactly once).
    package func promote(
        template: FormTemplate, serial: Int, family values: [String: String], members: [Int: [String: String]], warnings: [String]
    ) async throws -> Bool {
        let (familyTable, memberTable) = CoreLayout.tables(for: template)
        let (family, member) = CoreLayout.layout(template)
        let warningsJSON = String(decoding: try JSONEncoder().encode(warnings), as: UTF8.self)
        return try await pool.transaction(logger: logger) { [self] db in
            try await db.query("SELECT pg_advisory_xact_lock(hashtext(\(familyTable)))", logger: self.logger)
            try await self.ensureTables(template, db)
            func typed(_ field: Field, _ value: String?, into s: inout PostgresStatement) throws -> String {
                guard let value, !value.isEmpty else { return "NULL" }
                switch field.kind {
                case .digits, .text: return try s.bind(value)
                case .checkbox, .choice: return try Int(value).map { try s.bind($0) } ?? "NULL"
                }
            }
            var s = PostgresStatement("")
            var placeholders = [try s.bind(serial), try s.bind(Date()), try s.bind(warningsJSON)]
            for field in family { placeholders.append(try typed(field, values[field.id], into: &s)) }
            let columns = ["serial", "promotedAt", "warnings"] + family.map { CoreLayout.column($0.id) }
            s.append(
                "INSERT INTO \(familyTable) (\(columns.joined(separator: ", "))) VALUES (\(placeholders.joined(separator: ", "))) ON CONFLICT (serial) DO NOTHING RETURNING serial")
            var inserted = false
            for try await _ in try await db.query(s.query, logger: self.logger).decode(Int.self) { inserted = true }
            guard inserted else { return false }
            for (n, memberValues) in members.sorted(by: { $0.key < $1.key }) where memberValues.values.contains(where: { !$0.isEmpty }) {
                var m = PostgresStatement("")
                var mPlaceholders = [try m.bind(serial), try m.bind(n)]
                for field in member { mPlaceholders.append(try typed(field, memberValues[field.baseID], into: &m)) }
                let mColumns = ["serial", "member"] + member.map { CoreLayout.column($0.baseID) }
                m.append("INSERT INTO \(memberTable) (\(mColumns.joined(separator: ", "))) VALUES (\(mPlaceholders.joined(separator: ", ")))")
                try await db.query(m.query, logger: self.logger)
            }
            return true
        }
    }

    /// Every promoted family with its members, each value as text (as ``CoreStore`` gives them).
    package func records(template: FormTemplate) async throws -> [(family: [String: String], members: [[String: String]])] {
        let (familyTable, memberTable) = CoreLayout.tables(for: template)
        var exists = false
        for try await present in try await pool.retryingQuery("SELECT to_regclass(\(familyTable)) IS NOT NULL", logger: logger).decode(Bool.self) {
            exists = present
        }
        guard exists else { return [] }
        func rows(_ table: String, order: String) async throws -> [[String: String]] {
            var columns: [String] = []
            for try await name in try await pool.retryingQuery(
                "SELECT column_name::text FROM information_schema.columns WHERE table_name = \(table) ORDER BY ordinal_position", logger: logger
            ).decode(String.self) {
                columns.append(name)
            }
            let select = columns.map { "\($0)::text AS \($0)" }.joined(separator: ", ")
            var out: [[String: String]] = []
            for try await row in try await pool.retryingQuery(PostgresQuery(unsafeSQL: "SELECT \(select) FROM \(table) ORDER BY \(order)"), logger: logger) {
                var values: [String: String] = [:]
                for cell in row { if let v = try cell.decode(String?.self) { values[cell.columnName] = v } }
                out.append(values)
            }
            return out
        }
        let members = Dictionary(grouping: try await rows(memberTable, order: "serial, member")) { $0["serial"] ?? "" }
        return try await rows(familyTable, order: "serial").map { ($0, members[$0["serial"] ?? ""] ?? []) }
    }
}
