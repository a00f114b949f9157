import Foundation

/// What a learned model is: where it came from, how much it learned from, and how it read the
/// held-out verified digits against its base. Counts only, never a value: the card travels with
/// the model, the digits stay in the store.
package struct ModelCard: Codable, Sendable {
    /// A count for training and for the held-out part.
    package struct Split: Codable, Sendable, Hashable {
        /// Training.
        package var training: Int
        /// Held out.
        package var heldOut: Int

        /// Creates a pair.
        package init(training: Int, heldOut: Int) {
            (self.training, self.heldOut) = (training, heldOut)
        }
    }

    /// Seconds spent.
    package struct Seconds: Codable, Sendable, Hashable {
        /// The whole command.
        package var total: Double
        /// lstmtraining.
        package var training: Double

        /// Creates a pair.
        package init(total: Double, training: Double) {
            (self.total, self.training) = (total, training)
        }
    }

    /// When it was made.
    package var created: Date
    /// The model's identity (`digits@…`).
    package var model: String
    /// The model it was fine-tuned from (identity and folder).
    package var base: String
    /// The base model's folder.
    package var baseDirectory: String
    /// The stores the digits came from, as shown to users (no passwords).
    package var stores: [String]
    /// Documents that gave training lines, and documents held out.
    package var documents: Split
    /// Fields that gave lines, by source (`verified`, `accepted`) and part.
    package var fields: [String: Int]
    /// Digits in training lines and in held-out lines.
    package var digits: Split
    /// Fields skipped, by reason.
    package var skipped: [String: Int]
    /// Lines of the base training recipe mixed in (so other hands are not forgotten).
    package var baseLines: Int
    /// Training lines as written (verified fields cut into pieces of at most 8 boxes).
    package var trainingLines: Int
    /// lstmtraining iterations run, and the learning rate.
    package var iterations: Int
    /// Learning rate.
    package var learningRate: Double
    /// Seconds spent (whole command) and in lstmtraining.
    package var seconds: Seconds
    /// The base model on the held-out verified digits.
    package var before: HeldOutScore
    /// The new model on them, with its calibration re-fitted on them.
    package var after: HeldOutScore
    /// Why it is worse than its base, when it is (then it is never made a default).
    package var refused: String?

    /// Creates a card.
    package init(
        created: Date, model: String, base: String, baseDirectory: String, stores: [String], documents: Split, fields: [String: Int],
        digits: Split, skipped: [String: Int], baseLines: Int, trainingLines: Int, iterations: Int, learningRate: Double, seconds: Seconds,
        before: HeldOutScore, after: HeldOutScore, refused: String?
    ) {
        (self.created, self.model, self.base, self.baseDirectory, self.stores) = (created, model, base, baseDirectory, stores)
        (self.documents, self.fields, self.digits, self.skipped) = (documents, fields, digits, skipped)
        (self.baseLines, self.trainingLines, self.iterations, self.learningRate) = (baseLines, trainingLines, iterations, learningRate)
        (self.seconds, self.before, self.after, self.refused) = (seconds, before, after, refused)
    }

    /// The card file in a model folder.
    package static func path(in directory: String) -> String { directory + "/digits.card.json" }

    /// The card of the model in `directory`, if it has one (the shipped model's card is Markdown only).
    package static func load(directory: String) -> ModelCard? {
        guard let data = FileManager.default.contents(atPath: path(in: directory)) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(ModelCard.self, from: data)
    }

    /// Writes the card as JSON and as Markdown beside the model.
    package func write(to directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(self).write(to: URL(fileURLWithPath: Self.path(in: directory)))
        try Data(markdown.utf8).write(to: URL(fileURLWithPath: directory + "/digits.card.md"))
    }

    /// The card for people.
    package var markdown: String {
        let p = HeldOutScore.percent
        var lines = [
            "# Digit model \(model), learned from verified digits",
            "",
            "- Made \(ISO8601DateFormatter().string(from: created)) by `pindai learn`, fine-tuned from \(base) (`\(baseDirectory)`).",
            "- Stores: \(stores.joined(separator: ", ")).",
            "- Documents: \(documents.training) gave training lines, \(documents.heldOut) were held out (split by document).",
            "- Fields: " + fields.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + ".",
            "- Digits: \(digits.training) in training lines (cut into lines of at most 8 boxes: \(trainingLines) lines), \(digits.heldOut) held out.",
            "- Mixed in: \(baseLines) lines of the base training recipe (training parts of MNIST, CVL, USPS, optdigits).",
        ]
        if !skipped.isEmpty {
            lines.append("- Skipped: " + skipped.sorted { $0.key < $1.key }.map { "\($0.value) (\($0.key))" }.joined(separator: ", ") + ".")
        }
        lines += [
            "- Training: \(iterations) lstmtraining iterations at learning rate \(learningRate), \(Int(seconds.training.rounded())) s; whole command \(Int(seconds.total.rounded())) s.",
            "",
            "| on the held-out verified digits | digits right | error after routing 10 % |",
            "| --- | --- | --- |",
            "| base \(base) | \(p(before.digitsRight)) | \(p(before.errorAfterRouting10)) |",
            "| this model (calibration re-fitted on them) | \(p(after.digitsRight)) | \(p(after.errorAfterRouting10)) |",
            "",
            refused.map { "**Not to be made a default:** \($0)." } ?? "Not worse than its base on either measure: it may be made a default (`pindai model use`).",
            "",
        ]
        return lines.joined(separator: "\n")
    }
}
