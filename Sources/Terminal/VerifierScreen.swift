import FormTemplate
import Foundation
import Raster
import Verification
import Vocabulary

/// Draws the verifier's screen from a session: context, the field image in half-block
/// characters, the machine reading with its doubtful boxes marked, the edit and the keys.
package enum VerifierScreen {
    /// The screen as lines (with ANSI colour for the image only, so plain captures read cleanly).
    package static func render(_ s: VerificationSession, clip: GreyImage?, columns: Int, rows: Int, queueDepth: Int) -> [String] {
        var lines: [String] = []
        let average = s.decided > 0 ? String(format: "%.1f", Double(s.totalKeystrokes) / Double(s.decided)) : "–"
        lines.append("pindai verify · \(s.verifier) · \(queueDepth) item(s) waiting · \(s.decided) decided, \(average) keys per item")
        guard let item = s.item, s.template != nil else {
            lines.append("")
            lines.append("The queue is empty: nothing to verify\(s.fieldFilter.map { " for field \($0)" } ?? "").")
            lines.append("")
            lines.append("q quit")
            return lines
        }
        if s.showingHelp { return lines + help }
        let focus = s.edits.indices.contains(s.focus) ? s.edits[s.focus] : nil
        let serial = PageIdentity(form: item.form, version: item.version, page: 1, serial: item.serial).formattedSerial
        var context = "\(item.form) v\(item.version) · document \(serial)"
        if let f = focus?.field {
            context += " · page \(f.page)"
            if let block = f.block { context += " · \(block)" }
            if let n = f.instance { context += " · member \(n)" }
        }
        lines.append(context)
        if item.kind == .record {
            lines.append("Record check \(item.rule): \(item.reason)")
        } else if let f = focus?.field {
            lines.append("Field \(f.id)\(f.label.isEmpty ? "" : " — \(shortLabel(f))") · why: \(item.reason)")
        }
        if s.blindSecondEntry { lines.append("Blind second entry: key the value from the image.") }
        let wider = item.kind == .keying ? "^W" : "w"
        switch s.view {
        case .field: lines.append("")
        case .surroundings: lines.append("Wider view: \(Int(ClipView.surroundingsMM)) mm of the page around the field (\(wider): the whole page)")
        case .page: lines.append("Wider view: the whole page, the field unfaded (\(wider): back to the field)")
        }
        let imageRows = max(3, min(s.view == .field ? 16 : 48, rows - 13 - 2 * s.edits.count))
        if let clip, s.view != .field {
            lines.append(contentsOf: halfBlocks(clip, columns: min(columns - 2, 118), rows: imageRows).map { " " + $0 })
        } else if let clip {
            // A long row of boxes (a NIK) is cut in two and stacked, so each digit gets twice the
            // cells and stays readable; a name to key is cut in three, so its letters get the
            // cells a person needs to read handwriting.
            let width = min(columns - 2, item.kind == .keying ? 118 : 96)
            let keyingRows = max(6, rows - 12)
            let parts = item.kind == .keying ? keyingParts(clip, columns: width, rows: keyingRows) : clip.width > clip.height * 5 ? 2 : 1
            if parts > 1 {
                let step = clip.width / parts
                let rowsEach = item.kind == .keying ? keyingRows / parts : imageRows / 2
                for k in 0..<parts {
                    // Each part overlaps its neighbours by 4 pixels, so no stroke is cut unseen.
                    let x0 = max(0, k * step - 4)
                    let end = k == parts - 1 ? clip.width : min(clip.width, (k + 1) * step + 4)
                    let part = clip.cropped(x: x0, y: 0, width: end - x0, height: clip.height)
                    lines.append(contentsOf: halfBlocks(part, columns: width, rows: rowsEach).map { " " + $0 })
                }
            } else {
                lines.append(contentsOf: halfBlocks(clip, columns: width, rows: imageRows).map { " " + $0 })
            }
        } else {
            lines.append("  (no image)")
        }
        lines.append("")
        for (i, edit) in s.edits.enumerated() {
            let marker = i == s.focus ? "›" : " "
            let name = edit.field.label.isEmpty ? edit.field.id : "\(edit.field.id) \(shortLabel(edit.field))"
            let padded = name.count > 28 ? String(name.prefix(27)) + "…" : name + String(repeating: " ", count: 28 - name.count)
            let (text, under) = editText(edit, focused: i == s.focus, blind: s.blindSecondEntry)
            lines.append("\(marker) \(padded) \(text)")
            if !under.trimmingCharacters(in: .whitespaces).isEmpty { lines.append("  " + String(repeating: " ", count: 28) + " " + under) }
        }
        lines.append("")
        lines.append(s.message ?? "")
        if item.kind == .keying {
            lines.append("Type the text as written · Enter accept · ^X illegible · ^E empty · ^U undo · ^W wider · ^K skip · ^R refer · ^G help · ^Q quit")
            return lines
        }
        let keys = "Enter accept · 0-9 type · Space tick · ←→ move · Tab next field · Backspace clear · u undo · w wider · s skip · r refer · ? help · q quit"
        lines.append(keys.count <= columns ? keys : "Enter accept · 0-9 type · ←→ move · Tab field · u undo · w wider · s skip · r refer · ? help · q quit")
        return lines
    }

    /// Into how many stacked parts a text field's image is cut so that its writing is drawn
    /// largest in `columns` × `rows` cells (1 to 3 parts).
    static func keyingParts(_ clip: GreyImage, columns: Int, rows: Int) -> Int {
        func scale(_ k: Int) -> Double {
            min(Double(columns) / (Double(clip.width) / Double(k)), Double(rows / k * 2) / Double(clip.height))
        }
        return (1...3).max { scale($0) < scale($1) } ?? 1
    }

    /// The label without the field number it usually starts with (`403 NIK` → `NIK`).
    static func shortLabel(_ f: Field) -> String {
        f.label.hasPrefix(f.baseID + " ") ? String(f.label.dropFirst(f.baseID.count + 1)) : f.label
    }

    static let help = [
        "",
        "Keys",
        "  Enter      accept what is shown (the machine's reading, or your correction) and go on",
        "  0-9        digit fields: replace the box under the cursor, then jump to the next doubtful box",
        "             tick boxes: mark the option with that code",
        "  Space      tick boxes: mark or unmark the option under the cursor",
        "  ← →        move between boxes or options        Backspace  clear the box under the cursor",
        "  Tab        next field of a record check         Shift-Tab  previous field",
        "  u          undo your last decision              s          skip (the item goes back to the queue)",
        "  r          refer to a supervisor                q          quit (the current item goes back)",
        "  w          wider view (^W when keying): the field's surroundings, the whole page, the field again",
        "",
        "Boxes marked ^ are the ones the machine doubts; [ ] is the cursor.",
        "Press any key to go back.",
    ]

    /// The field's value as the verifier sees it, and a line of ^ under doubtful boxes.
    static func editText(_ e: FieldEdit, focused: Bool, blind: Bool) -> (String, String) {
        switch e.field.kind {
        case .digits:
            var text = ""
            var under = ""
            for (i, c) in e.boxes.enumerated() {
                let ch = c.map(String.init) ?? "_"
                let cell = focused && i == e.cursor ? "[\(ch)]" : " \(ch) "
                text += cell
                under += e.doubtful.contains(i) && !blind ? " ^ " : "   "
            }
            return (text, under)
        case .choice(let g):
            let parts = g.options.enumerated().map { i, o in
                let mark = e.marked.contains(o.code) ? "x" : " "
                let label = o.label.isEmpty ? String(o.code) : o.label
                return (focused && i == e.cursor ? ">" : " ") + "[\(mark)] \(label)"
            }
            return (parts.joined(separator: "  "), "")
        case .checkbox:
            return ((focused ? ">" : " ") + "[\(e.marked.contains(1) ? "x" : " ")]", "")
        case .text:
            guard e.field.keyed else { return ("(image only)", "") }
            if e.illegible { return ("[illegible]", "") }
            let chars = Array(e.text)
            guard focused else { return (e.text.isEmpty ? "(empty)" : e.text, "") }
            let typed = "\"" + String(chars[..<e.cursor]) + "▏" + String(chars[e.cursor...]) + "\""
            if let completion = e.completion { return (typed, "Enter takes the area list's " + completion) }
            if !e.suggestions.isEmpty { return (typed, "\(e.suggestions.count) name(s) in the area list for this village: type a few letters") }
            return (typed, "")
        }
    }

    /// The image drawn with '▀' characters: top pixel as foreground, bottom as background, on
    /// the 24-step grey ramp of 256-colour terminals.
    package static func halfBlocks(_ image: GreyImage, columns: Int, rows: Int) -> [String] {
        guard image.width > 0, image.height > 0 else { return [] }
        let scale = min(Double(columns) / Double(image.width), Double(rows * 2) / Double(image.height))
        let w = max(1, Int(Double(image.width) * scale))
        let h = max(2, Int(Double(image.height) * scale) / 2 * 2)
        func sample(_ x: Int, _ y: Int) -> Int {
            // Area average of the source pixels under one output pixel.
            let x0 = x * image.width / w
            let x1 = max(x0 + 1, (x + 1) * image.width / w)
            let y0 = y * image.height / h
            let y1 = max(y0 + 1, (y + 1) * image.height / h)
            var sum = 0
            for yy in y0..<min(y1, image.height) { for xx in x0..<min(x1, image.width) { sum += Int(image[xx, yy]) } }
            return sum / max(1, (min(x1, image.width) - x0) * (min(y1, image.height) - y0))
        }
        func ramp(_ v: Int) -> Int { 232 + v * 23 / 255 }
        return stride(from: 0, to: h, by: 2).map { y in
            (0..<w).map { x in "\u{1B}[38;5;\(ramp(sample(x, y)))m\u{1B}[48;5;\(ramp(sample(x, y + 1)))m▀" }.joined() + "\u{1B}[0m"
        }
    }
}
