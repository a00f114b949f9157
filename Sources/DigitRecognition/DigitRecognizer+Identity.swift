import Crypto
import Foundation

extension DigitRecognizer {
    /// `NAME@` and the first 12 hex digits of the model file's SHA-256 (`digits@53cdecac8b61`):
    /// which model read a page or a field, so figures can be split by model and re-reads traced.
    package static func identity(directory: String, model: String) -> String {
        guard let data = FileManager.default.contents(atPath: directory + "/" + model + ".traineddata") else { return model }
        return model + "@" + SHA256.hash(data: data).prefix(6).map { String(format: "%02x", $0) }.joined()
    }
}
