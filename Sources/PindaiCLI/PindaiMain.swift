import ArgumentParser
import Foundation

/// Entry point shared by the executable and the tests: runs a command line and reports errors the
/// way users should see them (our own messages verbatim, usage errors by argument-parser).
package enum PindaiMain {
    /// Runs `pindai` with `arguments` (defaults to the process's), exiting on failure.
    package static func run(_ arguments: [String]? = nil) async {
        do {
            var command = try Pindai.parseAsRoot(arguments)
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            exit(1)
        } catch {
            Pindai.exit(withError: error)
        }
    }
}
