extension Double {
    /// The value to four decimals, as readings store confidences and ink shares: the same text
    /// in the store and in every export, and far finer than any threshold decided on.
    package var roundedForStorage: Double { (self * 10000).rounded() / 10000 }
}
