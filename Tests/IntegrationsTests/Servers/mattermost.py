"""A Mattermost server's REST API v4, as much of it as the agent's
Mattermost back-end uses, answering as mattermost/mattermost does
(server/channels/api4/post.go, app/post.go, app/ratelimit.go,
public/model/post_list.go):

  GET  /api/v4/users/me                  the token's user
  GET  /api/v4/posts/{id}                a post, 404 AppError if unknown
  POST /api/v4/posts                     201 with the post; a root_id that is
                                         unknown or itself a reply is 400
                                         api.post.create_post.root_id.app_error;
                                         a message over 16383 runes is 400
  GET  /api/v4/posts/{id}/thread         a PostList of the thread {id} is in:
                                         perPage (0/absent: all), fromPost +
                                         fromCreateAt, direction=down; the root
                                         comes with every page, has_next says
                                         whether more replies follow

Auth: `Authorization: Bearer TOKEN` (--token); anything else is 401
api.context.session_expired.app_error. Errors are AppError JSON
(id, message, detailed_error, request_id, status_code), except the rate
limiter's 429: text/plain "limit exceeded" with Retry-After and
X-RateLimit-Limit/-Remaining/-Reset.

Test endpoints (not recorded): POST /_test/post makes a post as someone
(a person's message, or a webhook answer with props.from_webhook);
GET /_test/posts lists every post; POST /_test/fail makes the next
`count` requests whose method and path start match answer `status`
(401, 429 with `retry_after`, 5xx); GET /_test/requests (recording.py).
"""

import argparse
import json
import random
import string
import threading
import time
from urllib.parse import urlsplit, parse_qs

from recording import RecordingHandler, serve

MAX_RUNES = 16383

state_lock = threading.Lock()
posts = {}          # id -> post
failures = []       # [{"method", "path", "status", "count", "retry_after"}]
last_create_at = [0]
args = None


def new_id():
    return "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(26))


def now_ms():
    with state_lock:
        t = max(int(time.time() * 1000), last_create_at[0] + 1)
        last_create_at[0] = t
        return t


def make_post(channel_id, root_id, user_id, message, props=None):
    t = now_ms()
    post = {"id": new_id(), "create_at": t, "update_at": t, "edit_at": 0, "delete_at": 0, "is_pinned": False,
            "user_id": user_id, "channel_id": channel_id, "root_id": root_id or "", "original_id": "",
            "message": message, "type": "", "props": props or {}, "hashtags": "", "pending_post_id": "",
            "reply_count": 0, "metadata": {}}
    with state_lock:
        posts[post["id"]] = post
    return post


def app_error(handler, status, error_id, message):
    handler.answer_json(status, {"id": error_id, "message": message, "detailed_error": "",
                                 "request_id": new_id(), "status_code": status})


class Handler(RecordingHandler):
    def do_GET(self):
        self.handle_any(b"")

    def do_POST(self):
        self.handle_any(self.read_body())

    def handle_any(self, body):
        if self.handle_test_request(body) or self.handle_control(body):
            return
        self.record(body)
        if self.injected_failure():
            return
        if self.headers.get("Authorization") != "Bearer " + args.token:
            return app_error(self, 401, "api.context.session_expired.app_error", "Invalid or expired session, please login again.")
        url = urlsplit(self.path)
        parts = url.path.strip("/").split("/")
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if self.command == "GET" and url.path == "/api/v4/users/me":
            return self.answer_json(200, {"id": args.bot_user, "username": "sipdiag", "is_bot": True, "roles": "system_user"})
        if self.command == "POST" and url.path == "/api/v4/posts":
            return self.create_post(body)
        if self.command == "GET" and len(parts) == 4 and parts[:3] == ["api", "v4", "posts"]:
            with state_lock:
                post = posts.get(parts[3])
            if post is None:
                return app_error(self, 404, "app.post.get.app_error", "Unable to get the post.")
            return self.answer_json(200, post)
        if self.command == "GET" and len(parts) == 5 and parts[:3] == ["api", "v4", "posts"] and parts[4] == "thread":
            return self.thread(parts[3], query)
        app_error(self, 404, "api.context.404.app_error", "Sorry, we could not find the page.")

    def injected_failure(self):
        with state_lock:
            for f in failures:
                if f["count"] > 0 and self.command == f["method"] and self.path.startswith(f["path"]):
                    f["count"] -= 1
                    status, retry_after = f["status"], f.get("retry_after")
                    break
            else:
                return False
        if status == 429:
            headers = [("X-RateLimit-Limit", "10"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", str(retry_after or 1))]
            if retry_after is not None:
                headers.append(("Retry-After", str(retry_after)))
            self.answer(429, "limit exceeded\n", content_type="text/plain; charset=utf-8", extra_headers=headers)
        elif status == 401:
            app_error(self, 401, "api.context.session_expired.app_error", "Invalid or expired session, please login again.")
        else:
            app_error(self, status, "app.post.save.app_error", "Unable to save the post.")
        return True

    def create_post(self, body):
        try:
            post = json.loads(body or b"{}")
        except ValueError:
            return app_error(self, 400, "api.context.invalid_body_param.app_error", "Invalid or missing post in request body.")
        channel_id, root_id, message = post.get("channel_id", ""), post.get("root_id", ""), post.get("message", "")
        if not channel_id:
            return app_error(self, 400, "model.post.is_valid.channel_id.app_error", "Invalid channel id.")
        if len(message) > MAX_RUNES:
            return app_error(self, 400, "model.post.is_valid.message_length.app_error", "Message must be less than or equal to 16383 characters.")
        if root_id:
            with state_lock:
                root = posts.get(root_id)
            if root is None or root["root_id"]:
                return app_error(self, 400, "api.post.create_post.root_id.app_error", "Invalid RootId parameter.")
            if root["channel_id"] != channel_id:
                return app_error(self, 400, "api.post.create_post.channel_root_id.app_error", "Invalid ChannelId for RootId parameter.")
        created = make_post(channel_id, root_id, args.bot_user, message)
        self.answer_json(201, created)

    def thread(self, post_id, query):
        with state_lock:
            post = posts.get(post_id)
            if post is None:
                return app_error(self, 404, "app.post.get.app_error", "Unable to get the post.")
            root_id = post["root_id"] or post["id"]
            root = posts.get(root_id)
            replies = sorted((p for p in posts.values() if p["root_id"] == root_id), key=lambda p: (p["create_at"], p["id"]))
        try:
            per_page = int(query.get("perPage", "0"))
            from_create_at = int(query.get("fromCreateAt", "0"))
        except ValueError:
            return app_error(self, 400, "api.context.invalid_url_param.app_error", "Invalid or missing perPage parameter in request URL.")
        if per_page > 200:
            return app_error(self, 400, "api.context.invalid_url_param.app_error", "Invalid or missing perPage parameter in request URL.")
        from_post = query.get("fromPost", "")
        if from_post and not from_create_at:
            return app_error(self, 400, "api.context.invalid_url_param.app_error", "if fromPost is set, then fromCreateAt must also be set")
        if from_create_at:
            replies = [p for p in replies if (p["create_at"], p["id"]) > (from_create_at, from_post)]
        has_next = None
        if per_page > 0:
            has_next = len(replies) > per_page
            replies = replies[:per_page]
        page = ([root] if root else []) + replies
        # Newest first, as Mattermost's post lists are ordered.
        order = [p["id"] for p in sorted(page, key=lambda p: (p["create_at"], p["id"]), reverse=True)]
        answer = {"order": order, "posts": {p["id"]: p for p in page}, "next_post_id": "", "prev_post_id": "",
                  "first_inaccessible_post_time": 0}
        if has_next is not None:
            answer["has_next"] = has_next
        self.answer_json(200, answer)

    def handle_control(self, body):
        if self.path == "/_test/posts" and self.command == "GET":
            with state_lock:
                listed = sorted(posts.values(), key=lambda p: p["create_at"])
            self.answer_json(200, listed)
            return True
        if self.path == "/_test/post" and self.command == "POST":
            spec = json.loads(body or b"{}")
            props = {"from_webhook": "true"} if spec.get("from_webhook") else {}
            created = make_post(spec.get("channel_id", "townsquare0000000000000000"), spec.get("root_id", ""),
                                spec.get("user_id", "alice00000000000000000000a"), spec.get("message", ""), props)
            self.answer_json(200, created)
            return True
        if self.path == "/_test/fail" and self.command == "POST":
            spec = json.loads(body or b"{}")
            with state_lock:
                failures.append({"method": spec.get("method", "GET"), "path": spec.get("path", "/"),
                                 "status": int(spec.get("status", 500)), "count": int(spec.get("count", 1)),
                                 "retry_after": spec.get("retry_after")})
            self.answer_json(200, {})
            return True
        return False


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--token", default="mm-test-api-token")
    parser.add_argument("--bot-user", default="sipdiagbot0000000000000000")
    args = parser.parse_args()
    serve(Handler)
