// swift-tools-version: 6.1
import PackageDescription

/// pindai: scanned paper questionnaires in, verified records out.
///
/// Modules follow the data flow: a template describes the form (`FormTemplate`, `Geometry`);
/// `FormRendering` prints it, `Synthesis` fills and "scans" it, and the reader stages consume scans.
/// Each C library is wrapped by exactly one module (`Canvas` for cairo, `Imaging` for Leptonica,
/// `QRCode` for libqrencode and zbar); everything else sees Swift types.
let package = Package(
    name: "pindai",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pindai", targets: ["pindai"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // MARK: C libraries (system packages, installed by scripts/setup)
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(
            name: "CLeptonica", pkgConfig: "lept", providers: [.apt(["libleptonica-dev"])]),
        .systemLibrary(
            name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CZBar", pkgConfig: "zbar", providers: [.apt(["libzbar-dev"])]),

        // MARK: Foundations
        .target(name: "Geometry"),
        .target(name: "Raster"),

        // MARK: The form
        .target(name: "FormTemplate", dependencies: ["Geometry", .product(name: "Yams", package: "Yams")]),

        // MARK: Library wrappers
        .target(name: "Imaging", dependencies: ["CLeptonica", "Raster", "Geometry"]),
        .target(name: "Canvas", dependencies: ["CCairo", "Raster", "Geometry"]),
        .target(name: "QRCode", dependencies: ["CQREncode", "CZBar", "Raster", "Geometry"]),

        // MARK: Printing and synthetic scans
        .target(name: "FormRendering", dependencies: ["FormTemplate", "Canvas", "QRCode", "Imaging", "Geometry", "Raster"]),
        .target(name: "HandwrittenDigits", dependencies: ["Raster"]),
        .target(
            name: "Synthesis",
            dependencies: [
                "FormTemplate", "FormRendering", "HandwrittenDigits", "Imaging", "Canvas", "Geometry", "Raster",
            ]),

        // MARK: Command line
        .target(
            name: "PindaiCLI",
            dependencies: [
                "FormTemplate", "FormRendering", "Synthesis", "Imaging", "HandwrittenDigits",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "pindai", dependencies: ["PindaiCLI"]),

        // MARK: Tests
        .target(name: "TestSupport", dependencies: ["FormTemplate", "Raster"], path: "Tests/TestSupport"),
        .testTarget(name: "GeometryTests", dependencies: ["Geometry"]),
        .testTarget(name: "FormTemplateTests", dependencies: ["FormTemplate", "TestSupport"]),
        .testTarget(
            name: "RenderingTests",
            dependencies: ["FormRendering", "QRCode", "Imaging", "FormTemplate", "TestSupport"]),
        .testTarget(
            name: "SynthesisTests",
            dependencies: ["Synthesis", "HandwrittenDigits", "Imaging", "QRCode", "FormTemplate", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["PindaiCLI", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
