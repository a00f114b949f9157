/// Splits labelled lines by document into training and held-out parts, so no held-out
/// document lends a digit to training: the same form page's other fields share its writer.
package struct DocumentSplit: Sendable {
    /// Share of documents held out.
    package var heldOutShare: Double

    /// Creates a split.
    package init(heldOutShare: Double = 0.25) {
        self.heldOutShare = heldOutShare
    }

    /// The held-out documents: the `heldOutShare` of them (at least one when there are two or
    /// more) with the lowest hash of their key, so the split is the same on every run and does
    /// not depend on the order the stores return them in.
    package func heldOut(_ documents: Set<String>) -> Set<String> {
        guard documents.count >= 2 else { return [] }
        let n = max(1, Int((Double(documents.count) * heldOutShare).rounded()))
        return Set(documents.sorted { (Self.hash($0), $0) < (Self.hash($1), $1) }.prefix(n))
    }

    /// Training and held-out lines.
    package func split(_ lines: [LabelledLine]) -> (training: [LabelledLine], heldOut: [LabelledLine]) {
        let held = heldOut(Set(lines.map(\.document)))
        return (lines.filter { !held.contains($0.document) }, lines.filter { held.contains($0.document) })
    }

    /// FNV-1a, 64 bits: stable across runs and machines (Swift's `hashValue` is seeded per process).
    static func hash(_ key: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }
}
