import Canvas
import Foundation
import FormTemplate
import Geometry
import Imaging
import QRCode
import Raster

/// Draws a template's pages: registration marks, QR identity code, printed text and every box.
///
/// The printed form, the synthetic scans and (through the same ``FormTemplate`` geometry) the
/// reader all take box positions from the template, so they cannot drift apart.
package struct FormRenderer: Sendable {
    /// The form being drawn.
    package let template: FormTemplate

    /// Line width of printed boxes, mm.
    package static let boxLine = 0.3
    /// Font size of field labels, mm.
    package static let labelSize = 2.2

    /// Creates a renderer for `template`.
    package init(template: FormTemplate) {
        self.template = template
    }

    /// Draws page `page` of document `serial` onto `canvas`.
    package func draw(page: TemplatePage, serial: Int, on canvas: Canvas) {
        let identity = PageIdentity(form: template.id, version: template.version, page: page.number, serial: serial)
        for mark in page.fiducials { canvas.fill(mark) }
        drawCode(identity.payload, in: page.identityCode, on: canvas)
        canvas.text(identity.printedLine(pageCount: template.pages.count), at: page.serialLine, size: 2.3, bold: true)
        canvas.text(page.title, at: Point(x: 40, y: 20), size: 2.3)
        canvas.text(template.correctionRule, at: Point(x: 16, y: template.paper.height - 12.6), size: 1.9)
        for line in page.lines { canvas.stroke(line.points, lineWidth: line.width) }
        for text in page.texts {
            for (i, lineText) in text.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                canvas.text(String(lineText), at: text.at.offsetBy(dx: 0, dy: Double(i) * text.size * 1.25), size: text.size, bold: text.bold)
            }
        }
        for field in page.fields { draw(field, on: canvas) }
    }

    private func draw(_ field: Field, on canvas: Canvas) {
        if !field.label.isEmpty {
            canvas.text(field.label, at: field.labelPosition, size: Self.labelSize)
        }
        switch field.kind {
        case .digits(let boxes):
            for box in boxes { canvas.stroke(box, lineWidth: Self.boxLine) }
        case .checkbox(let box):
            canvas.stroke(box, lineWidth: Self.boxLine)
        case .choice(let group):
            for option in group.options {
                canvas.stroke(option.box, lineWidth: Self.boxLine)
                if !option.label.isEmpty {
                    canvas.text(
                        option.label, at: Point(x: option.box.maxX + 0.8, y: option.box.maxY - 0.6), size: Self.labelSize)
                }
            }
        case .text(let area):
            canvas.stroke(area, lineWidth: 0.15, grey: 110)
        }
    }

    private func drawCode(_ payload: String, in rect: Rect, on canvas: Canvas) {
        guard let symbol = QRSymbol(encoding: payload) else { return }
        let module = rect.width / Double(symbol.size)
        for y in 0..<symbol.size {
            for x in 0..<symbol.size where symbol[x, y] {
                // Slight overlap closes hairline gaps between neighbouring modules.
                canvas.fill(Rect(x: rect.minX + Double(x) * module, y: rect.minY + Double(y) * module, width: module + 0.01, height: module + 0.01))
            }
        }
    }

    /// Page `page` of document `serial` as a grey raster.
    package func image(page: TemplatePage, serial: Int, resolution: Resolution) -> GreyImage {
        let canvas = Canvas(width: template.paper.width, height: template.paper.height, resolution: resolution)
        draw(page: page, serial: serial, on: canvas)
        return canvas.greyImage()
    }

    /// Writes a printable PDF holding every page of every document in `serials`, and a PNG of each
    /// page at `dpi`. Returns the paths written.
    package func writePrintables(to directory: String, serials: Range<Int>, dpi: Double) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let base = "\(template.id)-v\(template.version)"
        let first = PageIdentity(form: template.id, version: template.version, page: 1, serial: serials.lowerBound)
        let last = PageIdentity(form: template.id, version: template.version, page: 1, serial: serials.upperBound - 1)
        let pdfPath = "\(directory)/\(base)-\(first.formattedSerial)-\(last.formattedSerial).pdf"
        let pdf = try Canvas(pdfPath: pdfPath, width: template.paper.width, height: template.paper.height)
        var written = [pdfPath]
        for serial in serials {
            for page in template.pages {
                draw(page: page, serial: serial, on: pdf)
                pdf.nextPage()
                let identity = PageIdentity(form: template.id, version: template.version, page: page.number, serial: serial)
                let pngPath = "\(directory)/\(base)-\(identity.formattedSerial)-p\(page.number).png"
                try ImageWriter.write([image(page: page, serial: serial, resolution: Resolution(dpi: dpi))], to: pngPath, as: .png)
                written.append(pngPath)
            }
        }
        pdf.finish()
        return written
    }
}
