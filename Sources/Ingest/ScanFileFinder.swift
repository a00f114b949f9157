import Foundation

/// Expands the paths given to `ingest` into scan files: folders recursively, in a stable order.
/// Hidden files and synth's `*.truth.json` sidecars are skipped; anything else is a candidate,
/// so a stray non-image file becomes an exception instead of disappearing.
enum ScanFileFinder {
    static func files(in paths: [String]) -> (files: [String], missing: [String]) {
        var out: [String] = []
        var missing: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                missing.append(path)
                continue
            }
            if !isDirectory.boolValue {
                out.append(path)
                continue
            }
            guard let e = fm.enumerator(atPath: path) else { continue }
            var found: [String] = []
            for case let relative as String in e {
                let name = (relative as NSString).lastPathComponent
                if name.hasPrefix(".") || name.hasSuffix(".truth.json") { continue }
                let full = (path as NSString).appendingPathComponent(relative)
                var dir: ObjCBool = false
                if fm.fileExists(atPath: full, isDirectory: &dir), !dir.boolValue { found.append(full) }
            }
            out.append(contentsOf: found.sorted())
        }
        return (out, missing)
    }
}
