import Logging
import PostgresNIO

extension PostgresClient {
    /// How often a transaction the server broke off (a deadlock between two machines, a
    /// serialization failure) is tried again before its error reaches the user.
    static let transactionAttempts = 5

    /// Runs `body` in one transaction. A transaction the server broke off to resolve a deadlock
    /// or a serialization conflict is run again (it wrote nothing). A ``StoreError`` the body
    /// throws (a lost claim, a vanished row) reaches the caller as itself once the transaction
    /// is rolled back, not wrapped in postgres-nio's transaction error, so users read what went
    /// wrong.
    func transaction<Result: Sendable>(logger: Logger, _ body: (PostgresConnection) async throws -> sending Result) async throws -> sending Result {
        var attempt = 1
        while true {
            do {
                return try await withTransaction(logger: logger, body)
            } catch let error as PostgresTransactionError where error.rollbackError == nil && error.closureError is StoreError {
                throw error.closureError ?? error
            } catch let error as PostgresTransactionError where attempt < Self.transactionAttempts && Self.isTransient(error.closureError ?? error.commitError) {
                attempt += 1
                try await Task.sleep(for: .milliseconds(20 * attempt))
            }
        }
    }

    /// Whether the server ended the transaction only to let another one through (deadlock
    /// `40P01`, serialization failure `40001`): running it again is safe and usually succeeds.
    static func isTransient(_ error: (any Error)?) -> Bool {
        guard let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40P01" || state == "40001"
    }
}
