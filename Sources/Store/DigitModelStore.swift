import Vocabulary

/// What a store keeps for learning from its verifiers: the digit fields people decided, the
/// model every reading came from, the store's default model, and re-readings of what is still
/// queued.
package protocol DigitModelStore: Sendable {
    /// Digit fields with a value people vouched for: every `verified` one and, with
    /// `includeAccepted`, those auto-accepted in documents promoted to the core store. Each comes
    /// with where its picture is and its boxes (whose interiors say where each digit was cut).
    func labelledDigitFields(includeAccepted: Bool) async throws -> [LabelledDigitField]
    /// A page's stored image (G4 TIFF or PNG), nil when none was kept.
    func pageImage(id: Int64) async throws -> [UInt8]?
    /// The model folder new readings use when a command names none (`pindai model use`).
    func defaultModel() async throws -> String?
    /// Makes `directory` the store's default model (nil: back to the shipped one).
    func setDefaultModel(_ directory: String?) async throws
    /// The digit fields of a batch still waiting for a person, with where their pictures are.
    func queuedDigitFields(batch: String) async throws -> [QueuedDigitField]
    /// Replaces a queued field's reading with `reading`, read by `model`, in one transaction,
    /// only while the field is still queued and nobody holds its review item: a verified
    /// value is never overwritten. A field item the new reading makes needless is resolved.
    /// Returns whether it was applied.
    func applyReread(_ field: QueuedDigitField, reading: ReadingRecord, model: String) async throws -> Bool
}

/// A digit field whose value a person decided (or confirmed by promoting its record).
package struct LabelledDigitField: Sendable, Hashable {
    /// Form id.
    package var form: String
    /// Document serial.
    package var serial: Int
    /// Field id.
    package var fieldID: String
    /// The value people vouched for (the digits of its filled boxes, in order).
    package var value: String
    /// `verified` (a person typed or confirmed it) or `accepted` (read and never questioned,
    /// in a promoted record).
    package var status: ReadingStatus
    /// Per-box evidence as stored (JSON), with each box's interior in the clip.
    package var boxesJSON: String
    /// Where the field's picture is.
    package var image: FieldImage
    /// The model that read it (`digits@…`), when recorded.
    package var model: String?
    /// Which store it came from, when learning from several: serials are unique within a store,
    /// not across stores (two field offices may both have a document 17).
    package var origin: String?

    /// Creates a labelled field.
    package init(form: String, serial: Int, fieldID: String, value: String, status: ReadingStatus, boxesJSON: String, image: FieldImage, model: String?) {
        (self.form, self.serial, self.fieldID, self.value, self.status) = (form, serial, fieldID, value, status)
        (self.boxesJSON, self.image, self.model) = (boxesJSON, image, model)
    }
}

/// A digit field still waiting for a person.
package struct QueuedDigitField: Sendable, Hashable {
    /// Form id.
    package var form: String
    /// Form version.
    package var version: Int
    /// Document serial.
    package var serial: Int
    /// The reading as stored (where its picture is included).
    package var reading: ReadingRecord
    /// The model that read it.
    package var model: String?
    /// The page row it was read on (whose image holds its picture).
    package var pageID: Int64

    /// Creates a queued field.
    package init(form: String, version: Int, serial: Int, reading: ReadingRecord, model: String?, pageID: Int64) {
        (self.form, self.version, self.serial, self.reading, self.model, self.pageID) = (form, version, serial, reading, model, pageID)
    }

    /// Where the field's picture is, when one was kept.
    package var image: FieldImage? { reading.clip.map { FieldImage(pageID: pageID, clip: $0) } }
}
