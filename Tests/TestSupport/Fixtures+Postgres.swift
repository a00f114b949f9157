import Foundation

extension Fixtures {
    /// A new, empty database on the test PostgreSQL server that `scripts/test` starts (its
    /// location in `PINDAI_TEST_POSTGRES`), as a `postgres://` location. Without a server this
    /// throws: a missing server fails the test, it does not skip it.
    package static func newPostgresDatabase() async throws -> String {
        guard let server = ProcessInfo.processInfo.environment["PINDAI_TEST_POSTGRES"], !server.isEmpty else {
            throw FixtureError("no test server: run the tests with scripts/test, which starts one (PINDAI_TEST_POSTGRES is not set)")
        }
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let created = try await run("/usr/bin/psql", [server, "-q", "-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE \(name)"])
        guard created.status == 0 else { throw FixtureError("psql could not create a database: \(created.output)") }
        guard let slash = server.lastIndex(of: "/") else { throw FixtureError("\(server) names no database") }
        return server[..<slash] + "/" + name
    }

    /// The one value `sql` returns at the `postgres://` location `store`, as psql prints it.
    package static func postgresValue(_ sql: String, at store: String) async throws -> String {
        let result = try await run("/usr/bin/psql", [store, "-tAq", "-v", "ON_ERROR_STOP=1", "-c", sql])
        guard result.status == 0 else { throw FixtureError("psql: \(sql): \(result.output)") }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A fixture that could not be made, and why.
package struct FixtureError: Error, CustomStringConvertible {
    /// What went wrong.
    package var description: String

    /// Creates an error.
    package init(_ description: String) { self.description = description }
}
