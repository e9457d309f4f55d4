#!/usr/bin/env bash
# A throw-away Synapse on 127.0.0.1 for the Matrix back-end's tests
# (docs/matrix.md): server name localhost, SQLite, a free port, the rate
# limits raised so that tests sending bursts are not throttled, and two
# accounts, `agent` and `alice`, with test-only passwords.
#
#   Scripts/ci/synapse.sh start [VENV]   generate (once), start, wait, register
#   Scripts/ci/synapse.sh env            the variables the tests read (export lines)
#   Scripts/ci/synapse.sh stop           stop the Synapse this script started
#
# VENV (or $SYNAPSE_VENV) is a Python virtual environment with
# matrix-synapse installed (`python3 -m venv V && V/bin/pip install
# matrix-synapse`). State lives in $SYNAPSE_DIR (default
# ${TMPDIR:-/tmp}/agent-test-synapse); `start` on a running server only
# prints where its env file is, so the script is safe to run twice.
set -euo pipefail

dir="${SYNAPSE_DIR:-${TMPDIR:-/tmp}/agent-test-synapse}"
env_file="$dir/env"
pid_file="$dir/synapse.pid"

die() { echo "synapse.sh: $*" >&2; exit 1; }

running() {
    [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

answers() {
    local url="$1"
    "$python" - "$url" <<'PY' 2>/dev/null
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/_matrix/client/versions", timeout=2) as r:
    sys.exit(0 if r.status == 200 else 1)
PY
}

free_port() {
    "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

random_password() {
    "$python" -c 'import secrets; print("test-only-" + secrets.token_hex(12))'
}

find_venv() {
    local venv="${1:-${SYNAPSE_VENV:-}}"
    [ -n "$venv" ] || die "no virtual environment given: pass its path (Scripts/ci/synapse.sh start /path/to/venv) or set SYNAPSE_VENV; make one with: python3 -m venv V && V/bin/pip install matrix-synapse"
    [ -x "$venv/bin/python" ] || die "$venv/bin/python is missing: $venv is not a virtual environment"
    "$venv/bin/python" -c 'import synapse' 2>/dev/null \
        || die "matrix-synapse is not installed in $venv: $venv/bin/pip install matrix-synapse"
    python="$venv/bin/python"
    register="$venv/bin/register_new_matrix_user"
    [ -x "$register" ] || die "$register is missing; reinstall matrix-synapse in $venv"
}

start() {
    local began; began=$(date +%s.%N)
    find_venv "${1:-}"
    mkdir -p "$dir"
    if running && [ -f "$env_file" ]; then
        # shellcheck disable=SC1090
        . "$env_file"
        if answers "$AGENT_TEST_MATRIX_URL"; then
            echo "synapse already running at $AGENT_TEST_MATRIX_URL (pid $(cat "$pid_file")); env in $env_file"
            return 0
        fi
        stop
    fi

    if [ ! -f "$dir/homeserver.yaml" ]; then
        (cd "$dir" && "$python" -m synapse.app.homeserver --server-name localhost \
            --config-path "$dir/homeserver.yaml" --data-directory "$dir" \
            --generate-config --report-stats=no >/dev/null)
    fi
    [ -f "$dir/passwords" ] || printf 'AGENT=%s\nALICE=%s\n' "$(random_password)" "$(random_password)" >"$dir/passwords"
    chmod 600 "$dir/passwords"
    local agent_password alice_password
    agent_password=$(sed -n 's/^AGENT=//p' "$dir/passwords")
    alice_password=$(sed -n 's/^ALICE=//p' "$dir/passwords")

    # A later config file replaces the top-level keys of the generated one.
    local port; port=$(free_port)
    local lots='{per_second: 1000, burst_count: 1000}'
    cat >"$dir/test-overrides.yaml" <<YAML
listeners:
  - port: $port
    bind_addresses: ['127.0.0.1']
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
database:
  name: sqlite3
  args:
    database: $dir/homeserver.db
pid_file: $pid_file
media_store_path: $dir/media_store
enable_registration: false
report_stats: false
# No network but loopback: no key servers, no federation, no previews.
trusted_key_servers: []
suppress_key_server_warning: true
federation_domain_whitelist: []
url_preview_enabled: false
presence:
  enabled: false
rc_message: $lots
rc_registration: $lots
rc_registration_token_validity: $lots
rc_login:
  address: $lots
  account: $lots
  failed_attempts: $lots
rc_joins:
  local: $lots
  remote: $lots
rc_joins_per_room: $lots
rc_invites:
  per_room: $lots
  per_user: $lots
  per_issuer: $lots
rc_3pid_validation: $lots
rc_admin_redaction: $lots
rc_room_creation: $lots
rc_reports: $lots
rc_delayed_event_mgmt: $lots
YAML

    # exec: the background subshell becomes Synapse itself, so $! is its
    # pid and no shell is left holding the caller's stdout (a caller that
    # pipes this script's output would otherwise wait forever).
    (cd "$dir" && exec "$python" -m synapse.app.homeserver \
        -c "$dir/homeserver.yaml" -c "$dir/test-overrides.yaml" >"$dir/stdout.log" 2>&1 </dev/null) &
    echo $! >"$pid_file"
    local url="http://127.0.0.1:$port"
    local waited=0
    until answers "$url"; do
        running || { tail -n 30 "$dir/stdout.log" "$dir/homeserver.log" 2>/dev/null >&2; die "synapse exited while starting; its log is above"; }
        [ "$waited" -lt 120 ] || { stop; die "synapse did not answer at $url within 60 s; see $dir/homeserver.log"; }
        sleep 0.5; waited=$((waited + 1))
    done

    "$register" -c "$dir/homeserver.yaml" -u agent -p "$agent_password" --no-admin --exists-ok "$url" >/dev/null
    "$register" -c "$dir/homeserver.yaml" -u alice -p "$alice_password" --no-admin --exists-ok "$url" >/dev/null

    cat >"$env_file" <<ENV
export AGENT_TEST_MATRIX_URL=$url
export AGENT_TEST_MATRIX_SERVER_NAME=localhost
export AGENT_TEST_MATRIX_AGENT_USER=agent
export AGENT_TEST_MATRIX_AGENT_PASSWORD=$agent_password
export AGENT_TEST_MATRIX_ALICE_USER=alice
export AGENT_TEST_MATRIX_ALICE_PASSWORD=$alice_password
ENV
    chmod 600 "$env_file"
    local took; took=$(awk -v a="$began" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    echo "synapse at $url (pid $(cat "$pid_file")), users agent and alice, ready in ${took} s; env in $env_file"
}

stop() {
    if [ -f "$pid_file" ]; then
        local pid; pid=$(cat "$pid_file")
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid"
            for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
            kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
        fi
        rm -f "$pid_file"
        echo "synapse stopped (pid $pid)"
    fi
}

case "${1:-}" in
    start) start "${2:-}" ;;
    stop) stop ;;
    env) [ -f "$env_file" ] || die "no env file at $env_file: run Scripts/ci/synapse.sh start first"; cat "$env_file" ;;
    *) die "usage: $0 start [VENV] | stop | env" ;;
esac
