#!/usr/bin/env bash
# A throw-away Request Tracker 5 for the integration tests, from Debian's
# request-tracker5, rt5-db-sqlite and libplack-perl (bookworm):
#
#   Scripts/ci/rt.sh start [DIR]   SQLite database, rt-server on 127.0.0.1 under /rt,
#                                  the agent user (timezone UTC) and its token;
#                                  writes DIR/env and prints it. Idempotent: a
#                                  running, answering RT is left as it is.
#   Scripts/ci/rt.sh stop [DIR]    stops the rt-server this script started.
#   Scripts/ci/rt.sh env [DIR]     prints DIR/env (for `set -a; . DIR/env`).
#
# RT_WORKERS=N (N > 1) serves with Starman (Debian's `starman`) and N
# workers, as a production RT serves requests in parallel; the default is
# Plack's single-process Standalone server, which takes them in turn.
#
# DIR defaults to $AGENT_TEST_RT_DIR or /tmp/agent-test-rt. Nothing of
# Debian's own configuration (debconf's RT_SiteConfig.d, its database)
# is read or written: RT_SITE_CONFIG and RT_SITE_CONFIG_DIR point into DIR.
# The passwords and the token are for this test instance only.
# See docs/request-tracker.md.
set -euo pipefail

action="${1:-}"
dir="${2:-${AGENT_TEST_RT_DIR:-/tmp/agent-test-rt}}"
rtlib=/usr/share/request-tracker5/lib
server=/usr/share/request-tracker5/libexec/rt-server
setup=/usr/sbin/rt-setup-database-5
agent_user=agent
root_password="rt-test-root-pw"

usage() { echo "usage: $0 start|stop|env [DIR]" >&2; exit 2; }

running() {
    [ -f "$dir/rt-server.pid" ] && kill -0 "$(cat "$dir/rt-server.pid")" 2>/dev/null
}

answering() {
    local port
    port="$(cat "$dir/port" 2>/dev/null)" || return 1
    # REST2's root answers 401 without credentials once RT is up.
    # python3 rather than curl(1): CI installs libcurl's headers, not the tool.
    python3 - "http://127.0.0.1:$port/rt/REST/2.0/" <<'PY' 2>/dev/null
import sys, urllib.request, urllib.error
request = urllib.request.Request(sys.argv[1], headers={"User-Agent": "agent-test-rt"})
try:
    urllib.request.urlopen(request, timeout=5)
except urllib.error.HTTPError as error:
    sys.exit(0 if error.code == 401 else 1)
except OSError:
    sys.exit(1)
PY
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

export_config() {
    export RT_SITE_CONFIG="$dir/RT_SiteConfig.pm"
    export RT_SITE_CONFIG_DIR="$dir/RT_SiteConfig.d"
}

write_config() {
    local port="$1"
    mkdir -p "$dir/RT_SiteConfig.d" "$dir/mason_data" "$dir/session_data" "$dir/log"
    cat >"$dir/RT_SiteConfig.pm" <<PERL
# Written by Scripts/ci/rt.sh for the agent's integration tests.
Set(\$rtname, 'agent-test');
Set(\$Organization, 'agent-test.invalid');
Set(\$Timezone, 'UTC');
Set(\$WebDomain, '127.0.0.1');
Set(\$WebPort, $port);
Set(\$WebPath, '/rt');
Set(\$WebBaseURL, 'http://127.0.0.1:$port');
Set(\$DatabaseType, 'SQLite');
Set(\$DatabaseName, '$dir/rt.sqlite');
Set(\$DatabaseHost, '');
Set(\$DatabaseUser, '');
Set(\$DatabasePassword, '');
Set(\$MasonDataDir, '$dir/mason_data');
Set(\$MasonSessionDir, '$dir/session_data');
Set(\$LogToSyslog, undef);
Set(\$LogToSTDERR, 'warning');
Set(\$LogToFile, 'warning');
Set(\$LogDir, '$dir/log');
Set(\$LogToFileNamed, 'rt.log');
# No mail leaves: correspondence scrips write to a temporary file.
Set(\$MailCommand, 'testfile');
Set(\$CorrespondAddress, 'rt@agent-test.invalid');
Set(\$CommentAddress, 'rt-comment@agent-test.invalid');
1;
PERL
}

# The agent (privileged, timezone UTC, the rights to see tickets and
# their comments, comment and reply) and its token; root's password; a
# customer (same test-only password).
# Prints the token.
make_users() {
    perl -I"$rtlib" - "$agent_user" "$root_password" <<'PERL'
use strict;
use warnings;
use RT;
RT::LoadConfig();
RT::Init();
my ($agent_name, $root_password) = @ARGV;
my $system = RT::CurrentUser->new(RT->SystemUser);

my $root = RT::User->new($system);
$root->Load('root');
my ($ok, $msg) = $root->SetPassword($root_password);
die "root password: $msg\n" unless $ok;

my $agent = RT::User->new($system);
$agent->Load($agent_name);
unless ($agent->id) {
    ($ok, $msg) = $agent->Create(Name => $agent_name, RealName => 'SIP diagnosis agent',
                                 EmailAddress => "$agent_name\@agent-test.invalid", Privileged => 1, Timezone => 'UTC');
    die "agent user: $msg\n" unless $ok;
}
$agent->SetTimezone('UTC') unless ($agent->Timezone // '') eq 'UTC';
for my $right (qw(SeeQueue ShowTicket ShowTicketComments CommentOnTicket ReplyToTicket ModifySelf ManageAuthTokens)) {
    next if $agent->PrincipalObj->HasRight(Right => $right, Object => RT->System);
    ($ok, $msg) = $agent->PrincipalObj->GrantRight(Right => $right, Object => RT->System);
    die "agent right $right: $msg\n" unless $ok;
}
# Someone who writes tickets: unprivileged, as a customer is, with the
# rights to open tickets and reply to them (the tests write as it).
my $customer = RT::User->new($system);
$customer->Load('customer');
unless ($customer->id) {
    ($ok, $msg) = $customer->Create(Name => 'customer', RealName => 'A customer', EmailAddress => 'customer@agent-test.invalid',
                                    Privileged => 0, Password => $root_password);
    die "customer user: $msg\n" unless $ok;
}
for my $right (qw(SeeQueue CreateTicket ShowTicket ReplyToTicket)) {
    next if $customer->PrincipalObj->HasRight(Right => $right, Object => RT->System);
    ($ok, $msg) = $customer->PrincipalObj->GrantRight(Right => $right, Object => RT->System);
    die "customer right $right: $msg\n" unless $ok;
}

my $token = RT::AuthToken->new($system);
my ($id, $said, $authstring) = $token->Create(Owner => $agent->id, Description => 'agent integration tests');
die "agent token: $said\n" unless $id;
print "$authstring\n";
PERL
}

start() {
    local began=$SECONDS
    if running && answering; then
        echo "RT already runs at http://127.0.0.1:$(cat "$dir/port")/rt (pid $(cat "$dir/rt-server.pid"))"
        cat "$dir/env"
        return 0
    fi
    stop_server
    for need in "$server" "$setup" "$rtlib/RT.pm"; do
        [ -e "$need" ] || { echo "$need is missing: apt-get install -y request-tracker5 rt5-db-sqlite libplack-perl" >&2; exit 1; }
    done
    perl -MPlack::Runner -e 1 2>/dev/null || { echo "Plack is missing: apt-get install -y libplack-perl" >&2; exit 1; }

    # A fresh instance each start: the tests assume an empty RT. Only a
    # directory this script made (or an empty one) is ever removed.
    if [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ] && [ ! -f "$dir/RT_SiteConfig.pm" ]; then
        echo "$dir exists and is not a test RT this script made; name another directory" >&2
        exit 1
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    local port
    port="$(free_port)"
    echo "$port" >"$dir/port"
    write_config "$port"
    export_config

    echo "==> RT database (SQLite) in $dir"
    "$setup" --action init --skip-create --dba '' --dba-password '' </dev/null >"$dir/log/setup.log" 2>&1 \
        || "$setup" --action init </dev/null >>"$dir/log/setup.log" 2>&1 \
        || { tail -n 30 "$dir/log/setup.log" >&2; echo "rt-setup-database failed; its log is $dir/log/setup.log" >&2; exit 1; }
    local token
    token="$(make_users 2>"$dir/log/users.log" | tail -n 1)" \
        || { cat "$dir/log/users.log" >&2; echo "creating the agent user and its token failed" >&2; exit 1; }
    case "$token" in 1-*) ;; *) cat "$dir/log/users.log" >&2; echo "no token came back (got '$token')" >&2; exit 1 ;; esac

    local serve=(--server Standalone)
    if [ "${RT_WORKERS:-1}" -gt 1 ]; then
        serve=(--server Starman --workers "$RT_WORKERS")
    fi
    echo "==> rt-server (${serve[*]}) on 127.0.0.1:$port/rt"
    # setsid: its own process group, so that stop ends it and its children only.
    setsid "$server" "${serve[@]}" --host 127.0.0.1 --port "$port" --webpath /rt \
        </dev/null >"$dir/log/rt-server.log" 2>&1 &
    echo $! >"$dir/rt-server.pid"
    local waited=0
    until answering; do
        if ! running; then
            tail -n 30 "$dir/log/rt-server.log" >&2
            echo "rt-server exited; its log is $dir/log/rt-server.log" >&2
            exit 1
        fi
        if [ "$waited" -ge 600 ]; then
            tail -n 30 "$dir/log/rt-server.log" >&2
            echo "rt-server did not answer within 60 s; its log is $dir/log/rt-server.log" >&2
            stop_server
            exit 1
        fi
        sleep 0.1
        waited=$((waited + 1))
    done

    umask 077
    cat >"$dir/env" <<ENV
AGENT_TEST_RT_URL=http://127.0.0.1:$port/rt
AGENT_TEST_RT_TOKEN=$token
AGENT_TEST_RT_AGENT_USER=$agent_user
AGENT_TEST_RT_ROOT_PASSWORD=$root_password
AGENT_TEST_RT_CUSTOMER_USER=customer
ENV
    echo "RT is up at http://127.0.0.1:$port/rt in $((SECONDS - began)) s (env file $dir/env)"
    cat "$dir/env"
}

stop_server() {
    if [ -f "$dir/rt-server.pid" ]; then
        local pid
        pid="$(cat "$dir/rt-server.pid")"
        if kill -0 "$pid" 2>/dev/null; then
            # The process group setsid made: the server and its workers.
            kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -KILL -- "-$pid" 2>/dev/null || true
        fi
        rm -f "$dir/rt-server.pid"
    fi
}

case "$action" in
    start) start ;;
    stop) stop_server; echo "RT in $dir stopped" ;;
    env) [ -f "$dir/env" ] || { echo "no $dir/env: run $0 start first" >&2; exit 1; }; cat "$dir/env" ;;
    *) usage ;;
esac
