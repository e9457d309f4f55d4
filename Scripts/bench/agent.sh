#!/usr/bin/env bash
# The agent's benchmark against the real Request Tracker 5 and Synapse
# (issue 9, "Speed"; figures in docs/performance.md):
#
#   Scripts/bench/agent.sh [--quick] [agent_bench.py options]
#
# Starts RT (Scripts/ci/rt.sh start $AGENT_TEST_RT_DIR) and Synapse
# (Scripts/ci/synapse.sh start $SYNAPSE_VENV, state in $SYNAPSE_DIR) unless
# they already run, builds agentctl in release, runs
# Scripts/bench/agent_bench.py, and stops the servers it started (a server
# that was already running is left running).
#
#   AGENT_TEST_RT_DIR   RT's directory          (default /tmp/bench-rt)
#   SYNAPSE_DIR         Synapse's directory     (default /tmp/bench-synapse)
#   SYNAPSE_VENV        a venv with matrix-synapse (default /tmp/synvenv)
#   BENCH_WORK          the benchmark's scratch (default /tmp/bench-agent)
#   BENCH_SKIP_BUILD=1  use the existing .build/release/agentctl
#
# Needs what .ci/run installs: Debian's request-tracker5 rt5-db-sqlite
# libplack-perl (run as root), a venv with matrix-synapse, Swift.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
export AGENT_TEST_RT_DIR="${AGENT_TEST_RT_DIR:-/tmp/bench-rt}"
export SYNAPSE_DIR="${SYNAPSE_DIR:-/tmp/bench-synapse}"
venv="${SYNAPSE_VENV:-/tmp/synvenv}"
work="${BENCH_WORK:-/tmp/bench-agent}"

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

started_rt=0
started_synapse=0
cleanup() {
    [ "$started_rt" = 1 ] && "$root/Scripts/ci/rt.sh" stop "$AGENT_TEST_RT_DIR" || true
    [ "$started_synapse" = 1 ] && "$root/Scripts/ci/synapse.sh" stop || true
}
trap cleanup EXIT

alive "$AGENT_TEST_RT_DIR/rt-server.pid" || started_rt=1
"$root/Scripts/ci/rt.sh" start "$AGENT_TEST_RT_DIR" >/dev/null
alive "$SYNAPSE_DIR/synapse.pid" || started_synapse=1
"$root/Scripts/ci/synapse.sh" start "$venv" >/dev/null

cd "$root"
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    swift build -c release --product agentctl 2>&1 | tail -n 3
fi

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
python3 "$root/Scripts/bench/agent_bench.py" --agentctl "$root/.build/release/agentctl" \
    --rt-env "$AGENT_TEST_RT_DIR/env" --matrix-env "$SYNAPSE_DIR/env" --work "$work" "$@"
echo "machine: load average $(cut -d' ' -f1-3 /proc/loadavg) after the run; logs and figures.json in $work"
