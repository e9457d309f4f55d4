"""A Zendesk Support API stand-in for the Zendesk back-end's tests: the
calls, statuses and bodies of ../shared/docs/backends.md section 5, over
tickets the test makes through its own endpoints.

    python3 zendesk.py --email agent@acme.example --token TOKEN
                       [--export-limit 10] [--export-window 60] [--recent-seconds 60]

Answered as Zendesk documents them:
  GET /api/v2/users/me.json                      the agent (id 9001, admin)
  GET /api/v2/incremental/tickets/cursor.json    ?start_time= (at least 60 s old,
      else 400) or ?cursor= (unknown: 400); tickets ordered by
      (generated_timestamp, id), those changed in the last --recent-seconds left
      out; tickets[], after_cursor, after_url, before_cursor, before_url,
      end_of_stream; --export-limit requests per --export-window seconds, then
      429 with Retry-After (whole seconds until a slot frees)
  GET /api/v2/tickets/{id}/comments(.json)       page[size] (<= 100) gives cursor
      pagination (meta.has_more, meta.after_cursor, links.next, page[after]);
      without it, or in "offset" mode, offset pagination (page, per_page,
      next_page, previous_page, count); 404 RecordNotFound for no such ticket
  PUT /api/v2/tickets/{id}.json                  {"ticket":{"comment":{"body"|"html_body",
      "public"}}}: the comment added by the agent; 200 with ticket and audit
      (its Comment event's id is the comment's); closed ticket or the comment
      limit reached: 422 RecordInvalid; 404 for no such ticket
Every API request needs Basic auth "{email}/token:{token}", else 401
{"error":"Couldn't authenticate you"}.

Test-only endpoints (never recorded): GET /_test/requests, POST /_test/clear,
POST /_test/ticket {"subject", "status", "age_seconds", "comments": [{"author_id",
"body", "html_body"}]} -> {"id"}, POST /_test/comment {"ticket", "author_id",
"body", "age_seconds"}, POST /_test/settings {"export_page_size",
"comments_pagination": "cursor"|"offset", "comment_page_cap", "html_body": bool,
"recent_seconds", "max_comments", "export_limit", "export_window"},
POST /_test/fail {"path": prefix, "method", "status", "count", "retry_after",
"body"} (the next `count` matching API requests answer so, after the auth
check), GET /_test/state -> {"tickets": {...}, "export_refused": n}."""

import argparse
import base64
import html
import json
import math
import re
import threading
import time
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit, quote

from recording import RecordingHandler, serve

AGENT_ID = 9001


def iso(ts):
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def encode_cursor(key):
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def decode_cursor(text):
    try:
        padded = text + "=" * (-len(text) % 4)
        gts, tid = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        return (int(gts), int(tid))
    except Exception:
        return None


def strip_tags(text):
    return html.unescape(re.sub(r"<[^>]*>", "", text))


class State:
    def __init__(self, args):
        self.lock = threading.Lock()
        self.email = args.email
        self.token = args.token
        self.tickets = {}
        self.next_ticket = 101
        self.next_comment = 5000001
        self.export_page_size = 1000
        self.comments_pagination = "cursor"
        self.comment_page_cap = 100
        self.html_body = True
        self.recent_seconds = args.recent_seconds
        self.max_comments = 5000
        self.export_limit = args.export_limit
        self.export_window = args.export_window
        self.export_times = []
        self.export_refused = 0
        self.faults = []

    def new_comment(self, ticket, author_id, body, html_body=None, public=True, at=None):
        cid = self.next_comment
        self.next_comment += 1
        if html_body is None:
            html_body = "<div class=\"zd-comment\" dir=\"auto\"><p>" + html.escape(body).replace("\n", "<br>") + "</p></div>"
        elif body is None:
            body = strip_tags(html_body)
        comment = {"id": cid, "type": "Comment", "author_id": author_id, "body": body, "html_body": html_body,
                   "plain_body": body, "public": public, "attachments": [], "audit_id": cid + 700000000,
                   "via": {"channel": "api", "source": {"from": {}, "to": {}, "rel": None}},
                   "created_at": iso(at if at is not None else time.time()), "metadata": {"system": {}}}
        ticket["comments"].append(comment)
        return comment

    def touch(self, ticket, at):
        ticket["updated_at"] = iso(at)
        # generated_timestamp only grows, as Zendesk's does.
        ticket["generated_timestamp"] = max(ticket["generated_timestamp"] + 1, int(at))


class ZendeskHandler(RecordingHandler):
    state = None

    def do_GET(self):
        self.dispatch(b"")

    def do_POST(self):
        self.dispatch(self.read_body())

    def do_PUT(self):
        self.dispatch(self.read_body())

    def base(self):
        return "http://" + (self.headers.get("Host") or "127.0.0.1")

    def dispatch(self, body):
        if self.path.startswith("/_test/"):
            if not self.handle_test_request(body):
                self.test_endpoint(body)
            return
        self.record(body)
        st = self.state
        auth = self.headers.get("Authorization") or ""
        expected = "Basic " + base64.b64encode(f"{st.email}/token:{st.token}".encode()).decode()
        if auth != expected:
            self.answer_json(401, {"error": "Couldn't authenticate you"})
            return
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        with st.lock:
            for fault in st.faults:
                if fault["count"] > 0 and path.startswith(fault["path"]) and fault.get("method", self.command) == self.command:
                    fault["count"] -= 1
                    headers = [("Retry-After", str(fault["retry_after"]))] if "retry_after" in fault else []
                    self.answer(fault["status"], json.dumps(fault.get("body", {"error": "InjectedFault"})), extra_headers=headers)
                    return
        if path == "/api/v2/users/me.json" and self.command == "GET":
            self.answer_json(200, {"user": {"id": AGENT_ID, "name": "SIP diagnosis", "email": st.email, "role": "admin",
                                            "active": True, "url": self.base() + f"/api/v2/users/{AGENT_ID}.json"}})
        elif path == "/api/v2/incremental/tickets/cursor.json" and self.command == "GET":
            self.export(query)
        elif (m := re.fullmatch(r"/api/v2/tickets/(\d+)/comments(\.json)?", path)) and self.command == "GET":
            self.comments(int(m.group(1)), query, path)
        elif (m := re.fullmatch(r"/api/v2/tickets/(\d+)(\.json)?", path)) and self.command == "PUT":
            self.update(int(m.group(1)), body)
        else:
            self.answer_json(404, {"error": "InvalidEndpoint", "description": "Not found"})

    # The incremental export.

    def export(self, query):
        st = self.state
        now = time.time()
        with st.lock:
            st.export_times = [t for t in st.export_times if now - t < st.export_window]
            if len(st.export_times) >= st.export_limit:
                st.export_refused += 1
                wait = max(1, math.ceil(st.export_times[0] + st.export_window - now))
                self.answer(429, json.dumps({"error": "APIRateLimitExceeded",
                                             "description": "Number of allowed incremental export API requests per minute exceeded"}),
                            extra_headers=[("Retry-After", str(wait))])
                return
            st.export_times.append(now)
            if "cursor" in query:
                key = decode_cursor(query["cursor"][0])
                if key is None:
                    self.answer_json(400, {"error": "InvalidPaginationParameter", "description": "cursor is invalid"})
                    return
            elif "start_time" in query:
                try:
                    start = int(query["start_time"][0])
                except ValueError:
                    self.answer_json(400, {"error": "InvalidValue", "description": "start_time must be a number"})
                    return
                if start > now - 60:
                    self.answer_json(400, {"error": "InvalidValue",
                                           "description": "Too recent start_time. Use a start_time older than 1 minute"})
                    return
                key = (start, -1)
            else:
                self.answer_json(400, {"error": "InvalidValue", "description": "start_time or cursor is required"})
                return
            settled = now - st.recent_seconds
            eligible = sorted((t for t in st.tickets.values()
                               if (t["generated_timestamp"], t["id"]) > key and t["generated_timestamp"] <= settled),
                              key=lambda t: (t["generated_timestamp"], t["id"]))
            page = eligible[:st.export_page_size]
            last = (page[-1]["generated_timestamp"], page[-1]["id"]) if page else key
            after = encode_cursor(last)
            tickets = [{k: v for k, v in t.items() if k != "comments"} for t in page]
            url = self.base() + "/api/v2/incremental/tickets/cursor.json?cursor="
            self.answer_json(200, {"tickets": tickets, "after_cursor": after, "after_url": url + after,
                                   "before_cursor": None, "before_url": None,
                                   "end_of_stream": len(eligible) <= st.export_page_size})

    # Comments.

    def comments(self, tid, query, path):
        st = self.state
        with st.lock:
            ticket = st.tickets.get(tid)
            if ticket is None:
                self.answer_json(404, {"error": "RecordNotFound", "description": "Not found"})
                return
            items = []
            for c in ticket["comments"]:
                c = dict(c)
                if not st.html_body:
                    c.pop("html_body", None)
                    c.pop("plain_body", None)
                items.append(c)
            url = self.base() + path
            if "page[size]" in query and st.comments_pagination == "cursor":
                try:
                    size = int(query["page[size]"][0])
                except ValueError:
                    size = 0
                if not 1 <= size <= 100:
                    self.answer_json(400, {"error": "InvalidPaginationParameter", "description": "page[size] must be 1 to 100"})
                    return
                size = min(size, st.comment_page_cap)
                start = 0
                if "page[after]" in query:
                    after = decode_cursor(query["page[after]"][0])
                    if after is None:
                        self.answer_json(400, {"error": "InvalidPaginationParameter", "description": "page[after] is invalid"})
                        return
                    start = after[1] + 1
                chunk = items[start:start + size]
                more = start + size < len(items)
                after = encode_cursor((0, start + len(chunk) - 1)) if chunk else None
                self.answer_json(200, {
                    "comments": chunk,
                    "meta": {"has_more": more, "after_cursor": after,
                             "before_cursor": encode_cursor((0, start)) if chunk else None},
                    "links": {"prev": None,
                              "next": url + "?page%5Bsize%5D=" + str(size) + "&page%5Bafter%5D=" + quote(after) if more else None}})
            else:
                try:
                    page = int(query.get("page", ["1"])[0])
                    per_page = int(query.get("per_page", ["100"])[0])
                except ValueError:
                    page, per_page = 0, 0
                if page < 1 or not 1 <= per_page <= 100:
                    self.answer_json(400, {"error": "InvalidPaginationParameter", "description": "page and per_page must be positive"})
                    return
                per_page = min(per_page, st.comment_page_cap)
                chunk = items[(page - 1) * per_page:page * per_page]
                more = page * per_page < len(items)
                self.answer_json(200, {
                    "comments": chunk,
                    "next_page": f"{url}?page={page + 1}&per_page={per_page}" if more else None,
                    "previous_page": f"{url}?page={page - 1}&per_page={per_page}" if page > 1 else None,
                    "count": len(items)})

    # Adding a comment.

    def update(self, tid, body):
        st = self.state
        try:
            payload = json.loads(body.decode("utf-8"))
            comment = payload["ticket"]["comment"]
            assert isinstance(comment, dict)
        except Exception:
            self.answer_json(400, {"error": "InvalidJSON", "description": "The request body is not a ticket update"})
            return
        with st.lock:
            ticket = st.tickets.get(tid)
            if ticket is None:
                self.answer_json(404, {"error": "RecordNotFound", "description": "Not found"})
                return
            if ticket["status"] == "closed":
                self.answer_json(422, {"error": "RecordInvalid", "description": "Record validation errors",
                                       "details": {"status": [{"description": "Status: closed prevents ticket update"}]}})
                return
            if len(ticket["comments"]) >= st.max_comments:
                self.answer_json(422, {"error": "RecordInvalid", "description": "Record validation errors",
                                       "details": {"base": [{"description": f"Ticket has reached its {st.max_comments} comment limit"}]}})
                return
            text, markup = comment.get("body"), comment.get("html_body")
            if not text and not markup:
                self.answer_json(422, {"error": "RecordInvalid", "description": "Record validation errors",
                                       "details": {"base": [{"description": "Comment: body can't be blank"}]}})
                return
            now = time.time()
            added = st.new_comment(ticket, AGENT_ID, text, markup, comment.get("public", True) is not False, now)
            st.touch(ticket, now)
            shown = {k: v for k, v in ticket.items() if k != "comments"}
            event = dict(added)
            self.answer_json(200, {"ticket": shown, "audit": {"id": added["audit_id"], "ticket_id": tid,
                                                              "created_at": added["created_at"], "author_id": AGENT_ID,
                                                              "events": [event]}})

    # The test's own endpoints.

    def test_endpoint(self, body):
        st = self.state
        try:
            data = json.loads(body.decode("utf-8") or "{}") if self.command == "POST" else {}
        except ValueError:
            self.answer_json(400, {"error": "not JSON"})
            return
        with st.lock:
            if self.path == "/_test/ticket" and self.command == "POST":
                at = time.time() - data.get("age_seconds", 120)
                tid = data.get("id") or st.next_ticket
                st.next_ticket = max(st.next_ticket, tid + 1)
                ticket = {"id": tid, "url": self.base() + f"/api/v2/tickets/{tid}.json", "subject": data.get("subject", "Calls failing"),
                          "description": "", "status": data.get("status", "open"), "requester_id": 1001,
                          "created_at": iso(at), "updated_at": iso(at), "generated_timestamp": int(at), "comments": []}
                for c in data.get("comments", []):
                    st.new_comment(ticket, c.get("author_id", 1001), c.get("body"), c.get("html_body"), c.get("public", True), at)
                if ticket["comments"]:
                    ticket["description"] = ticket["comments"][0]["body"] or ""
                st.tickets[tid] = ticket
                self.answer_json(200, {"id": tid})
            elif self.path == "/_test/comment" and self.command == "POST":
                ticket = st.tickets.get(data["ticket"])
                if ticket is None:
                    self.answer_json(404, {"error": "no such ticket"})
                    return
                at = time.time() - data.get("age_seconds", 120)
                added = st.new_comment(ticket, data.get("author_id", 1001), data.get("body"), data.get("html_body"),
                                       data.get("public", True), at)
                st.touch(ticket, at)
                self.answer_json(200, {"id": added["id"]})
            elif self.path == "/_test/settings" and self.command == "POST":
                for key in ("export_page_size", "comments_pagination", "comment_page_cap", "html_body", "recent_seconds",
                            "max_comments", "export_limit", "export_window"):
                    if key in data:
                        setattr(st, key, data[key])
                self.answer_json(200, {})
            elif self.path == "/_test/fail" and self.command == "POST":
                st.faults.append(dict(data))
                self.answer_json(200, {})
            elif self.path == "/_test/state" and self.command == "GET":
                self.answer_json(200, {"tickets": {str(k): v for k, v in st.tickets.items()},
                                       "export_refused": st.export_refused})
            else:
                self.answer_json(404, {"error": "no such test endpoint"})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--email", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--export-limit", type=int, default=10)
    parser.add_argument("--export-window", type=float, default=60)
    parser.add_argument("--recent-seconds", type=float, default=60)
    args = parser.parse_args()
    ZendeskHandler.state = State(args)
    serve(ZendeskHandler)


if __name__ == "__main__":
    main()
