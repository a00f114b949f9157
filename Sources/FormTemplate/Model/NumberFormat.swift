/// Structured numbers whose digits carry meaning, so a misread digit often breaks the
/// structure and can be caught without a person (or sent to one when it does not fit).
package enum NumberFormat: String, Sendable, CaseIterable {
    /// Indonesian NIK: region PP KK CC, birth DD (+40 for women) MM YY, serial ≠ 0000.
    case nik
    /// Family card number (KK): region PP KK CC, record date DD MM YY, serial ≠ 0000.
    case kk

    /// The number of digits the format has.
    package var length: Int { 16 }

    /// Province codes in use (BPS = Kemendagri at this level).
    package static let provinces: Set<Int> = [
        11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76,
        81, 82, 91, 92, 93, 94, 95, 96, 97,
    ]

    /// What is wrong with `digits` for this format, or `nil` when it fits.
    package func problem(in digits: String) -> String? {
        let d = Array(digits)
        guard d.count == length, d.allSatisfy(\.isNumber) else { return "a \(rawValue.uppercased()) has \(length) digits" }
        func number(_ from: Int, _ count: Int) -> Int { Int(String(d[from..<(from + count)]))! }
        let name = rawValue.uppercased()
        if !Self.provinces.contains(number(0, 2)) { return "\(name) starts with \(number(0, 2)), not a province code" }
        var day = number(6, 2)
        let month = number(8, 2)
        if self == .nik, day > 40 { day -= 40 }
        if !(1...12).contains(month) { return "\(name) month \(String(d[8...9])) is not 01–12" }
        let daysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        if !(1...daysInMonth).contains(day) {
            return "\(name) day \(String(d[6...7])) is not a date" + (self == .nik ? " (01–31, or 41–71 for women)" : "")
        }
        if number(12, 4) == 0 { return "\(name) serial 0000 is never issued" }
        return nil
    }
}
