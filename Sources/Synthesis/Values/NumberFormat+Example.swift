import FormTemplate

extension NumberFormat {
    /// A number that fits the format: a province code, a date (a NIK's day +40 for
    /// `female`), a serial other than 0000. Made up, never a real person's.
    func example(using rng: inout SeededGenerator, female: Bool = false) -> String {
        let province = Self.provinces.sorted().randomElement(using: &rng)!
        let month = Int.random(in: 1...12, using: &rng)
        var day = Int.random(in: 1...28, using: &rng)
        if self == .nik, female { day += 40 }
        return zeroPadded(province, 2) + zeroPadded(Int.random(in: 1...79, using: &rng), 2) + zeroPadded(Int.random(in: 1...30, using: &rng), 2)
            + zeroPadded(day, 2) + zeroPadded(month, 2) + zeroPadded(Int.random(in: 0...99, using: &rng), 2)
            + zeroPadded(Int.random(in: 1...9999, using: &rng), 4)
    }
}
