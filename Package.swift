// swift-tools-version: 6.1
import PackageDescription

/// pindai: scanned paper questionnaires in, verified records out.
///
/// Modules follow the data flow: a template describes the form (`FormTemplate`, `Geometry`);
/// `FormRendering` prints it, `Synthesis` fills and "scans" it, and the reader stages consume scans.
/// Each C library is wrapped by exactly one module (`Canvas` for cairo, `Imaging` for Leptonica,
/// `PDFReading` for poppler and qpdf, `QRCode` for libqrencode and zbar); everything else sees Swift types.
let package = Package(
    name: "pindai",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pindai", targets: ["pindai"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // MARK: C libraries (system packages, installed by scripts/setup)
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(
            name: "CLeptonica", pkgConfig: "lept", providers: [.apt(["libleptonica-dev"])]),
        .systemLibrary(
            name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CZBar", pkgConfig: "zbar", providers: [.apt(["libzbar-dev"])]),
        .systemLibrary(name: "CPoppler", pkgConfig: "poppler-glib", providers: [.apt(["libpoppler-glib-dev"])]),
        .systemLibrary(name: "CQPDF", pkgConfig: "libqpdf", providers: [.apt(["libqpdf-dev"])]),
        .systemLibrary(
            name: "CTesseract", pkgConfig: "tesseract", providers: [.apt(["libtesseract-dev", "libleptonica-dev"])]),

        // MARK: Foundations
        .target(name: "Geometry"),
        .target(name: "Raster"),
        .target(name: "Vocabulary"),

        // MARK: The form
        .target(name: "FormTemplate", dependencies: ["Geometry", .product(name: "Yams", package: "Yams")]),

        // MARK: Library wrappers
        .target(name: "PDFReading", dependencies: ["CPoppler", "CQPDF", "Raster"]),
        .target(name: "Imaging", dependencies: ["CLeptonica", "PDFReading", "Raster", "Geometry"]),
        .target(name: "Canvas", dependencies: ["CCairo", "Raster", "Geometry"]),
        .target(name: "QRCode", dependencies: ["CQREncode", "CZBar", "Raster", "Geometry"]),

        // MARK: Printing and synthetic scans
        .target(name: "FormRendering", dependencies: ["FormTemplate", "Canvas", "QRCode", "Imaging", "Geometry", "Raster"]),
        .target(name: "HandwrittenDigits", dependencies: ["Raster"]),
        .target(
            name: "Synthesis",
            dependencies: [
                "FormTemplate", "FormRendering", "HandwrittenDigits", "Imaging", "Canvas", "Geometry", "Raster", "Validation",
            ]),

        // MARK: Reading scans, in the order data flows
        .target(name: "Identification", dependencies: ["FormTemplate", "Imaging", "QRCode", "Geometry", "Raster"]),
        .target(name: "Alignment", dependencies: ["FormTemplate", "Imaging", "Geometry"]),
        .target(name: "MarkReading", dependencies: ["FormTemplate", "Imaging", "Geometry", "Vocabulary"]),
        .target(
            name: "DigitRecognition", dependencies: ["CTesseract", "Imaging", "Raster", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Clips", dependencies: ["Store", "Imaging", "Raster"]),
        .target(
            name: "Learning",
            dependencies: ["Clips", "DigitRecognition", "FormTemplate", "Reading", "Store", "Imaging", "Raster", "Vocabulary"]),
        .target(
            name: "Reading",
            dependencies: ["FormTemplate", "Alignment", "MarkReading", "DigitRecognition", "Imaging", "Geometry", "Raster", "Vocabulary"]),
        .target(
            name: "Store",
            dependencies: [
                "FormTemplate", "Vocabulary", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "Ingest",
            dependencies: [
                "FormTemplate", "Identification", "Alignment", "Reading", "DigitRecognition", "Store", "Imaging", "Vocabulary",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .target(name: "Evaluation", dependencies: ["FormTemplate", "Store", "Synthesis", "Validation", "Verification", "Vocabulary"]),
        .target(name: "Validation", dependencies: ["FormTemplate"]),
        .target(name: "Verification", dependencies: ["FormTemplate", "Validation", "Store", "Vocabulary"]),
        .target(name: "Terminal", dependencies: ["Verification", "FormTemplate", "Raster", "Vocabulary"]),
        .target(
            name: "Monitoring",
            dependencies: [
                "Store", "Vocabulary", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Prometheus", package: "swift-prometheus"),
            ]),

        // MARK: Command line
        .target(
            name: "PindaiCLI",
            dependencies: [
                "FormTemplate", "FormRendering", "Synthesis", "Imaging", "Raster", "HandwrittenDigits", "Ingest", "Store",
                "DigitRecognition", "MarkReading", "Evaluation", "Verification", "Terminal", "Monitoring", "Vocabulary", "Learning", "Reading",
                "Clips", .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(name: "pindai", dependencies: ["PindaiCLI"]),

        // MARK: Tests
        .target(
            name: "TestSupport",
            dependencies: [
                "FormTemplate", "HandwrittenDigits", .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"), .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Tests/TestSupport"),
        .testTarget(name: "GeometryTests", dependencies: ["Geometry"]),
        .testTarget(name: "VocabularyTests", dependencies: ["Vocabulary", "TestSupport"]),
        .testTarget(
            name: "StoreTests",
            dependencies: ["Store", "Vocabulary", "FormTemplate", "TestSupport", .product(name: "PostgresNIO", package: "postgres-nio")]),
        .testTarget(name: "FormTemplateTests", dependencies: ["FormTemplate", "Geometry", "TestSupport"]),
        .testTarget(
            name: "RenderingTests",
            dependencies: ["FormRendering", "QRCode", "Imaging", "PDFReading", "FormTemplate", "Geometry", "Raster", "TestSupport"]),
        .testTarget(
            name: "SynthesisTests",
            dependencies: [
                "Synthesis", "HandwrittenDigits", "Imaging", "QRCode", "FormTemplate", "TestSupport", "Validation", "Canvas", "Geometry",
                "Raster",
            ]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "ValidationTests", dependencies: ["Validation", "FormTemplate", "Store", "Synthesis", "TestSupport"]),
        .testTarget(
            name: "VerificationTests",
            dependencies: [
                "Verification", "Evaluation", "Ingest", "Store", "Monitoring", "FormTemplate", "Synthesis", "HandwrittenDigits", "Imaging",
                "TestSupport", "Vocabulary", "Learning", "Reading", "DigitRecognition", "Clips",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            exclude: ["Snapshots"]),
        .testTarget(
            name: "RecognitionTests",
            dependencies: ["DigitRecognition", "Imaging", "Canvas", "HandwrittenDigits", "Geometry", "Raster", "TestSupport"]),
        .testTarget(
            name: "IngestTests",
            dependencies: [
                "Ingest", "Identification", "Alignment", "Reading", "MarkReading", "Store", "Imaging", "Synthesis", "Evaluation", "FormTemplate",
                "FormRendering", "Geometry", "HandwrittenDigits", "Raster", "TestSupport", "Vocabulary", "Clips",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
