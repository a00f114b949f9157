import Foundation
import Hummingbird
import Store

/// `pindai serve`: `/metrics` for Prometheus, `/` a self-refreshing status page for the shift
/// supervisor, `/healthz`. Loopback only by default; any other address needs a token, and then
/// every request must carry it (`Authorization: Bearer TOKEN` or `?token=TOKEN`).
package enum StatusServer {
    /// Whether `address` only accepts connections from this machine.
    package static func isLoopback(_ address: String) -> Bool {
        address == "localhost" || address == "::1" || address.hasPrefix("127.")
    }

    /// The router with every endpoint.
    package static func router(store: any StatusSource, token: String?) -> Router<BasicRequestContext> {
        let router = Router()
        if let token { router.add(middleware: TokenMiddleware(token: token)) }
        router.get("healthz") { _, _ in "ok\n" }
        router.get("metrics") { _, _ -> Response in
            let text = MetricsExporter.text(try await store.status(), stageHistograms: try await store.stageHistograms())
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("/") { request, _ -> Response in
            let snapshot = try await store.status()
            let series = try await store.perMinute()
            let html = StatusPage.html(snapshot, series: series, token: request.uri.queryParameters["token"].map(String.init))
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
        }
        return router
    }

    /// The application, listening on `bind:port`.
    package static func application(store: any StatusSource, bind: String, port: Int, token: String?) -> some ApplicationProtocol {
        Application(router: router(store: store, token: token), configuration: .init(address: .hostname(bind, port: port), serverName: "pindai"))
    }
}

/// Rejects requests without the token.
struct TokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let bearer = request.headers[.authorization] == "Bearer \(token)"
        let query = request.uri.queryParameters["token"].map(String.init) == token
        guard bearer || query else {
            return Response(
                status: .unauthorized, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "a token is required: send Authorization: Bearer TOKEN or add ?token=TOKEN\n")))
        }
        return try await next(request, context)
    }
}
