"""A Slack Web API stand-in on 127.0.0.1 for the Slack back-end's tests,
answering as Slack documents it: HTTP 200 with {"ok": true, ...} or
{"ok": false, "error": "..."}; 429 with Retry-After when rate-limited.

Methods (under /api/): auth.test, chat.postMessage (JSON or form body),
conversations.replies (GET or POST; cursor paging through
response_metadata.next_cursor, the parent message first). A response_url
at /response/<anything> takes slash command answers.

Auth: "Authorization: Bearer <token given with --token>"; none is
not_authed, another is invalid_auth (both HTTP 200, as Slack does).

Test endpoints (never recorded):
  POST /_test/message   {"channel","user"|"bot_id","text","ts"?,"thread_ts"?}
                        adds a message someone wrote; answers {"ts"}
  POST /_test/fail      {"method","status","error"?,"retry_after"?,"times"?}
                        the next `times` calls of method answer that
  POST /_test/config    {"replies_page": n, "not_in": [channels], "response_status": n}
  GET  /_test/posts     every message the bot posted: [{"channel","ts","thread_ts","text","blocks"}]
  GET  /_test/responses every answer POSTed to a response_url: [{"path","body"}]
  GET  /_test/requests  every request (recording.py)

Usage: python3 slack_web.py --token xoxb-test
"""

import argparse
import base64
import json
import threading
import time
from urllib.parse import parse_qs, urlsplit

from recording import RecordingHandler, serve

BOT_USER = "UAGENTBOT"
BOT_ID = "BAGENT001"

state = {
    "lock": threading.Lock(),
    "messages": {},     # channel -> [message]
    "posts": [],        # what the bot posted
    "responses": [],    # response_url answers
    "failures": [],     # injected answers
    "replies_page": 1000,
    "not_in": set(),
    "response_status": 200,
    "clock": 1700000000,
    "seq": 0,
}
TOKEN = ""


def next_ts():
    with state["lock"]:
        state["seq"] += 1
        return "%d.%06d" % (state["clock"] + state["seq"], state["seq"])


class Slack(RecordingHandler):
    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def dispatch(self):
        body = self.read_body()
        if self.handle_test_request(body) or self.test_control(body):
            return
        self.record(body)
        url = urlsplit(self.path)
        if url.path.startswith("/response/"):
            return self.response_url(body)
        if not url.path.startswith("/api/"):
            return self.answer(404, "not found", "text/plain")
        method = url.path[len("/api/"):]
        args = self.arguments(url.query, body)
        injected = self.injected(method)
        if injected:
            status, error, retry_after = injected
            headers = [("Retry-After", str(retry_after))] if retry_after is not None else []
            if status >= 500 and error is None:
                return self.answer(status, "<html>upstream failed</html>", "text/html")
            return self.answer(status, json.dumps({"ok": False, "error": error or "ratelimited"}), extra_headers=headers)
        auth = self.headers.get("Authorization") or ""
        if not auth:
            return self.answer_json(200, {"ok": False, "error": "not_authed"})
        if auth != "Bearer " + TOKEN:
            return self.answer_json(200, {"ok": False, "error": "invalid_auth"})
        handler = {
            "auth.test": self.auth_test,
            "chat.postMessage": self.post_message,
            "conversations.replies": self.replies,
        }.get(method)
        if handler is None:
            return self.answer_json(200, {"ok": False, "error": "unknown_method"})
        handler(args)

    def arguments(self, query, body):
        args = {k: v[-1] for k, v in parse_qs(query).items()}
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if body and ctype == "application/json":
            try:
                value = json.loads(body)
                if isinstance(value, dict):
                    args.update(value)
            except ValueError:
                pass
        elif body:
            args.update({k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()})
        return args

    def injected(self, method):
        with state["lock"]:
            for failure in state["failures"]:
                if failure["method"] == method and failure["times"] > 0:
                    failure["times"] -= 1
                    return failure["status"], failure.get("error"), failure.get("retry_after")
        return None

    def test_control(self, body):
        path = urlsplit(self.path).path
        if not path.startswith("/_test/"):
            return False
        value = json.loads(body) if body else {}
        if path == "/_test/message" and self.command == "POST":
            ts = value.get("ts") or next_ts()
            message = {"type": "message", "text": value.get("text", ""), "ts": ts}
            for key in ("user", "bot_id", "thread_ts", "subtype"):
                if key in value:
                    message[key] = value[key]
            with state["lock"]:
                state["messages"].setdefault(value["channel"], []).append(message)
            self.answer_json(200, {"ts": ts})
        elif path == "/_test/fail" and self.command == "POST":
            value.setdefault("times", 1)
            with state["lock"]:
                state["failures"].append(value)
            self.answer_json(200, {})
        elif path == "/_test/config" and self.command == "POST":
            with state["lock"]:
                if "replies_page" in value:
                    state["replies_page"] = int(value["replies_page"])
                if "not_in" in value:
                    state["not_in"] = set(value["not_in"])
                if "response_status" in value:
                    state["response_status"] = int(value["response_status"])
            self.answer_json(200, {})
        elif path == "/_test/posts":
            with state["lock"]:
                self.answer_json(200, list(state["posts"]))
        elif path == "/_test/responses":
            with state["lock"]:
                self.answer_json(200, list(state["responses"]))
        else:
            return False
        return True

    def auth_test(self, args):
        self.answer_json(200, {"ok": True, "url": "https://test.slack.com/", "team": "Test", "user": "sipdiag",
                               "team_id": "T0TEST", "user_id": BOT_USER, "bot_id": BOT_ID, "is_enterprise_install": False})

    def post_message(self, args):
        channel = args.get("channel")
        if not channel:
            return self.answer_json(200, {"ok": False, "error": "channel_not_found"})
        if channel in state["not_in"]:
            return self.answer_json(200, {"ok": False, "error": "not_in_channel"})
        blocks = args.get("blocks")
        if isinstance(blocks, str):
            try:
                blocks = json.loads(blocks)
            except ValueError:
                return self.answer_json(200, {"ok": False, "error": "invalid_blocks_format"})
        text = args.get("text")
        if not text and not blocks:
            return self.answer_json(200, {"ok": False, "error": "no_text"})
        if blocks is not None:
            if not isinstance(blocks, list) or len(blocks) > 50:
                return self.answer_json(200, {"ok": False, "error": "invalid_blocks", "errors": ["must be an array of at most 50 blocks"]})
            for block in blocks:
                if block.get("type") == "section":
                    t = (block.get("text") or {}).get("text", "")
                    if not t or len(t) > 3000:
                        return self.answer_json(200, {"ok": False, "error": "invalid_blocks",
                                                      "errors": ["must be less than 3001 characters [json-pointer:/blocks/0/text]"]})
                elif block.get("type") != "divider":
                    return self.answer_json(200, {"ok": False, "error": "invalid_blocks"})
        if text and len(text) > 40000:
            text = text[:40000]  # Slack truncates
        ts = next_ts()
        message = {"type": "message", "user": BOT_USER, "bot_id": BOT_ID, "text": text or "", "ts": ts}
        if blocks is not None:
            message["blocks"] = blocks
        thread = args.get("thread_ts")
        if thread:
            message["thread_ts"] = thread
        with state["lock"]:
            state["messages"].setdefault(channel, []).append(message)
            state["posts"].append({"channel": channel, "ts": ts, "thread_ts": thread, "text": text or "", "blocks": blocks})
        self.answer_json(200, {"ok": True, "channel": channel, "ts": ts, "message": message})

    def replies(self, args):
        channel, ts = args.get("channel"), args.get("ts")
        if not channel or channel not in state["messages"]:
            return self.answer_json(200, {"ok": False, "error": "channel_not_found"})
        with state["lock"]:
            thread = [m for m in state["messages"][channel] if m["ts"] == ts or m.get("thread_ts") == ts]
        thread.sort(key=lambda m: (m["ts"] != ts, float(m["ts"])))
        if not thread or thread[0]["ts"] != ts:
            return self.answer_json(200, {"ok": False, "error": "thread_not_found"})
        try:
            limit = min(int(args.get("limit", 1000)), state["replies_page"])
        except ValueError:
            return self.answer_json(200, {"ok": False, "error": "invalid_limit"})
        start = 0
        if args.get("cursor"):
            try:
                start = int(base64.b64decode(args["cursor"]).decode().split(":")[1])
            except Exception:
                return self.answer_json(200, {"ok": False, "error": "invalid_cursor"})
        page = thread[start:start + limit]
        more = start + limit < len(thread)
        answer = {"ok": True, "messages": page, "has_more": more}
        answer["response_metadata"] = {"next_cursor": base64.b64encode(("page:%d" % (start + limit)).encode()).decode() if more else ""}
        self.answer_json(200, answer)

    def response_url(self, body):
        with state["lock"]:
            status = state["response_status"]
            if status == 200:
                state["responses"].append({"path": self.path, "body": json.loads(body or b"{}")})
        if status == 200:
            self.answer(200, "ok", "text/html")
        else:
            self.answer(status, json.dumps({"ok": False, "error": "expired_url"}))


def main():
    global TOKEN
    parser = argparse.ArgumentParser()
    parser.add_argument("--token", required=True)
    TOKEN = parser.parse_args().token
    serve(Slack)


if __name__ == "__main__":
    main()
