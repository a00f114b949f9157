import Clips
import Geometry
import Imaging
import Raster
import Store
import Synchronization
import Testing
import Vocabulary

/// Clips cut on demand from a stored page image: the same pixels the reader saw, each page
/// fetched once while its fields are wanted, and the verifier's wider views.
struct ClipCutterTests {
    /// A 300-dpi grey page with a dark bar every 40 rows and a dark column every 50.
    static func page() -> GreyImage {
        var image = GreyImage(width: 600, height: 400, dpi: 300)
        for y in 0..<400 {
            for x in 0..<600 where y % 40 < 4 || x % 50 < 3 { image[x, y] = 34 }
        }
        return image
    }

    /// How often the store was asked for a page.
    final class Loads: Sendable {
        let count = Mutex(0)
    }

    /// A cutter over one stored page (id 1), counting how often the store is asked for it.
    static func cutter(_ bytes: [UInt8]) -> (ClipCutter, Loads) {
        let loads = Loads()
        let cutter = ClipCutter { id in
            loads.count.withLock { $0 += 1 }
            return id == 1 ? bytes : nil
        }
        return (cutter, loads)
    }

    @Test func aClipIsThePagesPixelsWhereTheReaderCutThem() async throws {
        let scan = ScanPage(Self.page())
        let rect = Rect(x: 33.4, y: 71.6, width: 250, height: 90)
        let region = try #require(scan.cutRectangle(rect))
        let (cutter, loads) = Self.cutter(scan.storedImage())
        let clip = try #require(try await cutter.clip(FieldImage(pageID: 1, clip: .region(region))))
        #expect(clip.pixels == scan.grey(rect).pixels)
        // More fields of the same page: the page is fetched and decoded once.
        for x in stride(from: 0, to: 500, by: 100) {
            _ = try await cutter.clip(FieldImage(pageID: 1, clip: .region([x, 10, 50, 50])))
        }
        #expect(loads.count.withLock { $0 } == 1)
    }

    @Test func aClipKeptBeforePageImagesComesAsItWasAndAMissingPageGivesNone() async throws {
        let (cutter, _) = Self.cutter([])
        let old = Self.page().cropped(x: 0, y: 0, width: 60, height: 30)
        #expect(try await cutter.clip(FieldImage(pageID: 9, clip: .png(old.pngData())))?.pixels == old.pixels)
        #expect(try await cutter.clip(FieldImage(pageID: 2, clip: .region([0, 0, 10, 10]))) == nil)
    }

    @Test func theWiderViewsShowThePageAroundTheFieldWithOnlyTheFieldUnfaded() async throws {
        let scan = ScanPage(Self.page())
        let (cutter, _) = Self.cutter(scan.storedImage())
        let field = FieldImage(pageID: 1, clip: .region([200, 150, 100, 60]))
        // 10 mm at 300 dpi is 118 pixels on every side.
        let around = try #require(try await cutter.surroundings(field, marginMM: 10))
        #expect(around.width == 100 + 2 * 118 && around.height == 60 + 2 * 118)
        let clip = try #require(try await cutter.clip(field))
        #expect(around.cropped(x: 118, y: 118, width: 100, height: 60).pixels == clip.pixels, "the field itself is unfaded")
        #expect(around[118 + 2, 118 + 10 - 118] > 150, "a dark bar outside the field is faded")
        let page = try #require(try await cutter.surroundings(field, marginMM: nil))
        #expect(page.width == 600 && page.height == 400)
        #expect(page.cropped(x: 200, y: 150, width: 100, height: 60).pixels == clip.pixels)
        #expect(page[0, 0] > 150 && clip.pixels.min()! < 60)
    }

    @Test func everyFieldOfAnIngestedBatchIsCutFromItsPagesOneStoredImage() async throws {
        let (_, store, _) = try await sampleStore()
        let cutter = ClipCutter(capacity: 1) { try await store.pageImage(id: $0) }
        var pages: Set<Int64> = []
        var queued = 0
        for key in try await store.documentKeys(batch: nil) {
            for reading in try await store.readings(form: key.form, serial: key.serial) {
                let image = try #require(try await store.fieldImage(form: key.form, serial: key.serial, fieldID: reading.fieldID))
                guard case .region(let r) = image.clip else {
                    Issue.record("field \(reading.fieldID) has no rectangle on its page")
                    continue
                }
                pages.insert(image.pageID)
                let clip = try #require(try await cutter.clip(image))
                #expect(clip.width == r[2] && clip.height == r[3])
                if reading.status == .queued, reading.kind == "digits" {
                    queued += 1
                    // Each box read as written shows its ink where the reader cut it.
                    for box in BoxReading.decode(reading.boxesJSON) where box.state == .read {
                        let i = try #require(box.interior)
                        let ink = clip.cropped(x: i[0], y: i[1], width: i[2], height: i[3]).pixels.filter { $0 < ScanPage.inkThreshold }.count
                        #expect(ink > 10, "field \(reading.fieldID): a box read as a digit shows ink in its clip")
                    }
                }
            }
        }
        #expect(queued > 10)
        #expect(pages.count == (try await store.documents(batch: nil)).reduce(0) { $0 + $1.pages.count }, "one image per read page")
    }
}
