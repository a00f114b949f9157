import Foundation
import Geometry
import Yams

/// Loads and validates a template file. Every problem is collected and reported at once, each
/// with file, line, field and a fix, the way a compiler reports errors.
package enum TemplateLoader {
    /// Loads the template at `path`.
    package static func load(contentsOf path: String) throws(TemplateError) -> FormTemplate {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw TemplateError(issues: [
                TemplateIssue(
                    location: SourceLocation(file: path, line: 0, column: 0),
                    message: "cannot read the template file",
                    hint: "check that the path exists and is a readable UTF-8 text file")
            ])
        }
        return try load(yaml: text, source: path)
    }

    /// Loads a template from YAML text; `source` names it in messages.
    package static func load(yaml: String, source: String) throws(TemplateError) -> FormTemplate {
        let reader = YAMLNodeReader(file: source)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw TemplateError(issues: [
                    TemplateIssue(
                        location: SourceLocation(file: source, line: 1, column: 1), message: "the template is empty",
                        hint: "start with 'form:', 'version:' and 'pages:'")
                ])
            }
            root = node
        } catch let error as TemplateError {
            throw error
        } catch {
            throw TemplateError(issues: [Self.syntaxIssue(error, source: source)])
        }
        let builder = TemplateBuilder(reader: reader)
        let template = builder.build(root)
        let issues = reader.issues.sorted {
            ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column)
        }
        guard issues.isEmpty, let template else {
            throw TemplateError(issues: issues)
        }
        return template
    }

    private static func syntaxIssue(_ error: Error, source: String) -> TemplateIssue {
        if let yaml = error as? YamlError {
            switch yaml {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
                let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
                return TemplateIssue(
                    location: SourceLocation(file: source, line: mark.line, column: mark.column),
                    message: "YAML syntax: \(what)", hint: "check indentation and quoting on this line")
            default:
                break
            }
        }
        return TemplateIssue(
            location: SourceLocation(file: source, line: 0, column: 0), message: "YAML syntax: \(error)")
    }
}
