"""Local stand-ins on 127.0.0.1 for the services `archive` and `links` talk to.

`SavePageNow` speaks the Save Page Now 2 protocol (POST /save, GET /save/status/<job>) and
logs every request with the time it arrived; `CitedSites` serves the pages a fact-check cites:
live, a redirect chain, 404, 500, slow, one that never answers in time.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import select
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Logged:
    at: float  # time.monotonic() when the request arrived
    method: str
    path: str
    url: str | None  # the form field of POST /save
    authorization: str | None
    user_agent: str | None


@dataclass
class SpnState:
    """What the stand-in does; tests set the fields before (or while) a run talks to it."""

    pending_polls: int = 2  # answers of "pending" before "success"
    fail: set[str] = field(default_factory=set)  # addresses whose job ends in an error
    throttle_once: set[str] = field(default_factory=set)  # addresses whose first POST gets a 429
    throttle_status_once: set[str] = field(default_factory=set)  # addresses whose first status poll gets a 429
    quota_after: int | None = None  # successful captures before every POST gets the daily-quota answer
    hold_after: int | None = None  # successful captures after which status polls hang until released
    released: threading.Event = field(default_factory=threading.Event)
    log: list[Logged] = field(default_factory=list)
    timestamps: dict[str, str] = field(default_factory=dict)  # address -> the capture's timestamp
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    successes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def posts(self) -> list[Logged]:
        return [e for e in self.log if e.method == "POST"]


QUOTA_ANSWER = {
    "status": "error",
    "status_ext": "error:too-many-captures",
    "message": "You have reached your daily limit of captures. Please try again tomorrow.",
}


def _spn_handler(state: SpnState) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def _json(self, code: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # a killed client
                self.wfile.write(data)

        def _log(self, url: str | None) -> None:
            with state.lock:
                state.log.append(
                    Logged(
                        time.monotonic(),
                        self.command,
                        self.path,
                        url,
                        self.headers.get("Authorization"),
                        self.headers.get("User-Agent"),
                    )
                )

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            form = urllib.parse.parse_qs(self.rfile.read(length).decode())
            url = form.get("url", [None])[0]
            self._log(url)
            if self.path != "/save" or not url or self.headers.get("Accept") != "application/json":
                self._json(400, {"status": "error", "status_ext": "error:bad-request", "message": "bad request"})
                return
            with state.lock:
                if state.quota_after is not None and state.successes >= state.quota_after:
                    self._json(200, QUOTA_ANSWER)
                    return
                if url in state.throttle_once:
                    state.throttle_once.discard(url)
                    self._json(429, {"message": "Too many requests"}, {"Retry-After": "0"})
                    return
                job = f"spn2-{len(state.jobs) + 1:04d}"
                state.jobs[job] = {"url": url, "polls": 0}
            self._json(200, {"url": url, "job_id": job})

        def do_GET(self) -> None:  # noqa: N802
            self._log(None)
            prefix = "/save/status/"
            job_id = urllib.parse.unquote(self.path[len(prefix) :]) if self.path.startswith(prefix) else ""
            with state.lock:
                job = state.jobs.get(job_id)
            if job is None:
                self._json(404, {"status": "error", "status_ext": "error:not-found", "message": "no such job"})
                return
            with state.lock:
                throttled = job["url"] in state.throttle_status_once
                state.throttle_status_once.discard(job["url"])
            if throttled:
                self._json(429, {"message": "Too many requests"}, {"Retry-After": "0"})
                return
            with state.lock:
                job["polls"] += 1
                polls = job["polls"]
                hold = state.hold_after is not None and state.successes >= state.hold_after
            if hold:
                state.released.wait()
            if polls <= state.pending_polls:
                self._json(200, {"status": "pending", "job_id": job_id})
                return
            url = job["url"]
            if url in state.fail:
                self._json(
                    200,
                    {
                        "status": "error",
                        "status_ext": "error:service-unavailable",
                        "message": "Service Unavailable for this page",
                        "job_id": job_id,
                    },
                )
                return
            with state.lock:
                if url not in state.timestamps:
                    state.successes += 1
                    state.timestamps[url] = f"20261206{len(state.timestamps) + 1:06d}"
                stamp = state.timestamps[url]
            self._json(200, {"status": "success", "job_id": job_id, "timestamp": stamp, "original_url": url})

    return Handler


@contextlib.contextmanager
def serve(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def save_page_now(state: SpnState) -> Iterator[str]:
    """Run the Save Page Now stand-in; yield its endpoint."""
    with serve(_spn_handler(state)) as endpoint:
        try:
            yield endpoint
        finally:
            state.released.set()


@dataclass
class SitesState:
    slow_seconds: float = 0.3
    hang_seconds: float = 3.0
    revived: set[str] = field(default_factory=set)  # paths that answer 200 whatever they did before
    log: list[tuple[float, str, str | None]] = field(default_factory=list)  # (time, path, user agent)
    active: int = 0
    most_active: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _sites_handler(state: SitesState) -> type[http.server.BaseHTTPRequestHandler]:
    redirects = {"/moved": "/moved-again", "/moved-again": "/final"}

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def _send(self, code: int, headers: dict[str, str] | None = None) -> None:
            self._done()  # counted as finished before the answer leaves: the client cannot be quicker
            body = f"<p>{code}</p>".encode()
            self.send_response(code)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def _done(self) -> None:
            with state.lock:
                if self.counted:
                    state.active -= 1
                    self.counted = False

        def do_GET(self) -> None:  # noqa: N802
            with state.lock:
                state.log.append((time.monotonic(), self.path, self.headers.get("User-Agent")))
                state.active += 1
                state.most_active = max(state.most_active, state.active)
                self.counted = True
            try:
                self._answer()
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                self._done()

        def _client_left_within(self, seconds: float) -> bool:
            """Wait up to seconds; True as soon as the client closes the connection."""
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                readable, _, _ = select.select([self.connection], [], [], 0.05)
                if readable and self.connection.recv(1, socket.MSG_PEEK) == b"":
                    return True
            return False

        def _answer(self) -> None:
            path = self.path.split("?", 1)[0]
            if path in state.revived:
                self._send(200)
            elif path in redirects:
                self._send(301 if path == "/moved" else 302, {"Location": redirects[path]})
            elif path in ("/missing", "/gone"):
                self._send(404)
            elif path == "/error":
                self._send(500)
            elif path == "/slow":
                time.sleep(state.slow_seconds)
                self._send(200)
            elif path == "/hang":
                if self._client_left_within(state.hang_seconds):
                    return  # the checker gave up: this request no longer counts as open
                self._send(200)
            elif path == "/blocked":
                self._send(403)
            else:
                self._send(200)

    return Handler


@contextlib.contextmanager
def cited_sites(state: SitesState) -> Iterator[str]:
    """Run the cited sites' stand-in; yield its address."""
    with serve(_sites_handler(state)) as address:
        yield address


def closed_port() -> int:
    """A loopback port nothing listens on (connections to it are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
