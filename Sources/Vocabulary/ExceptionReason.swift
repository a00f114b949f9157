/// Why a file or a page did not become field readings. The one list of reasons: ingest records
/// them, `pindai exceptions --reasons` prints them with what each means and what to do, the
/// metrics export one label value per case, and the README's table is this enum's text (a test
/// keeps the two equal). Stored as the raw value.
package enum ExceptionReason: String, CaseIterable, Sendable, Hashable, Codable {
    case missingFile = "missing-file"
    case unreadable
    case unsupportedFormat = "unsupported-format"
    case undecodable
    case truncated
    case encrypted
    case oversized
    case duplicateFile = "duplicate-file"
    case blankPage = "blank-page"
    case inkOnBack = "ink-on-back"
    case unknownForm = "unknown-form"
    case noIdentityCode = "no-identity-code"
    case badResolution = "bad-resolution"
    case unregistrable
    case duplicatePage = "duplicate-page"

    /// What happened, in a sentence.
    package var explanation: String {
        switch self {
        case .missingFile: "a path given to ingest does not exist"
        case .unreadable: "the file exists but cannot be opened (permissions, a device error)"
        case .unsupportedFormat: "the file is not a TIFF, PDF, PNG or JPEG scan"
        case .undecodable: "the file is named or starts like a scan but its content cannot be decoded (corrupt, or random bytes)"
        case .truncated: "the file stops before its end (an interrupted copy); the pages before the cut are read"
        case .encrypted: "a PDF that needs a password to open"
        case .oversized: "the headers declare more pixels than twice the largest form at 600 dpi (a decompression bomb); not decoded"
        case .duplicateFile: "the same content (SHA-256) as a file already read; not read again"
        case .blankPage: "no identity code and almost no ink: an empty sheet, a separator, or a back scanned without --duplex"
        case .inkOnBack: "the back of a sheet in a duplex scan carries writing"
        case .unknownForm: "the identity code names a form or version that no loaded template describes, or is not a pindai code"
        case .noIdentityCode: "the page has content but no readable identity code"
        case .badResolution: "the page's resolution, measured on its code, is outside what pindai reads (120–700 dpi)"
        case .unregistrable: "the corner marks cannot be found or disagree, so the boxes cannot be located"
        case .duplicatePage: "the same page of the same document was already read from another file"
        }
    }

    /// What an operator should do about it.
    package var remedy: String {
        switch self {
        case .missingFile: "check the path"
        case .unreadable: "check the file's permissions and the disk, then ingest it again"
        case .unsupportedFormat: "scan to TIFF, PDF, PNG or JPEG"
        case .undecodable: "recopy the file from the scanning station, or rescan"
        case .truncated: "recopy the file or rescan the pages after the cut"
        case .encrypted: "export it again without a password, or decrypt it (qpdf --decrypt)"
        case .oversized: "rescan at 600 dpi or less"
        case .duplicateFile: "nothing, unless the first copy was wrong"
        case .blankPage: "nothing for a separator or an empty back; otherwise find the sheet and rescan it"
        case .inkOnBack: "look at the back and key what the enumerator noted"
        case .unknownForm: "add the form's template with --template, or take out the foreign sheet"
        case .noIdentityCode: "rescan the page; if its code is damaged, key its serial"
        case .badResolution: "rescan at 300 dpi"
        case .unregistrable: "rescan the page straight and whole (all four corner squares visible)"
        case .duplicatePage: "nothing, unless the first copy was wrong; then rescan that one"
        }
    }

    /// The reasons as a Markdown table (for the README).
    package static var markdownTable: String {
        (["| reason | what happened | what to do |", "| --- | --- | --- |"]
            + allCases.map { "| `\($0.rawValue)` | \($0.explanation) | \($0.remedy) |" }).joined(separator: "\n")
    }
}
