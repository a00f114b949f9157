import Logging
import PostgresNIO

// MARK: - Schema

extension PostgresStore {
    /// The migrations, oldest first; each runs once, recorded in `pindai_migration`. The tables
    /// are SQLite's, in PostgreSQL's types (identity keys, `timestamptz`, `bytea`).
    static let migrations: [(id: String, statements: [String])] = [
        (
            "v1-capture",
            [
                """
                CREATE TABLE batch (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name TEXT NOT NULL UNIQUE, createdAt TIMESTAMPTZ NOT NULL,
                    expectedDocuments INTEGER, area TEXT, expectedSerials TEXT)
                """,
                """
                CREATE TABLE file (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, batchId BIGINT NOT NULL REFERENCES batch(id), path TEXT NOT NULL,
                    sha256 TEXT NOT NULL UNIQUE, size BIGINT NOT NULL, pageCount INTEGER, status TEXT NOT NULL,
                    addedAt TIMESTAMPTZ NOT NULL, finishedAt TIMESTAMPTZ, claimedBy TEXT, claimExpires TIMESTAMPTZ)
                """,
                """
                CREATE TABLE page (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, fileId BIGINT NOT NULL REFERENCES file(id), pageIndex INTEGER NOT NULL,
                    status TEXT NOT NULL, form TEXT, version INTEGER, pageNumber INTEGER, serial BIGINT,
                    quarterTurns INTEGER, residualMM DOUBLE PRECISION, marksUsed INTEGER, timings TEXT NOT NULL DEFAULT '{}',
                    readAt TIMESTAMPTZ NOT NULL, model TEXT, UNIQUE(fileId, pageIndex))
                """,
                "CREATE UNIQUE INDEX page_identity ON page(form, version, serial, pageNumber) WHERE status = 'read'",
                """
                CREATE TABLE reading (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, pageId BIGINT NOT NULL REFERENCES page(id) ON DELETE CASCADE,
                    form TEXT NOT NULL, serial BIGINT NOT NULL, fieldId TEXT NOT NULL, kind TEXT NOT NULL, value TEXT,
                    confidence DOUBLE PRECISION NOT NULL, status TEXT NOT NULL, reason TEXT, boxes TEXT NOT NULL,
                    UNIQUE(pageId, fieldId))
                """,
                "CREATE INDEX reading_document ON reading(form, serial)",
                "CREATE INDEX reading_status ON reading(status)",
                "CREATE INDEX reading_value ON reading(fieldId, value)",
                "CREATE TABLE clip (readingId BIGINT PRIMARY KEY REFERENCES reading(id) ON DELETE CASCADE, png BYTEA NOT NULL)",
                """
                CREATE TABLE exception (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, batchId BIGINT REFERENCES batch(id), fileId BIGINT, pageId BIGINT,
                    path TEXT NOT NULL, pageIndex INTEGER, reason TEXT NOT NULL, detail TEXT NOT NULL, createdAt TIMESTAMPTZ NOT NULL)
                """,
                """
                CREATE TABLE stageSeconds (
                    stage TEXT NOT NULL, bucket INTEGER NOT NULL, pages BIGINT NOT NULL, seconds DOUBLE PRECISION NOT NULL,
                    PRIMARY KEY (stage, bucket))
                """,
                """
                CREATE TABLE hotFolder (
                    folder TEXT PRIMARY KEY, backlogFiles INTEGER NOT NULL, backlogBytes BIGINT NOT NULL,
                    filesTaken INTEGER NOT NULL, stopped BOOLEAN NOT NULL, updatedAt TIMESTAMPTZ NOT NULL)
                """,
            ]
        ),
        (
            "v2-review",
            [
                """
                CREATE TABLE document (
                    form TEXT NOT NULL, version INTEGER NOT NULL, serial BIGINT NOT NULL, status TEXT NOT NULL,
                    warnings TEXT NOT NULL DEFAULT '[]', promotedAt TIMESTAMPTZ, lostPages TEXT NOT NULL DEFAULT '[]',
                    PRIMARY KEY (form, version, serial))
                """,
                """
                CREATE TABLE reviewItem (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, form TEXT NOT NULL, version INTEGER NOT NULL, serial BIGINT NOT NULL,
                    kind TEXT NOT NULL, rule TEXT NOT NULL, fields TEXT NOT NULL, reason TEXT NOT NULL,
                    confidence DOUBLE PRECISION NOT NULL, status TEXT NOT NULL, claimedBy TEXT, claimExpires TIMESTAMPTZ,
                    firstEntry TEXT, firstVerifier TEXT, createdAt TIMESTAMPTZ NOT NULL, decidedAt TIMESTAMPTZ,
                    UNIQUE(form, version, serial, kind, rule))
                """,
                "CREATE INDEX reviewItem_open ON reviewItem(status, confidence)",
                "CREATE INDEX reviewItem_document ON reviewItem(form, version, serial)",
                """
                CREATE TABLE decision (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, itemId BIGINT NOT NULL REFERENCES reviewItem(id), form TEXT NOT NULL,
                    serial BIGINT NOT NULL, fieldId TEXT NOT NULL, before TEXT, after TEXT, action TEXT NOT NULL,
                    verifier TEXT NOT NULL, at TIMESTAMPTZ NOT NULL, seconds DOUBLE PRECISION NOT NULL, keystrokes INTEGER NOT NULL)
                """,
                "CREATE INDEX decision_document ON decision(form, serial)",
                "CREATE INDEX decision_item ON decision(itemId)",
                "CREATE TABLE areaReference (code TEXT PRIMARY KEY, name TEXT NOT NULL)",
            ]
        ),
        ("v3-claim-tokens", ["ALTER TABLE reviewItem ADD COLUMN claimToken TEXT"]),
        // The store's default digit model, and the model of a field re-read by another one.
        ("v4-models", ["CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL)", "ALTER TABLE reading ADD COLUMN model TEXT"]),
        // Each read page's image, stored once; a field's clip is a rectangle of it, cut on demand
        // (clips stored before stay in `clip`).
        (
            "v5-page-images",
            [
                "CREATE TABLE pageImage (pageId BIGINT PRIMARY KEY REFERENCES page(id) ON DELETE CASCADE, bytes BYTEA NOT NULL)",
                "ALTER TABLE reading ADD COLUMN clipRect TEXT",
            ]
        ),
    ]

    /// Brings the schema up to date in one transaction, under an advisory lock so that two
    /// machines starting at once do not both migrate.
    static func migrate(_ pool: RenewingPool, logger: Logger) async throws {
        try await pool.transaction(logger: logger, limit: RenewingPool.longAttemptSeconds) { [self] db in
            try await db.query("SELECT pg_advisory_xact_lock(74103115)", logger: logger)
            try await db.query("CREATE TABLE IF NOT EXISTS pindai_migration (id TEXT PRIMARY KEY, appliedAt TIMESTAMPTZ NOT NULL DEFAULT now())", logger: logger)
            var applied: Set<String> = []
            for try await id in try await db.query("SELECT id FROM pindai_migration", logger: logger).decode(String.self) { applied.insert(id) }
            for migration in migrations where !applied.contains(migration.id) {
                for statement in migration.statements { try await db.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                try await db.query("INSERT INTO pindai_migration (id) VALUES (\(migration.id))", logger: logger)
            }
        }
    }
}
