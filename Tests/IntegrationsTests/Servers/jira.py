"""A Jira Cloud site with Jira Service Management, as the agent sees it
(backends.md section 6): Basic auth `email:api_token`, /rest/api/3/myself,
the bounded JQL search /rest/api/3/search/jql with nextPageToken paging
(the removed /rest/api/3/search and /rest/api/2/search answer 410), the
issue comments of API v3 (ADF bodies, startAt/maxResults/total paging)
and the service desk API's request comments (plain bodies, public or
internal, start/limit/isLastPage paging).

JQL dates ("yyyy/MM/dd HH:mm") are read in the account's profile timezone
(--jql-zone user, the default) or in UTC (--jql-zone utc): which one Jira
uses is unverified, and the tests run both.

Test endpoints (never recorded):
  POST /_test/issue    {"key", "summary", "description" (ADF or text), "reporter": {accountId, displayName},
                        "age": seconds since its update (default 0)}
  POST /_test/comment  {"key", "author": {...}, "body" (ADF or text), "public": bool}
  POST /_test/fail     {"path" (prefix), "method", "status", "count", "headers": {...}, "body": {...}}
                       the next `count` matching requests get that answer
  GET  /_test/issues   the whole state, comments with their bodies
  GET  /_test/requests every API request, in order (recording.py)
"""

import argparse
import base64
import json
import re
import threading
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from recording import RecordingHandler, serve

REMOVED = ("The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
           "A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046")


def adf(value):
    """A document from text (paragraphs split at blank lines), or as given."""
    if isinstance(value, dict):
        return value
    paragraphs = []
    for block in str(value).split("\n\n"):
        content = []
        for i, line in enumerate(block.split("\n")):
            if i:
                content.append({"type": "hardBreak"})
            if line:
                content.append({"type": "text", "text": line})
        paragraphs.append({"type": "paragraph", "content": content})
    return {"type": "doc", "version": 1, "content": paragraphs}


class Site:
    def __init__(self, args):
        self.lock = threading.Lock()
        self.email = args.email
        self.token = args.token
        self.account = {"accountId": args.account_id, "displayName": "SIP diagnosis agent", "active": True,
                        "accountType": "atlassian"}
        self.zone = ZoneInfo(args.timezone)
        self.jql_zone = self.zone if args.jql_zone == "user" else timezone.utc
        self.search_cap = args.search_cap
        self.comment_cap = args.comment_cap
        self.issues = {}
        self.next_id = 10000
        self.faults = []

    def new_id(self):
        self.next_id += 1
        return str(self.next_id)

    def stamp(self, moment):
        """Jira's form: 2026-12-02T17:50:47.123+0100, in the profile's zone."""
        local = moment.astimezone(self.zone)
        return local.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d" % (local.microsecond // 1000) + local.strftime("%z")

    def now(self):
        moment = datetime.now(timezone.utc)
        return moment.replace(microsecond=(moment.microsecond // 1000) * 1000)


class Jira(RecordingHandler):
    site = None

    def do_GET(self):
        self.route(b"")

    def do_POST(self):
        self.route(self.read_body())

    def route(self, body):
        if self.handle_test_request(body) or self.handle_control(body):
            return
        self.record(body)
        url = urlsplit(self.path)
        path = url.path
        query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        if self.injected_fault(path):
            return
        if not self.authenticated():
            self.answer_json(401, {"errorMessages": ["You are not authenticated. Authentication required to perform this operation."],
                                   "errors": {}})
            return
        if path in ("/rest/api/3/search", "/rest/api/2/search"):
            self.answer_json(410, {"errorMessages": [REMOVED], "errors": {}})
        elif path == "/rest/api/3/myself" and self.command == "GET":
            self.answer_json(200, dict(self.site.account, emailAddress=self.site.email,
                                       timeZone=str(self.site.zone), locale="en_US"))
        elif path == "/rest/api/3/search/jql" and self.command == "GET":
            self.search(query)
        elif (m := re.fullmatch(r"/rest/api/3/issue/([^/]+)/comment", path)) and self.command == "GET":
            self.issue_comments(m.group(1), query)
        elif (m := re.fullmatch(r"/rest/servicedeskapi/request/([^/]+)/comment", path)):
            if self.command == "POST":
                self.add_request_comment(m.group(1), body)
            else:
                self.request_comments(m.group(1), query)
        else:
            self.answer_json(404, {"errorMessages": ["No API at " + path], "errors": {}})

    # -- test endpoints

    def handle_control(self, body):
        site = self.site
        if self.path == "/_test/issue" and self.command == "POST":
            spec = json.loads(body)
            with site.lock:
                issue = site.issues.get(spec["key"])
                if issue is None:
                    issue = {"id": site.new_id(), "key": spec["key"], "comments": []}
                    site.issues[spec["key"]] = issue
                issue["summary"] = spec.get("summary", "Calls failing")
                issue["description"] = adf(spec["description"]) if spec.get("description") is not None else None
                issue["reporter"] = spec.get("reporter", {"accountId": "customer-1", "displayName": "Ana Customer"})
                issue["updated"] = site.now() - timedelta(seconds=spec.get("age", 0))
            self.answer_json(200, {"key": spec["key"]})
            return True
        if self.path == "/_test/comment" and self.command == "POST":
            spec = json.loads(body)
            with site.lock:
                issue = site.issues[spec["key"]]
                moment = site.now()
                issue["comments"].append({"id": site.new_id(), "author": spec.get("author", {"accountId": "customer-1",
                                                                                            "displayName": "Ana Customer"}),
                                          "body": adf(spec["body"]), "text": None, "created": moment,
                                          "public": spec.get("public", True)})
                issue["updated"] = moment
            self.answer_json(200, {})
            return True
        if self.path == "/_test/fail" and self.command == "POST":
            with site.lock:
                site.faults.append(json.loads(body))
            self.answer_json(200, {})
            return True
        if self.path == "/_test/issues" and self.command == "GET":
            with site.lock:
                state = [{"key": i["key"], "updated": site.stamp(i["updated"]),
                          "comments": [{"id": c["id"], "author": c["author"]["accountId"], "public": c["public"],
                                        "text": c["text"]} for c in i["comments"]]}
                         for i in site.issues.values()]
            self.answer_json(200, state)
            return True
        return False

    def injected_fault(self, path):
        site = self.site
        with site.lock:
            for fault in site.faults:
                if fault.get("count", 1) > 0 and path.startswith(fault["path"]) \
                        and fault.get("method", self.command) == self.command:
                    fault["count"] = fault.get("count", 1) - 1
                    break
            else:
                return False
        status = fault["status"]
        body = fault.get("body") or {"errorMessages": ["injected %d" % status], "errors": {}}
        headers = list(fault.get("headers", {}).items())
        if status == 429 and "RateLimit-Reason" not in fault.get("headers", {}):
            headers.append(("RateLimit-Reason", "jira-burst-based"))
        reset_in = fault.get("reset_in")
        if reset_in is not None:
            reset = datetime.now(timezone.utc) + timedelta(seconds=reset_in)
            headers.append(("X-RateLimit-Reset", reset.isoformat(timespec="milliseconds").replace("+00:00", "Z")))
        self.answer(status, json.dumps(body), extra_headers=headers)
        return True

    def authenticated(self):
        expected = "Basic " + base64.b64encode(("%s:%s" % (self.site.email, self.site.token)).encode()).decode()
        return self.headers.get("Authorization") == expected

    # -- the platform API

    def search(self, query):
        site = self.site
        jql = query.get("jql", "")
        order = re.search(r"\s+ORDER\s+BY\s+(.*)$", jql, re.I)
        where = jql[:order.start()] if order else jql
        bound = re.search(r'updated\s*>=\s*"(\d{4})[/-](\d{2})[/-](\d{2}) (\d{2}):(\d{2})"', where)
        if not bound:
            self.answer_json(400, {"errorMessages": ["Unbounded JQL queries are not allowed here. "
                                                     "Please add a search restriction to your query."], "errors": {}})
            return
        if "nosuchfield" in where.lower():
            self.answer_json(400, {"errorMessages": ["Field 'nosuchfield' does not exist or you do not have permission to view it."],
                                   "errors": {}})
            return
        y, mo, d, h, mi = (int(x) for x in bound.groups())
        since = datetime(y, mo, d, h, mi, tzinfo=site.jql_zone).astimezone(timezone.utc)
        project = re.search(r'project\s*=\s*"?([A-Za-z0-9_]+)"?', where)
        fields = [f for f in query.get("fields", "id").split(",") if f]
        try:
            size = max(1, min(int(query.get("maxResults", "50")), site.search_cap))
            offset = int(base64.urlsafe_b64decode(query["nextPageToken"]).decode()) if "nextPageToken" in query else 0
        except (ValueError, KeyError):
            self.answer_json(400, {"errorMessages": ["The nextPageToken is invalid or expired."], "errors": {}})
            return
        with site.lock:
            matching = sorted((i for i in site.issues.values()
                               if i["updated"] >= since and (not project or i["key"].split("-")[0] == project.group(1))),
                              key=lambda i: (i["updated"], i["key"]))
            page = matching[offset:offset + size]
            issues = []
            for i in page:
                all_fields = {"summary": i["summary"], "updated": site.stamp(i["updated"]), "description": i["description"],
                              "reporter": i["reporter"]}
                issues.append({"expand": "", "id": i["id"], "self": "/rest/api/3/issue/" + i["id"], "key": i["key"],
                               "fields": {f: all_fields[f] for f in fields if f in all_fields}})
        answer = {"issues": issues, "isLast": offset + size >= len(matching)}
        if not answer["isLast"]:
            answer["nextPageToken"] = base64.urlsafe_b64encode(str(offset + size).encode()).decode()
        self.answer_json(200, answer)

    def issue_comments(self, key, query):
        site = self.site
        with site.lock:
            issue = site.issues.get(key)
            if issue is None:
                self.answer_json(404, {"errorMessages": ["Issue does not exist or you do not have permission to see it."],
                                       "errors": {}})
                return
            start = int(query.get("startAt", "0"))
            size = max(1, min(int(query.get("maxResults", "5000")), site.comment_cap))
            ordered = issue["comments"] if query.get("orderBy", "created") != "-created" else list(reversed(issue["comments"]))
            page = [{"self": "/rest/api/3/issue/%s/comment/%s" % (issue["id"], c["id"]), "id": c["id"],
                     "author": c["author"], "body": c["body"], "updateAuthor": c["author"],
                     "created": site.stamp(c["created"]), "updated": site.stamp(c["created"]), "jsdPublic": c["public"]}
                    for c in ordered[start:start + size]]
            self.answer_json(200, {"startAt": start, "maxResults": size, "total": len(ordered), "comments": page})

    # -- the service desk API

    def add_request_comment(self, key, body):
        site = self.site
        try:
            spec = json.loads(body)
            text = spec["body"]
            public = spec.get("public", True)
            assert isinstance(text, str) and isinstance(public, bool)
        except (ValueError, KeyError, AssertionError):
            self.answer_json(400, {"errorMessage": "The request body must hold body (text) and public (true or false).",
                                   "i18nErrorMessage": {"i18nKey": "sd.request.comment.invalid", "parameters": []}})
            return
        if len(text) > 32767:
            self.answer_json(400, {"errorMessage": "The comment is too long: at most 32767 characters.",
                                   "i18nErrorMessage": {"i18nKey": "sd.comment.too.long", "parameters": []}})
            return
        with site.lock:
            issue = site.issues.get(key)
            if issue is None:
                self.answer_json(404, {"errorMessage": "Request %s does not exist or you do not have permission to see it." % key,
                                       "i18nErrorMessage": {"i18nKey": "sd.request.not.found", "parameters": [key]}})
                return
            moment = site.now()
            comment = {"id": site.new_id(), "author": site.account, "body": adf(text), "text": text, "created": moment,
                       "public": public}
            issue["comments"].append(comment)
            issue["updated"] = moment
        self.answer_json(201, self.request_comment(comment))

    def request_comment(self, c):
        millis = int(c["created"].timestamp() * 1000)
        return {"id": c["id"], "body": c["text"] if c["text"] is not None else json.dumps(c["body"]), "public": c["public"],
                "author": dict(c["author"], emailAddress=""), "created": {
                    "iso8601": self.site.stamp(c["created"]), "jira": self.site.stamp(c["created"]),
                    "friendly": "Today", "epochMillis": millis},
                "_links": {"self": "/rest/servicedeskapi/request/comment/" + c["id"]}}

    def request_comments(self, key, query):
        site = self.site
        with site.lock:
            issue = site.issues.get(key)
            if issue is None:
                self.answer_json(404, {"errorMessage": "Request %s does not exist or you do not have permission to see it." % key,
                                       "i18nErrorMessage": {"i18nKey": "sd.request.not.found", "parameters": [key]}})
                return
            public = query.get("public", "true") == "true"
            internal = query.get("internal", "true") == "true"
            start = int(query.get("start", "0"))
            limit = max(1, min(int(query.get("limit", "50")), site.comment_cap))
            chosen = [c for c in issue["comments"] if (c["public"] and public) or (not c["public"] and internal)]
            page = chosen[start:start + limit]
            self.answer_json(200, {"size": len(page), "start": start, "limit": limit,
                                   "isLastPage": start + len(page) >= len(chosen),
                                   "values": [self.request_comment(c) for c in page],
                                   "_links": {"base": "", "context": "", "self": self.path}})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--email", default="agent@example.net")
    parser.add_argument("--token", required=True)
    parser.add_argument("--account-id", default="5b10ac8d82e05b22cc7d4ef5")
    parser.add_argument("--timezone", default="America/New_York")
    parser.add_argument("--jql-zone", choices=["user", "utc"], default="user")
    parser.add_argument("--search-cap", type=int, default=100)
    parser.add_argument("--comment-cap", type=int, default=100)
    args = parser.parse_args()
    Jira.site = Site(args)
    serve(Jira)


if __name__ == "__main__":
    main()
