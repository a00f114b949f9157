import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The store's connection pool (postgres-nio's `PostgresClient`), replaced by a new one when it
/// stops answering.
///
/// A restarted server is normally ridden out by trying a statement again (see
/// ``retryingQuery(_:logger:limit:)``), but now and then postgres-nio never answers a statement
/// it wrote to a connection the server had just closed (once in CI it waited ten minutes with
/// every thread idle). Every attempt therefore runs under a watchdog (``attempt(limit:_:)``):
/// one without an answer after ``attemptSeconds`` is abandoned, the pool replaced, and the
/// statement tried again on the fresh pool. Replacing a pool closes its connections, so a
/// transaction open on it is rolled back by the server, as for any lost connection.
package final class RenewingPool: Sendable {
    /// How long one attempt of a statement or a transaction may go without an answer before
    /// the pool is taken for wedged and replaced. The store's statements take milliseconds; a
    /// minute is far beyond any of them, yet leaves the retry time to reach a fresh pool.
    static let attemptSeconds: Double = 45
    /// The limit for statements that may legitimately work for minutes on a province's store:
    /// migrations (an index over millions of rows) and the whole-store figures of `status`.
    package static let longAttemptSeconds: Double = 900

    /// One pool and the task that runs it; `generation` counts the renewals.
    private struct Current {
        var client: PostgresClient
        var runner: Task<Void, Never>
        var generation: Int
        var closed: Bool
    }

    private let configuration: PostgresClient.Configuration
    private let background: Logger
    private let current: Mutex<Current>
    /// How long an attempt may go unanswered (``attemptSeconds`` but for tests).
    let attemptLimit: Double

    /// Starts a pool for `configuration`; `background` receives postgres-nio's own messages.
    package init(configuration: PostgresClient.Configuration, background: Logger, attemptLimit: Double = RenewingPool.attemptSeconds) {
        self.configuration = configuration
        self.background = background
        self.attemptLimit = attemptLimit
        let client = PostgresClient(configuration: configuration, backgroundLogger: background)
        current = Mutex(Current(client: client, runner: Task { await client.run() }, generation: 0, closed: false))
    }

    deinit { close() }

    /// Stops the pool: its connections close, and statements waiting on it fail.
    package func close() {
        current.withLock { state in
            state.closed = true
            state.runner.cancel()
        }
    }

    /// How many times the pool was replaced since the store opened.
    package var renewals: Int { current.withLock { $0.generation } }

    /// The pool to use now, and its generation.
    private var pool: (client: PostgresClient, generation: Int) {
        current.withLock { ($0.client, $0.generation) }
    }

    /// Whether the pool of `generation` was replaced since (its failures are the replacement's
    /// doing, not the server's answer, so the attempt is tried again).
    func wasRenewed(since generation: Int) -> Bool {
        current.withLock { !$0.closed && $0.generation != generation }
    }

    /// Replaces the pool of `generation` with a fresh one, unless that was done already (several
    /// attempts may find the same pool wedged) or the store is closed.
    private func renew(from generation: Int) {
        let replaced: Bool = current.withLock { state in
            guard !state.closed, state.generation == generation else { return false }
            state.runner.cancel()
            let client = PostgresClient(configuration: configuration, backgroundLogger: background)
            state = Current(client: client, runner: Task { await client.run() }, generation: generation + 1, closed: false)
            return true
        }
        if replaced {
            Self.notices.warning("the PostgreSQL server did not answer in time; connecting afresh")
        }
    }

    /// Runs one attempt on the current pool under the watchdog. The attempt runs in a task of
    /// its own so that it can be abandoned: a statement postgres-nio wrote to a connection the
    /// server had just closed is never answered nor failed, and neither cancelling it nor
    /// shutting its pool ends the wait. After ``attemptLimit`` the attempt is cancelled and left
    /// behind, the pool is replaced (closing its connections, so the server rolls back whatever
    /// transaction the attempt had open), and the caller gets an ``Attempt/Unanswered`` failure
    /// to try again on the new pool. `limit` replaces ``attemptLimit`` for one long statement.
    func attempt<Result: Sendable>(
        limit: Double? = nil, _ body: @escaping @Sendable (PostgresClient) async throws -> Result
    ) async throws -> Result {
        let (client, generation) = pool
        let limit = limit ?? attemptLimit
        let race = Attempt.Race<Result>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.start(
                    continuation,
                    work: Task {
                        do {
                            race.finish(.success(try await body(client)))
                        } catch {
                            race.finish(.failure(Attempt.Failure(error: error, generation: generation)))
                        }
                    },
                    watchdog: Task { [weak self] in
                        guard (try? await Task.sleep(for: .seconds(limit))) != nil else { return }
                        self?.renew(from: generation)
                        race.finish(.failure(Attempt.Failure(error: Attempt.Unanswered(seconds: limit), generation: generation)))
                    })
            }
        } onCancel: {
            race.finish(.failure(CancellationError()))
        }
    }

    /// Where an outage is told to the user (standard error), apart from postgres-nio's own
    /// chatter, which the store's logger keeps to errors.
    static let notices: Logger = {
        var logger = Logger(label: "pindai.store")
        logger.logLevel = .warning
        return logger
    }()
}

/// What one attempt on a ``RenewingPool`` is.
enum Attempt {
    /// An attempt's error, with the pool generation it ran on.
    struct Failure: Error {
        /// What the attempt threw.
        let error: any Error
        /// The pool generation it ran on.
        let generation: Int
    }

    /// The attempt had no answer within the limit and was abandoned.
    struct Unanswered: Error, CustomStringConvertible {
        /// The limit it ran into.
        let seconds: Double
        var description: String { "the PostgreSQL server did not answer within \(String(format: "%g", seconds)) s" }
    }

    /// The attempt's work against its watchdog (and the caller's cancellation): the first to
    /// finish resumes the caller, and the others are cancelled.
    final class Race<Result: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Result, any Error>?
            /// A result that came before the continuation (a caller cancelled at once).
            var early: Swift.Result<Result, any Error>?
            var tasks: [Task<Void, Never>] = []
            /// Whether a result was taken; later ones (an abandoned attempt's) are dropped.
            var over = false
        }
        private let state = Mutex(State())

        /// Hands over the caller's continuation and the two racing tasks; a result that came
        /// first (a cancelled caller) resumes at once.
        func start(_ continuation: CheckedContinuation<Result, any Error>, work: Task<Void, Never>, watchdog: Task<Void, Never>) {
            let early: Swift.Result<Result, any Error>? = state.withLock { state in
                if let early = state.early { return early }
                state.continuation = continuation
                state.tasks = [work, watchdog]
                return nil
            }
            if let early {
                work.cancel()
                watchdog.cancel()
                continuation.resume(with: early)
            }
        }

        /// Ends the race with `result` unless it has ended.
        func finish(_ result: Swift.Result<Result, any Error>) {
            let (continuation, tasks) = state.withLock { state -> (CheckedContinuation<Result, any Error>?, [Task<Void, Never>]) in
                guard !state.over else { return (nil, []) }
                state.over = true
                guard let continuation = state.continuation else {
                    state.early = result
                    return (nil, [])
                }
                defer { (state.continuation, state.tasks) = (nil, []) }
                return (continuation, state.tasks)
            }
            guard let continuation else { return }
            for task in tasks { task.cancel() }
            continuation.resume(with: result)
        }
    }
}
