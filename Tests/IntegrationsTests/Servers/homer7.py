"""A Homer 7 (sipcapture/homer-app 1.5.x) stand-in for the Homer source's
tests: the calls, statuses and bodies of ../shared/docs/backends.md
section 7, as homer-app's controller/v1 and data/service code answers
them, over a capture file that plays the part of its database.

    python3 homer7.py --capture FILE --user admin:sipcapture [--node localnode ...]
                      [--aleg-header X-Call-ID]

Every SIP message of the capture is a row of hep_proto_1_call (REGISTER
rows of 1_registration, OPTIONS and the like of 1_default) on the first
--node; other nodes are empty databases. A row's sid is its Call-ID, or
the value of the --aleg-header header when the message has one (what
heplify-server's AlegIDs setting does for a B2BUA's B leg).

Test-only endpoints (never recorded): GET /_test/requests, POST /_test/clear,
POST /_test/expire-tokens (every token issued so far is now expired),
POST /_test/answer {"path":…, "status":…, "body":…, "content_type":…}
(that path answers so from now on, after the token check)."""

import argparse
import base64
import json
import re
import secrets
import struct
import sys
import threading
from datetime import datetime, timezone

from recording import RecordingHandler, serve

FIELD_ALLOWLIST = {"sid", "id", "create_date", "raw", "limit", "smartinput", "data_header.callid",
                   "data_header.method", "data_header.from_user", "data_header.to_user", "data_header.ruri_user"}
TABLE_KEYS = {"1_call", "1_registration", "1_default", "100_default"}


def read_capture(path, aleg_header):
    """The capture's SIP messages as Homer rows, with their frames."""
    data = open(path, "rb").read()
    magic = data[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    offset, rows = 24, []
    while offset + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack(endian + "IIII", data[offset:offset + 16])
        frame = data[offset + 16:offset + 16 + incl]
        record = struct.pack("<IIII", sec, frac // 1000 if nano else frac, incl, orig) + frame
        offset += 16 + incl
        row = sip_row(frame, aleg_header)
        if row is None:
            continue
        usec = frac // 1000 if nano else frac
        row.update(timeSeconds=sec, timeUseconds=usec, id=len(rows) + 1)
        row["frame"] = record
        rows.append(row)
    return rows


def sip_row(frame, aleg_header):
    if len(frame) < 14 + 20 + 8 or frame[12:14] != b"\x08\x00":
        return None
    ip = frame[14:]
    ihl = (ip[0] & 0x0F) * 4
    if ip[9] != 17:
        return None
    src, dst = ".".join(map(str, ip[12:16])), ".".join(map(str, ip[16:20]))
    udp = ip[ihl:]
    sport, dport = struct.unpack(">HH", udp[:4])
    text = udp[8:].decode("latin-1")
    head = text.split("\r\n\r\n", 1)[0].split("\r\n")
    first = head[0]
    if not (first.startswith("SIP/2.0 ") or first.endswith(" SIP/2.0")):
        return None
    compact = {"i": "call-id", "f": "from", "t": "to"}
    headers = {}
    for line in head[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            name = compact.get(name.strip().lower(), name.strip().lower())
            headers.setdefault(name, value.strip())
    callid = headers.get("call-id")
    if not callid:
        return None
    cseq_method = headers.get("cseq", " ").split()[-1].upper()
    table = "1_registration" if cseq_method == "REGISTER" else \
        "1_default" if cseq_method in ("OPTIONS", "NOTIFY", "SUBSCRIBE", "MESSAGE", "PUBLISH") else "1_call"
    if first.startswith("SIP/2.0 "):
        method, ruri = first.split()[1], ""
    else:
        method, ruri = first.split()[0], first.split()[1]

    def user(value):
        m = re.search(r"sips?:([^@;>]+)@", value or "")
        return m.group(1) if m else ""

    def tag(value):
        m = re.search(r";\s*tag=([^;>\s]+)", value or "")
        return m.group(1) if m else ""

    sid = headers.get(aleg_header.lower(), callid) if aleg_header else callid
    return {
        "table_key": table, "sid": sid, "callid": callid, "method": method,
        "srcIp": src, "dstIp": dst, "srcPort": sport, "dstPort": dport,
        "protocol": 17, "protocolFamily": 2, "payloadType": 1, "captureId": "2001", "capturePass": "",
        "from_user": user(headers.get("from")), "from_tag": tag(headers.get("from")),
        "to_user": user(headers.get("to")), "to_tag": tag(headers.get("to")),
        "ruri_user": user(ruri), "ruri_domain": ruri.split("@")[-1].split(";")[0] if "@" in ruri else "",
        "user_agent": headers.get("user-agent", ""),
    }


def sanitize(text):
    """heputils.Sanitize: a leading != goes, ' and & become entities."""
    if text.startswith("!="):
        text = text[2:]
    return text.replace("'", "&#39;").replace("&", "&amp;")


def matcher(value):
    """buildQuery's reading of one condition value: !=, ; lists, % LIKE."""
    negate = value.startswith("!=")
    values = [sanitize(v) for v in value.split(";")] if ";" in value else [sanitize(value)]
    if "%" in value:
        patterns = [re.compile("^" + ".*".join(map(re.escape, v.split("%"))) + "$", re.S) for v in values]
        test = lambda s: any(p.match(s or "") for p in patterns)
    else:
        test = lambda s: (s or "") in values
    return (lambda s: not test(s)) if negate else test


class Homer(RecordingHandler):
    rows = []
    users = {}
    nodes = []
    tokens = set()
    overrides = {}

    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def dispatch(self):
        body = self.read_body()
        if self.path.startswith("/_test/"):
            if not self.handle_test_request(body):
                self.test_control(body)
            return
        self.record(body)
        if self.path == "/api/v3/auth" and self.command == "POST":
            return self.override() or self.login(body)
        if not self.path.startswith("/api/v3/"):
            return self.answer_json(404, {"message": "Not Found"})
        if not self.token_ok():
            return
        if self.override():
            return
        routes = {("POST", "/api/v3/search/call/data"): self.search,
                  ("POST", "/api/v3/export/call/messages/pcap"): self.export_pcap,
                  ("GET", "/api/v3/database/node/list"): self.node_list}
        route = routes.get((self.command, self.path))
        if route is None:
            return self.answer_json(404, {"message": "Not Found"})
        route(body)

    def test_control(self, body):
        if self.path == "/_test/expire-tokens":
            with self.lock:
                Homer.tokens = set()
            return self.answer_json(200, {})
        if self.path == "/_test/answer":
            spec = json.loads(body)
            with self.lock:
                Homer.overrides[spec["path"]] = spec
            return self.answer_json(200, {})
        self.answer_json(404, {"message": "Not Found"})

    def override(self):
        spec = self.overrides.get(self.path)
        if spec is None:
            return False
        self.answer(spec["status"], spec.get("body", ""), spec.get("content_type", "application/json"))
        return True

    # controller/v1/user.go LoginUser
    def login(self, body):
        try:
            login = json.loads(body)
            username, password = login.get("username", ""), login.get("password", "")
            assert isinstance(username, str) and isinstance(password, str)
        except Exception:
            return self.answer_json(400, {"data": {}, "message": "request format is not correct"})
        if not username or not password:
            field = "Username" if not username else "Password"
            return self.answer_json(400, {"data": {}, "message": f"Key: 'UserloginDetails.{field}' Error:Field validation for '{field}' failed on the 'required' tag"})
        if self.users.get(username) != password:
            return self.answer_json(401, {"statuscode": 401, "error": "Unauthorized", "message": "incorrect password"})
        token = self.new_token(username)
        with self.lock:
            Homer.tokens.add(token)
        self.answer_json(201, {"token": token, "scope": "4b1f6c1e-6f3a-4d5e-9c1b-0a2b3c4d5e6f", "user": {"admin": True}})

    @staticmethod
    def new_token(username):
        def part(value):
            return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()
        claims = {"username": username, "admingroup": True, "exp": 4102444800, "jti": secrets.token_hex(8)}
        return part({"alg": "HS256", "typ": "JWT"}) + "." + part(claims) + "." + secrets.token_urlsafe(32)

    # echo-jwt v4.3: Authorization: Bearer <JWT>, else 401 {"message":…}
    def token_ok(self):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or not auth[7:]:
            self.answer_json(401, {"message": "missing or malformed jwt"})
            return False
        if auth[7:] not in self.tokens:
            self.answer_json(401, {"message": "invalid or expired jwt"})
            return False
        return True

    # data/service/search.go SearchData
    def search(self, body):
        try:
            request = json.loads(body)
            param = request["param"]
            window = (int(request["timestamp"]["from"] // 1000), int(request["timestamp"]["to"] // 1000))
            nodes = param.get("location", {}).get("node", []) or []
            search = param.get("search", {}) or {}
        except Exception:
            return self.answer_json(400, {"data": {}, "message": "request format is not correct"})
        found, limit, table = [], 200, "1_default"
        conditions = []
        for key, elems in search.items():
            if key not in TABLE_KEYS:
                continue  # "Rejected search table key"
            table = key
            for elem in elems:
                name, value = elem.get("name"), elem.get("value")
                if name not in FIELD_ALLOWLIST or not isinstance(value, str):
                    continue  # dropped without a word
                if name == "limit":
                    limit = int(value) if value.isdigit() else 0
                    continue
                field = "callid" if name == "data_header.callid" else name
                if field in ("sid", "callid"):
                    conditions.append((field, matcher(value)))
        for node in self.nodes:
            if node not in nodes:
                continue  # "if node doesnt exists - continue"
            rows = [r for r in self.rows if node == self.nodes[0] and r["table_key"] == table
                    and window[0] <= r["timeSeconds"] + r["timeUseconds"] / 1e6 <= window[1]
                    and all(test(r[field]) for field, test in conditions)]
            found += [dict(r, node=node) for r in rows[:limit]]
        found.sort(key=lambda r: r["timeSeconds"] * 1000000 + r["timeUseconds"])
        data = []
        for r in found:
            item = {k: v for k, v in r.items() if k not in ("frame", "table_key")}
            item.update(dbnode=r["node"], uuid=r["id"], table="hep_proto_" + table,
                        aliasSrc=f'{r["srcIp"]}:{r["srcPort"]}', aliasDst=f'{r["dstIp"]}:{r["dstPort"]}',
                        create_date=(r["timeSeconds"] * 1000000 + r["timeUseconds"]) // 1000)
            data.append(item)
        keys = []
        for item in data:
            keys += [k for k in item if k not in keys]
        self.answer_json(201, {"data": data, "keys": keys, "total": len(data)})

    # controller/v1/search.go GetMessagesAsPCap, data/service/search.go GetTransaction
    def export_pcap(self, body):
        try:
            request = json.loads(body)
        except Exception:
            return self.answer_json(400, {"data": {}, "message": "request format is not correct"})
        param = request.get("param", {}) or {}
        sids, table = [], "1_default"
        for key, value in (param.get("search", {}) or {}).items():
            if key not in TABLE_KEYS:
                return self.answer_json(400, {"data": {}, "message": f'invalid search profile key: "{key}"'})
            table = key
            callid = value.get("callid") if isinstance(value, dict) else None
            if not isinstance(callid, list):
                return self.drop_connection()  # unchecked .([]interface{}) panics
            sids += callid
        stamp = request.get("timestamp", {}) or {}
        if not all(isinstance(stamp.get(k), (int, float)) for k in ("from", "to")):
            return self.drop_connection()  # unchecked .(float64) panics
        window = (int(stamp["from"] // 1000), int(stamp["to"] // 1000))
        nodes = (param.get("location", {}) or {}).get("node", []) or []
        rows = [r for r in self.rows if self.nodes[0] in nodes and r["table_key"] == table and r["sid"] in sids
                and window[0] <= r["timeSeconds"] + r["timeUseconds"] / 1e6 <= window[1]]
        rows.sort(key=lambda r: r["timeSeconds"] * 1000000 + r["timeUseconds"])
        pcap = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65536, 1) + b"".join(r["frame"] for r in rows)
        name = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.answer(200, pcap, "application/octet-stream",
                    [("Content-Disposition", f"attachment; filename=export-{name}.pcap")])

    # controller/v1/profile.go GetDBNodeList
    def node_list(self, body):
        data = [{"value": n, "name": "LocalNode" if n == "localnode" else n} for n in self.nodes]
        self.answer_json(200, {"count": len(data), "data": data})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--capture", required=True)
    parser.add_argument("--user", action="append", default=[], help="name:password")
    parser.add_argument("--node", action="append", default=[])
    parser.add_argument("--aleg-header", default="")
    args = parser.parse_args()
    Homer.rows = read_capture(args.capture, args.aleg_header)
    Homer.users = dict(u.split(":", 1) for u in args.user)
    Homer.nodes = args.node or ["localnode"]
    serve(Homer)


if __name__ == "__main__":
    main()
