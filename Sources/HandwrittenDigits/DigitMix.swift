/// Which handwriting a synthetic batch is written in: parts of several sources, with weights.
///
/// Each document is written by one hand (an enumerator fills the whole questionnaire): a source
/// drawn by weight and, where the source has writer ids, one of its writers. Written as
/// `--digits` takes it: `test` (every known source's test part, equal weights), `validation`,
/// or a comma-separated list of `NAME[@PART][:WEIGHT]` and `PREFIX[:WEIGHT]` items, for example
/// `cvl@test:0.5,mnist@test:0.5` or `/data/other-writers:1`.
package struct DigitMix: Sendable {
    /// One ingredient.
    package struct Entry: Sendable {
        /// The source.
        package var source: DigitSource
        /// Which of its digits.
        package var part: DigitSource.Part
        /// Relative weight.
        package var weight: Double
        /// Indices of the part, by digit value.
        fileprivate var pool: [[Int]]
        /// Writers of the part (empty where the source has no writer ids).
        fileprivate var writers: [String]

        /// Creates an entry; `part` must hold every digit value at least once.
        package init(source: DigitSource, part: DigitSource.Part, weight: Double = 1) throws(DigitSetError) {
            self.source = source
            self.part = part
            self.weight = weight
            var pool = [[Int]](repeating: [], count: 10)
            for i in source.indices(part) { pool[Int(source.set.labels[i])].append(i) }
            guard pool.allSatisfy({ !$0.isEmpty }) else {
                throw DigitSetError(path: source.name, message: "its \(part.rawValue) part lacks some digit values 0-9")
            }
            self.pool = pool
            self.writers = source.writerIDs(part)
        }

        /// `name@part` as reports show it.
        package var label: String { part == .all ? source.name : "\(source.name)@\(part.rawValue)" }
    }

    /// The ingredients.
    package var entries: [Entry]

    /// A mix of the given entries.
    package init(_ entries: [Entry]) {
        self.entries = entries
    }

    /// One source's part alone.
    package init(source: DigitSource, part: DigitSource.Part) throws(DigitSetError) {
        self.init([try Entry(source: source, part: part)])
    }

    /// Parses `--digits` (see the type's documentation); names resolve under `root`.
    package static func parse(_ spec: String, root: String) throws(DigitSetError) -> DigitMix {
        let trimmed = spec.trimmingCharacters(in: .whitespaces)
        if let part = DigitSource.Part(rawValue: trimmed), part == .test || part == .validation || part == .train {
            return DigitMix(try DigitSource.knownNames.map { name throws(DigitSetError) in
                try Entry(source: try DigitSource.named(name, root: root), part: part)
            })
        }
        var entries: [Entry] = []
        for item in trimmed.split(separator: ",").map({ String($0).trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            var body = item
            var weight = 1.0
            if let colon = item.lastIndex(of: ":"), let w = Double(item[item.index(after: colon)...]) {
                guard w > 0 else { throw DigitSetError(path: item, message: "a weight must be above 0") }
                weight = w
                body = String(item[..<colon])
            }
            var name = body
            var part = DigitSource.Part.all
            if let at = body.lastIndex(of: "@") {
                let partName = String(body[body.index(after: at)...])
                guard let p = DigitSource.Part(rawValue: partName) else {
                    throw DigitSetError(
                        path: item, message: "unknown part '\(partName)' (one of \(DigitSource.Part.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                part = p
                name = String(body[..<at])
            }
            if DigitSource.knownNames.contains(name) {
                entries.append(try Entry(source: try DigitSource.named(name, root: root), part: part == .all ? .test : part, weight: weight))
            } else {
                guard part == .all else {
                    throw DigitSetError(path: item, message: "@\(part.rawValue) applies to the known sources only (\(DigitSource.knownNames.joined(separator: ", ")))")
                }
                entries.append(try Entry(source: try DigitSource(prefix: name), part: .all, weight: weight))
            }
        }
        guard !entries.isEmpty else { throw DigitSetError(path: spec, message: "no digit source given") }
        return DigitMix(entries)
    }

    /// Draws the hand that writes one document.
    package func hand(using rng: inout some RandomNumberGenerator) -> DigitHand {
        let total = entries.map(\.weight).reduce(0, +)
        var x = Double.random(in: 0..<total, using: &rng)
        var chosen = entries[entries.count - 1]
        for e in entries {
            if x < e.weight {
                chosen = e
                break
            }
            x -= e.weight
        }
        guard let writers = chosen.source.writers, !chosen.writers.isEmpty,
            let writer = chosen.writers.randomElement(using: &rng)
        else {
            return DigitHand(source: chosen.label, population: chosen.source.population, writer: nil, set: chosen.source.set, pool: chosen.pool)
        }
        // The writer's own digits; a digit value the writer never gave comes from the part.
        var own = [[Int]](repeating: [], count: 10)
        for d in 0..<10 {
            own[d] = chosen.pool[d].filter { writers[$0] == writer }
            if own[d].isEmpty { own[d] = chosen.pool[d] }
        }
        return DigitHand(source: chosen.label, population: chosen.source.population, writer: writer, set: chosen.source.set, pool: own)
    }
}

/// The handwriting of one document: whose digits, and which samples may be drawn.
package struct DigitHand: Sendable {
    /// `name@part` of the source.
    package var source: String
    /// The writer population.
    package var population: String
    /// The writer's id, where the source has writer ids.
    package var writer: String?
    /// The digit images.
    package var set: DigitSet
    /// Sample indices by digit value.
    package var pool: [[Int]]
}
