import Foundation
import Testing

/// Exact-text snapshots of what users see (help, screens): compared after `mask`, which hides
/// what depends on the machine, the user or the model; a missing snapshot is recorded and the
/// test fails once, so that a person reads it before it is trusted.
package struct Snapshot: Sendable {
    /// The folder of snapshot files.
    package let folder: String
    /// Hides the parts that legitimately vary.
    package let mask: @Sendable (String) -> String

    /// Snapshots in the `Snapshots` folder beside the test file.
    package init(beside file: String = #filePath, mask: @escaping @Sendable (String) -> String = { $0 }) {
        folder = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Snapshots").path
        self.mask = mask
    }

    /// Expects `text` to equal the snapshot `name` (a file `name.txt`), or records it.
    package func expect(_ text: String, equals name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = folder + "/" + name + ".txt"
        let shown = mask(text)
        guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try shown.write(toFile: path, atomically: true, encoding: .utf8)
            Issue.record("recorded a new snapshot \(path); check it and run again", sourceLocation: sourceLocation)
            return
        }
        if shown != mask(expected) {
            // The text as it is now, to compare with `diff` (the issue's own message may not
            // print a screen full of block characters legibly).
            let actual = NSTemporaryDirectory() + "pindai-snapshot-" + name + ".txt"
            try? shown.write(toFile: actual, atomically: true, encoding: .utf8)
            Issue.record("\(name) differs from its snapshot: diff \(path) \(actual)", sourceLocation: sourceLocation)
        }
    }
}
