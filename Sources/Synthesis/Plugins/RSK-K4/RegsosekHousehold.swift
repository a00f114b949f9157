import FormTemplate

/// A coherent Regsosek family, written into whatever RSK-K4 fields the template declares: the
/// RSK-K4 plug-in of the synthesiser, the one place in `Sources/` that knows RSK-K4's field ids.
struct RegsosekHousehold: FormPlugin {
    static let formID = "RSK-K4"

    let template: FormTemplate
    private var values: [String: FieldValue] = [:]

    init(template: FormTemplate) {
        self.template = template
    }

    /// Base ids this generator fills; other fields get generic random values.
    static let knownBaseIDs: Set<String> = {
        var ids: Set<String> = [
            "101", "102", "103", "104", "105", "106", "107", "108", "109", "110", "111", "112", "113", "114", "115",
            "set.k", "set.n", "II.ppl_nama", "II.ppl_kode", "II.pml_nama", "II.pml_kode", "II.tgl_d", "II.tgl_m", "II.ttd",
            "301a", "301b", "302", "303", "304", "305", "306a", "306b", "307a", "307b1", "307b2", "307b3", "308", "309a",
            "309b", "310", "catatan1", "catatan4", "503a", "503b", "505", "506", "507",
            "401", "402", "403", "404", "405", "406d", "406m", "406y", "407", "408", "409", "410", "411",
            "412", "413", "414", "415", "416a", "416b", "417", "418", "419", "420", "421", "422", "423", "424", "425",
            "426", "427", "429", "430", "431a", "431b", "431c", "431d", "431e", "431f",
        ]
        for c in "abcdefghij" { ids.insert("428\(c)") }
        for c in "abcdefg" { ids.formUnion(["501\(c)", "501\(c)_bln", "501\(c)_thn"]) }
        for c in "abcdefghijklmn" { ids.insert("502\(c)") }
        for c in "abcde" { ids.insert("504\(c)") }
        return ids
    }()

    static func generate(template: FormTemplate, using rng: inout SeededGenerator, set k: Int, of n: Int) -> [String: FieldValue] {
        var household = RegsosekHousehold(template: template)
        return household.generate(using: &rng, set: k, of: n)
    }

    private mutating func set(_ id: String, _ value: FieldValue) {
        guard template.field(id) != nil else { return }
        values[id] = value
    }

    private mutating func digits(_ id: String, _ value: Int) {
        guard let field = template.field(id), case .digits(let boxes) = field.kind else { return }
        values[id] = .digits(zeroPadded(value, boxes.count))
    }

    private mutating func choice(_ id: String, _ codes: [Int]) {
        set(id, .choice(codes))
    }

    /// A member of the family.
    struct Person {
        var relation: Int
        var male: Bool
        var age: Int
        var birth: (day: Int, month: Int, year: Int)
        var presence: Int
        var married: Int
        var name: String
    }

    /// Set `k` of `n`: Blok I again on every set, Blok IV's members 5(k−1)+1 … 5k in its columns;
    /// the family-level blocks are drawn every time (so every set sees the same family) and
    /// blanked by the template's own `when:` on later sets.
    mutating func generate(using rng: inout SeededGenerator, set k: Int, of n: Int) -> [String: FieldValue] {
        // Blok I and the identity strip (repeated on every page as p2., p3., p4.).
        let kab = [1, 2, 3, 4, 5, 9, 11, 71, 72, 74].randomElement(using: &rng)!
        let kec = Int.random(in: 1...15, using: &rng) * 10 + (rng.chance(0.2) ? 1 : 0)
        let strip: [(String, Int)] = [
            ("101", 64), ("102", kab), ("103", kec), ("104", Int.random(in: 1...25, using: &rng)),
            ("105", Int.random(in: 1...60, using: &rng) * 100 + (rng.chance(0.1) ? Int.random(in: 1...3, using: &rng) : 0)),
            ("109", Int.random(in: 1...180, using: &rng)), ("110", Int.random(in: 1...220, using: &rng)),
        ]
        for prefix in ["", "p2.", "p3.", "p4."] {
            for (id, v) in strip { digits(prefix + id, v) }
        }
        digits("set.k", k)
        digits("set.n", n)
        set("106", .text(NameBook.places.randomElement(using: &rng)!))
        set("107", .text(NameBook.streets.randomElement(using: &rng)! + " NO. \(Int.random(in: 1...120, using: &rng))"))

        let people = makeFamily(sets: n, using: &rng)
        let present = people.filter { [1, 5].contains($0.presence) }.count
        let status = rng.weighted([(1, 0.2), (2, 0.3), (3, 0.5)])
        set("108", .text(people[0].name))
        choice("111", [status])
        digits("112", present)
        digits("113", Int.random(in: 1...999_999, using: &rng))
        let kkDate = (Int.random(in: 1...28, using: &rng), Int.random(in: 1...12, using: &rng), Int.random(in: 5...22, using: &rng))
        let kk = "64" + zeroPadded(kab, 2) + zeroPadded(Int.random(in: 1...12, using: &rng), 2)
            + zeroPadded(kkDate.0, 2) + zeroPadded(kkDate.1, 2) + zeroPadded(kkDate.2, 2)
            + zeroPadded(Int.random(in: 1...9999, using: &rng), 4)
        set("114", .digits(kk))
        choice("115", [rng.weighted([(1, 0.8), (0, 0.1), (2, 0.1)])])

        // Blok II.
        set("II.ppl_nama", .text(NameBook.female.randomElement(using: &rng)! + " " + NameBook.family.randomElement(using: &rng)!))
        digits("II.ppl_kode", Int.random(in: 1...300, using: &rng))
        set("II.pml_nama", .text(NameBook.male.randomElement(using: &rng)! + " " + NameBook.family.randomElement(using: &rng)!))
        digits("II.pml_kode", Int.random(in: 1...60, using: &rng))
        let interviewInOctober = rng.chance(0.6)
        digits("II.tgl_d", interviewInOctober ? Int.random(in: 15...31, using: &rng) : Int.random(in: 1...20, using: &rng))
        digits("II.tgl_m", interviewInOctober ? 10 : 11)
        set("II.ttd", .text("~" + NameBook.female.randomElement(using: &rng)!.prefix(3).lowercased()))

        housing(status: status, using: &rng)
        let perSet = max(1, template.membersPerSet)
        for (i, person) in people.enumerated() {
            // Members of other sets are drawn too (same random stream) but written nowhere.
            let inThisSet = i / perSet == k - 1
            member(i + 1, column: inThisSet ? i % perSet + 1 : nil, person, using: &rng)
        }
        blockV(status: status, using: &rng)
        return values
    }

    private func makeFamily(sets: Int, using rng: inout SeededGenerator) -> [Person] {
        let size = sets > 1 ? Int.random(in: 6...9, using: &rng) : rng.weighted([(1, 0.08), (2, 0.2), (3, 0.25), (4, 0.27), (5, 0.2)])
        let family = NameBook.family.randomElement(using: &rng)!
        func person(relation: Int, male: Bool, age: Int, married: Int, using rng: inout SeededGenerator) -> Person {
            let birthYear = RecordGenerator.surveyDate.year - age - (rng.chance(0.5) ? 1 : 0)
            var month = Int.random(in: 1...12, using: &rng)
            var day = Int.random(in: 1...28, using: &rng)
            // Keep the stated age consistent with the birth date at the survey date.
            let s = RecordGenerator.surveyDate
            let hadBirthday = (month, day) <= (s.month, s.day)
            let computed = s.year - birthYear - (hadBirthday ? 0 : 1)
            var year = birthYear
            if computed != age { year = s.year - age - (hadBirthday ? 0 : 1) }
            if year < 1900 { year = 1900; month = 1; day = 1 }
            let given = (male ? NameBook.male : NameBook.female).randomElement(using: &rng)!
            let presence = rng.weighted([(1, 0.93), (5, 0.03), (3, 0.04)])
            return Person(
                relation: relation, male: male, age: age, birth: (day, month, year), presence: relation == 1 ? 1 : presence,
                married: married, name: given + " " + family)
        }
        var people: [Person] = []
        let headMale = rng.chance(0.85)
        let headAge = Int.random(in: 24...78, using: &rng)
        people.append(person(relation: 1, male: headMale, age: headAge, married: size > 1 ? 2 : rng.weighted([(1, 0.4), (3, 0.2), (4, 0.4)]), using: &rng))
        if size >= 2 && rng.chance(0.85) {
            let spouseAge = max(18, min(90, headAge + Int.random(in: -8...4, using: &rng)))
            people.append(person(relation: 2, male: !headMale, age: spouseAge, married: 2, using: &rng))
        }
        while people.count < size {
            if people.count == 4 && headAge < 50 && rng.chance(0.4) {
                people.append(person(relation: 6, male: rng.chance(0.4), age: min(95, headAge + Int.random(in: 22...30, using: &rng)), married: 4, using: &rng))
                continue
            }
            let maxChildAge = max(0, min(headAge - 18, 40))
            let age = Int.random(in: 0...maxChildAge, using: &rng)
            let married = age >= 20 && rng.chance(0.2) ? 2 : 1
            people.append(person(relation: rng.chance(0.9) ? 3 : 5, male: rng.chance(0.5), age: age, married: married, using: &rng))
        }
        return people
    }

    private mutating func housing(status: Int, using rng: inout SeededGenerator) {
        let owner = rng.weighted([(1, 0.75), (2, 0.12), (3, 0.08), (4, 0.03), (5, 0.02)])
        digits("301a", owner)
        if owner == 1 { digits("301b", rng.weighted([(1, 0.55), (4, 0.1), (5, 0.2), (6, 0.15)])) }
        digits("302", status == 3 ? Int.random(in: 36...220, using: &rng) : Int.random(in: 12...72, using: &rng))
        digits("303", status == 3 ? rng.weighted([(2, 0.6), (4, 0.2), (1, 0.05), (5, 0.15)]) : rng.weighted([(5, 0.4), (6, 0.3), (8, 0.2), (2, 0.1)]))
        digits("304", rng.weighted([(1, 0.6), (3, 0.35), (4, 0.05)]))
        digits("305", rng.weighted([(3, 0.7), (2, 0.15), (4, 0.1), (6, 0.05)]))
        let water = rng.weighted([(2, 0.35), (3, 0.25), (4, 0.15), (1, 0.1), (5, 0.05), (10, 0.05), (6, 0.05)])
        digits("306a", water)
        if (4...8).contains(water) { choice("306b", [rng.weighted([(1, 0.3), (2, 0.6), (8, 0.1)])]) }
        let light = rng.weighted([(1, 0.8), (2, 0.1), (3, 0.07), (4, 0.03)])
        choice("307a", [light])
        if light == 1 {
            digits("307b1", status == 3 ? rng.weighted([(2, 0.5), (3, 0.3), (4, 0.2)]) : rng.weighted([(1, 0.5), (2, 0.5)]))
            if rng.chance(0.1) { digits("307b2", Int.random(in: 1...3, using: &rng)) }
        }
        digits("308", rng.weighted([(4, 0.6), (2, 0.05), (3, 0.05), (10, 0.15), (1, 0.05), (7, 0.05), (0, 0.05)]))
        let toilet = rng.weighted([(1, 0.75), (2, 0.1), (3, 0.05), (4, 0.05), (6, 0.05)])
        digits("309a", toilet)
        if toilet <= 3 {
            digits("309b", rng.weighted([(1, 0.85), (2, 0.05), (4, 0.1)]))
            digits("310", rng.weighted([(1, 0.7), (4, 0.15), (3, 0.15)]))
        }
    }

    /// Member number `n` (401), written in `column` of this set, or only drawn when `nil`.
    private mutating func member(_ n: Int, column: Int?, _ p: Person, using rng: inout SeededGenerator) {
        let m = column.map { "m\($0)." } ?? "elsewhere\(n)."
        let present = [1, 5].contains(p.presence)
        digits(m + "401", n)
        set(m + "402", .text(p.name))
        digits(m + "404", p.presence)
        guard present else { return }
        let day = p.birth.day + (p.male ? 0 : 40)
        let nik = "64" + zeroPadded(Int.random(in: 1...74, using: &rng), 2) + zeroPadded(Int.random(in: 1...12, using: &rng), 2)
            + zeroPadded(day, 2) + zeroPadded(p.birth.month, 2) + zeroPadded(p.birth.year % 100, 2)
            + zeroPadded(Int.random(in: 1...9999, using: &rng), 4)
        if p.age >= 1 || rng.chance(0.5) { set(m + "403", .digits(nik)) }
        choice(m + "405", [p.male ? 1 : 2])
        digits(m + "406d", p.birth.day)
        digits(m + "406m", p.birth.month)
        digits(m + "406y", p.birth.year)
        digits(m + "407", min(98, p.age))
        digits(m + "408", p.married)
        digits(m + "409", p.relation)
        if !p.male && (10...54).contains(p.age) && p.married != 1 { choice(m + "410", [rng.chance(0.12) ? 1 : 2]) }
        var cards: [Int] = rng.chance(0.8) ? [1] : []
        if p.age >= 17 { if rng.chance(0.95) { cards.append(4) } } else if rng.chance(0.4) { cards.append(2) }
        choice(m + "411", cards.isEmpty ? [0] : cards)

        // Blok IV.B-F.
        if p.age >= 5 {
            let school = p.age <= 18 ? 2 : rng.weighted([(3, 0.85), (1, 0.15)])
            choice(m + "412", [school])
            if school != 1 {
                let level = p.age <= 12 ? 3 : p.age <= 15 ? 8 : rng.weighted([(3, 0.3), (8, 0.25), (13, 0.3), (15, 0.05), (19, 0.1)])
                digits(m + "413", level)
                digits(m + "414", school == 2 ? Int.random(in: 1...6, using: &rng) : 8)
                digits(m + "415", school == 2 ? max(1, level - 5) : level)
            }
            let works = p.age >= 15 && rng.chance(0.65)
            choice(m + "416a", [works ? 1 : 2])
            var status = 0
            if works {
                status = rng.weighted([(1, 0.25), (4, 0.35), (6, 0.1), (7, 0.15), (5, 0.05), (8, 0.1)])
                digits(m + "416b", Int.random(in: 8...60, using: &rng))
                digits(m + "417", rng.weighted([(1, 0.2), (12, 0.25), (8, 0.1), (11, 0.1), (14, 0.1), (20, 0.05), (24, 0.2)]))
                digits(m + "418", status)
            }
            digits(m + "419", p.age >= 17 ? rng.weighted([(3, 0.6), (1, 0.3), (2, 0.1)]) : 3)
            let business = (1...3).contains(status) || (p.age >= 17 && rng.chance(0.08))
            choice(m + "420", [business ? 1 : 2])
            if business {
                digits(m + "421", rng.weighted([(12, 0.5), (14, 0.3), (1, 0.2)]))
                let paid = rng.chance(0.8) ? 0 : Int.random(in: 1...6, using: &rng)
                digits(m + "422", paid)
                digits(m + "423", Int.random(in: 0...3, using: &rng))
                digits(m + "424", Int.random(in: 1...12, using: &rng))
                digits(m + "425", rng.weighted([(1, 0.7), (2, 0.2), (3, 0.1)]))
                var net: [Int] = []
                for bit in [1, 2, 4, 8, 16, 32] where rng.chance(bit == 1 ? 0.6 : 0.2) { net.append(bit) }
                choice(m + "426", net)
            }
            for c in "abcdefghij" { digits(m + "428\(c)", rng.weighted([(4, 0.93), (3, 0.05), (2, 0.015), (1, 0.005)])) }
            digits(m + "431b", rng.weighted([(2, 0.9), (1, 0.08), (8, 0.02)]))
            digits(m + "431c", rng.weighted([(2, 0.92), (1, 0.06), (8, 0.02)]))
            digits(m + "431d", rng.weighted([(2, 0.95), (1, 0.03), (8, 0.02)]))
            if p.age <= 30 { digits(m + "431e", rng.weighted([(2, 0.8), (1, 0.18), (8, 0.02)])) }
        } else {
            digits(m + "427", rng.weighted([(3, 0.8), (2, 0.1), (1, 0.05), (8, 0.05)]))
            if p.age >= 2 { for c in "abcdef" { digits(m + "428\(c)", rng.weighted([(4, 0.97), (3, 0.03)])) } }
        }
        // 429 is written where its condition holds; enforceConditions blanks it elsewhere.
        digits(m + "429", rng.weighted([(1, 0.7), (2, 0.1), (3, 0.2)]))
        digits(m + "430", rng.weighted([(1, 0.75), (2, 0.1), (6, 0.05), (3, 0.05), (4, 0.05)]))
        var jkn: [Int] = []
        for bit in [1, 2, 4, 8] where rng.chance(bit == 1 ? 0.5 : 0.15) { jkn.append(bit) }
        choice(m + "431a", jkn)
        if p.age >= 15 {
            var jams: [Int] = []
            for bit in [1, 2, 4, 8, 16] where rng.chance(0.15) { jams.append(bit) }
            choice(m + "431f", jams)
        }
    }

    private mutating func blockV(status: Int, using rng: inout SeededGenerator) {
        let light = values["307a"].flatMap { $0.numeric(additive: false) } ?? 1
        let power = values["307b1"].flatMap { $0.numeric(additive: false) }
        let fuel = values["308"].flatMap { $0.numeric(additive: false) } ?? 4
        for c in "abcdefg" {
            var received = rng.chance(status == 3 ? 0.1 : 0.45)
            if c == "d" && power == 1 { received = true }
            choice("501\(c)", [received ? 1 : 2])
            if received {
                let year = rng.chance(0.5) ? 2021 : 2022
                digits("501\(c)_bln", year == 2021 ? Int.random(in: 10...12, using: &rng) : Int.random(in: 1...10, using: &rng))
                digits("501\(c)_thn", year)
            }
        }
        for c in "abcdefghijklmn" {
            var has = rng.chance(["a", "i", "n"].contains(c) ? 0.7 : status == 3 ? 0.35 : 0.1)
            if light == 4 && "bcdfh".contains(c) { has = false }
            if c == "a" && (fuel == 2 || fuel == 3) { has = true }
            choice("502\(c)", [has ? 1 : 2])
        }
        choice("503a", [rng.chance(0.2) ? 1 : 2])
        choice("503b", [rng.chance(0.1) ? 1 : 2])
        for c in "abcde" { digits("504\(c)", rng.chance(0.85) ? 0 : Int.random(in: 1...12, using: &rng)) }
        choice("505", [rng.weighted([(3, 0.6), (0, 0.25), (2, 0.1), (1, 0.05)])])
        choice("506", [rng.weighted([(4, 0.4), (2, 0.5), (1, 0.05), (3, 0.05)])])
        if status != 3 || rng.chance(0.5) {
            digits("507", Int.random(in: 8...120, using: &rng) * 50_000)
        }
    }
}
