import Foundation
import Raster

/// Handwritten digit images in MNIST's IDX format (white ink on black, 28 × 28).
///
/// The project's 4,000 digits are split once and for all: indices below ``trainingCount`` train
/// the recogniser; the rest are held out and are the only ones synthetic scans write by default,
/// so accuracy measured on synthetic batches is measured on handwriting the model never saw.
package struct DigitSet: Sendable {
    /// Image width and height in pixels.
    package let width: Int
    /// Image height in pixels.
    package let height: Int
    /// Row-major ink intensities of every image, concatenated.
    private let images: [UInt8]
    /// The digit (0–9) each image shows.
    package let labels: [UInt8]

    /// How many of the bundled digits are for training (the rest are held out).
    package static let trainingCount = 3200

    /// Which digits to draw from.
    package enum Subset: Sendable {
        /// Indices `0..<trainingCount`.
        case training
        /// Indices `trainingCount...`: never trained on.
        case heldOut
        /// Every image (for sets other than the bundled one).
        case all
    }

    /// Loads `PREFIX-images.idx3-ubyte` and `PREFIX-labels.idx1-ubyte`.
    package init(prefix: String) throws(DigitSetError) {
        try self.init(imagesPath: prefix + "-images.idx3-ubyte", labelsPath: prefix + "-labels.idx1-ubyte")
    }

    /// Loads an IDX image file and its label file.
    package init(imagesPath: String, labelsPath: String) throws(DigitSetError) {
        guard let imageData = FileManager.default.contents(atPath: imagesPath) else {
            throw DigitSetError(path: imagesPath, message: "cannot read the file")
        }
        guard let labelData = FileManager.default.contents(atPath: labelsPath) else {
            throw DigitSetError(path: labelsPath, message: "cannot read the file")
        }
        let img = [UInt8](imageData)
        let lab = [UInt8](labelData)
        func be32(_ b: [UInt8], _ o: Int) -> Int { Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3]) }
        guard img.count >= 16, be32(img, 0) == 0x0803 else {
            throw DigitSetError(path: imagesPath, message: "not an IDX image file (magic 0x00000803 expected)")
        }
        guard lab.count >= 8, be32(lab, 0) == 0x0801 else {
            throw DigitSetError(path: labelsPath, message: "not an IDX label file (magic 0x00000801 expected)")
        }
        let count = be32(img, 4)
        let rows = be32(img, 8)
        let cols = be32(img, 12)
        guard img.count >= 16 + count * rows * cols else {
            throw DigitSetError(path: imagesPath, message: "file is shorter than its header says (truncated)")
        }
        guard be32(lab, 4) == count, lab.count >= 8 + count else {
            throw DigitSetError(path: labelsPath, message: "label count does not match the \(count) images")
        }
        guard lab[8..<(8 + count)].allSatisfy({ $0 <= 9 }) else {
            throw DigitSetError(path: labelsPath, message: "labels must be digits 0-9")
        }
        width = cols
        height = rows
        images = Array(img[16..<(16 + count * rows * cols)])
        labels = Array(lab[8..<(8 + count)])
    }

    /// The bundled set (`data/handwritten-digits/mnist-4000`) under `root`.
    package static func bundled(root: String) throws(DigitSetError) -> DigitSet {
        try DigitSet(prefix: root + "/data/handwritten-digits/mnist-4000")
    }

    /// Number of images.
    package var count: Int { labels.count }

    /// Indices belonging to `subset`.
    package func indices(_ subset: Subset) -> Range<Int> {
        switch subset {
        case .training: 0..<min(Self.trainingCount, count)
        case .heldOut: min(Self.trainingCount, count)..<count
        case .all: 0..<count
        }
    }

    /// Image `index` as an ink mask: 255 = full ink, 0 = paper.
    ///
    /// Some sources (CVL) keep a grey scanning background where MNIST has 0; it is subtracted
    /// (the median of the image's edge pixels, plus a little), so that only strokes are ink, as
    /// the training recipe does (`clean_background` in `training/digits/digitlines.py`).
    package func inkMask(_ index: Int) -> GreyImage {
        let n = width * height
        var pixels = Array(images[(index * n)..<((index + 1) * n)])
        var edge: [UInt8] = []
        for x in 0..<width { edge += [pixels[x], pixels[(height - 1) * width + x]] }
        for y in 0..<height { edge += [pixels[y * width], pixels[y * width + width - 1]] }
        let background = Double(edge.sorted()[edge.count / 2])
        if background >= 4 {
            let floor = background + 6
            let top = max(Double(pixels.max() ?? 255), floor + 1)
            pixels = pixels.map { UInt8(max(0, min(255, (Double($0) - floor) * 255 / (top - floor)))) }
        }
        return GreyImage(width: width, height: height, pixels: pixels, dpi: 0)
    }

    /// Indices in `subset` showing each digit, `[digit] -> [index]`.
    package func indicesByDigit(_ subset: Subset) -> [[Int]] {
        var out = [[Int]](repeating: [], count: 10)
        for i in indices(subset) { out[Int(labels[i])].append(i) }
        return out
    }
}

/// A digit file that cannot be used.
package struct DigitSetError: Error, Sendable, CustomStringConvertible {
    /// The file.
    package var path: String
    /// What is wrong with it.
    package var message: String
    /// `path: message`.
    package var description: String { "\(path): \(message)" }
}
