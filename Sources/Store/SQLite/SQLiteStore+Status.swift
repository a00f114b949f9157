import Foundation
import GRDB
import Vocabulary

extension SQLiteStore {
    /// Records what a hot-folder watcher sees (see ``CaptureStore/reportHotFolder(_:)``).
    package func reportHotFolder(_ report: HotFolderReport) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO hotFolder (folder, backlogFiles, backlogBytes, filesTaken, stopped, updatedAt) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(folder) DO UPDATE SET backlogFiles = excluded.backlogFiles, backlogBytes = excluded.backlogBytes,
                      filesTaken = excluded.filesTaken, stopped = excluded.stopped, updatedAt = excluded.updatedAt
                    """,
                arguments: [report.folder, report.backlogFiles, report.backlogBytes, report.filesTaken, report.stopped, Date()])
        }
    }

    /// Creates (or updates) a batch manifest: how many documents to expect, from which area, and
    /// optionally which serials.
    package func createBatch(name: String, expectedDocuments: Int, area: String?, serials: ClosedRange<Int>?) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO batch (name, createdAt, expectedDocuments, area, expectedSerials) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET expectedDocuments = excluded.expectedDocuments, area = excluded.area,
                                                    expectedSerials = excluded.expectedSerials
                    """,
                arguments: [name, Date(), expectedDocuments, area, serials.map { "\($0.lowerBound)-\($0.upperBound)" }])
        }
    }

    /// Everything the dashboard shows, as of `now`.
    package func status(now: Date) async throws -> StatusSnapshot {
        try await pool.read { db in
            func windows(_ table: String, _ column: String, _ filter: String = "1") throws -> (Int, Int, Int, Int) {
                guard let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) AS total,
                               sum(CASE WHEN \(column) >= ? THEN 1 ELSE 0 END) AS w1,
                               sum(CASE WHEN \(column) >= ? THEN 1 ELSE 0 END) AS w5,
                               sum(CASE WHEN \(column) >= ? THEN 1 ELSE 0 END) AS w60
                        FROM \(table) WHERE \(filter)
                        """,
                    arguments: [now.addingTimeInterval(-StatusSnapshot.Window.minute), now.addingTimeInterval(-StatusSnapshot.Window.fiveMinutes), now.addingTimeInterval(-StatusSnapshot.Window.hour)])
                else { return (0, 0, 0, 0) }
                return (row["total"], row["w1"] ?? 0, row["w5"] ?? 0, row["w60"] ?? 0)
            }
            var stages: [StatusSnapshot.Stage] = []
            for (name, table, column, filter) in [
                ("files", "file", "addedAt", "1"), ("pages read", "page", "readAt", "status = \(PageStatus.read.sql)"),
                ("exceptions", "exception", "createdAt", "1"), ("fields queued", "reviewItem", "createdAt", "kind = \(ReviewItemKind.field.sql)"),
                ("items closed", "reviewItem", "decidedAt", "status IN (\(ReviewItemStatus.finished.sqlList))"),
                ("records promoted", "document", "promotedAt", "status = \(DocumentStatus.promoted.sql)"),
            ] {
                let w = try windows(table, column, filter)
                stages.append(.init(name: name, total: w.0, last1: w.1, last5: w.2, last60: w.3))
            }
            let open = try Int.fetchOne(db, sql: "SELECT count(*) FROM reviewItem WHERE status IN (\(ReviewItemStatus.waiting.sqlList))") ?? 0
            let referred = try Int.fetchOne(db, sql: "SELECT count(*) FROM reviewItem WHERE status IN (\([ReviewItemStatus.referred, .claimedReferred].sqlList))") ?? 0
            let oldest = try Date.fetchOne(db, sql: "SELECT min(createdAt) FROM reviewItem WHERE status IN (\(ReviewItemStatus.waiting.sqlList))")
            let five = now.addingTimeInterval(-StatusSnapshot.Window.fiveMinutes)
            let created5 = try Int.fetchOne(db, sql: "SELECT count(*) FROM reviewItem WHERE createdAt >= ?", arguments: [five]) ?? 0
            let decided5 = try Int.fetchOne(db, sql: "SELECT count(*) FROM reviewItem WHERE decidedAt >= ?", arguments: [five]) ?? 0
            let verifiers = try Row.fetchAll(
                db,
                sql: """
                    SELECT verifier, count(*) AS items, sum(keys) AS keys, sum(disagree) AS disagree, sum(seconds) AS seconds
                    FROM (SELECT verifier, itemId, max(keystrokes) AS keys,
                                 max(CASE WHEN action = \(DecisionAction.disagree.sql) THEN 1 ELSE 0 END) AS disagree,
                                 max(CASE WHEN action IN (\([DecisionAction.disagree, .secondEntry].sqlList)) THEN 1 ELSE 0 END) AS seconds
                          FROM decision WHERE at >= ? AND action != \(DecisionAction.undo.sql) GROUP BY verifier, itemId)
                    GROUP BY verifier ORDER BY verifier
                    """, arguments: [now.addingTimeInterval(-StatusSnapshot.Window.hour)]
            ).map { row -> StatusSnapshot.Verifier in
                let items: Int = row["items"]
                let seconds: Int = row["seconds"]
                return .init(
                    name: row["verifier"], items: items, keysPerItem: Double(row["keys"] as Int) / Double(max(1, items)),
                    disagreement: seconds > 0 ? Double(row["disagree"] as Int) / Double(seconds) : nil)
            }
            var exceptions: [ExceptionReason: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT reason, count(*) AS n FROM exception GROUP BY reason") {
                exceptions[row["reason"] as ExceptionReason] = row["n"]
            }
            var batches: [StatusSnapshot.Batch] = []
            for row in try Row.fetchAll(db, sql: "SELECT * FROM batch ORDER BY id") {
                let id: Int64 = row["id"]
                let serials = Set(
                    try Int.fetchAll(
                        db,
                        sql: "SELECT DISTINCT page.serial FROM page JOIN file ON file.id = page.fileId WHERE file.batchId = ? AND page.status = \(PageStatus.read.sql)",
                        arguments: [id]))
                let promoted = try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM document WHERE status = \(DocumentStatus.promoted.sql) AND serial IN
                          (SELECT page.serial FROM page JOIN file ON file.id = page.fileId WHERE file.batchId = ?)
                        """, arguments: [id]) ?? 0
                var missing: [Int] = []
                var unexpected: [Int] = []
                if let text = row["expectedSerials"] as String?, let dash = text.firstIndex(of: "-"),
                    let lo = Int(text[..<dash]), let hi = Int(text[text.index(after: dash)...]), lo <= hi
                {
                    let expected = Set(lo...hi)
                    missing = expected.subtracting(serials).sorted()
                    unexpected = serials.subtracting(expected).sorted()
                }
                batches.append(
                    .init(
                        name: row["name"], expected: row["expectedDocuments"], area: row["area"], scanned: serials.count, promoted: promoted,
                        missing: missing, unexpected: unexpected))
            }
            var totals: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT verifier, count(DISTINCT itemId) AS n FROM decision WHERE action != \(DecisionAction.undo.sql) GROUP BY verifier") {
                totals[row["verifier"]] = row["n"]
            }
            var snapshot = StatusSnapshot(
                at: now, stages: stages, queueOpen: open, queueReferred: referred, oldestSeconds: oldest.map { now.timeIntervalSince($0) },
                created5: created5, decided5: decided5, verifiers: verifiers, exceptions: exceptions, batches: batches, verifierTotals: totals)
            snapshot.models = try Row.fetchAll(
                db,
                sql: """
                    SELECT COALESCE(page.model, 'none') AS model, count(DISTINCT page.id) AS pages, count(reading.id) AS fields,
                           COALESCE(sum(CASE WHEN reading.status = \(ReadingStatus.accepted.sql) THEN 1 ELSE 0 END), 0) AS accepted
                    FROM page LEFT JOIN reading ON reading.pageId = page.id AND reading.kind = 'digits'
                    WHERE page.status = \(PageStatus.read.sql) AND page.readAt >= ?
                    GROUP BY 1 ORDER BY 1
                    """, arguments: [now.addingTimeInterval(-StatusSnapshot.Window.hour)]
            ).map { .init(name: $0["model"], pages: $0["pages"], digitFields: $0["fields"], autoAccepted: $0["accepted"]) }
            snapshot.hotFolders = try Row.fetchAll(db, sql: "SELECT * FROM hotFolder ORDER BY folder").map { row in
                let updated: Date = row["updatedAt"]
                return .init(
                    folder: row["folder"], backlogFiles: row["backlogFiles"], backlogBytes: row["backlogBytes"], filesTaken: row["filesTaken"],
                    reportAge: now.timeIntervalSince(updated), stopped: row["stopped"])
            }
            return snapshot
        }
    }
}

extension SQLiteStore {
    /// Events per minute over the last `minutes` minutes (oldest first): pages read, items
    /// opened, items closed — the charts of the status page.
    package func perMinute(minutes: Int, now: Date) async throws -> (pages: [Int], opened: [Int], closed: [Int]) {
        try await pool.read { db in
            let start = now.addingTimeInterval(-Double(minutes) * 60)
            func series(_ sql: String) throws -> [Int] {
                var out = [Int](repeating: 0, count: minutes)
                for date in try Date.fetchAll(db, sql: sql, arguments: [start]) {
                    let i = Int(date.timeIntervalSince(start) / 60)
                    if (0..<minutes).contains(i) { out[i] += 1 }
                }
                return out
            }
            return (
                try series("SELECT readAt FROM page WHERE status = \(PageStatus.read.sql) AND readAt >= ?"),
                try series("SELECT createdAt FROM reviewItem WHERE createdAt >= ?"),
                try series("SELECT decidedAt FROM reviewItem WHERE status IN (\(ReviewItemStatus.finished.sqlList)) AND decidedAt >= ?")
            )
        }
    }

    /// The histogram of seconds per page of every stage, as kept while pages were stored.
    package func stageHistograms() async throws -> [StageHistogram] {
        try await pool.read { db in
            var byStage: [String: StageHistogram] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT stage, bucket, pages, seconds FROM stageSeconds") {
                let stage: String = row["stage"]
                var h = byStage[stage] ?? StageHistogram(stage: stage)
                let bucket: Int = row["bucket"]
                if h.counts.indices.contains(bucket) { h.counts[bucket] += row["pages"] as Int }
                h.sum += row["seconds"] as Double
                byStage[stage] = h
            }
            return byStage.values.sorted { $0.stage < $1.stage }
        }
    }
}
