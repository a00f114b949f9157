/// Opens the store a user names: a SQLite file path, or a `postgres://` location; the one place
/// where the backends are told apart, so no command knows which it got.
package enum StoreLocation {
    /// Opens (creating and migrating if needed) the store at `location`.
    package static func open(_ location: String) throws -> any PindaiStore {
        if PostgresLocation.names(location) {
            let display = (try? PostgresLocation(location).display) ?? "the PostgreSQL location"
            throw StoreError(
                "\(display): PostgreSQL holds only ingest's files and pages so far (its review queue, documents, status and core store are not built yet); use a SQLite file for now")
        }
        return try SQLiteStore(path: location)
    }
}
