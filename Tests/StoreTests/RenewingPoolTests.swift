import Foundation
import Logging
import PostgresNIO
@testable import Store
import Synchronization
import Testing

/// The store's pool gives up on a statement that is never answered (postgres-nio loses a
/// statement written to a connection the server has just closed) and tries it again on a
/// fresh pool, instead of waiting forever.
@Suite struct RenewingPoolTests {
    /// Statements that wait until released, as a lost one waits forever; released at the end
    /// of the test so their abandoned tasks finish.
    final class Lost: Sendable {
        private let waiting = Mutex<[CheckedContinuation<Void, Never>]>([])
        func wait() async { await withCheckedContinuation { c in waiting.withLock { $0.append(c) } } }
        func release() { for c in waiting.withLock({ w in defer { w = [] }; return w }) { c.resume() } }
    }

    /// A pool on a server that is never contacted (the bodies below do not use the client).
    static func pool(limit: Double) -> RenewingPool {
        let configuration = PostgresClient.Configuration(host: "127.0.0.1", port: 9, username: "nobody", password: nil, database: nil, tls: .disable)
        return RenewingPool(configuration: configuration, background: Logger(label: "test"), attemptLimit: limit)
    }

    @Test func aStatementNeverAnsweredIsAbandonedAndRunAgainOnAFreshPool() async throws {
        let pool = Self.pool(limit: 0.3)
        defer { pool.close() }
        let lost = Lost()
        defer { lost.release() }
        let tries = Mutex(0)
        let answer = try await pool.retrying { _ in
            let attempt = tries.withLock { n in
                n += 1
                return n
            }
            if attempt == 1 { await lost.wait() }
            return attempt
        }
        #expect(answer == 2, "the second attempt answered")
        #expect(pool.renewals == 1, "the pool of the lost statement was replaced")
    }

    @Test func anUnansweredAttemptFailsWithTheLimitItRanInto() async throws {
        let pool = Self.pool(limit: 0.2)
        defer { pool.close() }
        let lost = Lost()
        defer { lost.release() }
        do {
            _ = try await pool.attempt { _ in
                await lost.wait()
                return 0
            }
            Issue.record("a statement that was never answered returned")
        } catch let failure as Attempt.Failure {
            #expect(String(describing: failure.error) == "the PostgreSQL server did not answer within 0.2 s")
            #expect(pool.isConnectionLoss(failure), "it is tried again as a lost connection is")
        }
    }

    @Test func anAnswerWithinTheLimitLeavesThePoolAlone() async throws {
        let pool = Self.pool(limit: 5)
        defer { pool.close() }
        let answer = try await pool.retrying { _ in 7 }
        #expect(answer == 7)
        #expect(pool.renewals == 0)
    }

    @Test func aClosedStoreDoesNotTryAgain() async throws {
        let pool = Self.pool(limit: 0.2)
        let lost = Lost()
        defer { lost.release() }
        pool.close()
        await #expect(throws: Attempt.Unanswered.self) {
            try await pool.retrying { _ in
                await lost.wait()
                return 0
            }
        }
        #expect(pool.renewals == 0)
    }
}
