import Foundation

/// One population of writers' digits, with the project's fixed train / validation / test split.
///
/// The split is the one the training recipe uses (`training/digits/sources.py`), so synthetic
/// batches written with a source's validation or test part carry handwriting the model never
/// trained on. Where a source has writer ids (CVL), the split is by writer: a validation or test
/// writer gives no digit to training. USPS and optdigits ship without writer ids and are split by
/// index, so their held-out parts share writers with training.
package struct DigitSource: Sendable {
    /// Short name (`mnist`, `cvl`, …, or the file name of an IDX prefix).
    package var name: String
    /// Who wrote the digits, as reports show it.
    package var population: String
    /// The digits.
    package var set: DigitSet
    /// The writer of each digit, where the source says (`PREFIX-writers.txt`, one id per line).
    package var writers: [String]?
    /// The part each digit belongs to.
    private var parts: [Part]

    /// A part of the split.
    package enum Part: String, Sendable, CaseIterable {
        /// Digits the recogniser trains on.
        case train
        /// Digits every choice (calibration, thresholds) is made on.
        case validation
        /// Digits only reported on.
        case test
        /// Every digit (for sets from elsewhere, which the recogniser never saw).
        case all
    }

    /// The sources the project knows by name, in report order.
    package static let knownNames = ["mnist", "cvl", "usps", "optdigits"]

    /// Loads an IDX prefix as a source of its own: every digit is `all`, the population is the
    /// prefix's file name, writers come from `PREFIX-writers.txt` if present.
    package init(prefix: String, name: String? = nil) throws(DigitSetError) {
        let set = try DigitSet(prefix: prefix)
        let label = name ?? (prefix as NSString).lastPathComponent
        self.init(name: label, population: label, set: set, writers: try Self.writers(prefix: prefix, count: set.count), split: nil)
    }

    private init(name: String, population: String, set: DigitSet, writers: [String]?, split: ((Int, String?) -> Part)?) {
        self.name = name
        self.population = population
        self.set = set
        self.writers = writers
        self.parts = (0..<set.count).map { i in split?(i, writers?[i]) ?? .all }
    }

    /// A known source by name: `mnist` from the repository's `data/`, the others from the
    /// shared data folder (`PINDAI_DIGITS_MORE`, else `../shared/data/handwritten-digits-more`
    /// beside the repository), whose files are not copied into the repository.
    package static func named(_ name: String, root: String) throws(DigitSetError) -> DigitSource {
        let more = ProcessInfo.processInfo.environment["PINDAI_DIGITS_MORE"] ?? root + "/../shared/data/handwritten-digits-more"
        func byKey(_ i: Int, _ w: String?) -> Part {
            let key = w.flatMap { Int($0) } ?? i
            return key % 8 == 0 ? .test : key % 8 == 1 ? .validation : .train
        }
        let (prefix, population): (String, String)
        switch name {
        case "mnist":
            let set = try DigitSet.bundled(root: root)
            return DigitSource(
                name: name, population: "MNIST", set: set, writers: nil,
                split: { i, _ in i < DigitSet.trainingCount ? .train : i < DigitSet.trainingCount + 400 ? .validation : .test })
        case "cvl": (prefix, population) = (more + "/cvl-train", "European (CVL)")
        case "usps": (prefix, population) = (more + "/usps-train", "US mail (USPS)")
        case "optdigits": (prefix, population) = (more + "/optdigits-train", "NIST form (optdigits)")
        default:
            throw DigitSetError(path: name, message: "no digit source of that name (known: \(knownNames.joined(separator: ", ")))")
        }
        let set = try DigitSet(prefix: prefix)
        return DigitSource(
            name: name, population: population, set: set, writers: try writers(prefix: prefix, count: set.count), split: byKey)
    }

    private static func writers(prefix: String, count: Int) throws(DigitSetError) -> [String]? {
        let path = prefix + "-writers.txt"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw DigitSetError(path: path, message: "cannot read the file")
        }
        let ids = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard ids.count == count else {
            throw DigitSetError(path: path, message: "\(ids.count) writer ids for \(count) digits (one id per line expected)")
        }
        return ids
    }

    /// Indices of the digits in `part` (`all` is every digit).
    package func indices(_ part: Part) -> [Int] {
        part == .all ? Array(0..<set.count) : parts.indices.filter { parts[$0] == part }
    }

    /// The writers of `part`, sorted; empty where the source has no writer ids.
    package func writerIDs(_ part: Part) -> [String] {
        guard let writers else { return [] }
        return Set(indices(part).map { writers[$0] }).sorted()
    }
}
