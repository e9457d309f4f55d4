// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "sip-diagnosis-agent",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "agentctl", targets: ["agentctl"]),
        .library(name: "SIPCore", targets: ["SIPCore"]),
        .library(name: "TraceFormats", targets: ["TraceFormats"]),
        .library(name: "Diagnosis", targets: ["Diagnosis"]),
        .library(name: "TraceSynthesis", targets: ["TraceSynthesis"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Store", targets: ["Store"]),
        .library(name: "HTTPClient", targets: ["HTTPClient"]),
        .library(name: "Integrations", targets: ["Integrations"]),
        .library(name: "AgentConfig", targets: ["AgentConfig"]),
        .library(name: "Annotation", targets: ["Annotation"]),
        .library(name: "Agent", targets: ["Agent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        .target(name: "SIPCore"),
        .target(name: "TraceFormats", dependencies: ["SIPCore"]),
        .target(name: "Diagnosis", dependencies: ["SIPCore", "TraceFormats"]),
        // Captures built from text traces and scripts: the capture fixtures
        // and the benchmark's corpus, so no binary is committed.
        .target(name: "TraceSynthesis", dependencies: ["SIPCore", "TraceFormats"]),
        // What a program calls: a call's trace from a file or bytes, read in
        // bounded memory, with typed errors and cancellation; above both the
        // readers and the diagnosis because finding a call's legs needs both.
        .target(name: "Engine", dependencies: ["Diagnosis", "TraceFormats"]),
        // What the agent remembers, in one SQLite file: the diagnosis cache,
        // the ticket/post ledger and the trace index, behind protocols so a
        // shared ledger can later live elsewhere. See docs/store.md.
        .target(name: "Store", dependencies: [
            "Diagnosis", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        // libcurl from the system (libcurl4-openssl-dev), with typed wrappers
        // for its variadic setopt/getinfo.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Every outside call of the project, over libcurl. See docs/http-client.md.
        .target(name: "HTTPClient", dependencies: ["CCurl"]),
        // The system zlib (zlib1g-dev): .gz exports are inflated as a
        // stream, never unpacked to disk. See docs/export-directories.md.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // What the agent reads in people's text and writes back, pure: the
        // Call-IDs in a ticket or a chat message, the redaction, the
        // annotation in each back-end's markup with its marker. See
        // docs/annotations.md.
        .target(name: "Annotation", dependencies: ["Diagnosis", "SIPCore"]),
        // Where traces, tickets and chat come from and go to, each behind a
        // small protocol: export directories, Homer, HTTP APIs; Request
        // Tracker, Matrix, the local inbox.
        .target(name: "Integrations", dependencies: [
            "Store", "HTTPClient", "Engine", "Diagnosis", "TraceFormats", "CZlib", "Annotation",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The agent's one configuration file (YAML: Yams keeps every node's
        // line, so a mistake is named where it is). Plain values only; the
        // sources and the store are handed what they need. See
        // docs/configuration.md.
        .target(name: "AgentConfig", dependencies: [
            "Diagnosis", "TraceFormats", "Annotation",
            .product(name: "Yams", package: "Yams"),
        ]),
        // The long-running service: configuration to sources and back-ends,
        // one poller per back-end, the exactly-once work on the ledger, the
        // listener with /healthz and /metrics, logs. See docs/agent.md.
        .target(name: "Agent", dependencies: [
            "AgentConfig", "Integrations", "Annotation", "Store", "HTTPClient", "Engine", "Diagnosis", "TraceFormats", "SIPCore",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        .executableTarget(
            name: "agentctl",
            dependencies: [
                "Engine", "Diagnosis", "TraceFormats", "SIPCore", "TraceSynthesis", "AgentConfig", "Store", "Integrations", "HTTPClient",
                "Agent", "Annotation",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers more than one test target needs (the seeded generator,
        // which lives in TraceSynthesis because capture scripts use it too).
        .target(name: "TestSupport", dependencies: ["TraceSynthesis"], path: "Tests/TestSupport"),
        .testTarget(name: "SIPCoreTests", dependencies: ["SIPCore", "TestSupport"]),
        .testTarget(name: "TraceFormatsTests", dependencies: ["TraceFormats", "TestSupport"]),
        .testTarget(name: "DiagnosisTests", dependencies: ["Diagnosis", "TraceFormats", "TraceSynthesis", "TestSupport"]),
        .testTarget(name: "TraceSynthesisTests", dependencies: ["TraceSynthesis"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Diagnosis", "TraceFormats", "TraceSynthesis", "TestSupport"]),
        .testTarget(name: "AgentConfigTests", dependencies: ["AgentConfig", "Annotation", "Diagnosis", "TraceFormats"]),
        .testTarget(name: "AnnotationTests", dependencies: ["Annotation", "Diagnosis", "TraceFormats", "TestSupport"]),
        // The service against the local inbox, the real RT and Synapse that
        // .ci/run starts (skipped, saying why, without them), and agentctl
        // processes killed with SIGKILL at each step of a post.
        .testTarget(name: "AgentTests", dependencies: [
            "Agent", "Annotation", "Integrations", "Store", "AgentConfig", "HTTPClient", "Diagnosis", "TestSupport", "agentctl",
        ]),
        // Against real servers on 127.0.0.1 the tests start (Python 3 scripts
        // in Servers/); see docs/http-client.md.
        .testTarget(name: "HTTPClientTests", dependencies: ["HTTPClient", "TestSupport"], exclude: ["Servers"]),
        // The store's tests open real SQLite files in scratch directories;
        // StoreTestChild is the second process they kill with SIGKILL and
        // race against (a dependency only so that it is built first).
        .executableTarget(name: "StoreTestChild", dependencies: ["Store"], path: "Tests/StoreTestChild"),
        .testTarget(name: "StoreTests", dependencies: [
            "Store", "Diagnosis", "TraceFormats", "TestSupport", "StoreTestChild",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "agentctlTests", dependencies: ["agentctl", "TraceFormats", "TraceSynthesis", "TestSupport", "Store", "Diagnosis"]),
        // The trace sources: against vendor-shaped servers on 127.0.0.1 that
        // the tests start (Python 3 stdlib scripts in Servers/), and export
        // directories indexed into real SQLite files.
        .testTarget(name: "IntegrationsTests", dependencies: [
            "Integrations", "HTTPClient", "Store", "Engine", "Diagnosis", "TraceFormats", "TraceSynthesis", "TestSupport",
        ], exclude: ["Servers"]),
        // Calls between real SIP stacks (SIPp) on loopback, captured with
        // dumpcap and diagnosed; skips itself, saying why, where sipp,
        // dumpcap or the right to capture is missing. See
        // docs/integration-tests.md.
        .testTarget(name: "IntegrationTests", dependencies: ["Engine", "Diagnosis", "TraceFormats"], exclude: ["Scenarios"]),
    ]
)
