/// A family larger than one set fills several copies of the form; its members are numbered on
/// across them (06, 07, … on the second set of a five-member form).
extension FormTemplate {
    /// Members one set holds: the repeats of the member block (5 on RSK-K4), 0 without one.
    package var membersPerSet: Int { fields.compactMap(\.instance).max() ?? 0 }

    /// The family-wide number of the member in `column` of set `k`: 5(k−1)+column.
    package func memberNumber(set k: Int, column: Int) -> Int { (k - 1) * membersPerSet + column }
}
