import Foundation
import Logging
import PostgresNIO

// MARK: - Riding out a restarted server, a deadlock, a cut connection

extension PostgresClient {
    /// How often a transaction the server broke off (a deadlock between two machines, a
    /// serialization failure) is tried again before its error reaches the user.
    static let transactionAttempts = 5
    /// How long a statement waits, trying again, for a server that went away (restarted,
    /// failed over, the network cut) before the error reaches the user.
    static let reconnectSeconds: Double = 90

    /// Runs `body` in one transaction, again when the server broke it off before it committed:
    /// to resolve a deadlock or serialization conflict, or because the connection was lost (a
    /// restarted server rolls back every open transaction, so nothing of it was written). A
    /// commit whose answer was lost is not run again: whether it took is unknown, and the error
    /// says so. A ``StoreError`` the body throws (a lost claim, a vanished row) reaches the
    /// caller as itself, not wrapped in postgres-nio's transaction error.
    func transaction<Result: Sendable>(logger: Logger, _ body: (PostgresConnection) async throws -> sending Result) async throws -> sending Result {
        var attempt = 1
        var first = true
        let deadline = Date().addingTimeInterval(Self.reconnectSeconds)
        while true {
            do {
                return try await withTransaction(logger: logger, body)
            } catch let error as PostgresTransactionError where error.rollbackError == nil && error.closureError is StoreError {
                throw error.closureError ?? error
            } catch let error as PostgresTransactionError where error.commitError == nil {
                let cause = error.closureError ?? error.beginError
                if attempt < Self.transactionAttempts && Self.isTransient(cause) {
                    attempt += 1
                    try await Task.sleep(for: .milliseconds(20 * attempt))
                } else if Self.isConnectionLoss(cause) && Date() < deadline {
                    try await Self.pause(logger: logger, first: &first)
                } else {
                    throw error
                }
            } catch where Self.isConnectionLoss(error) && Date() < deadline {
                try await Self.pause(logger: logger, first: &first)
            }
        }
    }

    /// Runs one statement, again while the server is away (see ``reconnectSeconds``). Only the
    /// store's own statements come here, and each is safe to repeat: reads, upserts, and
    /// updates that set a value rather than add to one. Statements that return no rows (updates,
    /// inserts) leave the result unused.
    @discardableResult
    func retryingQuery(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        let deadline = Date().addingTimeInterval(Self.reconnectSeconds)
        var first = true
        while true {
            do {
                return try await self.query(query, logger: logger)
            } catch where Self.isConnectionLoss(error) && Date() < deadline {
                try await Self.pause(logger: logger, first: &first)
            }
        }
    }

    /// Where an outage is told to the user (standard error), apart from postgres-nio's own
    /// chatter, which the store's logger keeps to errors.
    private static let notices: Logger = {
        var logger = Logger(label: "pindai.store")
        logger.logLevel = .warning
        return logger
    }()

    /// Waits half a second before the next try; says so once per outage (the first wait).
    private static func pause(logger: Logger, first: inout Bool) async throws {
        if first {
            notices.warning("the PostgreSQL server went away (restarted, or the network is cut); waiting up to \(Int(reconnectSeconds)) s for it")
            first = false
        }
        try await Task.sleep(for: .milliseconds(500))
    }

    /// Whether the server ended the transaction only to let another one through (deadlock
    /// `40P01`, serialization failure `40001`): running it again is safe and usually succeeds.
    static func isTransient(_ error: (any Error)?) -> Bool {
        guard let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40P01" || state == "40001"
    }

    /// Whether the connection went away or the server is not taking connections: shut down or
    /// crashed (`57P01`, `57P02`), starting up (`57P03`), or the socket closed or refused.
    static func isConnectionLoss(_ error: (any Error)?) -> Bool {
        guard let error else { return false }
        if let error = error as? PSQLError {
            if error.code == .server, let state = error.serverInfo?[.sqlState] { return ["57P01", "57P02", "57P03"].contains(state) }
            return error.code == .serverClosedConnection || error.code == .connectionError || error.code == .uncleanShutdown
        }
        if let error = error as? PostgresTransactionError {
            return error.commitError == nil && isConnectionLoss(error.closureError ?? error.beginError)
        }
        // A refused or reset socket while the pool reconnects (NIO's own error types).
        let text = String(describing: error)
        return text.contains("connectionRefused") || text.contains("Connection refused") || text.contains("Connection reset")
    }
}
