# syntax=docker/dockerfile:1
#
# agentctl in a small runtime image. No Docker engine runs where this
# project is developed, so this file is kept correct by reading: when you
# change the build (targets, system libraries, resources), change it here.
#
#   docker build -t agentctl .
#   docker run --rm agentctl diagnose Fixtures/traces/field-guide/outbound-call.txt
#   docker run --rm -v "$PWD:/data" agentctl diagnose /data/trace.txt

# The toolchain the project is built and tested with (6.3.1); keep them in step.
ARG SWIFT_VERSION=6.3

# --- build ---------------------------------------------------------------
FROM swift:${SWIFT_VERSION}-bookworm AS build

# The development headers of the system libraries the package links against
# (SQLite for the store, libcurl for the HTTP client, zlib for .gz exports).
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends libsqlite3-dev libcurl4-openssl-dev zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src

# Dependencies first, so editing sources reuses the resolved-packages layer.
# (Package.resolved is not committed; the glob lets the COPY work without it.)
COPY Package.swift Package.resolved* ./
RUN swift package resolve

COPY Sources ./Sources
COPY Tests ./Tests
COPY Fixtures ./Fixtures

# A static Swift runtime: the runtime image then needs only the C libraries.
RUN swift build -c release --static-swift-stdlib --product agentctl \
    && install -m 0755 "$(swift build -c release --static-swift-stdlib --show-bin-path)/agentctl" /usr/local/bin/agentctl

# --- run -----------------------------------------------------------------
FROM debian:bookworm-slim

RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends ca-certificates libcurl4 libsqlite3-0 zlib1g libstdc++6 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /opt/agentctl --shell /usr/sbin/nologin agent

COPY --from=build /usr/local/bin/agentctl /usr/local/bin/agentctl
# The bundled fixtures, so the README's first example works in the image.
COPY --from=build /src/Fixtures /opt/agentctl/Fixtures

WORKDIR /opt/agentctl
USER agent
ENTRYPOINT ["agentctl"]
CMD ["--help"]
