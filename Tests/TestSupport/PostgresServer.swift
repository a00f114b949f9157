import Foundation

/// A PostgreSQL server of one test's own (started with `scripts/test-postgres`), for the faults
/// that would disturb every other test on the shared one: restarting it under a running command.
/// Its calls block; they are made from a test's own thread or before and after the run.
package final class PostgresServer: Sendable {
    /// The server's location (`postgres://postgres@127.0.0.1:PORT/postgres`).
    package let location: String
    private let directory: String

    /// Starts a new server on a free port from 56432.
    package init() throws {
        let output = try Self.shell("PINDAI_TEST_POSTGRES_PORT=56432 '\(Fixtures.repositoryRoot)/scripts/test-postgres' start")
        var location = "", directory = ""
        for word in output.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            if word.hasPrefix("PINDAI_TEST_POSTGRES=") { location = String(word.dropFirst("PINDAI_TEST_POSTGRES=".count)) }
            if word.hasPrefix("PINDAI_TEST_POSTGRES_DIR=") { directory = String(word.dropFirst("PINDAI_TEST_POSTGRES_DIR=".count)) }
        }
        guard !location.isEmpty, !directory.isEmpty else { throw FixtureError("scripts/test-postgres start printed no server: \(output)") }
        (self.location, self.directory) = (location, directory)
    }

    deinit { _ = try? Self.shell("'\(Fixtures.repositoryRoot)/scripts/test-postgres' stop '\(directory)'") }

    /// Kills the server as a power cut would (`pg_ctl -m immediate`: open transactions are
    /// rolled back at the next start) and starts it again; returns once it takes connections.
    package func restartImmediately() throws {
        _ = try Self.shell(
            "BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1); runuser -u postgres -- \"$BIN/pg_ctl\" -D '\(directory)/data' -m immediate -w restart -l '\(directory)/log' >/dev/null")
    }

    /// The location of `database` on this server.
    package func location(of database: String) -> String {
        guard let slash = location.lastIndex(of: "/") else { return location }
        return location[..<slash] + "/" + database
    }

    /// A new, empty database; returns its name.
    package func newDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try Self.shell("psql '\(location)' -q -v ON_ERROR_STOP=1 -c 'CREATE DATABASE \(name)'")
        return name
    }

    /// The one number `sql` returns in `database` (0 when it fails, for a server that is
    /// restarting or a table not made yet).
    package func count(_ sql: String, in database: String) -> Int {
        Int(((try? Self.shell("psql '\(location(of: database))' -tAc \"\(sql)\" 2>/dev/null")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// Runs a shell command and returns its standard output; a failure throws with its output.
    @discardableResult
    static func shell(_ command: String) throws -> String {
        guard let pipe = popen(command + " 2>&1", "r") else { throw FixtureError("could not run: \(command)") }
        var output = ""
        var buffer = [CChar](repeating: 0, count: 4096)
        while fgets(&buffer, Int32(buffer.count), pipe) != nil {
            output += String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        let status = pclose(pipe)
        guard status == 0 else { throw FixtureError("\(command) failed (\(status)): \(output)") }
        return output
    }
}
