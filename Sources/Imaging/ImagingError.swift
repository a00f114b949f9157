/// An image that could not be read or written, with the file and page concerned.
package struct ImagingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Why it failed, as a category; ingest records each as an exception reason.
    package enum Reason: Sendable, Hashable {
        /// Not a format pindai reads (TIFF, PNG, JPEG, PDF).
        case unsupportedFormat
        /// The file claims to be an image but cannot be decoded (corrupt or truncated).
        case undecodable
        /// The file cannot be opened.
        case unreadable
        /// A PDF that needs a password.
        case encrypted
        /// A file cut short (an interrupted copy): what is left cannot be read.
        case truncated
        /// Writing failed.
        case writeFailed
    }

    /// The category.
    package var reason: Reason
    /// The file.
    package var path: String
    /// 1-based page, when the problem is one page of a multi-page file.
    package var page: Int?
    /// Details for the user, including what to do.
    package var detail: String

    /// Creates an error.
    package init(reason: Reason, path: String, page: Int? = nil, detail: String) {
        self.reason = reason
        self.path = path
        self.page = page
        self.detail = detail
    }

    /// `scans/a.tif page 3: cannot decode the image data (…)`.
    package var description: String {
        "\(path)\(page.map { " page \($0)" } ?? ""): \(detail)"
    }
}
