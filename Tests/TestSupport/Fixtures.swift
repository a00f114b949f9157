import Foundation
import FormTemplate

/// Paths and helpers shared by the test targets.
public enum Fixtures {
    /// The package root (this file lives in Tests/TestSupport/).
    public static let repositoryRoot: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }()

    /// The bundled Regsosek template's path.
    public static let rskK4Path = repositoryRoot + "/form-templates/rsk-k4.yaml"

    /// The bundled Regsosek template, loaded once.
    public static let rskK4: FormTemplate = {
        do {
            return try TemplateLoader.load(contentsOf: rskK4Path)
        } catch {
            fatalError("the bundled template must load: \(error)")
        }
    }()

    /// A fresh empty temporary folder.
    public static func temporaryDirectory(_ name: String = #function) -> String {
        let clean = name.filter { $0.isLetter || $0.isNumber }
        let path = NSTemporaryDirectory() + "pindai-tests/\(clean)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The `pindai` executable built next to the test bundle.
    public static var pindaiExecutable: String {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("pindai").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        return repositoryRoot + "/.build/debug/pindai"
    }

    /// Runs `pindai` with `arguments`; returns exit status and the combined output.
    public static func runPindai(_ arguments: [String], in directory: String? = nil) throws -> (status: Int32, output: String) {
        try run(pindaiExecutable, arguments, in: directory)
    }

    /// Runs a program; returns exit status and the combined output. With `detachedOutput` the
    /// output is discarded (for programs that leave a daemon holding the pipe, like tmux).
    public static func run(
        _ executable: String, _ arguments: [String], in directory: String? = nil, detachedOutput: Bool = false
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory ?? repositoryRoot)
        if detachedOutput {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return (process.terminationStatus, "")
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
