import FormTemplate

/// A form's own generator of realistic records, for the forms whose template alone would give
/// values that are valid but implausible together (RSK-K4's households: ages that fit the
/// relations, NIK numbers that fit birth dates). Optional: a form without one is filled from
/// its template by ``TemplateRecord``.
protocol FormPlugin {
    /// The form id the plug-in fills.
    static var formID: String { get }
    /// The base ids it fills; the others get generic values.
    static var knownBaseIDs: Set<String> { get }
    /// Set `k` of the `n` sets of one record, drawn from `rng`.
    static func generate(template: FormTemplate, using rng: inout SeededGenerator, set k: Int, of n: Int) -> [String: FieldValue]
}
