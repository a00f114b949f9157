import Clips
import Foundation
import Imaging
import Raster
import Store
import Vocabulary

/// The filled boxes of one field people vouched for, cut from its stored page image exactly where
/// the reader cut them, with their digits: what `pindai learn` trains and judges models on.
package struct LabelledLine: Sendable {
    /// The document it comes from (`form/serial`, prefixed with its store when learning from
    /// several): the unit of the held-out split and of one hand.
    package var document: String
    /// The field id.
    package var fieldID: String
    /// The filled boxes' interiors, in box order.
    package var crops: [GreyImage]
    /// Their digits.
    package var text: String
    /// `verified` or `accepted`.
    package var status: ReadingStatus

    /// Creates a line.
    package init(document: String, fieldID: String, crops: [GreyImage], text: String, status: ReadingStatus) {
        (self.document, self.fieldID, self.crops, self.text, self.status) = (document, fieldID, crops, text, status)
    }

    /// Why a labelled field gave no line.
    package enum Skip: String, Error, Sendable, CaseIterable {
        /// Read before pindai kept each box's place in the clip.
        case noInteriors = "read by a pindai that did not keep box positions"
        /// The field's image is missing or would not decode.
        case badClip = "clip unreadable"
        /// People's value has another number of digits than the boxes with ink.
        case lengthMismatch = "value and filled boxes differ in number"
    }

    /// Lines from labelled fields of one store (`cutter` reads its page images), with how many
    /// fields were skipped and why.
    package static func lines(from fields: [LabelledDigitField], cutter: ClipCutter) async throws -> (lines: [LabelledLine], skipped: [Skip: Int]) {
        var lines: [LabelledLine] = []
        var skipped: [Skip: Int] = [:]
        for field in fields {
            switch line(from: field, clip: try await cutter.clip(field.image)) {
            case .success(let line): lines.append(line)
            case .failure(let skip): skipped[skip, default: 0] += 1
            }
        }
        return (lines, skipped)
    }

    /// The line of one labelled field whose clip is `clip`, or why there is none.
    package static func line(from field: LabelledDigitField, clip: GreyImage?) -> Result<LabelledLine, Skip> {
        let boxes = BoxReading.decode(field.boxesJSON)
        let filled = boxes.filter { $0.state != .empty }
        guard !filled.isEmpty, filled.allSatisfy({ ($0.interior?.count ?? 0) == 4 }) else { return .failure(.noInteriors) }
        guard field.value.count == filled.count, field.value.allSatisfy({ $0.isASCII && $0.isNumber }) else { return .failure(.lengthMismatch) }
        guard let clip else { return .failure(.badClip) }
        let crops = filled.map { box -> GreyImage in
            let r = box.interior!
            return clip.cropped(x: r[0], y: r[1], width: r[2], height: r[3])
        }
        let document = (field.origin.map { "\($0)#" } ?? "") + "\(field.form)/\(field.serial)"
        return .success(LabelledLine(document: document, fieldID: field.fieldID, crops: crops, text: field.value, status: field.status))
    }

    /// Training lines from labelled fields, none holding a whole number longer than `maxDigits`.
    ///
    /// Ingest reads a NIK as one line of 16 boxes, so a model that only ever trained on halves
    /// forgets long lines. A long field is cut into pieces of at most `maxDigits` boxes and,
    /// where the same document has other fields of the same length, its pieces are re-joined
    /// with theirs (the first piece of one, the second of the next, …): lines as long as
    /// ingest's, in the same hand, position for position, yet no line is anyone's number. A
    /// long field with no partner stays in pieces; short fields stay whole.
    package static func trainingLines(_ lines: [LabelledLine], maxDigits: Int) -> [LabelledLine] {
        var out: [LabelledLine] = []
        let byDocument = Dictionary(grouping: lines, by: \.document)
        for document in byDocument.keys.sorted() {
            var long: [Int: [LabelledLine]] = [:]
            for line in byDocument[document]! {
                if line.crops.count > maxDigits { long[line.crops.count, default: []].append(line) } else { out.append(line) }
            }
            for length in long.keys.sorted() {
                let fields = long[length]!.sorted { $0.fieldID < $1.fieldID }
                let pieces = fields.map { $0.pieces(maxDigits: maxDigits) }
                guard fields.count >= 2 else {
                    out += pieces.flatMap { $0 }
                    continue
                }
                for i in fields.indices {
                    // Piece j from field i + j: same length, so every field has as many pieces.
                    let joined = pieces[i].indices.map { j in pieces[(i + j) % fields.count][j] }
                    var line = fields[i]
                    line.fieldID = joined.map(\.fieldID).joined(separator: "+")
                    line.crops = joined.flatMap(\.crops)
                    line.text = joined.map(\.text).joined()
                    out.append(line)
                }
            }
        }
        return out
    }

    /// The line in pieces of at most `maxDigits` boxes: a training image never holds a whole
    /// identity number.
    package func pieces(maxDigits: Int) -> [LabelledLine] {
        guard crops.count > maxDigits else { return [self] }
        let digits = Array(text)
        return stride(from: 0, to: crops.count, by: maxDigits).map { start in
            let end = min(crops.count, start + maxDigits)
            var piece = self
            piece.crops = Array(crops[start..<end])
            piece.text = String(digits[start..<end])
            return piece
        }
    }
}
