import ArgumentParser
import Foundation
import Hummingbird
import Monitoring

/// `pindai serve`: metrics and the status page over HTTP.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve /metrics (Prometheus), / (the status page with throughput charts) and /healthz.",
        discussion: """
            Loopback only by default. Binding any other address needs --token, and then every request must \
            carry it (Authorization: Bearer TOKEN, or ?token=TOKEN in a browser).

            Examples:
              pindai serve
              pindai serve --bind 0.0.0.0 --port 8080 --token "$(openssl rand -hex 16)"
            """
    )

    @Option(help: "Address to listen on.")
    var bind: String = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port: Int = 8080

    @Option(help: "Access token (required when --bind is not a loopback address).")
    var token: String?

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        if !StatusServer.isLoopback(bind) && (token ?? "").isEmpty {
            throw ValidationError("binding \(bind) exposes the service beyond this machine: give --token, or bind 127.0.0.1")
        }
        if let token, token.count < 8 { throw ValidationError("--token must be at least 8 characters") }
    }

    func run() async throws {
        let store = try await storeOptions.open()
        print("serving http://\(bind):\(port)/ (metrics at /metrics, health at /healthz)\(token == nil ? "" : ", token required")")
        try await StatusServer.application(store: store, bind: bind, port: port, token: token).runService()
    }
}
