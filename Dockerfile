# syntax=docker/dockerfile:1
#
# The agent in a small runtime image: `agentctl run` with its configuration
# and its database on a volume, the listener's port exposed, a health
# check on /healthz, a non-root user, SIGTERM handled. No Docker engine runs
# where this project is developed, so this file is kept correct by reading
# and by Scripts/container/check.sh (hadolint, and the runtime packages
# below against `ldd` of the binary built as here); see docs/container.md.
#
#   docker build -t agentctl .
#   docker volume create agentctl-data
#   docker run --rm -v agentctl-data:/data agentctl config check        # after copying agent.yaml into the volume
#   docker run -d --name agentctl -v agentctl-data:/data -p 9464:9464 \
#       -e RT_TOKEN="$(cat rt-token)" agentctl
#   docker run --rm -v "$PWD:/work:ro" agentctl diagnose /work/trace.pcap

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

# A static Swift runtime (Foundation included): the runtime image then
# needs only the C libraries listed below.
RUN swift build -c release --static-swift-stdlib --product agentctl \
    && install -m 0755 "$(swift build -c release --static-swift-stdlib --show-bin-path)/agentctl" /usr/local/bin/agentctl

# --- run -----------------------------------------------------------------
FROM debian:bookworm-slim

# What `ldd agentctl` names (libcurl4, libsqlite3-0, zlib1g, libstdc++6,
# libgcc-s1; Scripts/container/check.sh compares), the CA bundle for
# https back-ends, the time zones (RT's user timezone is looked up by
# name), curl for the health check, and tini as PID 1 (it passes SIGTERM
# on and reaps; agentctl handles SIGTERM itself: in-flight posts finish).
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends \
        libcurl4 libsqlite3-0 zlib1g libstdc++6 libgcc-s1 ca-certificates tzdata curl tini \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 agent \
    && useradd --system --uid 10001 --gid 10001 --home-dir /data --shell /usr/sbin/nologin agent \
    && mkdir -p /data /opt/agentctl \
    && chown 10001:10001 /data

COPY --from=build /usr/local/bin/agentctl /usr/local/bin/agentctl
# The bundled fixtures, so that `diagnose` examples work in the image.
COPY --from=build /src/Fixtures /opt/agentctl/Fixtures
COPY config/container.yaml /opt/agentctl/agent.example.yaml

# /data holds the configuration (agent.yaml, or set AGENTCTL_CONFIG) and,
# through XDG_DATA_HOME, the database (agentctl/agentctl.sqlite) unless the
# configuration's `database:` puts it elsewhere. Secrets come from the
# environment or files the configuration names (token_env, token_file).
ENV AGENTCTL_CONFIG=/data/agent.yaml \
    XDG_DATA_HOME=/data \
    AGENTCTL_LISTENER_PORT=9464
VOLUME ["/data"]
WORKDIR /data

# The listener (/healthz, /metrics, Slack and Mattermost deliveries):
# config/container.yaml binds 0.0.0.0:9464; set AGENTCTL_LISTENER_PORT
# if the configuration says another port.
EXPOSE 9464
# /healthz answers 200 while the agent runs, whatever its back-ends do
# (?strict would restart the agent for RT being down).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["sh", "-c", "curl -fsS -o /dev/null \"http://127.0.0.1:${AGENTCTL_LISTENER_PORT}/healthz\" || exit 1"]

# By number, so that Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--", "agentctl"]
CMD ["run"]
