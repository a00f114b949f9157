import Foundation
import PostgresNIO

/// A `postgres://user[:password]@host[:port]/database` location, as users name a shared store.
package struct PostgresLocation: Sendable, Hashable {
    package var user: String
    package var password: String?
    package var host: String
    package var port: Int
    package var database: String

    /// Whether `location` names a PostgreSQL server rather than a SQLite file.
    package static func names(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// Parses a location; the error says which part is missing.
    package init(_ location: String) throws {
        guard Self.names(location), let url = URLComponents(string: location) else {
            throw StoreError("\(location): not a PostgreSQL location (write postgres://user@host:port/database)")
        }
        guard let user = url.user, !user.isEmpty else { throw StoreError("\(location): no user (write postgres://user@host:port/database)") }
        guard let host = url.host, !host.isEmpty else { throw StoreError("\(location): no host (write postgres://user@host:port/database)") }
        let database = String(url.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw StoreError("\(location): no database (write postgres://user@host:port/database)") }
        (self.user, self.password, self.host, self.port, self.database) = (user, url.password, host, url.port ?? 5432, database)
    }

    /// The location with its password left out, for messages and logs.
    package var display: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    /// The client configuration: plain TCP on loopback, TLS preferred elsewhere.
    var configuration: PostgresClient.Configuration {
        let loopback = host == "127.0.0.1" || host == "localhost" || host == "::1"
        let tls: PostgresClient.Configuration.TLS = loopback ? .disable : .prefer(.makeClientConfiguration())
        return PostgresClient.Configuration(host: host, port: port, username: user, password: password, database: database, tls: tls)
    }
}
