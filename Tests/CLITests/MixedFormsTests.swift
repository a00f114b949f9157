import Foundation
import TestSupport
import Testing

/// Two forms that share nothing, in one batch, as a new user runs them from the README.
@Suite(.serialized) struct MixedFormsTests {
    @Test func aBatchMixingTwoFormsEndsWithEachFormsRecordsInItsOwnTables() async throws {
        let dir = Fixtures.temporaryDirectory()
        let root = Fixtures.repositoryRoot
        for (template, serial) in [("rsk-k4.yaml", "1"), ("pk-keluarga.yaml", "101")] {
            let synth = try await Fixtures.runPindai([
                "synth", "--template", root + "/form-templates/" + template, "--count", "2", "--seed", "5", "--serial-start", serial, "--clean",
                "--out", dir + "/scans",
            ])
            #expect(synth.status == 0, "\(synth.output)")
        }
        let store = dir + "/mix.sqlite"
        let ingest = try await Fixtures.runPindai(["ingest", dir + "/scans", "--batch", "mix", "--store", store], in: root)
        #expect(ingest.status == 0)
        #expect(ingest.output.contains("ingested 4 file(s): 12 page(s) read, 0 exception(s)"), "\(ingest.output)")
        let verify = try await Fixtures.runPindai(["verify", "--as", "sim", "--simulate-truth", dir + "/scans", "--store", store], in: root)
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("core store, PK-KEL: 2 keluarga record(s)"), "\(verify.output)")
        #expect(verify.output.contains("core store, RSK-K4: 2 family record(s)"), "\(verify.output)")
        let export = try await Fixtures.runPindai(["export", "records", "--format", "csv", "--store", store, "--out", dir + "/records.csv"], in: root)
        #expect(export.output == "exported 4 record(s) to \(dir)/records.csv (names, addresses and NIK numbers: personal data, readable by you only)\n")
        let csv = try String(contentsOfFile: dir + "/records.csv", encoding: .utf8)
        let headers = csv.split(separator: "\n").filter { $0.hasPrefix("form,") }
        #expect(headers.count == 2, "one header per form")
        #expect(headers.contains { $0.contains("f_k08") && $0.contains("f_a05") && !$0.contains("f_403") })
        #expect(headers.contains { $0.contains("f_403") && !$0.contains("f_k08") })
    }
}
