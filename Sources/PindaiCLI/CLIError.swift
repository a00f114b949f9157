import ArgumentParser

/// An error whose text is already what the user should read; printed as is, exit status 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
