import Foundation
import FormTemplate
import HandwrittenDigits
import Imaging
import QRCode
import Synthesis
import TestSupport
import Testing
import Validation

@Suite struct SynthesisTests {
    let template = Fixtures.rskK4
    func run(_ dir: String, seed: UInt64 = 42, format: SynthesisRun.Format = .tiffG4, dpi: Double = 100, count: Int = 1) throws -> SynthesisRun {
        SynthesisRun(
            template: template, digits: try Fixtures.mnistTestHand(), count: count, seed: seed, outputDirectory: dir,
            format: format, dpi: dpi, workers: 1)
    }

    func bytes(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
            out[name] = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
        }
        return out
    }

    @Test(arguments: [SynthesisRun.Format.tiffG4, .png])
    func theSameSeedGivesTheSameBytes(format: SynthesisRun.Format) async throws {
        let a = Fixtures.temporaryDirectory("a")
        let b = Fixtures.temporaryDirectory("b")
        _ = try run(a, format: format).makeDocument(serial: 3)
        _ = try run(b, format: format).makeDocument(serial: 3)
        let first = try bytes(a)
        #expect(!first.isEmpty)
        #expect(first == (try bytes(b)))
    }

    @Test func anotherSeedGivesAnotherDocument() throws {
        let a = Fixtures.temporaryDirectory("a")
        let b = Fixtures.temporaryDirectory("b")
        _ = try run(a, seed: 1).makeDocument(serial: 1)
        _ = try run(b, seed: 2).makeDocument(serial: 1)
        #expect(try bytes(a) != (try bytes(b)))
    }

    @Test func scannedPagesCarryTheirIdentityAndMatchTheTruthFile() throws {
        let dir = Fixtures.temporaryDirectory()
        let result = try run(dir, dpi: 200).makeDocument(serial: 77)
        let truthData = try Data(contentsOf: URL(fileURLWithPath: dir + "/RSK-K4-0000000077.truth.json"))
        let truth = try JSONDecoder().decode(DocumentTruth.self, from: truthData)
        #expect(result.files == ["RSK-K4-0000000077.tif", "RSK-K4-0000000077.truth.json"])
        let pages = try ImageFile.readPages(dir + "/RSK-K4-0000000077.tif")
        #expect(pages.count == truth.pages.count)
        #expect(Set(truth.pages.compactMap(\.page)) == [1, 2, 3, 4])
        for (image, page) in zip(pages, truth.pages) {
            let codes = QRDecoder.decode(image).compactMap { PageIdentity(payload: $0.text) }
            if let number = page.page {
                #expect(codes == [PageIdentity(form: "RSK-K4", version: 1, page: number, serial: 77)])
            } else {
                #expect(codes.isEmpty)
            }
        }
    }

    @Test func truthRecordsHowEveryMarkWasMade() throws {
        let dir = Fixtures.temporaryDirectory()
        _ = try run(dir).makeDocument(serial: 9)
        let truth = try JSONDecoder().decode(DocumentTruth.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/RSK-K4-0000000009.truth.json")))
        let sex = try #require(truth.fields["m1.405"])
        #expect(sex.kind == "choice")
        #expect(sex.marked?.count == 1 && [1, 2].contains(sex.value ?? 0))
        let nik = try #require(truth.fields["114"])
        #expect(nik.text?.count == 16 && nik.digits?.count == 16)
        #expect(nik.digits?.allSatisfy { $0.sample >= 3600 } == true, "synthetic digits come from MNIST's test part")
        #expect(nik.hand?.source == "mnist@test")
    }
}

@Suite struct HouseholdTests {
    let template = Fixtures.rskK4

    func households(_ n: Int) -> [[String: FieldValue]] {
        (0..<n).map { i in
            var rng = SeededGenerator(seed: 99, stream: UInt64(i))
            return RecordGenerator(template: template).generate(using: &rng)
        }
    }

    func number(_ v: FieldValue?) -> Int? { v?.numeric(additive: false) }

    @Test func everyValueObeysTheTemplatesSkipRules() {
        for values in households(60) {
            let lookup: (String) -> Int? = { id in
                guard let v = values[id] else { return nil }
                if case .choice(let g)? = template.field(id)?.kind { return v.numeric(additive: g.additive) }
                return v.numeric(additive: false)
            }
            for field in template.fields {
                if let applies = field.validation.applies, values[field.id] != nil {
                    #expect(applies.evaluate(lookup), "\(field.id) is filled but its condition \(applies) fails")
                }
            }
        }
    }

    /// Families of more than five members fill two sets: consecutive serials, the same
    /// identity strip and Blok I, members numbered on, the family blocks on the first set only.
    @Test func aLargeFamilyFillsTwoSetsWithConsecutiveSerials() async throws {
        let dir = Fixtures.temporaryDirectory()
        var batch = SynthesisRun(
            template: template, digits: try Fixtures.mnistTestHand(), count: 3, seed: 42, outputDirectory: dir, dpi: 100, workers: 1)
        batch.largeFamilyShare = 1
        let plan = batch.familyPlan()
        #expect(plan[1]?.of == 2 && plan[2]?.first == 1 && plan[2]?.set == 2 && plan[3]?.of == 1, "the last serial cannot start a pair")
        _ = try await batch.run()
        func truth(_ serial: Int) throws -> DocumentTruth {
            try JSONDecoder().decode(DocumentTruth.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/RSK-K4-000000000\(serial).truth.json")))
        }
        let (first, second) = (try truth(1), try truth(2))
        #expect(first.fields["set.k"]?.text == "1" && second.fields["set.k"]?.text == "2" && second.fields["set.n"]?.text == "2")
        for id in ["101", "102", "103", "104", "105", "109", "110", "112", "114"] {
            #expect(first.fields[id]?.text == second.fields[id]?.text, "\(id) must be the same on both sets")
        }
        let columns = [first, second].map { t in (1...5).filter { t.fields["m\($0).401"] != nil }.count }
        #expect(columns[0] == 5 && columns[1] >= 1, "more than five members: \(columns)")
        #expect(second.fields["m1.401"]?.text == "06")
        #expect(first.fields["301a"] != nil && second.fields["301a"] == nil, "Blok III is on the first set only")
        #expect(try truth(3).fields["set.n"]?.text == "1")
    }

    @Test func theMemberCountEqualsTheMembersPresent() {
        for values in households(60) {
            let present = (1...5).filter { [1, 5].contains(number(values["m\($0).404"]) ?? 0) }.count
            #expect(number(values["112"]) == present)
        }
    }

    @Test func nikNumbersEncodeSexAndBirthDateWithThePlus40Rule() throws {
        var checked = 0
        for values in households(40) {
            for m in 1...5 {
                guard case .digits(let nik)? = values["m\(m).403"] else { continue }
                let digits = Array(nik)
                #expect(digits.count == 16)
                let day = Int(String(digits[6...7]))!
                let month = Int(String(digits[8...9]))!
                let year = Int(String(digits[10...11]))!
                let female = number(values["m\(m).405"]) == 2
                #expect(day == (number(values["m\(m).406d"]) ?? -1) + (female ? 40 : 0))
                #expect(month == number(values["m\(m).406m"]))
                #expect(year == (number(values["m\(m).406y"]) ?? 0) % 100)
                #expect(String(digits[12...15]) != "0000")
                checked += 1
            }
        }
        #expect(checked > 50)
    }

    @Test func statedAgesAgreeWithBirthDatesAtTheSurveyDate() {
        for values in households(40) {
            for m in 1...5 {
                guard let age = number(values["m\(m).407"]), let y = number(values["m\(m).406y"]),
                    let mo = number(values["m\(m).406m"]), let d = number(values["m\(m).406d"])
                else { continue }
                let computed = 2022 - y - ((mo, d) <= (10, 20) ? 0 : 1)
                #expect(computed == age, "member \(m): born \(d)/\(mo)/\(y), stated age \(age)")
            }
        }
    }

    @Test func exactlyOneHeadOfFamily() {
        for values in households(60) {
            let heads = (1...5).filter { number(values["m\($0).409"]) == 1 }
            #expect(heads == [1])
        }
    }
}

@Suite struct DigitSetTests {
    @Test func theBundledDigitsSplitIntoTrainingAndHeldOut() throws {
        let set = try DigitSet.bundled(root: Fixtures.repositoryRoot)
        #expect(set.count == 4000 && set.width == 28 && set.height == 28)
        #expect(set.indices(.training) == 0..<3200)
        #expect(set.indices(.heldOut) == 3200..<4000)
        #expect(set.indicesByDigit(.heldOut).allSatisfy { $0.count > 50 })
    }

    @Test func filesThatAreNotIDXAreRejected() throws {
        let dir = Fixtures.temporaryDirectory()
        try Data(repeating: 1, count: 64).write(to: URL(fileURLWithPath: dir + "/x-images.idx3-ubyte"))
        try Data(repeating: 1, count: 64).write(to: URL(fileURLWithPath: dir + "/x-labels.idx1-ubyte"))
        #expect(throws: DigitSetError.self) { try DigitSet(prefix: dir + "/x") }
        do {
            _ = try DigitSet(prefix: dir + "/x")
        } catch {
            #expect(error.description == dir + "/x-images.idx3-ubyte: not an IDX image file (magic 0x00000803 expected)")
        }
    }
}

@Suite struct DigitMixTests {
    /// A small IDX pair of 40 MNIST test-part digits written by two "writers", a and b.
    static func twoWriterPrefix() throws -> String {
        let set = try DigitSet.bundled(root: Fixtures.repositoryRoot)
        let dir = Fixtures.temporaryDirectory("twowriters")
        var images: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 40, 0, 0, 0, 28, 0, 0, 0, 28]
        var labels: [UInt8] = [0, 0, 8, 1, 0, 0, 0, 40]
        for i in 0..<40 {
            images += set.inkMask(3600 + i).pixels
            labels.append(set.labels[3600 + i])
        }
        try Data(images).write(to: URL(fileURLWithPath: dir + "/hands-images.idx3-ubyte"))
        try Data(labels).write(to: URL(fileURLWithPath: dir + "/hands-labels.idx1-ubyte"))
        try (0..<40).map { $0 % 2 == 0 ? "a" : "b" }.joined(separator: "\n").write(toFile: dir + "/hands-writers.txt", atomically: true, encoding: .utf8)
        return dir + "/hands"
    }

    @Test func namesPartsAndWeightsParse() throws {
        let mix = try DigitMix.parse("mnist@test:3, mnist@validation:1", root: Fixtures.repositoryRoot)
        #expect(mix.entries.map(\.label) == ["mnist@test", "mnist@validation"])
        #expect(mix.entries.map(\.weight) == [3, 1])
        let mnist = try DigitSource.named("mnist", root: Fixtures.repositoryRoot)
        #expect(mnist.indices(.train) == Array(0..<3200))
        #expect(mnist.indices(.validation) == Array(3200..<3600))
        #expect(mnist.indices(.test) == Array(3600..<4000))
    }

    @Test func unknownSourcesAndPartsAreRejectedWithTheChoices() {
        #expect(throws: DigitSetError.self) { try DigitMix.parse("mnist@later", root: Fixtures.repositoryRoot) }
        do {
            _ = try DigitMix.parse("mnist@later", root: Fixtures.repositoryRoot)
        } catch {
            #expect(error.description == "mnist@later: unknown part 'later' (one of train, validation, test, all)")
        }
        do {
            _ = try DigitMix.parse("/nowhere/x@test", root: Fixtures.repositoryRoot)
        } catch {
            #expect(error.description == "/nowhere/x@test: @test applies to the known sources only (mnist, cvl, usps, optdigits)")
        }
    }

    @Test func aDocumentIsWrittenByOneWriterWhoseDigitsItUses() throws {
        let prefix = try Self.twoWriterPrefix()
        let mix = try DigitMix.parse(prefix, root: Fixtures.repositoryRoot)
        let source = try DigitSource(prefix: prefix)
        var rng = SystemRandomNumberGenerator()
        var seen: Set<String> = []
        for _ in 0..<20 {
            let hand = mix.hand(using: &rng)
            let writer = try #require(hand.writer)
            seen.insert(writer)
            #expect(hand.source == "hands" && hand.population == "hands")
            for (digit, samples) in hand.pool.enumerated() {
                let own = samples.filter { source.writers?[$0] == writer }
                // A digit the writer never wrote comes from the others; otherwise only their own.
                #expect(own.count == samples.count || own.isEmpty, "digit \(digit)")
                #expect(samples.allSatisfy { Int(source.set.labels[$0]) == digit })
            }
        }
        #expect(seen == ["a", "b"])
    }

    @Test func truthFilesNameTheHandOfEveryDigitField() async throws {
        let dir = Fixtures.temporaryDirectory()
        let mix = try DigitMix.parse(try Self.twoWriterPrefix(), root: Fixtures.repositoryRoot)
        _ = try await SynthesisRun(
            template: Fixtures.rskK4, digits: mix, count: 2, seed: 3, outputDirectory: dir, clean: true, dpi: 100, workers: 1
        ).run()
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) where name.hasSuffix(".truth.json") {
            let truth = try JSONDecoder().decode(DocumentTruth.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)))
            let hands = Set(truth.fields.values.filter { $0.kind == "digits" }.map(\.hand))
            #expect(hands.count == 1, "one hand per document")
            let hand = try #require(hands.first ?? nil)
            #expect(hand.source == "hands" && ["a", "b"].contains(hand.writer))
        }
    }
}


/// The generic generator: any template filled from its declarations alone.
@Suite struct TemplateRecordTests {
    let template = Fixtures.pkKeluarga

    func record(_ seed: UInt64) -> [String: FieldValue] {
        var rng = SeededGenerator(seed: seed, stream: 1)
        return RecordGenerator(template: template).generate(using: &rng)
    }

    func strings(_ values: [String: FieldValue]) -> [String: String] {
        var out: [String: String] = [:]
        for (id, v) in values {
            guard let field = template.field(id) else { continue }
            switch v {
            case .digits(let s) where !s.isEmpty: out[id] = s
            case .choice(let codes) where !codes.isEmpty:
                if case .choice(let g) = field.kind, let n = v.numeric(additive: g.additive) { out[id] = String(n) }
            default: break
            }
        }
        return out
    }

    @Test func aFormWithoutAPluginIsFilledFromItsTemplate() {
        #expect(!RecordGenerator(template: template).usesPlugin)
        #expect(RecordGenerator(template: Fixtures.rskK4).usesPlugin)
    }

    @Test func generatedRecordsBreakNoHardRuleOfTheFormOrOfTheRecord() throws {
        let records = try #require(RecordValidator(template: template))
        for seed in UInt64(1)...40 {
            let values = strings(record(seed))
            let hard = DocumentValidator(template: template).validate(values).filter { $0.severity == .hard }
                + records.validateAlone(serial: 1, values: values).filter { $0.severity == .hard }
            #expect(hard.isEmpty, "seed \(seed): \(hard)")
        }
    }

    @Test func membersAreNumberedAndUnusedRowsStayBlank() {
        for seed in UInt64(1)...20 {
            let values = strings(record(seed))
            let count = Int(values["k10"] ?? "") ?? 0
            #expect((1...6).contains(count), "seed \(seed)")
            for n in 1...6 {
                if n <= count {
                    #expect(values["ang\(n).a01"] == String(format: "%02d", n), "seed \(seed), member \(n)")
                } else {
                    #expect(!values.keys.contains { $0.hasPrefix("ang\(n).") }, "seed \(seed): row \(n) must be blank")
                }
            }
        }
    }

    @Test func codesRangesAndNumberFormatsHold() {
        let kk = (1...20).compactMap { strings(record(UInt64($0)))["k08"] }
        #expect(kk.count == 20)
        #expect(kk.allSatisfy { NumberFormat.kk.problem(in: $0) == nil })
        #expect(Set(kk).count == 20, "numbers are drawn, not copied")
    }
}
