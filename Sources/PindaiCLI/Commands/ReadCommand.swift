import ArgumentParser
import DigitRecognition
import Foundation
import Imaging
import MarkReading
import Raster

/// `pindai read digits IMAGE...`: try the digit reader on your own crops.
struct ReadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Read images outside a batch.",
        subcommands: [Digits.self, Marks.self]
    )

    /// Reads the first page of each file and hands it to `body`; a file that cannot be read is
    /// reported on standard error and skipped. Returns whether any file failed.
    static func forEachImage(_ paths: [String], _ body: (String, GreyImage) throws -> Void) throws -> Bool {
        var failed = false
        for path in paths {
            do {
                try body(path, try ImageFile.readPage(path, index: 0))
            } catch let error as ImagingError {
                FileHandle.standardError.write(Data("\(error.description)\n".utf8))
                failed = true
            }
        }
        return failed
    }

    /// `pindai read digits`.
    struct Digits: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read handwritten digits in box crops: per box the digit, its confidence and the alternatives.",
            discussion: """
                Each image is a crop of one box or of a row of N equal boxes as cut from a 300-dpi scan \
                (printed borders included, a few pixels of margin around).

                Examples:
                  pindai read digits box.png
                  pindai read digits nik.png --boxes 16 --json
                """
        )

        @Argument(help: "Image files (PNG, TIFF, JPEG).")
        var images: [String]

        @Option(help: "Boxes per image.")
        var boxes: Int = 1

        @Flag(help: "One JSON object per image and line.")
        var json = false

        @OptionGroup var modelOptions: ModelOptions

        func validate() throws {
            guard (1...32).contains(boxes) else { throw ValidationError("--boxes must be between 1 and 32") }
        }

        struct Output: Encodable {
            var file: String
            var boxes: [Box]
            struct Box: Encodable {
                var digit: String?
                var confidence: Double
                var alternatives: [Alternative]
            }
            struct Alternative: Encodable {
                var digit: String
                var confidence: Double
            }
        }

        func run() async throws {
            guard let model = try modelOptions.locate() else { throw CLIError("no Tesseract model found; run scripts/setup") }
            if let note = model.note { FileHandle.standardError.write(Data((note + "\n").utf8)) }
            let recognizer = try DigitRecognizer(directory: model.directory, model: model.name)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let failed = try forEachImage(images) { path, image in
                let interiors = BoxRowSplitter.interiors(of: image, count: boxes)
                let reads = DigitBoxReader(recognizer: recognizer).read(interiors)
                let output = Output(
                    file: path,
                    boxes: reads.map { r in
                        Output.Box(
                            digit: r.digit.map(String.init), confidence: round3(r.confidence),
                            alternatives: r.alternatives.map { .init(digit: String($0.digit), confidence: round3($0.confidence)) })
                    })
                if json {
                    print(String(decoding: try encoder.encode(output), as: UTF8.self))
                } else {
                    print("\(path): " + output.boxes.map { $0.digit ?? "_" }.joined())
                    for (i, b) in output.boxes.enumerated() {
                        let alternatives = b.alternatives.prefix(2).map { "\($0.digit) \(format($0.confidence))" }.joined(separator: ", ")
                        print("  box \(i + 1): \(b.digit ?? "empty")  \(format(b.confidence))" + (alternatives.isEmpty ? "" : "  (\(alternatives))"))
                    }
                }
            }
            if failed { throw ExitCode(1) }
        }

        func round3(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
        func format(_ v: Double) -> String { String(format: "%.3f", v) }
    }

    /// `pindai read marks`.
    struct Marks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read tick boxes in crops: per box empty, marked, cancelled or marginal, with its fill and confidence.",
            discussion: """
                Each image is a crop of one printed tick box as cut from a scan by any program (any \
                resolution, grey or 1-bit, with paper around it, a little rotated). The printed \
                border is found and left out; the share of ink inside decides, with the same bands \
                ingest uses: empty below 3.5 %, marked from 9 %, cancelled (filled) from 93 %, and the \
                two bands between to a person (marginal).

                Examples:
                  pindai read marks box.png
                  pindai read marks crops/*.png --json
                """
        )

        @Argument(help: "Image files (PNG, TIFF, JPEG).")
        var images: [String]

        @Flag(help: "One JSON object per image and line.")
        var json = false

        struct Output: Encodable {
            var file: String
            var state: String
            var fill: Double
            var confidence: Double
        }

        func run() async throws {
            let reader = MarkReader()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let failed = try forEachImage(images) { path, image in
                let interior = BoxRowSplitter.interiors(of: image, count: 1, frame: false)[0]
                // Ingest counts ink 0.7 mm inside the printed edge; the interior found ends 0.6 mm in.
                let extra = max(0, Int(((image.dpi > 0 ? image.dpi : 300) / 25.4 * 0.1).rounded()))
                let counted = interior.cropped(x: extra, y: extra, width: interior.width - 2 * extra, height: interior.height - 2 * extra)
                let fill = counted.darkFraction(below: ScanPage.inkThreshold)
                let (state, confidence) = reader.classify(fill)
                let output = Output(file: path, state: state.rawValue, fill: (fill * 10000).rounded() / 10000, confidence: (confidence * 1000).rounded() / 1000)
                if json {
                    print(String(decoding: try encoder.encode(output), as: UTF8.self))
                } else {
                    print("\(path): \(output.state)  fill \(String(format: "%.1f", fill * 100)) %  confidence \(String(format: "%.3f", confidence))")
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}
