import Imaging
import Raster
import Store

/// Cuts fields' clips from stored page images when a person or a model needs them.
///
/// Ingest stores each page's image once and every field as a rectangle of it, instead of a
/// PNG per field that fewer than one in ten is ever looked at. A verifier walks a document's
/// fields page by page and learning walks documents in order, so the few most recent pages are
/// kept decoded: each page is fetched and decoded once while its fields are wanted.
package actor ClipCutter {
    /// Fetches a page's stored image by page row id (a store's `pageImage(id:)`).
    package typealias Loader = @Sendable (Int64) async throws -> [UInt8]?

    private let load: Loader
    private let capacity: Int
    private var recent: [(id: Int64, page: GreyImage?)] = []

    /// Creates a cutter that keeps the `capacity` most recently used pages decoded.
    package init(capacity: Int = 2, load: @escaping Loader) {
        (self.capacity, self.load) = (max(1, capacity), load)
    }

    /// The field's clip: nil when the store kept no image of it or its bytes do not decode.
    package func clip(_ image: FieldImage) async throws -> GreyImage? {
        switch image.clip {
        case .png(let bytes):
            return GreyImage(imageData: bytes)
        case .region(let r):
            guard r.count == 4, let page = try await page(image.pageID) else { return nil }
            return page.cropped(x: r[0], y: r[1], width: r[2], height: r[3])
        }
    }

    /// The field with `marginMM` of its page on every side (nil: the whole page), everything
    /// outside the field faded so the eye finds it: the verifier's wider views. A clip stored
    /// before page images were kept has no page around it and comes as it is.
    package func surroundings(_ image: FieldImage, marginMM: Double?) async throws -> GreyImage? {
        guard case .region(let r) = image.clip, r.count == 4 else { return try await clip(image) }
        guard let page = try await page(image.pageID) else { return nil }
        let margin = marginMM.map { Int(($0 * page.dpi / 25.4).rounded()) } ?? max(page.width, page.height)
        let x0 = max(0, r[0] - margin)
        let y0 = max(0, r[1] - margin)
        var view = page.cropped(x: x0, y: y0, width: r[2] + r[0] - x0 + margin, height: r[3] + r[1] - y0 + margin)
        let field = (x: r[0] - x0, y: r[1] - y0, width: r[2], height: r[3])
        view.pixels.withUnsafeMutableBufferPointer { p in
            for row in 0..<view.height {
                let inside = row >= field.y && row < field.y + field.height
                for col in 0..<view.width where !(inside && col >= field.x && col < field.x + field.width) {
                    let i = row * view.width + col
                    p[i] = 255 - (255 - p[i]) / 3
                }
            }
        }
        return view
    }

    /// A whole stored page, decoded to 8-bit grey; nil when none was kept.
    package func page(_ id: Int64) async throws -> GreyImage? {
        if let i = recent.firstIndex(where: { $0.id == id }) {
            let hit = recent.remove(at: i)
            recent.append(hit)
            return hit.page
        }
        let decoded = try await load(id).flatMap { GreyImage(imageData: $0) }
        recent.append((id, decoded))
        if recent.count > capacity { recent.removeFirst() }
        return decoded
    }
}
