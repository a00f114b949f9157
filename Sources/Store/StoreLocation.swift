/// Opens the store a user names: today a SQLite file path; the one place where a second
/// backend (a `postgres://` URL) will be told apart, so no command knows which it got.
package enum StoreLocation {
    /// Opens (creating and migrating if needed) the store at `location`.
    package static func open(_ location: String) throws -> any PindaiStore {
        try SQLiteStore(path: location)
    }
}
