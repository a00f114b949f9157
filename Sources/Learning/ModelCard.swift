import Foundation

/// What a learned model is: where it came from, how much it learned from, and how it read the
/// held-out verified digits against its base. Counts only, never a value: the card travels with
/// the model, the digits stay in the store.
package struct ModelCard: Codable, Sendable {
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
    package var documents: (training: Int, heldOut: Int)
    /// Fields that gave lines, by source (`verified`, `accepted`) and part.
    package var fields: [String: Int]
    /// Digits in training lines and in held-out lines.
    package var digits: (training: Int, heldOut: Int)
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
    package var seconds: (total: Double, training: Double)
    /// The base model on the held-out verified digits.
    package var before: HeldOutScore
    /// The new model on them, with its calibration re-fitted on them.
    package var after: HeldOutScore
    /// Why it is worse than its base, when it is (then it is never made a default).
    package var refused: String?

    enum CodingKeys: String, CodingKey {
        case created, model, base, baseDirectory, stores, documentsTraining, documentsHeldOut, fields, digitsTraining, digitsHeldOut, skipped
        case baseLines, trainingLines, iterations, learningRate, secondsTotal, secondsTraining, before, after, refused
    }

    /// Creates a card.
    package init(
        created: Date, model: String, base: String, baseDirectory: String, stores: [String], documents: (training: Int, heldOut: Int),
        fields: [String: Int], digits: (training: Int, heldOut: Int), skipped: [String: Int], baseLines: Int, trainingLines: Int,
        iterations: Int, learningRate: Double, seconds: (total: Double, training: Double), before: HeldOutScore, after: HeldOutScore,
        refused: String?
    ) {
        (self.created, self.model, self.base, self.baseDirectory, self.stores) = (created, model, base, baseDirectory, stores)
        (self.documents, self.fields, self.digits, self.skipped) = (documents, fields, digits, skipped)
        (self.baseLines, self.trainingLines, self.iterations, self.learningRate) = (baseLines, trainingLines, iterations, learningRate)
        (self.seconds, self.before, self.after, self.refused) = (seconds, before, after, refused)
    }

    /// Decodes a card.
    package init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        created = try c.decode(Date.self, forKey: .created)
        model = try c.decode(String.self, forKey: .model)
        base = try c.decode(String.self, forKey: .base)
        baseDirectory = try c.decode(String.self, forKey: .baseDirectory)
        stores = try c.decode([String].self, forKey: .stores)
        documents = (try c.decode(Int.self, forKey: .documentsTraining), try c.decode(Int.self, forKey: .documentsHeldOut))
        fields = try c.decode([String: Int].self, forKey: .fields)
        digits = (try c.decode(Int.self, forKey: .digitsTraining), try c.decode(Int.self, forKey: .digitsHeldOut))
        skipped = try c.decode([String: Int].self, forKey: .skipped)
        baseLines = try c.decode(Int.self, forKey: .baseLines)
        trainingLines = try c.decode(Int.self, forKey: .trainingLines)
        iterations = try c.decode(Int.self, forKey: .iterations)
        learningRate = try c.decode(Double.self, forKey: .learningRate)
        seconds = (try c.decode(Double.self, forKey: .secondsTotal), try c.decode(Double.self, forKey: .secondsTraining))
        before = try c.decode(HeldOutScore.self, forKey: .before)
        after = try c.decode(HeldOutScore.self, forKey: .after)
        refused = try c.decodeIfPresent(String.self, forKey: .refused)
    }

    /// Encodes a card.
    package func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(created, forKey: .created)
        try c.encode(model, forKey: .model)
        try c.encode(base, forKey: .base)
        try c.encode(baseDirectory, forKey: .baseDirectory)
        try c.encode(stores, forKey: .stores)
        try c.encode(documents.training, forKey: .documentsTraining)
        try c.encode(documents.heldOut, forKey: .documentsHeldOut)
        try c.encode(fields, forKey: .fields)
        try c.encode(digits.training, forKey: .digitsTraining)
        try c.encode(digits.heldOut, forKey: .digitsHeldOut)
        try c.encode(skipped, forKey: .skipped)
        try c.encode(baseLines, forKey: .baseLines)
        try c.encode(trainingLines, forKey: .trainingLines)
        try c.encode(iterations, forKey: .iterations)
        try c.encode(learningRate, forKey: .learningRate)
        try c.encode(seconds.total, forKey: .secondsTotal)
        try c.encode(seconds.training, forKey: .secondsTraining)
        try c.encode(before, forKey: .before)
        try c.encode(after, forKey: .after)
        try c.encodeIfPresent(refused, forKey: .refused)
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
