import Foundation
import FormTemplate
import GRDB

/// The core store: clean, complete records only, one family row and one row per member, with
/// typed columns derived from the template (digit fields as text, keeping leading zeros; choices
/// as integers). It can live in the capture database or in a file of its own.
package final class CoreStore: CoreRecords {
    private let pool: DatabasePool

    /// Opens (creating if needed) the core store at `path`, owner-readable only.
    package init(path: String) throws {
        let previous = umask(0o077)
        defer { umask(previous) }
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        pool = try DatabasePool(path: path, configuration: configuration)
        chmod(path, 0o600)
    }

    private static func sqlType(_ field: Field) -> String {
        switch field.kind {
        case .digits, .text: "TEXT"
        case .checkbox, .choice: "INTEGER"
        }
    }

    private func ensureTables(_ template: FormTemplate, _ db: Database) throws {
        let (familyTable, memberTable) = CoreLayout.tables(for: template)
        let (family, member) = CoreLayout.layout(template)
        if try !db.tableExists(familyTable) {
            let columns = family.map { "\(CoreLayout.column($0.id)) \(Self.sqlType($0))" }.joined(separator: ", ")
            try db.execute(sql: "CREATE TABLE \(familyTable) (serial INTEGER PRIMARY KEY, promotedAt DATETIME NOT NULL, warnings TEXT NOT NULL, \(columns))")
        }
        if try !db.tableExists(memberTable) {
            let columns = member.map { "\(CoreLayout.column($0.baseID)) \(Self.sqlType($0))" }.joined(separator: ", ")
            try db.execute(
                sql: "CREATE TABLE \(memberTable) (serial INTEGER NOT NULL REFERENCES \(familyTable)(serial), member INTEGER NOT NULL, \(columns), PRIMARY KEY (serial, member))")
        }
        // A core store made before a column existed (the keyed text fields) gains it, empty.
        for (table, fields, id) in [(familyTable, family, \Field.id), (memberTable, member, \Field.baseID)] {
            let present = Set(try db.columns(in: table).map(\.name))
            for field in fields where !present.contains(CoreLayout.column(field[keyPath: id])) {
                try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN \(CoreLayout.column(field[keyPath: id])) \(Self.sqlType(field))")
            }
        }
    }

    /// Writes a family's record: its family-level values (field id → value) and its members
    /// (member number → base field id → value; a family of several sets numbers its members
    /// across them, 06 onwards on the second set). Returns false (and writes nothing) when the
    /// family is already in the core store: promotion happens exactly once.
    package func promote(
        template: FormTemplate, serial: Int, family values: [String: String], members: [Int: [String: String]], warnings: [String]
    ) async throws -> Bool {
        let (familyTable, memberTable) = CoreLayout.tables(for: template)
        let (family, member) = CoreLayout.layout(template)
        return try await pool.write { db in
            try self.ensureTables(template, db)
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM \(familyTable) WHERE serial = ?", arguments: [serial]) == true { return false }
            func typed(_ field: Field, _ value: String?) -> (any DatabaseValueConvertible)? {
                guard let value, !value.isEmpty else { return nil }
                switch field.kind {
                case .digits, .text: return value
                case .checkbox, .choice: return Int(value)
                }
            }
            let warningsJSON = String(decoding: try JSONEncoder().encode(warnings), as: UTF8.self)
            let columns = ["serial", "promotedAt", "warnings"] + family.map { CoreLayout.column($0.id) }
            let args: [(any DatabaseValueConvertible)?] = [serial, Date(), warningsJSON] + family.map { typed($0, values[$0.id]) }
            try db.execute(
                sql: "INSERT INTO \(familyTable) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))",
                arguments: StatementArguments(args))
            for (n, memberValues) in members.sorted(by: { $0.key < $1.key }) {
                guard memberValues.values.contains(where: { !$0.isEmpty }) else { continue }
                let mColumns = ["serial", "member"] + member.map { CoreLayout.column($0.baseID) }
                let mArgs: [(any DatabaseValueConvertible)?] = [serial, n] + member.map { typed($0, memberValues[$0.baseID]) }
                try db.execute(
                    sql: "INSERT INTO \(memberTable) (\(mColumns.joined(separator: ", "))) VALUES (\(mColumns.map { _ in "?" }.joined(separator: ", ")))",
                    arguments: StatementArguments(mArgs))
            }
            return true
        }
    }

    /// Every promoted family with its members, for export: `(family columns, member rows)`.
    package func records(template: FormTemplate) async throws -> [(family: [String: String], members: [[String: String]])] {
        let (familyTable, memberTable) = CoreLayout.tables(for: template)
        return try await pool.read { db in
            guard try db.tableExists(familyTable) else { return [] }
            func strings(_ row: Row) -> [String: String] {
                var out: [String: String] = [:]
                for (name, value) in row where !value.isNull {
                    switch value.storage {
                    case .int64(let i): out[name] = String(i)
                    case .double(let d): out[name] = String(d)
                    case .string(let s): out[name] = s
                    default: out[name] = value.description
                    }
                }
                return out
            }
            let members = Dictionary(grouping: try Row.fetchAll(db, sql: "SELECT * FROM \(memberTable) ORDER BY serial, member")) { $0["serial"] as Int }
            return try Row.fetchAll(db, sql: "SELECT * FROM \(familyTable) ORDER BY serial").map { row in
                (strings(row), (members[row["serial"] as Int] ?? []).map(strings))
            }
        }
    }
}

/// How a form's clean records are laid out, whichever backend holds them: table and column
/// names and which fields are family-level or member-level. Export and evaluation read records
/// by these names.
package enum CoreLayout {
    /// Table names for a form, from the units its template declares (`record: {name: family,
    /// members: {name: member}}`): `family_rsk_k4_v1`, `member_rsk_k4_v1`; `record_…` and
    /// `member_…` for a template that declares none.
    package static func tables(for template: FormTemplate) -> (family: String, member: String) {
        let base = (template.id.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }).map(String.init).joined() + "_v\(template.version)"
        let record = template.record
        return (record.name.lowercased() + "_" + base, record.members.name.lowercased() + "_" + base)
    }

    /// A field id as a column name: `f_403`, `f_ii_ppl_kode`.
    package static func column(_ id: String) -> String {
        "f_" + id.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
    }

    /// The family-level and member-level fields of a form: every read or keyed field (text
    /// areas nobody keys, such as signatures and notes, stay images and have no column).
    package static func layout(_ template: FormTemplate) -> (family: [Field], member: [Field]) {
        let fields = template.fields.filter { if case .text = $0.kind { return $0.keyed } else { return true } }
        let family = fields.filter { $0.instance == nil }
        var seen = Set<String>()
        let member = fields.filter { $0.instance != nil && seen.insert($0.baseID).inserted }
        return (family, member)
    }
}
