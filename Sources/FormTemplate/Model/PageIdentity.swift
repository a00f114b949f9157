/// What a page's QR code says: which form, version and page it is, and which printed document
/// (serial) it belongs to. Readers identify pages by this, never by layout matching.
package struct PageIdentity: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Form id, e.g. `RSK-K4`.
    package var form: String
    /// Form version.
    package var version: Int
    /// Page number, from 1.
    package var page: Int
    /// Document serial, unique per printed questionnaire set.
    package var serial: Int

    /// Creates an identity.
    package init(form: String, version: Int, page: Int, serial: Int) {
        self.form = form
        self.version = version
        self.page = page
        self.serial = serial
    }

    /// Digits of a printed serial.
    package static let serialDigits = 10

    /// The text encoded in the QR code: `PINDAI1|RSK-K4|1|2|0000000017`.
    package var payload: String {
        "PINDAI1|\(form)|\(version)|\(page)|\(formattedSerial)"
    }

    /// The serial with leading zeros, as printed.
    package var formattedSerial: String {
        let digits = String(serial)
        return String(repeating: "0", count: max(0, Self.serialDigits - digits.count)) + digits
    }

    /// Parses a QR payload; `nil` for anything that is not a pindai page code.
    package init?(payload: String) {
        let parts = payload.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[0] == "PINDAI1", !parts[1].isEmpty,
            let version = Int(parts[2]), let page = Int(parts[3]), page >= 1,
            parts[4].count == Self.serialDigits, parts[4].allSatisfy(\.isASCII), let serial = Int(parts[4])
        else { return nil }
        self.init(form: parts[1], version: version, page: page, serial: serial)
    }

    /// The human-readable line printed under the code.
    package func printedLine(pageCount: Int) -> String {
        "\(form) v\(version)   Hal. \(page)/\(pageCount)   No. \(formattedSerial)"
    }

    /// `RSK-K4 v1 page 2 serial 0000000017`.
    package var description: String {
        "\(form) v\(version) page \(page) serial \(formattedSerial)"
    }
}
