import FormTemplate
import Store
import Validation

/// A document's area codes against the loaded area list: a code that is not in it is a hard
/// failure (the region, district or village of a family is wrong, and with it every statistic
/// drawn from it); a keyed area name that differs from the list's name for the code read on the
/// same page is a warning, since either may be the one to correct.
struct AreaCheck {
    let template: FormTemplate
    let reference: any AreaReference

    /// The rule id of an unknown code; of a name that disagrees with the list.
    static let unknownCode = "area-code"
    static let nameMismatch = "area-name"

    func violations(_ values: [String: String]) async throws -> [Violation] {
        guard let area = template.areaCode, try await reference.referenceCount() > 0 else { return [] }
        let levels = area.levels(values)
        guard !levels.isEmpty else { return [] }
        let known = try await reference.referenceNames(codes: levels.map(\.code))
        var out: [Violation] = []
        if let (i, level) = levels.enumerated().first(where: { known[$0.element.code] == nil }) {
            let fields = Array(area.fields.prefix(i + 1))
            out.append(
                Violation(
                    rule: Self.unknownCode, fields: fields, severity: .hard,
                    message: "\(fields.joined(separator: "–")): area code \(level.code) is not in the area list; check the codes against the page (or load the current list with pindai reference load)"))
            return out
        }
        for (text, levelField) in area.names.sorted(by: { $0.key < $1.key }) {
            guard let keyed = values[text], let code = levels.first(where: { $0.field == levelField })?.code, let listed = known[code] else { continue }
            if FieldEdit.normalised(keyed) != FieldEdit.normalised(listed) {
                out.append(
                    Violation(
                        rule: Self.nameMismatch, fields: [text, levelField], severity: .soft,
                        message: "\(text) is keyed differently from the area list's name for code \(code) (\(levelField)); check which is right"))
            }
        }
        return out
    }

    /// Names a keyer may complete `field` from: the list's names of the level it names, under
    /// the code of the level above, as read on the document.
    func suggestions(for field: String, values: [String: String]) async throws -> [String] {
        guard let area = template.areaCode, let level = area.names[field], let index = area.fields.firstIndex(of: level), index > 0 else { return [] }
        let levels = area.levels(values)
        guard levels.count > index else { return [] }
        return try await reference.referenceNames(under: levels[index - 1].code, length: levels[index].code.count)
    }
}
