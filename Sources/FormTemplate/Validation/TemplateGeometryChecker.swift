import Foundation
import Geometry

/// Checks a page's boxes against each other, the paper edge, the fiducials and the identity
/// code: a box that overlaps another or sits on a registration mark would be misread forever.
struct TemplateGeometryChecker {
    let reader: YAMLNodeReader
    let paper: PaperSize

    /// Clear space kept around registration marks and the QR code, mm.
    static let markClearance = 2.0

    func check(_ page: TemplatePage) {
        let sheet = paper.rect
        for (i, f) in page.fiducials.enumerated() where !sheet.contains(f) {
            reader.report(at: SourceLocation(file: reader.file, line: 0, column: 0), "page \(page.number): fiducial \(i + 1) lies off the paper", hint: "reduce fiducials.inset or size")
        }
        let keepOut: [(String, Rect)] =
            page.fiducials.enumerated().map { ("fiducial \($0.offset + 1)", $0.element.insetBy(-Self.markClearance)) }
            + [("the identity code", page.identityCode.insetBy(-Self.markClearance).union(Rect(x: page.identityCode.minX, y: page.identityCode.maxY, width: 70, height: 5)))]
        var placed: [(field: Field, box: Rect)] = []
        for field in page.fields {
            for box in field.boxes {
                if !sheet.contains(box) {
                    reader.report(
                        at: field.source, field: field.id,
                        "box at (\(fmt(box.minX)), \(fmt(box.minY))) mm, \(fmt(box.width))×\(fmt(box.height)) mm, lies off the \(fmt(paper.width))×\(fmt(paper.height)) mm page \(page.number)",
                        hint: "move it inside the paper")
                    continue
                }
                if let hit = keepOut.first(where: { $0.1.overlaps(box) }) {
                    reader.report(
                        at: field.source, field: field.id,
                        "box at (\(fmt(box.minX)), \(fmt(box.minY))) mm on page \(page.number) is over \(hit.0)",
                        hint: "keep \(fmt(Self.markClearance)) mm clear around registration marks and the identity code")
                }
                if let other = placed.first(where: { $0.field.id != field.id && $0.box.overlaps(box) }) {
                    reader.report(
                        at: field.source, field: field.id,
                        "box at (\(fmt(box.minX)), \(fmt(box.minY))) mm overlaps field \(other.field.id) (line \(other.field.source.line)) on page \(page.number)",
                        hint: "move one of them")
                }
            }
            // Boxes of the same field must not overlap each other either (e.g. option pitch too small).
            let own = field.boxes
            for i in own.indices {
                for j in own.indices where j > i && own[i].overlaps(own[j]) {
                    reader.report(at: field.source, field: field.id, "two of its own boxes overlap on page \(page.number)", hint: "increase layout.pitch or the spacing of options")
                }
            }
            placed.append(contentsOf: field.boxes.map { (field, $0) })
        }
    }

    private func fmt(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v)
    }
}
