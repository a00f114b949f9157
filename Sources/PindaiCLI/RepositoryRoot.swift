import Foundation

/// Finds the pindai checkout (which holds `data/` and `models/`) from the executable's location,
/// the working directory, or `PINDAI_ROOT`, so commands work from any folder.
enum RepositoryRoot {
    static func locate() -> String {
        if let env = ProcessInfo.processInfo.environment["PINDAI_ROOT"] { return env }
        var candidates = [FileManager.default.currentDirectoryPath]
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(exe.deletingLastPathComponent().path)
        for start in candidates {
            var url = URL(fileURLWithPath: start)
            for _ in 0..<8 {
                if FileManager.default.fileExists(atPath: url.appendingPathComponent("data/handwritten-digits").path) {
                    return url.path
                }
                url.deleteLastPathComponent()
            }
        }
        return FileManager.default.currentDirectoryPath
    }
}
