import Foundation
import PostgresNIO
import Vocabulary

// MARK: - The operators' figures and batch manifests

extension PostgresStore {
    package func createBatch(name: String, expectedDocuments: Int, area: String?, serials: ClosedRange<Int>?) async throws {
        try await pool.retryingQuery(
            """
            INSERT INTO batch (name, createdAt, expectedDocuments, area, expectedSerials)
            VALUES (\(name), \(Date()), \(expectedDocuments), \(area), \(serials.map { "\($0.lowerBound)-\($0.upperBound)" }))
            ON CONFLICT (name) DO UPDATE SET expectedDocuments = excluded.expectedDocuments, area = excluded.area,
                                            expectedSerials = excluded.expectedSerials
            """, logger: logger, limit: RenewingPool.longAttemptSeconds)
    }

    private func count(_ query: PostgresQuery) async throws -> Int {
        for try await n in try await pool.retryingQuery(query, logger: logger, limit: RenewingPool.longAttemptSeconds).decode(Int?.self) { return n ?? 0 }
        return 0
    }

    package func status(now: Date) async throws -> StatusSnapshot {
        let (w1, w5, w60) = (now.addingTimeInterval(-StatusSnapshot.Window.minute), now.addingTimeInterval(-StatusSnapshot.Window.fiveMinutes), now.addingTimeInterval(-StatusSnapshot.Window.hour))
        var stages: [StatusSnapshot.Stage] = []
        for (name, table, column, filter) in [
            ("files", "file", "addedAt", "true"), ("pages read", "page", "readAt", "status = \(PageStatus.read.sql)"),
            ("exceptions", "exception", "createdAt", "true"), ("fields queued", "reviewItem", "createdAt", "kind = \(ReviewItemKind.field.sql)"),
            ("items closed", "reviewItem", "decidedAt", "status IN (\(ReviewItemStatus.finished.sqlList))"),
            ("records promoted", "document", "promotedAt", "status = \(DocumentStatus.promoted.sql)"),
        ] {
            let rows = try await pool.retryingQuery(
                """
                SELECT count(*), count(*) FILTER (WHERE \(unescaped: column) >= \(w1)), count(*) FILTER (WHERE \(unescaped: column) >= \(w5)),
                       count(*) FILTER (WHERE \(unescaped: column) >= \(w60))
                FROM \(unescaped: table) WHERE \(unescaped: filter)
                """, logger: logger, limit: RenewingPool.longAttemptSeconds)
            for try await (total, a, b, c) in rows.decode((Int, Int, Int, Int).self) {
                stages.append(.init(name: name, total: total, last1: a, last5: b, last60: c))
            }
        }
        let depth = try await queueDepth()
        let referred = try await count("SELECT count(*) FROM reviewItem WHERE status IN (\(unescaped: [ReviewItemStatus.referred, .claimedReferred].sqlList))")
        let created5 = try await count("SELECT count(*) FROM reviewItem WHERE createdAt >= \(w5)")
        let decided5 = try await count("SELECT count(*) FROM reviewItem WHERE decidedAt >= \(w5)")
        var verifiers: [StatusSnapshot.Verifier] = []
        for try await (name, items, keys, disagree, seconds) in try await pool.retryingQuery(
            """
            SELECT verifier, count(*)::bigint, sum(keys)::bigint, sum(disagree)::bigint, sum(seconds)::bigint
            FROM (SELECT verifier, itemId, max(keystrokes) AS keys,
                         max(CASE WHEN action = \(DecisionAction.disagree.rawValue) THEN 1 ELSE 0 END) AS disagree,
                         max(CASE WHEN action IN (\(unescaped: [DecisionAction.disagree, .secondEntry].sqlList)) THEN 1 ELSE 0 END) AS seconds
                  FROM decision WHERE at >= \(w60) AND action <> \(DecisionAction.undo.rawValue) GROUP BY verifier, itemId) AS per_item
            GROUP BY verifier ORDER BY verifier COLLATE "C"
            """, logger: logger, limit: RenewingPool.longAttemptSeconds
        ).decode((String, Int, Int, Int, Int).self) {
            verifiers.append(
                .init(
                    name: name, items: items, keysPerItem: Double(keys) / Double(max(1, items)),
                    disagreement: seconds > 0 ? Double(disagree) / Double(seconds) : nil))
        }
        var exceptions: [ExceptionReason: Int] = [:]
        for try await (reason, n) in try await pool.retryingQuery("SELECT reason, count(*) FROM exception GROUP BY reason", logger: logger, limit: RenewingPool.longAttemptSeconds).decode((String, Int).self) {
            exceptions[try word(reason) as ExceptionReason] = n
        }
        var batches: [StatusSnapshot.Batch] = []
        var rows: [(Int64, String, Int?, String?, String?)] = []
        for try await row in try await pool.retryingQuery("SELECT id, name, expectedDocuments, area, expectedSerials FROM batch ORDER BY id", logger: logger, limit: RenewingPool.longAttemptSeconds)
            .decode((Int64, String, Int?, String?, String?).self)
        {
            rows.append(row)
        }
        for (id, name, expected, area, expectedSerials) in rows {
            var serials: Set<Int> = []
            for try await serial in try await pool.retryingQuery(
                "SELECT DISTINCT page.serial FROM page JOIN file ON file.id = page.fileId WHERE file.batchId = \(id) AND page.status = \(PageStatus.read.rawValue)",
                logger: logger, limit: RenewingPool.longAttemptSeconds
            ).decode(Int.self) {
                serials.insert(serial)
            }
            let promoted = try await count(
                """
                SELECT count(*) FROM document WHERE status = \(DocumentStatus.promoted.rawValue) AND serial IN
                  (SELECT page.serial FROM page JOIN file ON file.id = page.fileId WHERE file.batchId = \(id))
                """)
            var missing: [Int] = []
            var unexpected: [Int] = []
            if let text = expectedSerials, let dash = text.firstIndex(of: "-"),
                let lo = Int(text[..<dash]), let hi = Int(text[text.index(after: dash)...]), lo <= hi
            {
                let wanted = Set(lo...hi)
                missing = wanted.subtracting(serials).sorted()
                unexpected = serials.subtracting(wanted).sorted()
            }
            batches.append(.init(name: name, expected: expected, area: area, scanned: serials.count, promoted: promoted, missing: missing, unexpected: unexpected))
        }
        var totals: [String: Int] = [:]
        for try await (verifier, n) in try await pool.retryingQuery(
            "SELECT verifier, count(DISTINCT itemId) FROM decision WHERE action <> \(DecisionAction.undo.rawValue) GROUP BY verifier", logger: logger, limit: RenewingPool.longAttemptSeconds
        ).decode((String, Int).self) {
            totals[verifier] = n
        }
        var snapshot = StatusSnapshot(
            at: now, stages: stages, queueOpen: depth.open, queueReferred: referred, oldestSeconds: depth.oldestSeconds,
            created5: created5, decided5: decided5, verifiers: verifiers, exceptions: exceptions, batches: batches, verifierTotals: totals)
        for try await (model, pages, fields, accepted) in try await pool.retryingQuery(
            """
            SELECT COALESCE(page.model, 'none'), count(DISTINCT page.id), count(reading.id),
                   count(reading.id) FILTER (WHERE reading.status = \(ReadingStatus.accepted.rawValue))
            FROM page LEFT JOIN reading ON reading.pageId = page.id AND reading.kind = 'digits'
            WHERE page.status = \(PageStatus.read.rawValue) AND page.readAt >= \(w60)
            GROUP BY 1 ORDER BY COALESCE(page.model, 'none') COLLATE "C"
            """, logger: logger, limit: RenewingPool.longAttemptSeconds
        ).decode((String, Int, Int, Int).self) {
            snapshot.models.append(.init(name: model, pages: pages, digitFields: fields, autoAccepted: accepted))
        }
        for try await (folder, files, bytes, taken, stopped, updated) in try await pool.retryingQuery(
            "SELECT folder, backlogFiles, backlogBytes, filesTaken, stopped, updatedAt FROM hotFolder ORDER BY folder COLLATE \"C\"", logger: logger, limit: RenewingPool.longAttemptSeconds
        ).decode((String, Int, Int64, Int, Bool, Date).self) {
            snapshot.hotFolders.append(
                .init(folder: folder, backlogFiles: files, backlogBytes: bytes, filesTaken: taken, reportAge: now.timeIntervalSince(updated), stopped: stopped))
        }
        return snapshot
    }

    package func perMinute(minutes: Int, now: Date) async throws -> (pages: [Int], opened: [Int], closed: [Int]) {
        let start = now.addingTimeInterval(-Double(minutes) * 60)
        func series(_ query: PostgresQuery) async throws -> [Int] {
            var out = [Int](repeating: 0, count: minutes)
            for try await (minute, n) in try await pool.retryingQuery(query, logger: logger, limit: RenewingPool.longAttemptSeconds).decode((Int, Int).self) where (0..<minutes).contains(minute) {
                out[minute] += n
            }
            return out
        }
        return (
            try await series(
                """
                SELECT floor(extract(epoch FROM readAt - \(start)) / 60)::bigint AS m, count(*) FROM page
                WHERE status = \(PageStatus.read.rawValue) AND readAt >= \(start) GROUP BY m
                """),
            try await series("SELECT floor(extract(epoch FROM createdAt - \(start)) / 60)::bigint AS m, count(*) FROM reviewItem WHERE createdAt >= \(start) GROUP BY m"),
            try await series(
                """
                SELECT floor(extract(epoch FROM decidedAt - \(start)) / 60)::bigint AS m, count(*) FROM reviewItem
                WHERE status IN (\(unescaped: ReviewItemStatus.finished.sqlList)) AND decidedAt >= \(start) GROUP BY m
                """)
        )
    }

    package func stageHistograms() async throws -> [StageHistogram] {
        var byStage: [String: StageHistogram] = [:]
        for try await (stage, bucket, pages, seconds) in try await pool.retryingQuery(
            "SELECT stage, bucket, pages, seconds FROM stageSeconds", logger: logger, limit: RenewingPool.longAttemptSeconds
        ).decode((String, Int, Int, Double).self) {
            var h = byStage[stage] ?? StageHistogram(stage: stage)
            if h.counts.indices.contains(bucket) { h.counts[bucket] += pages }
            h.sum += seconds
            byStage[stage] = h
        }
        return byStage.values.sorted { $0.stage < $1.stage }
    }

    package func storageBytes() async throws -> (total: Int64, images: Int64) {
        let rows = try await pool.retryingQuery(
            """
            SELECT (SELECT coalesce(sum(pg_total_relation_size(relid)), 0)::int8 FROM pg_stat_user_tables),
                   (SELECT coalesce(sum(length(bytes)), 0)::int8 FROM pageImage) + (SELECT coalesce(sum(length(png)), 0)::int8 FROM clip)
            """, logger: logger, limit: RenewingPool.longAttemptSeconds)
        for try await (total, clips) in rows.decode((Int64, Int64).self) { return (total, clips) }
        return (0, 0)
    }

    package func counts(batch: String?) async throws -> (pages: Int, exceptions: Int, accepted: Int, queued: Int, image: Int) {
        let rows = try await pool.retryingQuery(
            """
            SELECT
              (SELECT count(*) FROM page JOIN file ON file.id = page.fileId JOIN batch ON batch.id = file.batchId
                 WHERE page.status = \(PageStatus.read.rawValue) AND (\(batch)::text IS NULL OR batch.name = \(batch))),
              (SELECT count(*) FROM exception LEFT JOIN batch ON batch.id = exception.batchId WHERE \(batch)::text IS NULL OR batch.name = \(batch)),
              r.accepted, r.queued, r.image
            FROM (SELECT count(*) FILTER (WHERE reading.status = \(ReadingStatus.accepted.rawValue)) AS accepted,
                         count(*) FILTER (WHERE reading.status = \(ReadingStatus.queued.rawValue)) AS queued,
                         count(*) FILTER (WHERE reading.status = \(ReadingStatus.image.rawValue)) AS image
                  FROM reading JOIN page ON page.id = reading.pageId JOIN file ON file.id = page.fileId JOIN batch ON batch.id = file.batchId
                  WHERE \(batch)::text IS NULL OR batch.name = \(batch)) AS r
            """, logger: logger, limit: RenewingPool.longAttemptSeconds)
        for try await row in rows.decode((Int, Int, Int, Int, Int).self) { return row }
        return (0, 0, 0, 0, 0)
    }

    package func stageTimings(batch: String?) async throws -> [String: Double] {
        var totals: [String: Double] = [:]
        for try await json in try await pool.retryingQuery(
            """
            SELECT page.timings FROM page JOIN file ON file.id = page.fileId JOIN batch ON batch.id = file.batchId
            WHERE \(batch)::text IS NULL OR batch.name = \(batch)
            """, logger: logger, limit: RenewingPool.longAttemptSeconds
        ).decode(String.self) {
            if let t = try? JSONDecoder().decode([String: Double].self, from: Data(json.utf8)) {
                for (k, v) in t { totals[k, default: 0] += v }
            }
        }
        return totals
    }
}
