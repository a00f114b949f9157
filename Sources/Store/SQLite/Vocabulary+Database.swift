import GRDB
import Vocabulary

// MARK: - Stored as their raw values

// The vocabulary module knows nothing of databases; the store teaches GRDB to read and write
// its enums as their raw strings (GRDB's default for `RawRepresentable`).

extension ExceptionReason: DatabaseValueConvertible {}
extension FileStatus: DatabaseValueConvertible {}
extension PageStatus: DatabaseValueConvertible {}
extension ReadingStatus: DatabaseValueConvertible {}
extension DocumentStatus: DatabaseValueConvertible {}
extension ReviewItemKind: DatabaseValueConvertible {}
extension ReviewItemStatus: DatabaseValueConvertible {}
extension DecisionAction: DatabaseValueConvertible {}

extension RawRepresentable where RawValue == String {
    /// The value as an SQL string literal, for queries written with the vocabulary's own
    /// states (never with user input).
    var sql: String { "'\(rawValue)'" }
}

extension Sequence where Element: RawRepresentable, Element.RawValue == String {
    /// `'a', 'b'`: a list of states for an SQL `IN (…)`, from the enum (the values are the
    /// enum's own raw strings, never user input).
    var sqlList: String { map { "'\($0.rawValue)'" }.joined(separator: ", ") }
}
