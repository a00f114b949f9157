/// The confidences the pipeline decides by, named once: the reader accepts a field at or above
/// them, and the verifier's screen highlights the boxes below them, so both speak of the same
/// doubt.
package enum ConfidenceThresholds {
    /// A handwritten digit is accepted from this calibrated probability of being right.
    package static let digit = 0.97
    /// A tick box's mark decision is accepted from this confidence.
    package static let mark = 0.5
    /// A digit box with less ink than this share of its interior is empty.
    package static let emptyDigitInk = 0.02
    /// A text area with less ink than this share of its interior (1 mm inside the frame) was
    /// left empty: nobody is asked to key it. A written name covers several per cent.
    package static let emptyTextInk = 0.005
}
