#!/usr/bin/env python3
"""The agent's benchmark against the real Request Tracker 5 and Synapse
(issue 9, "Speed"; docs/performance.md). Python 3 standard library only.

    agent_bench.py --agentctl .build/release/agentctl \
        --rt-env /tmp/bench-rt/env --matrix-env /tmp/bench-synapse/env \
        --work /tmp/bench-agent [--quick]

Scripts/bench/agent.sh starts the servers, builds agentctl and runs this.

What it does, in order (every ticket and mention carries a Call-ID of its
own whose trace it wrote into the export directory the agent is
configured with, indexed before the agent starts, so that every post is a
real diagnosis: nothing is a cache hit):

1. traces: one text trace per Call-ID, made from the fixture
   Fixtures/inbox/exports/{sbc-forbidden,pbx-declined}.txt with the
   Call-ID (and its local part) replaced; `agentctl index` on them.
2. backlog: N tickets created in a queue of their own *before* any agent
   runs; cleared last (after 3 and 4) by an `agentctl run` on that queue
   alone; tickets per second = N / (last comment posted - agent process
   started). --timeout cuts it short (then: answered / time).
3. latency: `agentctl run` on a fresh queue and a fresh room, RT polled
   every 1ms (the smallest poll_interval the configuration accepts: the
   agent polls back to back, so the wait for the next poll is at most one
   poll's own duration; RT serves one request at a time). One ticket at a
   time, the next once the previous is answered: creation (RT's 201
   answer to the customer's POST /ticket) -> comment (the agent's JSON
   log line "posted", its time) . The same for chat: alice's mention (the
   answer to her PUT .../send) -> the agent's threaded notice posted.
   Also printed: the agent's own "seen -> posted" (the log's `seconds`,
   from when the poll built the thread), which excludes the poll wait.
4. memory: a fresh `agentctl run` on RT and Matrix for the memory run's
   duration (600 s, --quick 60 s) with steady traffic (a ticket and a
   mention every --every seconds), VmRSS of /proc/PID/status sampled
   every few seconds: start, end, max, least-squares slope.

The figures are printed in one table at the end (and as JSON in
WORK/figures.json). Nothing is asserted: this is a benchmark.
"""
import argparse
import base64
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TEMPLATES = [("Fixtures/inbox/exports/sbc-forbidden.txt", "0c5d8e2f-403-cos@192.168.1.50"),
             ("Fixtures/inbox/exports/pbx-declined.txt", "3b4c5d6f-603@192.168.1.50")]


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)


def read_env(path):
    env = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("export "):
                line = line[len("export "):]
            if not line or line.startswith("#") or "=" not in line:
                continue
            k, v = line.split("=", 1)
            env[k] = v.strip().strip("'\"")
    return env


def http(method, url, headers, body=None, timeout=120):
    data = json.dumps(body).encode() if body is not None else None
    h = dict(headers)
    if data is not None:
        h["Content-Type"] = "application/json"
    request = urllib.request.Request(url, method=method, headers=h, data=data)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw else {})
    except urllib.error.HTTPError as e:
        raw = e.read()
        raise RuntimeError(f"{method} {url} answered {e.code}: {raw[:300]!r}") from None


class RT:
    def __init__(self, env):
        self.base = env["AGENT_TEST_RT_URL"] + "/REST/2.0"
        self.password = env["AGENT_TEST_RT_ROOT_PASSWORD"]
        self.customer = env.get("AGENT_TEST_RT_CUSTOMER_USER", "customer")
        self.agent = env.get("AGENT_TEST_RT_AGENT_USER", "agent")
        self.url = env["AGENT_TEST_RT_URL"]

    def call(self, method, path, user, body=None):
        auth = base64.b64encode(f"{user}:{self.password}".encode()).decode()
        return http(method, self.base + path, {"Authorization": "Basic " + auth, "Accept": "application/json",
                                                "User-Agent": "agent-bench"}, body)[1]

    def queue(self, prefix):
        name = f"{prefix}-{uuid.uuid4().hex[:8]}"
        self.call("POST", "/queue", "root", {"Name": name})
        return name

    def ticket(self, queue, call_id):
        """Opens a ticket as the customer; (ticket number, time RT answered)."""
        content = (f"Hello,\nour calls to the carrier fail since this morning.\nCall-ID: {call_id}\n\n"
                   "Thanks, Ana\n-- \nAna Silva, Front Desk, ana@example.com")
        answer = self.call("POST", "/ticket", self.customer,
                           {"Queue": queue, "Subject": "Calls failing", "Content": content, "ContentType": "text/plain"})
        return answer["id"], time.time()

    def agent_comment_bodies(self, ticket):
        """The bodies of the agent's comments on a ticket (to check the post is a diagnosis)."""
        items = self.call("GET", f"/ticket/{ticket}/history?fields=Type,Creator&per_page=100", "root").get("items", [])
        ids = [i["id"] for i in items if i.get("Type") == "Comment" and (i.get("Creator") or {}).get("id") == self.agent]
        bodies = []
        for tid in ids:
            atts = self.call("GET", f"/transaction/{tid}/attachments?fields=ContentType&per_page=100", "root").get("items", [])
            for a in atts:
                content = self.call("GET", f"/attachment/{a['id']}", "root").get("Content") or ""
                bodies.append(base64.b64decode(content).decode("utf-8", "replace"))
        return bodies


class Matrix:
    def __init__(self, env):
        self.base = env["AGENT_TEST_MATRIX_URL"]
        self.server = env.get("AGENT_TEST_MATRIX_SERVER_NAME", "localhost")
        self.agent_user = env.get("AGENT_TEST_MATRIX_AGENT_USER", "agent")
        self.agent_id = self.agent_user if self.agent_user.startswith("@") else f"@{self.agent_user}:{self.server}"
        answer = http("POST", self.base + "/_matrix/client/v3/login", {}, {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": env.get("AGENT_TEST_MATRIX_ALICE_USER", "alice")},
            "password": env["AGENT_TEST_MATRIX_ALICE_PASSWORD"]})[1]
        self.token = answer["access_token"]

    def call(self, method, path, body=None):
        return http(method, self.base + path, {"Authorization": "Bearer " + self.token}, body)[1]

    @staticmethod
    def seg(value):
        return urllib.parse.quote(value, safe="")

    def room(self):
        return self.call("POST", "/_matrix/client/v3/createRoom", {"preset": "private_chat", "invite": [self.agent_id]})["room_id"]

    def joined(self, room):
        members = self.call("GET", f"/_matrix/client/v3/rooms/{self.seg(room)}/joined_members").get("joined", {})
        return self.agent_id in members

    def mention(self, room, call_id):
        """Alice mentions the agent with a Call-ID; (thread id as the agent names it, time Synapse answered)."""
        content = {"msgtype": "m.text", "body": f"{self.agent_user}: what broke this one?\nCall-ID: {call_id}",
                   "m.mentions": {"user_ids": [self.agent_id]}}
        event = self.call("PUT", f"/_matrix/client/v3/rooms/{self.seg(room)}/send/m.room.message/{uuid.uuid4().hex}",
                          content)["event_id"]
        return f"{room} {event}", time.time()

    def notices(self, thread):
        room, root = thread.split(" ", 1)
        chunk = self.call("GET", f"/_matrix/client/v1/rooms/{self.seg(room)}/relations/{self.seg(root)}/m.thread?limit=100&dir=f").get("chunk", [])
        return [e["content"].get("body", "") for e in chunk
                if e.get("sender") == self.agent_id and e.get("content", {}).get("msgtype") == "m.notice"]


class Agent:
    """One `agentctl run` process, its JSON log followed line by line."""

    def __init__(self, agentctl, config, log_path, env):
        self.posted = {}      # thread -> (log time, seen->posted seconds)
        self.seen = {}        # thread -> log time of "new Call-IDs" (first)
        self.problems = []    # warning/error lines
        self.cond = threading.Condition()
        self.log_path = log_path
        self.log_file = open(log_path, "w")
        self.started = time.time()
        self.process = subprocess.Popen([agentctl, "run", "--config", config, "--log-format", "json"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()

    @staticmethod
    def stamp(text):
        # 2026-12-02T13:41:06.123Z
        main, _, frac = text.rstrip("Z").partition(".")
        import calendar
        return calendar.timegm(time.strptime(main, "%Y-%m-%dT%H:%M:%S")) + (float("0." + frac) if frac else 0.0)

    def read(self):
        for line in self.process.stderr:
            self.log_file.write(line)
            try:
                record = json.loads(line)
            except ValueError:
                continue
            meta = record.get("metadata") or {}
            message = record.get("message", "")
            at = self.stamp(record["time"]) if "time" in record else time.time()
            with self.cond:
                if message == "posted" and "thread" in meta:
                    self.posted.setdefault(meta["thread"], (at, float(meta.get("seconds", "nan"))))
                    self.cond.notify_all()
                elif message == "new Call-IDs" and "thread" in meta:
                    self.seen.setdefault(meta["thread"], at)
                elif record.get("level") in ("warning", "error", "critical"):
                    self.problems.append(line.strip())
        self.log_file.flush()

    def wait_posted(self, threads, timeout):
        deadline = time.time() + timeout
        with self.cond:
            while not all(t in self.posted for t in threads):
                left = deadline - time.time()
                if left <= 0 or self.process.poll() is not None:
                    return False
                self.cond.wait(min(left, 1.0))
        return True

    def rss_kb(self):
        try:
            with open(f"/proc/{self.process.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def cpu_seconds(self):
        """The agent's user + system CPU time so far (/proc/PID/stat)."""
        try:
            with open(f"/proc/{self.process.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return float("nan")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.reader.join(timeout=10)
        self.log_file.close()


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def page_cache_kb(port):
    """sipagent_store_page_cache_bytes from the agent's /metrics, in KiB (None if it does not answer)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            for line in response.read().decode().splitlines():
                if line.startswith("sipagent_store_page_cache_bytes "):
                    return float(line.split()[-1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def percentile(values, p):
    """Nearest-rank percentile."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, int(-(-p * len(ordered) // 100)))
    return ordered[min(rank, len(ordered)) - 1]


def slope_per_minute(samples):
    """Least-squares slope of (seconds, kB) in kB per minute."""
    if len(samples) < 2:
        return float("nan")
    xs = [s[0] for s in samples]
    ys = [s[1] for s in samples]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return 60 * sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else float("nan")


class Bench:
    def __init__(self, args):
        self.args = args
        self.work = args.work
        os.makedirs(self.work, exist_ok=True)
        self.exports = os.path.join(self.work, "exports")
        os.makedirs(self.exports, exist_ok=True)
        self.database = os.path.join(self.work, "agent.sqlite")
        self.rt_env = read_env(args.rt_env)
        self.matrix_env = read_env(args.matrix_env)
        self.rt = RT(self.rt_env)
        self.matrix = Matrix(self.matrix_env)
        self.run_tag = uuid.uuid4().hex[:6]
        self.serial = 0
        self.templates = [(open(os.path.join(ROOT, p)).read(), cid) for p, cid in TEMPLATES]
        self.child_env = dict(os.environ)
        self.child_env["AGENT_TEST_RT_TOKEN"] = self.rt_env["AGENT_TEST_RT_TOKEN"]
        self.child_env["AGENT_TEST_MATRIX_AGENT_PASSWORD"] = self.matrix_env["AGENT_TEST_MATRIX_AGENT_PASSWORD"]
        self.figures = {}
        self.checks = []   # (kind, thread) to check the post of, after
        self.rss = None

    # -- traces -------------------------------------------------------------
    def call_ids(self, n):
        """n Call-IDs with a trace each in the export directory."""
        ids = []
        for _ in range(n):
            self.serial += 1
            text, old = self.templates[self.serial % len(self.templates)]
            local = f"bench{self.run_tag}-{self.serial:05d}"
            call_id = f"{local}@192.168.1.50"
            body = text.replace(old, call_id).replace(old.split("@")[0], local)
            path = os.path.join(self.exports, f"{local}.txt")
            with open(path, "w") as f:
                f.write(body)
            past = time.time() - 600   # settled: no export is being written
            os.utime(path, (past, past))
            ids.append(call_id)
        return ids

    def index(self, config):
        began = time.time()
        subprocess.run([self.args.agentctl, "index", "--config", config, "--settle-seconds", "0"],
                       check=True, stdout=subprocess.DEVNULL, env=self.child_env)
        log(f"indexed {self.serial} traces in {time.time() - began:.1f} s")

    # -- configuration ------------------------------------------------------
    def config(self, name, rt_queue=None, rt_name=None, matrix_device=None, matrix_name=None, listener_port=None):
        lines = [f"database: {self.database}",
                 "exports:", f"  - path: {self.exports}", "    settle_time: 1s"]
        if rt_queue:
            lines += ["rt:", f"  - name: {rt_name}", f"    url: {self.rt.url}", f"    user: {self.rt.agent}",
                      "    token_env: AGENT_TEST_RT_TOKEN", f"    queue: {rt_queue}",
                      "    poll_interval: 1ms", "    look_back: 2h"]
        if matrix_device:
            lines += ["matrix:", f"  - name: {matrix_name}", f"    url: {self.matrix.base}",
                      f"    user: {self.matrix.agent_user}", "    password_env: AGENT_TEST_MATRIX_AGENT_PASSWORD",
                      f"    device_id: {matrix_device}", "    sync_timeout: 10s"]
        lines += ["agent:", "  concurrency: 4", "  lease: 120s", "  log_format: json"]
        if listener_port:
            lines += ["listener:", "  enabled: true", "  address: 127.0.0.1", f"  port: {listener_port}", ""]
        else:
            lines += ["listener:", "  enabled: false", ""]
        path = os.path.join(self.work, f"{name}.yaml")
        with open(path, "w") as f:
            f.write("\n".join(lines))
        return path

    def start(self, name, config):
        agent = Agent(self.args.agentctl, config, os.path.join(self.work, f"{name}.log"), self.child_env)
        log(f"agentctl run ({name}) pid {agent.process.pid}")
        return agent

    def join(self, agent, room):
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.matrix.joined(room):
                return
            if agent.process.poll() is not None:
                raise RuntimeError(f"agentctl exited ({agent.process.returncode}); see {agent.log_path}")
            time.sleep(0.2)
        raise RuntimeError("the agent did not join the room within 120 s")

    # -- phases -------------------------------------------------------------
    def run(self):
        a = self.args
        n_backlog, n_latency, n_mentions = a.backlog, a.tickets, a.mentions
        n_memory = int(a.memory_seconds / a.every) + 2
        log(f"writing {n_backlog + n_latency + n_mentions + 2 * n_memory} traces")
        backlog_ids = self.call_ids(n_backlog)
        latency_ids = self.call_ids(n_latency)
        mention_ids = self.call_ids(n_mentions)
        memory_ticket_ids = self.call_ids(n_memory)
        memory_mention_ids = self.call_ids(n_memory)

        queue, tickets, created = self.create_backlog(backlog_ids)
        if a.wait_for:
            log(f"waiting for {a.wait_for} (the build)")
            while not os.path.exists(a.wait_for):
                time.sleep(2)
        self.index(self.config("index"))
        self.probe()
        # The backlog's tickets wait in their own queue (no agent watches
        # it) while the latency and memory runs go; the backlog is cleared
        # last, so that a --timeout cut short still leaves the other figures.
        self.latency(latency_ids, mention_ids)
        self.memory(memory_ticket_ids, memory_mention_ids)
        self.backlog(queue, tickets, created)
        self.check_posts()
        self.report()

    def create_backlog(self, ids):
        queue = self.rt.queue("bench-backlog")
        log(f"backlog: creating {len(ids)} tickets in {queue} (the agent is not running)")
        began = time.time()
        tickets = [self.rt.ticket(queue, cid)[0] for cid in ids]
        created = time.time() - began
        log(f"backlog: created in {created:.0f} s ({len(ids) / created:.1f}/s)")
        return queue, tickets, created

    def probe(self):
        """The servers' own round trip, idle (no agent running): what one request costs."""
        ticket = self.rt.call("GET", "/tickets?query=id>0&per_page=1&fields=Subject", "root")["items"][0]["id"]
        def median_ms(f, n=7):
            times = []
            for _ in range(n):
                t = time.time(); f(); times.append((time.time() - t) * 1000)
            return statistics.median(times)
        room = self.matrix.room()
        self.figures["probe"] = {
            "rt_history_ms": median_ms(lambda: self.rt.call("GET", f"/ticket/{ticket}/history?fields=Type,Creator,Created", "root")),
            "rt_search_ms": median_ms(lambda: self.rt.call("GET", "/tickets?query=" + urllib.parse.quote("LastUpdated >= '2026-01-01 00:00:00' AND id < 0")
                                                              + "&fields=Subject,LastUpdated", "root")),
            "matrix_members_ms": median_ms(lambda: self.matrix.call("GET", f"/_matrix/client/v3/rooms/{self.matrix.seg(room)}/joined_members"))}
        log(f"probe: {self.figures['probe']}")

    def backlog(self, queue, tickets, created):
        log("backlog: starting the agent")
        agent = self.start("backlog", self.config("backlog", rt_queue=queue, rt_name=f"rt-backlog-{self.run_tag}"))
        done = agent.wait_posted(tickets, timeout=self.args.timeout)
        cpu = agent.cpu_seconds()
        agent.stop()
        posts = sorted(agent.posted[t][0] for t in tickets if t in agent.posted)
        seen = sorted(agent.seen.values())
        span = (posts[-1] - agent.started) if posts else float("nan")
        self.figures["backlog"] = {
            "tickets": len(tickets), "answered": len(posts), "complete": done,
            "create_seconds": round(created, 1),
            "first_seen_s": round(seen[0] - agent.started, 2) if seen else None,
            "all_seen_s": round(seen[-1] - agent.started, 2) if seen else None,
            "first_post_s": round(posts[0] - agent.started, 2) if posts else None,
            "last_post_s": round(span, 2),
            "tickets_per_s": round(len(posts) / span, 2) if posts else 0,
            "agent_cpu_s": round(cpu, 2), "agent_cpu_ms_per_ticket": round(1000 * cpu / max(1, len(posts)), 1),
            "problems": len(agent.problems)}
        self.checks += [("rt", t) for t in tickets[:2]]
        log(f"backlog: {self.figures['backlog']}")

    def latency(self, ticket_ids, mention_ids):
        queue = self.rt.queue("bench-latency")
        room = self.matrix.room()
        config = self.config("latency", rt_queue=queue, rt_name=f"rt-latency-{self.run_tag}",
                             matrix_device=f"BENCH_{self.run_tag}", matrix_name=f"matrix-latency-{self.run_tag}")
        agent = self.start("latency", config)
        self.join(agent, room)
        time.sleep(2)   # the first poll of RT (look-back, nothing there) is done
        rows = []
        for cid in ticket_ids:
            ticket, created = self.rt.ticket(queue, cid)
            if not agent.wait_posted([ticket], timeout=120):
                log(f"latency: ticket {ticket} not answered in 120 s")
                continue
            at, seconds = agent.posted[ticket]
            rows.append((at - created, seconds, agent.seen.get(ticket, at) - created))
            time.sleep(self.args.gap)
        self.checks += [("rt", ticket)]
        mentions = []
        for cid in mention_ids:
            thread, sent = self.matrix.mention(room, cid)
            if not agent.wait_posted([thread], timeout=120):
                log(f"latency: mention {thread} not answered in 120 s")
                continue
            at, seconds = agent.posted[thread]
            mentions.append((at - sent, seconds))
            time.sleep(self.args.gap)
        self.checks += [("matrix", thread)]
        agent.stop()
        e2e = [r[0] * 1000 for r in rows]
        own = [r[1] * 1000 for r in rows]
        wait = [r[2] * 1000 for r in rows]
        chat = [m[0] * 1000 for m in mentions]
        self.figures["latency"] = {
            "tickets": len(ticket_ids), "answered": len(rows),
            "e2e_p50_ms": percentile(e2e, 50), "e2e_p95_ms": percentile(e2e, 95), "e2e_max_ms": max(e2e, default=None),
            "seen_to_post_p50_ms": percentile(own, 50), "seen_to_post_p95_ms": percentile(own, 95),
            "create_to_seen_p50_ms": percentile(wait, 50), "create_to_seen_p95_ms": percentile(wait, 95),
            "mentions": len(mention_ids), "mentions_answered": len(mentions),
            "chat_p50_ms": percentile(chat, 50), "chat_p95_ms": percentile(chat, 95), "chat_max_ms": max(chat, default=None),
            "problems": len(agent.problems)}
        log(f"latency: {self.figures['latency']}")

    def memory(self, ticket_ids, mention_ids):
        queue = self.rt.queue("bench-memory")
        room = self.matrix.room()
        port = free_port()
        config = self.config("memory", rt_queue=queue, rt_name=f"rt-memory-{self.run_tag}",
                             matrix_device=f"BENCHM_{self.run_tag}", matrix_name=f"matrix-memory-{self.run_tag}",
                             listener_port=port)
        agent = self.start("memory", config)
        self.join(agent, room)
        samples = []
        stop = threading.Event()
        began = time.time()

        caches = []

        def sampler():
            while not stop.is_set():
                kb = agent.rss_kb()
                if kb is not None:
                    samples.append((time.time() - began, kb))
                    cache = page_cache_kb(port)
                    if cache is not None:
                        caches.append((time.time() - began, kb, cache))
                stop.wait(self.args.sample)

        sent = {"rt": [], "matrix": []}

        def traffic(kind, ids, offset):
            stop.wait(offset)
            for i, cid in enumerate(ids):
                due = began + offset + i * self.args.every
                if stop.wait(max(0.0, due - time.time())):
                    return
                if time.time() - began > self.args.memory_seconds:
                    return
                try:
                    if kind == "rt":
                        sent[kind].append(self.rt.ticket(queue, cid))
                    else:
                        sent[kind].append(self.matrix.mention(room, cid))
                except Exception as error:  # keep the traffic going; count it
                    log(f"memory: {kind} send failed: {error}")

        threads = [threading.Thread(target=sampler, daemon=True),
                   threading.Thread(target=traffic, args=("rt", ticket_ids, 0.0), daemon=True),
                   threading.Thread(target=traffic, args=("matrix", mention_ids, self.args.every / 2), daemon=True)]
        for t in threads:
            t.start()
        while time.time() - began < self.args.memory_seconds:
            time.sleep(1)
            if agent.process.poll() is not None:
                log("memory: agentctl exited early")
                break
        stop.set()
        for t in threads[1:]:
            t.join()
        # Let what was sent last be answered, then take the last sample.
        agent.wait_posted([t for t, _ in sent["rt"] + sent["matrix"]], timeout=60)
        kb = agent.rss_kb()
        if kb is not None:
            samples.append((time.time() - began, kb))
        cpu = agent.cpu_seconds()
        agent.stop()
        rt_lat = [(agent.posted[t][0] - c) * 1000 for t, c in sent["rt"] if t in agent.posted]
        mx_lat = [(agent.posted[t][0] - c) * 1000 for t, c in sent["matrix"] if t in agent.posted]
        kbs = [s[1] for s in samples]
        # RSS less the SQLite page cache the agent's /metrics reports: what
        # is left is the agent's own memory.
        own = [(t, kb - cache) for t, kb, cache in caches]
        own_half = [o for o in own if o[0] >= own[-1][0] / 2] if own else []
        # The slope over the second half too: the first minutes hold the warm-up (caches, the SQLite page cache).
        half = [s for s in samples if s[0] >= samples[-1][0] / 2] if samples else []
        self.figures["memory"] = {
            "seconds": self.args.memory_seconds, "samples": len(samples),
            "tickets": len(sent["rt"]), "tickets_answered": len(rt_lat),
            "mentions": len(sent["matrix"]), "mentions_answered": len(mx_lat),
            "rss_start_mb": round(kbs[0] / 1024, 1) if kbs else None,
            "rss_end_mb": round(kbs[-1] / 1024, 1) if kbs else None,
            "rss_max_mb": round(max(kbs) / 1024, 1) if kbs else None,
            "rss_min_mb": round(min(kbs) / 1024, 1) if kbs else None,
            "slope_kb_per_min": round(slope_per_minute(samples), 1),
            "slope_second_half_kb_per_min": round(slope_per_minute(half), 1),
            "page_cache_start_mb": round(caches[0][2] / 1024, 1) if caches else None,
            "page_cache_end_mb": round(caches[-1][2] / 1024, 1) if caches else None,
            "rss_less_cache_start_mb": round(own[0][1] / 1024, 1) if own else None,
            "rss_less_cache_end_mb": round(own[-1][1] / 1024, 1) if own else None,
            "rss_less_cache_slope_kb_per_min": round(slope_per_minute(own), 1) if own else None,
            "rss_less_cache_slope_second_half_kb_per_min": round(slope_per_minute(own_half), 1) if own else None,
            "agent_cpu_s": round(cpu, 2), "agent_cpu_ms_per_item": round(1000 * cpu / max(1, len(rt_lat) + len(mx_lat)), 1),
            "rt_p50_ms": percentile(rt_lat, 50), "rt_p95_ms": percentile(rt_lat, 95),
            "chat_p50_ms": percentile(mx_lat, 50), "chat_p95_ms": percentile(mx_lat, 95),
            "problems": len(agent.problems)}
        with open(os.path.join(self.work, "rss.tsv"), "w") as f:
            f.write("".join(f"{s:.1f}\t{k}\n" for s, k in samples))
        with open(os.path.join(self.work, "rss-and-cache.tsv"), "w") as f:
            f.write("seconds\trss_kb\tpage_cache_kb\n" + "".join(f"{t:.1f}\t{k}\t{c}\n" for t, k, c in caches))
        self.checks += [("rt", sent["rt"][-1][0])] if sent["rt"] else []
        self.checks += [("matrix", sent["matrix"][-1][0])] if sent["matrix"] else []
        log(f"memory: {self.figures['memory']}")

    def check_posts(self):
        """A few posts read back: one post each, a diagnosis (not 'no trace found')."""
        results = []
        for kind, thread in self.checks:
            bodies = self.rt.agent_comment_bodies(thread) if kind == "rt" else self.matrix.notices(thread)
            diagnosed = bool(bodies) and all("no trace found" not in b.lower() for b in bodies)
            results.append(f"{kind} {thread.split(' ')[-1][:12]}: {len(bodies)} post(s), {'diagnosis' if diagnosed else 'NOT a diagnosis'}")
        self.figures["checked_posts"] = results

    def report(self):
        b, l, m = self.figures["backlog"], self.figures["latency"], self.figures["memory"]
        load = open("/proc/loadavg").read().split()[:3]
        f = lambda v, d=0: "n/a" if v is None or v != v else (f"{v:,.{d}f}")
        rows = [
            ("ticket created -> comment, p50 / p95 / max (RT polled back to back, poll_interval 1ms)",
             f"{f(l['e2e_p50_ms'])} / {f(l['e2e_p95_ms'])} / {f(l['e2e_max_ms'])} ms ({l['answered']}/{l['tickets']})", "p95 < 500 ms"),
            ("  of which created -> seen by a poll, p50 / p95",
             f"{f(l['create_to_seen_p50_ms'])} / {f(l['create_to_seen_p95_ms'])} ms", ""),
            ("  seen -> comment posted (agent's own `seconds`), p50 / p95",
             f"{f(l['seen_to_post_p50_ms'])} / {f(l['seen_to_post_p95_ms'])} ms", ""),
            (f"backlog of {b['tickets']} tickets cleared (agent start -> last comment)",
             f"{f(b['tickets_per_s'], 2)} tickets/s ({b['answered']}/{b['tickets']} in {f(b['last_post_s'], 1)} s; "
             f"all seen at {f(b['all_seen_s'], 1)} s, first comment at {f(b['first_post_s'], 1)} s)", ""),
            ("chat mention -> threaded reply, p50 / p95 / max",
             f"{f(l['chat_p50_ms'])} / {f(l['chat_p95_ms'])} / {f(l['chat_max_ms'])} ms ({l['mentions_answered']}/{l['mentions']})", ""),
            (f"VmRSS over {m['seconds']} s, start / end / max (min)",
             f"{f(m['rss_start_mb'], 1)} / {f(m['rss_end_mb'], 1)} / {f(m['rss_max_mb'], 1)} ({f(m['rss_min_mb'], 1)}) MB, {m['samples']} samples", "flat"),
            ("VmRSS slope, whole run / second half",
             f"{f(m['slope_kb_per_min'], 1)} / {f(m['slope_second_half_kb_per_min'], 1)} kB/min", "~0"),
            ("SQLite page cache (from /metrics), start / end",
             f"{f(m['page_cache_start_mb'], 1)} / {f(m['page_cache_end_mb'], 1)} MB", "<= 64"),
            ("VmRSS less the page cache: start / end, slope whole run / second half",
             f"{f(m['rss_less_cache_start_mb'], 1)} / {f(m['rss_less_cache_end_mb'], 1)} MB, "
             f"{f(m['rss_less_cache_slope_kb_per_min'], 1)} / {f(m['rss_less_cache_slope_second_half_kb_per_min'], 1)} kB/min", "~0"),
            ("  traffic during the memory run: tickets / mentions answered",
             f"{m['tickets_answered']}/{m['tickets']} / {m['mentions_answered']}/{m['mentions']}; "
             f"p95 {f(m['rt_p95_ms'])} / {f(m['chat_p95_ms'])} ms", ""),
            ("agent CPU (user+sys): backlog per ticket / memory run per item (whole run)",
             f"{f(b['agent_cpu_ms_per_ticket'], 1)} ms ({f(b['agent_cpu_s'], 1)} s) / {f(m['agent_cpu_ms_per_item'], 1)} ms ({f(m['agent_cpu_s'], 1)} s)", ""),
        ]
        pr = self.figures.get("probe", {})
        rows.append(("one request, idle, median: RT history / RT ticket search / Synapse",
                     f"{f(pr.get('rt_history_ms'))} / {f(pr.get('rt_search_ms'))} / {f(pr.get('matrix_members_ms'))} ms", ""))
        width = max(len(r[0]) for r in rows)
        print(f"\nagentctl run against RT and Synapse ({'QUICK' if self.args.quick else 'full'} run, "
              f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average at the end {' '.join(load)})")
        print(f"{'figure'.ljust(width)}  measured  [target]")
        for name, value, target in rows:
            print(f"{name.ljust(width)}  {value}" + (f"  [{target}]" if target else ""))
        problems = b["problems"] + l["problems"] + m["problems"]
        print(f"warnings/errors in the agent's logs: {problems} (backlog {b['problems']}, latency {l['problems']}, memory {m['problems']})")
        for line in self.figures.get("checked_posts", []):
            print(f"checked: {line}")
        self.figures["load_end"] = load
        with open(os.path.join(self.work, "figures.json"), "w") as out:
            json.dump(self.figures, out, indent=2)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--agentctl", default=os.path.join(ROOT, ".build/release/agentctl"))
    p.add_argument("--rt-env", default="/tmp/bench-rt/env")
    p.add_argument("--matrix-env", default="/tmp/bench-synapse/env")
    p.add_argument("--work", default="/tmp/bench-agent")
    p.add_argument("--quick", action="store_true", help="50 backlog, 20 tickets, 10 mentions, 60 s memory run")
    p.add_argument("--backlog", type=int)
    p.add_argument("--tickets", type=int)
    p.add_argument("--mentions", type=int)
    p.add_argument("--memory-seconds", type=int)
    p.add_argument("--every", type=float, default=5.0, help="memory run: a ticket and a mention every this many seconds")
    p.add_argument("--sample", type=float, help="memory run: VmRSS sampled every this many seconds")
    p.add_argument("--gap", type=float, default=0.5, help="latency: pause between one answer and the next ticket")
    p.add_argument("--wait-for", help="after creating the backlog, wait until this file exists (e.g. a build's end) before running agentctl")
    p.add_argument("--timeout", type=float, default=1800, help="backlog: give up after this many seconds")
    a = p.parse_args()
    quick = a.quick
    a.backlog = a.backlog if a.backlog is not None else (50 if quick else 500)
    a.tickets = a.tickets if a.tickets is not None else (20 if quick else 50)
    a.mentions = a.mentions if a.mentions is not None else (10 if quick else 50)
    a.memory_seconds = a.memory_seconds if a.memory_seconds is not None else (60 if quick else 600)
    a.sample = a.sample if a.sample is not None else (2.0 if quick else 5.0)
    if os.path.exists(a.work):
        import shutil
        shutil.rmtree(a.work)
    Bench(a).run()


if __name__ == "__main__":
    main()
