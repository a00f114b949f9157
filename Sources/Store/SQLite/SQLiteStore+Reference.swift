import Foundation
import GRDB

// MARK: - The area reference list

extension SQLiteStore {
    /// Replaces the area list (see ``AreaReference/loadReference(_:)``), in one transaction.
    package func loadReference(_ entries: [(code: String, name: String)]) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM areaReference")
            for e in entries {
                try db.execute(sql: "INSERT OR REPLACE INTO areaReference (code, name) VALUES (?, ?)", arguments: [e.code, e.name])
            }
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM areaReference") ?? 0
        }
    }

    /// How many codes are loaded.
    package func referenceCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM areaReference") ?? 0 }
    }

    /// The names of those of `codes` that are in the list.
    package func referenceNames(codes: [String]) async throws -> [String: String] {
        guard !codes.isEmpty else { return [:] }
        return try await pool.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT code, name FROM areaReference WHERE code IN (\(codes.map { _ in "?" }.joined(separator: ",")))",
                arguments: StatementArguments(codes))
            return Dictionary(rows.map { ($0["code"] as String, $0["name"] as String) }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// Names of the codes of `length` characters under `prefix`, sorted.
    package func referenceNames(under prefix: String, length: Int) async throws -> [String] {
        try await pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT name FROM areaReference WHERE code LIKE ? AND length(code) = ? ORDER BY name",
                arguments: [prefix + "%", length])
        }
    }
}
