/// A scanner's 1-bit PDF page as the CCITT G4 data the PDF holds, taken out without decoding
/// it: the reader then decodes it as it decodes a G4 TIFF page (libtiff, a few milliseconds),
/// where poppler draws it onto a colour surface first (about 100 ms a page), and the store
/// keeps the page as scanned.
package struct FaxImage: Sendable, Hashable {
    /// The page's image data (ITU-T T.6), as a TIFF strip holds it.
    package var data: [UInt8]
    /// Pixels across.
    package var width: Int
    /// Pixels down.
    package var height: Int
    /// Whether the data's black runs are drawn white (`/BlackIs1 true`, or a `/Decode [1 0]`
    /// array, but not both).
    package var inverted: Bool
    /// Pixels per inch, as the page draws the image.
    package var dpi: Double
}
