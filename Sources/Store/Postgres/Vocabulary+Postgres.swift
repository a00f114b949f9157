import Vocabulary

// MARK: - Stored as their raw values

// As on SQLite, the vocabulary's enums are written as their raw strings (`.rawValue` in each
// query: the enums are also `Codable`, which postgres-nio would otherwise send as JSON) and read
// back through ``word(_:)``.

/// The vocabulary word stored as `raw`; a word this version does not know is an error that
/// names it (a store written by a newer pindai).
func word<Word: RawRepresentable>(_ raw: String) throws -> Word where Word.RawValue == String {
    guard let word = Word(rawValue: raw) else {
        throw StoreError("the store holds '\(raw)' where a \(Word.self) belongs; it was written by a newer pindai (upgrade this one)")
    }
    return word
}
