import Foundation
import Logging
import PostgresNIO

// MARK: - Riding out a restarted server, a deadlock, a cut connection, a wedged pool

extension RenewingPool {
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
    /// says so. An attempt abandoned unanswered (see ``RenewingPool``) is run again: its
    /// connection was closed, so the server rolled it back unless its commit had already been
    /// taken, which after ``attemptSeconds`` without an answer is not to be expected. A
    /// ``StoreError`` the body throws (a lost claim, a vanished row) reaches the caller as
    /// itself, not wrapped in postgres-nio's transaction error.
    func transaction<Result: Sendable>(
        logger: Logger, limit: Double? = nil, _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        var attempt = 1
        var first = true
        let deadline = Date().addingTimeInterval(Self.reconnectSeconds + (limit ?? attemptLimit))
        while true {
            do {
                return try await self.attempt(limit: limit) { client in try await client.withTransaction(logger: logger) { try await body($0) } }
            } catch let failure as Attempt.Failure {
                let lost = isConnectionLoss(failure) && Date() < deadline
                switch failure.error {
                case let error as PostgresTransactionError where error.rollbackError == nil && error.closureError is StoreError:
                    throw error.closureError ?? error
                case let error as PostgresTransactionError where error.commitError == nil:
                    if attempt < Self.transactionAttempts && Self.isTransient(error.closureError ?? error.beginError) {
                        attempt += 1
                        try await Task.sleep(for: .milliseconds(20 * attempt))
                    } else if lost {
                        try await Self.pause(first: &first)
                    } else {
                        throw error
                    }
                case let error as PostgresTransactionError:
                    throw error
                default:
                    guard lost else { throw failure.error }
                    try await Self.pause(first: &first)
                }
            }
        }
    }

    /// Runs one statement, again while the server is away (see ``reconnectSeconds``). Only the
    /// store's own statements come here, and each is safe to repeat: reads, upserts, and
    /// updates that set a value rather than add to one. Statements that return no rows (updates,
    /// inserts) leave the result unused.
    @discardableResult
    func retryingQuery(_ query: PostgresQuery, logger: Logger, limit: Double? = nil) async throws -> PostgresRowSequence {
        try await retrying(limit: limit) { client in try await client.query(query, logger: logger) }
    }

    /// Runs `body` on the pool, again while the server is away or the attempt went unanswered,
    /// for at most ``reconnectSeconds`` past one attempt's limit. `body` must be safe to repeat.
    func retrying<Result: Sendable>(
        limit: Double? = nil, _ body: @escaping @Sendable (PostgresClient) async throws -> Result
    ) async throws -> Result {
        let deadline = Date().addingTimeInterval(Self.reconnectSeconds + (limit ?? attemptLimit))
        var first = true
        while true {
            do {
                return try await attempt(limit: limit, body)
            } catch let failure as Attempt.Failure {
                guard isConnectionLoss(failure) && Date() < deadline else { throw failure.error }
                try await Self.pause(first: &first)
            }
        }
    }

    /// Waits half a second before the next try; says so once per outage (the first wait).
    private static func pause(first: inout Bool) async throws {
        if first {
            notices.warning("the PostgreSQL server went away (restarted, or the network is cut); waiting up to \(Int(reconnectSeconds)) s for it")
            first = false
        }
        try await Task.sleep(for: .milliseconds(500))
    }

    /// Whether the attempt failed because the server or the pool went away: the server's
    /// connection was lost, or the pool it ran on was replaced under it (see ``RenewingPool``).
    func isConnectionLoss(_ failure: Attempt.Failure) -> Bool {
        Self.isConnectionLoss(failure.error) || wasRenewed(since: failure.generation)
    }

    /// Whether the server ended the transaction only to let another one through (deadlock
    /// `40P01`, serialization failure `40001`): running it again is safe and usually succeeds.
    static func isTransient(_ error: (any Error)?) -> Bool {
        guard let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40P01" || state == "40001"
    }

    /// Whether the connection went away or the server is not taking connections: shut down or
    /// crashed (`57P01`, `57P02`), starting up (`57P03`), the socket closed or refused, or the
    /// pool gave up connecting for a while (its circuit breaker).
    static func isConnectionLoss(_ error: (any Error)?) -> Bool {
        guard let error else { return false }
        if let error = error as? PSQLError {
            if error.code == .server, let state = error.serverInfo?[.sqlState] { return ["57P01", "57P02", "57P03"].contains(state) }
            return error.code == .serverClosedConnection || error.code == .connectionError || error.code == .uncleanShutdown
        }
        if let error = error as? PostgresTransactionError {
            return error.commitError == nil && isConnectionLoss(error.closureError ?? error.beginError)
        }
        // A refused or reset socket while the pool reconnects (NIO's own error types), or the
        // pool's circuit breaker after a long outage (an error type postgres-nio does not export).
        let text = String(describing: error)
        return text.contains("connectionRefused") || text.contains("Connection refused") || text.contains("Connection reset")
            || text.contains("CircuitBreakerTripped")
    }
}
