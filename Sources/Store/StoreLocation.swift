/// Opens the store a user names: a SQLite file path, or a `postgres://user@host:port/db`
/// location; the one place where the backends are told apart, so no command knows which it got.
package enum StoreLocation {
    /// Opens (creating and migrating if needed) the store at `location`.
    package static func open(_ location: String) async throws -> any PindaiStore {
        if PostgresLocation.names(location) { return try await PostgresStore.open(location) }
        return try SQLiteStore(path: location)
    }

    /// Opens a core store of its own at `location` (a SQLite file or a PostgreSQL database).
    package static func openCore(_ location: String) async throws -> any CoreRecords {
        if PostgresLocation.names(location) { return try await PostgresCoreStore.open(location) }
        return try CoreStore(path: location)
    }
}
