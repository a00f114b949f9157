/// Where a scan file is on its way through ingest.
package enum FileStatus: String, CaseIterable, Sendable, Hashable, Codable {
    /// Claimed by an ingest run that is reading its pages.
    case reading
    /// Every page is stored (as readings or exceptions).
    case done
    /// The file as a whole could not be read (an exception says why).
    case failed
}

/// What a stored page turned out to be.
package enum PageStatus: String, CaseIterable, Sendable, Hashable, Codable {
    /// Identified, registered and read into field readings.
    case read
    /// Not read; an exception record says why.
    case exception
    /// The blank back of a sheet in a duplex scan: seen, nothing to read.
    case back
}

/// Where one field's value stands.
package enum ReadingStatus: String, CaseIterable, Sendable, Hashable, Codable {
    /// Confident and valid: no person needed.
    case accepted
    /// A person must look.
    case queued
    /// An image-only field (handwritten text): kept for people, never auto-read.
    case image
    /// A person decided the value.
    case verified
}

/// One box's verdict. Digit boxes are `empty`, `read` or `rejected`; tick boxes are `empty`,
/// `marked`, `cancelled` or `marginal`.
package enum BoxState: String, CaseIterable, Sendable, Hashable, Codable {
    /// No ink worth reading.
    case empty
    /// A digit was read.
    case read
    /// Ink that the recogniser would not call a digit.
    case rejected
    /// A tick, cross or scribble.
    case marked
    /// Filled completely: the printed correction rule cancels the mark.
    case cancelled
    /// Too faint or too full to decide: a person looks.
    case marginal
}

/// A document's place on the way to the core store.
package enum DocumentStatus: String, CaseIterable, Sendable, Hashable, Codable {
    /// Seen, not yet clean and complete.
    case open
    /// Written to the core store (exactly once).
    case promoted
    /// A supervisor rejected it (a sheet was lost): it never reaches the core store.
    case rejected
}

/// What a review item asks a person to look at.
package enum ReviewItemKind: String, CaseIterable, Sendable, Hashable, Codable {
    /// One doubtful field reading.
    case field
    /// A document-level problem: a failing cross-field rule, a missing page.
    case record
    /// A handwritten text field (a name, an address) to type from its image.
    case keying
}

/// Which of the queues a person works: the machine's doubts (fields and record checks), the
/// supervisor's referred items, or the text fields to key. A shift can be split between them.
package enum WorkQueue: String, CaseIterable, Sendable, Hashable, Codable {
    /// Doubtful fields and failing record checks.
    case doubts
    /// Items referred to a supervisor.
    case referred
    /// Text fields to type from their images.
    case keying
}

/// The record-item rule of a document whose pages have not all arrived.
package let missingPagesRule = "missing-pages"

/// What a person (or the pipeline on their behalf) did with an item, as the audit trail
/// records it.
package enum DecisionAction: String, CaseIterable, Sendable, Hashable, Codable {
    /// A field's reading confirmed unchanged.
    case accept
    /// A value changed.
    case correct
    /// A record item's values confirmed unchanged.
    case confirm
    /// Sent to a supervisor.
    case refer
    /// A decision taken back.
    case undo
    /// The first, blind entry of a double-entry field.
    case firstEntry = "first-entry"
    /// The second entry, agreeing with the first.
    case secondEntry = "second-entry"
    /// The second entry, disagreeing: a supervisor decides.
    case disagree
    /// A supervisor's word that a sheet will never be scanned; the document is judged without it.
    case pageLost = "page-lost"
    /// A supervisor rejected the document because a sheet is lost.
    case documentRejected = "document-rejected"
    /// A text field typed from its image (an empty value: the field was left empty on paper).
    case keyed
    /// A text field whose writing cannot be read.
    case illegible
}

// MARK: - Printed as their raw values

/// A word of the vocabulary: in messages, logs and the audit trail it reads as the word stored,
/// never as a Swift case name.
package protocol VocabularyWord: RawRepresentable, CustomStringConvertible where RawValue == String {}

extension VocabularyWord {
    /// The stored word.
    package var description: String { rawValue }
}

extension FileStatus: VocabularyWord {}
extension PageStatus: VocabularyWord {}
extension ReadingStatus: VocabularyWord {}
extension BoxState: VocabularyWord {}
extension DocumentStatus: VocabularyWord {}
extension ReviewItemKind: VocabularyWord {}
extension WorkQueue: VocabularyWord {}
extension DecisionAction: VocabularyWord {}
extension ReviewItemStatus: VocabularyWord {}
extension ExceptionReason: VocabularyWord {}
