import FormTemplate
import Foundation
import Store
import Vocabulary

/// One field being verified: what the machine read, what the verifier has made of it, and where
/// the cursor is.
package struct FieldEdit: Sendable {
    /// The field.
    package let field: Field
    /// The machine's reading, if any.
    package let reading: ReadingRecord?
    /// Digit fields: one character per box (`nil` = blank).
    package var boxes: [Character?]
    /// Choice and checkbox fields: the codes marked.
    package var marked: Set<Int>
    /// Box or option index under the cursor.
    package var cursor: Int
    /// Boxes the machine doubts (highlighted, and where the cursor goes).
    package let doubtful: [Int]
    /// Whether the verifier changed anything.
    package var changed = false
    /// Text fields: what the keyer has typed (shown as typed; stored normalised).
    package private(set) var text = ""
    /// Text fields: the keyer marked the writing illegible.
    package private(set) var illegible = false
    /// Text fields with an area list: the names the field may hold (the SLS of the village read
    /// on the page), for type-ahead.
    package var suggestions: [String] = []

    /// The one suggestion that what is typed begins (a few characters are enough), or nil.
    package var completion: String? {
        let typed = Self.normalised(text)
        guard !typed.isEmpty, !illegible else { return nil }
        let matches = suggestions.filter { Self.normalised($0).hasPrefix(typed) }
        return matches.count == 1 ? Self.normalised(matches[0]) : nil
    }

    /// Digit confidence below which a box is highlighted as doubtful: the reader's own
    /// acceptance threshold.
    package static let doubtfulBelow = ConfidenceThresholds.digit

    /// Starts editing `field` from `reading`; `blind` hides the machine's value (second entry).
    package init(field: Field, reading: ReadingRecord?, blind: Bool = false) {
        self.field = field
        self.reading = reading
        let evidence = reading.map { BoxReading.decode($0.boxesJSON) } ?? []
        switch field.kind {
        case .digits(let printed):
            if blind {
                boxes = Array(repeating: nil, count: printed.count)
                doubtful = Array(0..<printed.count)
            } else {
                boxes = (0..<printed.count).map { i in i < evidence.count ? evidence[i].digit?.first : nil }
                doubtful = evidence.enumerated().filter { $0.element.state == .rejected || ($0.element.state == .read && $0.element.confidence < Self.doubtfulBelow) }
                    .map(\.offset)
            }
            marked = []
        case .choice, .checkbox:
            boxes = []
            marked = blind ? [] : Set(evidence.filter { $0.state == .marked }.compactMap(\.code))
            doubtful = evidence.enumerated().filter { $0.element.state == .marginal }.map(\.offset)
        case .text:
            boxes = []
            marked = []
            doubtful = []
        }
        cursor = doubtful.first ?? 0
    }

    /// The option codes in printed order (checkbox: `[1]`).
    package var codes: [Int] {
        switch field.kind {
        case .choice(let g): g.options.map(\.code)
        case .checkbox: [1]
        default: []
        }
    }

    /// The value the verifier's edit stands for, or an explanation why it is not complete.
    package var value: Result<String?, EditProblem> {
        switch field.kind {
        case .digits:
            let filled = boxes.compactMap { $0 }
            if filled.isEmpty { return .success(nil) }
            if filled.count < boxes.count {
                let empty = boxes.firstIndex { $0 == nil }!
                return .failure(EditProblem(message: "box \(empty + 1) is empty: type it, or clear every box to leave the field blank"))
            }
            return .success(String(filled))
        case .checkbox:
            return .success(marked.contains(1) ? "1" : "0")
        case .choice(let g):
            if marked.isEmpty { return .success(nil) }
            if g.additive { return .success(String(marked.reduce(0, +))) }
            if marked.count > 1 { return .failure(EditProblem(message: "only one box may be marked here")) }
            return .success(String(marked.first!))
        case .text:
            if illegible { return .success(nil) }
            if let completion { return .success(completion) }
            let normal = Self.normalised(text)
            return .success(normal.isEmpty ? nil : normal)
        }
    }

    /// Keyed text as stored: capitals, as the form asks names to be written, and single spaces
    /// between words, none around them, so the same name keyed twice is the same text.
    package static func normalised(_ text: String) -> String {
        text.uppercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Applies one key; returns false when the key means nothing for this field.
    package mutating func apply(_ key: VerifierKey) -> Bool {
        switch field.kind {
        case .digits:
            switch key {
            case .digit(let d):
                boxes[cursor] = Character(String(d))
                changed = true
                if let next = doubtful.first(where: { $0 > cursor }) { cursor = next } else { cursor = min(boxes.count - 1, cursor + 1) }
            case .backspace:
                boxes[cursor] = nil
                changed = true
                cursor = max(0, cursor - 1)
            case .left: cursor = max(0, cursor - 1)
            case .right: cursor = min(boxes.count - 1, cursor + 1)
            default: return false
            }
        case .choice(let g):
            switch key {
            case .space:
                toggle(codes[cursor], exclusive: g.selection != .any)
            case .digit(let d):
                guard let i = codes.firstIndex(of: d) else { return false }
                cursor = i
                toggle(d, exclusive: g.selection != .any)
            case .left, .up: cursor = max(0, cursor - 1)
            case .right, .down: cursor = min(codes.count - 1, cursor + 1)
            case .backspace:
                marked = []
                changed = true
            default: return false
            }
        case .checkbox:
            guard key == .space else { return false }
            toggle(1, exclusive: false)
        case .text:
            let chars = Array(text)
            switch key {
            case .character(let c):
                guard c.isLetter || c.isNumber || " .,'-/()".contains(c) else { return false }
                text = String(chars[..<cursor] + [Character(c.uppercased())] + chars[cursor...])
                cursor += 1
                illegible = false
            case .space:
                text = String(chars[..<cursor] + [" "] + chars[cursor...])
                cursor += 1
            case .digit(let d):
                text = String(chars[..<cursor] + [Character(String(d))] + chars[cursor...])
                cursor += 1
            case .backspace:
                guard cursor > 0 else { return false }
                text = String(chars[..<(cursor - 1)] + chars[cursor...])
                cursor -= 1
            case .left: cursor = max(0, cursor - 1)
            case .right: cursor = min(chars.count, cursor + 1)
            case .illegible:
                illegible = true
                text = ""
                cursor = 0
            case .leftEmpty:
                illegible = false
                text = ""
                cursor = 0
            default: return false
            }
            changed = true
        }
        return true
    }

    private mutating func toggle(_ code: Int, exclusive: Bool) {
        changed = true
        if marked.contains(code) {
            marked.remove(code)
        } else {
            if exclusive { marked = [] }
            marked.insert(code)
        }
    }
}

/// An edit that cannot be saved as it is.
package struct EditProblem: Error, Sendable, Hashable {
    /// What to do.
    package var message: String
}
