/// A PDF that cannot be read, or one of its pages that cannot: typed so that ingest can turn
/// each case into an exception with its own reason.
package struct PDFError: Error, Hashable, Sendable {
    /// What went wrong.
    package enum Code: String, Hashable, Sendable {
        /// The file cannot be opened.
        case unreadable
        /// The document needs a password to open.
        case encrypted
        /// The file stops before its end (no `%%EOF`) and poppler cannot rebuild it.
        case truncated
        /// The bytes are not a PDF poppler can make sense of, or a page cannot be drawn.
        case undecodable
    }

    /// The category.
    package var code: Code
    /// 1-based page, when one page failed.
    package var page: Int?
    /// What the library said, for the user's message.
    package var detail: String

    /// Creates an error.
    package init(code: Code, page: Int? = nil, detail: String) {
        self.code = code
        self.page = page
        self.detail = detail
    }
}
