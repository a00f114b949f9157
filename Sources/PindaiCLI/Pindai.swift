import ArgumentParser

/// The `pindai` command: scanned questionnaires in, verified records out.
package struct Pindai: AsyncParsableCommand {
    /// Command configuration and the list of subcommands.
    package static let configuration = CommandConfiguration(
        commandName: "pindai",
        abstract: "Turn scanned paper questionnaires into clean, verified records.",
        discussion: """
            Start with a form template (form-templates/rsk-k4.yaml):
              pindai template check form-templates/rsk-k4.yaml
              pindai template render form-templates/rsk-k4.yaml --out out/blank
              pindai synth --template form-templates/rsk-k4.yaml --count 5 --seed 1 --out out/scans
            """,
        subcommands: [TemplateCommand.self, SynthCommand.self, IngestCommand.self, ExceptionsCommand.self, ExportCommand.self, EvalCommand.self, BenchCommand.self, ReadCommand.self, CalibrateCommand.self, VerifyCommand.self, LearnCommand.self, ModelCommand.self, RereadCommand.self, AuditCommand.self, LostCommand.self, BatchCommand.self, ReferenceCommand.self, StatusCommand.self, ServeCommand.self, StoreCommand.self]
    )

    /// Creates the command (argument-parser requirement).
    package init() {}
}
