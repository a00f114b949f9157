import Geometry

/// A questionnaire described so exactly that the same value prints the blank form, tells the
/// reader where every box is, and drives synthetic filled scans.
///
/// Load one with ``TemplateLoader``; everything in it has been validated.
package struct FormTemplate: Sendable {
    /// Form identifier printed and encoded on every page, e.g. `RSK-K4`.
    package var id: String
    /// Form version; a reader refuses pages whose version it has no template for.
    package var version: Int
    /// Human title printed in the page header.
    package var title: String
    /// Paper size in millimetres.
    package var paper: PaperSize
    /// The correction rule printed on every page (e.g. "to cancel a mark, fill the box completely").
    package var correctionRule: String
    /// Pages in order, numbered from 1.
    package var pages: [TemplatePage]
    /// Form-level cross-field rules.
    package var rules: [CrossFieldRule]
    /// Where the template came from.
    package var source: String
    /// The colour the form's boxes and text are printed in when it is a dropout ink (colour
    /// scans then read the channel where it vanishes); nil for forms printed in black.
    package var dropoutColour: PrintColour?
    /// How the form's area fields compose a code of the area reference list, when it has one.
    package var areaCode: AreaCode?
    /// What one record is: its name, linking fields, sets, members and record rules.
    package var record: RecordLayout = .default

    /// Creates a template; prefer ``TemplateLoader``, which validates.
    package init(
        id: String, version: Int, title: String, paper: PaperSize, correctionRule: String,
        pages: [TemplatePage], rules: [CrossFieldRule], source: String
    ) {
        self.id = id
        self.version = version
        self.title = title
        self.paper = paper
        self.correctionRule = correctionRule
        self.pages = pages
        self.rules = rules
        self.source = source
    }

    /// Every field of every page, in page and declaration order.
    package var fields: [Field] { pages.flatMap(\.fields) }

    /// The field with `id`, if any.
    package func field(_ id: String) -> Field? {
        for page in pages {
            if let f = page.fields.first(where: { $0.id == id }) { return f }
        }
        return nil
    }

    /// The page numbered `number` (1-based).
    package func page(_ number: Int) -> TemplatePage? {
        pages.first { $0.number == number }
    }
}

/// The fields whose digits, in order, make an area code (province, regency, district, village,
/// SLS for RSK-K4's 101–105): each prefix ending with a field is a level of the area list that
/// `pindai reference load` fills; `names` maps a text field to the level it names (106 names the
/// SLS of 105).
package struct AreaCode: Sendable, Hashable {
    /// The code's fields, outermost first.
    package var fields: [String]
    /// Text field id → the code field whose level it names.
    package var names: [String: String]

    /// Creates the composition.
    package init(fields: [String], names: [String: String]) {
        self.fields = fields
        self.names = names
    }

    /// The code of each level that `values` fill, outermost first: `[(101, "64"), (102, "6472"), …]`;
    /// stops at the first empty field.
    package func levels(_ values: [String: String]) -> [(field: String, code: String)] {
        var code = ""
        var out: [(String, String)] = []
        for f in fields {
            guard let v = values[f], !v.isEmpty else { break }
            code += v
            out.append((f, code))
        }
        return out
    }
}

/// An sRGB printing colour, written `#RRGGBB` in templates.
package struct PrintColour: Hashable, Sendable {
    /// Red, green and blue, 0–255.
    package var red, green, blue: UInt8

    /// Parses `#RRGGBB`.
    package init?(hex: String) {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.count == 6, let v = UInt32(digits, radix: 16) else { return nil }
        red = UInt8(v >> 16 & 0xFF)
        green = UInt8(v >> 8 & 0xFF)
        blue = UInt8(v & 0xFF)
    }
}

/// Paper dimensions in millimetres.
package struct PaperSize: Hashable, Sendable {
    /// Width in millimetres.
    package var width: Double
    /// Height in millimetres.
    package var height: Double

    /// Creates a paper size.
    package init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// ISO A4 portrait, the default.
    package static let a4 = PaperSize(width: 210, height: 297)

    /// The whole sheet as a rectangle.
    package var rect: Rect { Rect(x: 0, y: 0, width: width, height: height) }
}
