import Foundation
import Hummingbird
import HummingbirdTesting
import Imaging
import Monitoring
import Store
import TestSupport
import Testing

/// `pindai serve`: metrics, the status page, and the token rule.
@Suite(.serialized) struct ServeTests {
    @Test func metricsCountWhatTheStoreHoldsWithStageHistograms() async throws {
        let (_, store, _) = try await sampleStore()
        let app = Application(router: StatusServer.router(store: store, token: nil))
        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains("pindai_pages_read_total 20\n"))
                #expect(text.contains("pindai_exceptions_by_reason_total{reason=\"blank-page\"} 1\n"))
                #expect(text.contains("# TYPE pindai_stage_seconds histogram\n"))
                #expect(text.contains("pindai_stage_seconds_bucket{stage=\"digits\",le=\"+Inf\"} 20\n"))
                #expect(text.contains("pindai_stage_seconds_count{stage=\"digits\"} 20\n"))
                let digitBuckets = text.split(separator: "\n").filter { $0.hasPrefix("pindai_stage_seconds_bucket{stage=\"digits\"") }
                    .compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }
                #expect(digitBuckets.count == 12 && digitBuckets == digitBuckets.sorted(), "cumulative buckets: \(digitBuckets)")
                #expect(text.contains("pindai_queue_items{state=\"waiting\"} "))
                #expect(!text.contains("6472"), "no form contents in metrics")
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(String(buffer: response.body) == "ok\n")
            }
        }
    }

    @Test func withATokenEveryRequestMustCarryIt() async throws {
        let (_, store, _) = try await sampleStore()
        let app = Application(router: StatusServer.router(store: store, token: "s3cret-token"))
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/metrics", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/healthz", method: .get, headers: [.authorization: "Bearer s3cret-token"]) { #expect($0.status == .ok) }
            try await client.execute(uri: "/?token=s3cret-token", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/?token=wrong", method: .get) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func bindingBeyondLoopbackRequiresAToken() async throws {
        let open = try await Fixtures.runPindai(["serve", "--bind", "0.0.0.0"])
        #expect(open.status == 64)
        #expect(open.output.hasPrefix("Error: binding 0.0.0.0 exposes the service beyond this machine: give --token, or bind 127.0.0.1\n"))
        #expect(StatusServer.isLoopback("127.0.0.1") && StatusServer.isLoopback("::1") && !StatusServer.isLoopback("10.0.0.5"))
    }

    @Test func theStatusPageRendersWithItsChartsInHeadlessChromium() async throws {
        let (dir, _, _) = try await sampleStore()
        let port = 18_500 + Int.random(in: 0..<400)
        _ = try await Fixtures.runPindai(["serve", "--store", dir + "/s.sqlite", "--port", String(port)]) { stop in
            defer { try? stop(.terminate) }
            try await checkStatusPage(dir: dir, port: port)
        }
    }

    /// The page as a browser renders it: its DOM holds the dashboard's text and charts, and a
    /// screenshot is a real picture (more than one colour), not an error page.
    func checkStatusPage(dir: String, port: Int) async throws {
        var up = false
        for _ in 0..<100 where !up {
            try await Task.sleep(for: .milliseconds(100))
            up = (try? await Fixtures.run("/usr/bin/env", ["curl", "-sf", "http://127.0.0.1:\(port)/healthz"]).status) == 0
        }
        #expect(up, "the server did not come up")
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let browser = try #require(chromium, "headless Chromium is needed (scripts/test installs Debian's chromium)")
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=1000,1100"]
        let dom = try await Fixtures.run(browser, flags + ["--dump-dom", "http://127.0.0.1:\(port)/"])
        #expect(dom.output.contains("<h1>pindai status</h1>"))
        for id in ["chart-pages", "chart-opened", "chart-closed"] { #expect(dom.output.contains("<svg id=\"\(id)\"")) }
        #expect(dom.output.contains("sample       5 documents scanned, 0 promoted"))
        #expect(dom.output.contains("exceptions: 1 blank-page"))
        let shot = dir + "/page.png"
        _ = try await Fixtures.run(browser, flags + ["--screenshot=\(shot)", "http://127.0.0.1:\(port)/"])
        let picture = try ImageFile.readPage(shot, index: 0)
        let shades = Set(picture.pixels.map { $0 / 32 })
        #expect(picture.width == 1000 && shades.count >= 3, "a \(picture.width)-pixel screenshot with \(shades.count) shades")
    }
}
