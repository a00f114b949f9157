import DigitRecognition
import Foundation
import Imaging
import Raster

/// Lines written for `lstmtraining`: one multi-page TIFF (a line a page, composed exactly as the
/// reader composes them), its box file, and the `.lstmf` Tesseract makes of the two. One
/// `tesseract` call per chunk, not per line.
package enum TrainingChunk {
    /// Writes `lines` as `base.lstmf` (kept when it exists: a resumed run) and removes the
    /// image and box files, so digit images stay on disk only in Tesseract's training format.
    package static func write(_ lines: [(crops: [GreyImage], text: String)], base: String, tools: TrainingTools) throws(LearningError) -> String {
        let lstmf = base + ".lstmf"
        if FileManager.default.fileExists(atPath: lstmf) { return lstmf }
        var pages: [GreyImage] = []
        var boxes: [String] = []
        for (page, line) in lines.enumerated() {
            let image = DigitLine.compose(line.crops).line
            pages.append(image)
            // One box per character spanning the whole line, then the end-of-line box: the
            // WordStr-free format Tesseract's line trainer takes.
            for c in line.text { boxes.append("\(c) 0 0 \(image.width) \(image.height) \(page)") }
            boxes.append("\t 0 0 \(image.width) \(image.height) \(page)")
        }
        do {
            try ImageWriter.write(pages, to: base + ".tif", as: .tiffGrey)
        } catch {
            throw LearningError("cannot write training lines to \(base).tif: \(error)")
        }
        guard FileManager.default.createFile(atPath: base + ".box", contents: Data((boxes.joined(separator: "\n") + "\n").utf8)) else {
            throw LearningError("cannot write \(base).box; check the folder is writable")
        }
        defer {
            try? FileManager.default.removeItem(atPath: base + ".tif")
            try? FileManager.default.removeItem(atPath: base + ".box")
        }
        let partial = base + ".partial"
        try tools.run("tesseract", [base + ".tif", partial, "--psm", "13", "lstm.train"])
        do {
            try FileManager.default.moveItem(atPath: partial + ".lstmf", toPath: lstmf)
        } catch {
            throw LearningError("tesseract made no training file from \(base).tif (\(error))")
        }
        return lstmf
    }
}
