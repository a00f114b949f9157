import HandwrittenDigits

/// The ground truth of one synthetic document: what was written, how, and where each scanned
/// page ended up. `pindai eval` compares the store with these files.
package struct DocumentTruth: Codable, Sendable, Hashable {
    /// Form id.
    package var form: String
    /// Form version.
    package var version: Int
    /// Document serial (in every page's QR code).
    package var serial: Int
    /// The seed of the run that made it.
    package var seed: UInt64
    /// Scanned pages in file order, including inserted blank pages.
    package var pages: [PageTruth]
    /// Every field with a value or a mark, by field id; fields absent here were left blank.
    package var fields: [String: FieldTruth]

    /// Creates a truth record.
    package init(form: String, version: Int, serial: Int, seed: UInt64, pages: [PageTruth], fields: [String: FieldTruth]) {
        self.form = form
        self.version = version
        self.serial = serial
        self.seed = seed
        self.pages = pages
        self.fields = fields
    }
}

/// One scanned page image.
package struct PageTruth: Codable, Sendable, Hashable {
    /// File name (relative to the truth file's folder).
    package var file: String
    /// 0-based page index within the file.
    package var index: Int
    /// Template page number, or `nil` for a blank sheet fed by mistake.
    package var page: Int?
    /// Whether the sheet was fed upside down.
    package var upsideDown: Bool
    /// Rotation applied by the scanner model, degrees.
    package var rotationDegrees: Double
    /// Scale applied by the scanner model.
    package var scale: Double
    /// Shift applied by the scanner model, mm.
    package var shiftMillimetres: [Double]
    /// Amplitude of the uneven-feed vertical stretch, mm.
    package var feedWobbleMillimetres: Double?
    /// For the back of a sheet in a duplex scan: whether it is blank or was written on.
    package var back: BackTruth?

    /// What the back of a sheet holds.
    package enum BackTruth: String, Codable, Sendable, Hashable {
        case blank, inked
    }

    /// Creates a page record.
    package init(
        file: String, index: Int, page: Int?, upsideDown: Bool, rotationDegrees: Double, scale: Double, shiftMillimetres: [Double],
        feedWobbleMillimetres: Double? = nil, back: BackTruth? = nil
    ) {
        self.feedWobbleMillimetres = feedWobbleMillimetres
        self.back = back
        self.file = file
        self.index = index
        self.page = page
        self.upsideDown = upsideDown
        self.rotationDegrees = rotationDegrees
        self.scale = scale
        self.shiftMillimetres = shiftMillimetres
    }
}

/// The true value of one field and how it was written.
package struct FieldTruth: Codable, Sendable, Hashable {
    /// `digits`, `checkbox`, `choice` or `text`.
    package var kind: String
    /// Digit string (leading zeros kept) for digit fields; the text for text fields.
    package var text: String?
    /// The numeric value: a single choice's code, an additive choice's sum, a checkbox's 1/0.
    package var value: Int?
    /// Codes of the options that count as marked (after cancellations).
    package var marked: [Int]?
    /// The digits as written, one per filled box.
    package var digits: [DigitWriting]?
    /// Every mark drawn on the field's boxes, including ones that do not count.
    package var marks: [OptionMark]?
    /// Whose handwriting filled a digit field (absent in truth files from before writer mixes).
    package var hand: HandTruth?

    /// Creates a field record.
    package init(kind: String, text: String? = nil, value: Int? = nil, marked: [Int]? = nil, digits: [DigitWriting]? = nil, marks: [OptionMark]? = nil) {
        self.kind = kind
        self.text = text
        self.value = value
        self.marked = marked
        self.digits = digits
        self.marks = marks
    }
}

/// Whose digits filled a field: the source and its part, the writer population and, where the
/// source has writer ids, the writer. `pindai eval` breaks every figure down by population.
package struct HandTruth: Codable, Sendable, Hashable {
    /// `name@part` of the digit source (for example `cvl@test`).
    package var source: String
    /// The writer population.
    package var population: String
    /// The writer's id in the source, where it has ids.
    package var writer: String?

    /// Creates a record of a document's hand.
    package init(source: String, population: String, writer: String? = nil) {
        self.source = source
        self.population = population
        self.writer = writer
    }

    init(_ hand: DigitHand) {
        self.init(source: hand.source, population: hand.population, writer: hand.writer)
    }
}

/// How one handwritten digit was placed in its box.
package struct DigitWriting: Codable, Sendable, Hashable {
    /// The digit.
    package var digit: Int
    /// Index of the handwriting sample in the digit set.
    package var sample: Int
    /// Height of the written digit, mm.
    package var heightMillimetres: Double
    /// Rotation, degrees.
    package var rotationDegrees: Double
    /// Slant (x shift per unit of height).
    package var shear: Double
    /// Pencil darkness, 0 = black.
    package var grey: Int
    /// Offset from the box centre, mm.
    package var offsetX: Double
    /// Offset from the box centre, mm.
    package var offsetY: Double
}

/// A mark drawn on one option box.
package struct OptionMark: Codable, Sendable, Hashable {
    /// The option's code (1 for a lone checkbox).
    package var code: Int
    /// How it was marked.
    package var style: MarkStyle
}

/// How a field was written, as recorded by the filler.
enum FieldWriting {
    case digits([DigitWriting])
    case marks([OptionMark])
    case handwriting
}
