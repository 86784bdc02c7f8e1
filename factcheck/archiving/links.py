"""`links`: check that every cited page still answers, politely, and say where each is cited.

Every cited address (`cited`) is fetched with GET, following redirects one hop at a time (so
the chain is known), a few at a time overall and at most `per_host` at a time on one host,
with a timeout, an honest user agent, and `retries` more tries after a timeout or a 5xx.
Each address is then:

- live: it answered 2xx itself;
- redirected: it led, through 3xx answers, to a page that answered 2xx (the report says where);
- blocked: it answered 401, 403 or 429: the site refused a robot, which says nothing about
  whether readers can open it (news sites often do this), so it is not counted as dead;
- dead: any other 4xx, a 5xx or a timeout after the retries, an unknown host, a TLS failure,
  a refused connection, a redirect loop or a chain longer than 10.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from factcheck import __version__
from factcheck.archiving.cited import LINK_STATUS_DEAD, Place, cited
from factcheck.archiving.config import LinkConfig
from factcheck.archiving.yamledit import EditRefused, add_field
from factcheck.model.discover import Inputs

USER_AGENT = (
    f"factcheck-microsite/{__version__} link checker (checks that the sources a fact-check cites still answer; "
    "+https://github.com/factcheck-microsite/factcheck)"
)
MAX_REDIRECTS = 10
LIVE, REDIRECTED, BLOCKED, DEAD = "live", "redirected", "blocked", "dead"
_BLOCKED_CODES = (401, 403, 429)


@dataclass
class Result:
    """What one cited address answered, and every place that cites it."""

    url: str
    status: str = DEAD
    code: int | None = None
    final_url: str | None = None
    chain: list[str] = field(default_factory=list)  # the addresses redirected to, in order
    reason: str = ""
    tries: int = 0
    places: tuple[Place, ...] = ()
    archive_url: str | None = None

    @property
    def dead(self) -> bool:
        return self.status == DEAD

    @property
    def revived(self) -> tuple[Place, ...]:
        """The places that record this page dead although it answers now (delete their link_status)."""
        if self.status not in (LIVE, REDIRECTED):
            return ()
        return tuple(p for p in self.places if p.link_status == LINK_STATUS_DEAD)

    def as_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "status": self.status,
            "http_status": self.code,
            "final_url": self.final_url,
            "redirects": self.chain,
            "reason": self.reason,
            "tries": self.tries,
            "archive_url": self.archive_url,
            "recorded_dead": any(p.link_status == LINK_STATUS_DEAD for p in self.places),
            "cited_at": [{"file": p.path, "line": p.line, "field": p.field} for p in self.places],
        }


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:  # noqa: D102 - follow hops ourselves
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class _Hosts:
    """One semaphore per host: at most `per_host` requests at a time to it."""

    def __init__(self, per_host: int) -> None:
        self.per_host, self.lock, self.slots = per_host, threading.Lock(), {}  # type: ignore[var-annotated]

    def slot(self, url: str) -> threading.Semaphore:
        host = (urllib.parse.urlsplit(url).hostname or "").lower()
        with self.lock:
            if host not in self.slots:
                self.slots[host] = threading.Semaphore(self.per_host)
            return self.slots[host]  # type: ignore[no-any-return]


class _Retry(Exception):
    def __init__(self, reason: str, code: int | None = None) -> None:
        super().__init__(reason)
        self.reason, self.code = reason, code


def _one_request(url: str, config: LinkConfig, hosts: _Hosts) -> tuple[int, str | None]:
    """GET url without following redirects; return (status, Location). Raise _Retry or a final error text."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})  # noqa: S310 - http(s) only (check_url)
    with hosts.slot(url):
        try:
            with _OPENER.open(request, timeout=config.timeout) as response:
                return response.status, None
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code >= 500:
                raise _Retry(f"HTTP {exc.code}", exc.code) from None
            return exc.code, exc.headers.get("Location")
        except TimeoutError:
            raise _Retry(f"no answer within {config.timeout:g} s") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise _Retry(f"no answer within {config.timeout:g} s") from None
            if isinstance(reason, socket.gaierror):
                raise _Final("the host name does not resolve (DNS)") from None
            if isinstance(reason, ssl.SSLError):
                raise _Final(f"TLS failed: {getattr(reason, 'reason', None) or reason}") from None
            if isinstance(reason, ConnectionRefusedError):
                raise _Final("connection refused") from None
            raise _Final(f"cannot connect: {reason}") from None
        except ssl.SSLError as exc:
            raise _Final(f"TLS failed: {exc.reason or exc}") from None
        except (http.client.HTTPException, ConnectionError, OSError) as exc:
            raise _Final(f"broken answer: {type(exc).__name__}") from None


class _Final(Exception):
    pass


def check_url(url: str, config: LinkConfig, hosts: _Hosts, sleep: Callable[[float], None] = time.sleep) -> Result:
    """Fetch url, following redirects hop by hop, retrying timeouts and 5xx; classify the answer."""
    result = Result(url)
    current = url
    seen = {url}
    while True:
        if urllib.parse.urlsplit(current).scheme not in ("http", "https"):
            result.reason = f"redirected to a non-web address: {current}"
            return result
        for attempt in range(config.retries + 1):
            result.tries += 1
            try:
                code, location = _one_request(current, config, hosts)
                break
            except _Retry as exc:
                result.reason, result.code = exc.reason, exc.code
                if attempt < config.retries:
                    sleep(min(2.0**attempt, 10.0))
            except _Final as exc:
                result.reason = str(exc)
                return result
        else:
            result.reason += f" (after {config.retries + 1} tries)"
            return result
        result.code = code
        if code in (301, 302, 303, 307, 308) and location:
            current = urllib.parse.urljoin(current, location)
            result.chain.append(current)
            if current in seen or len(result.chain) > MAX_REDIRECTS:
                result.reason = "a redirect loop" if current in seen else f"more than {MAX_REDIRECTS} redirects"
                return result
            seen.add(current)
            continue
        result.final_url = current
        if 200 <= code < 300:
            result.status, result.reason = (REDIRECTED, f"redirected to {current}") if result.chain else (LIVE, "")
        elif code in _BLOCKED_CODES:
            result.status, result.reason = BLOCKED, f"HTTP {code}: the site refused the checker"
        else:
            result.status, result.reason = DEAD, f"HTTP {code}"
        return result


def check_links(inputs: Inputs, config: LinkConfig, sleep: Callable[[float], None] = time.sleep) -> list[Result]:
    """Check every cited address, concurrently but politely; results in the order first cited."""
    items = cited(inputs)
    hosts = _Hosts(config.per_host)
    with ThreadPoolExecutor(max_workers=config.workers) as pool:
        results = list(pool.map(lambda c: check_url(c.url, config, hosts, sleep), items))
    for item, result in zip(items, results, strict=True):
        result.places, result.archive_url = item.places, item.archive_url
    return results


def print_table(results: list[Result], out: TextIO) -> None:
    """One row per address: status, HTTP code, address, what happened, where it is cited."""
    order = {DEAD: 0, BLOCKED: 1, REDIRECTED: 2, LIVE: 3}
    rows = [
        (
            r.status,
            str(r.code or "-"),
            r.url,
            "; ".join(
                part
                for part in (
                    r.reason,
                    f"archived: {r.archive_url}" if r.dead and r.archive_url else "",
                    "recorded dead but answers again: delete its link_status" if r.revived else "",
                )
                if part
            ),
            " ".join(str(p) for p in r.places),
        )
        for r in sorted(results, key=lambda r: order[r.status])
    ]
    header = ("status", "code", "address", "what happened", "cited at")
    width = [max(len(row[i]) for row in [header, *rows]) for i in range(2)]
    print(f"{header[0]:<{width[0]}}  {header[1]:<{width[1]}}  {header[2]}  {header[3]}  [{header[4]}]", file=out)
    for row in rows:
        print(f"{row[0]:<{width[0]}}  {row[1]:<{width[1]}}  {row[2]}  {row[3]}  [{row[4]}]", file=out)
    counts = {s: sum(1 for r in results if r.status == s) for s in (LIVE, REDIRECTED, BLOCKED, DEAD)}
    print(", ".join(f"{n} {s}" for s, n in counts.items()) + f" ({len(results)} cited addresses)", file=out)


def report(results: list[Result]) -> dict[str, Any]:
    """The JSON report: when, how many of each, and every address with its places."""
    return {
        "checked": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "counts": {s: sum(1 for r in results if r.status == s) for s in (LIVE, REDIRECTED, BLOCKED, DEAD)},
        "links": [r.as_json() for r in results],
    }


def write_report(results: list[Result], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report(results), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def markdown(results: list[Result]) -> str:
    """The dead (and blocked) pages as Markdown: the text of the workflow's issue."""
    dead = [r for r in results if r.dead]
    lines = [
        f"`links` found {len(dead)} dead cited page(s) among {len(results)} cited addresses.",
        "",
    ]
    if dead:
        lines += ["| address | what happened | archived copy | cited at |", "| --- | --- | --- | --- |"]
        for r in dead:
            where = "<br>".join(f"`{p}` ({p.field})" for p in r.places)
            copy = r.archive_url or "**none**"
            lines.append(f"| {_cell(r.url)} | {_cell(r.reason)} | {_cell(copy)} | {where} |")
        lines += [
            "",
            "Replace a dead link with the page's new address if it moved; otherwise the archived copy "
            "is shown first (`link_status: dead`, added by the archive pull request).",
        ]
    revived = [r for r in results if r.revived]
    if revived:
        lines += ["", "Recorded dead (`link_status: dead`) but answering again; delete the line:", ""]
        lines += [f"- {_cell(r.url)} ({', '.join(str(p) for p in r.revived)})" for r in revived]
    blocked = [r for r in results if r.status == BLOCKED]
    if blocked:
        lines += ["", f"{len(blocked)} site(s) refused the checker (401, 403 or 429); open them by hand:", ""]
        lines += [f"- {_cell(r.url)} ({', '.join(str(p) for p in r.places)})" for r in blocked]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_markdown(results: list[Result], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(markdown(results), encoding="utf-8")


def record_dead(root: Path, results: list[Result]) -> list[str]:
    """Add `link_status: dead` to every place citing a dead page that is not yet marked; return what was done."""
    done: list[str] = []
    for result in results:
        if not result.dead:
            continue
        for place in result.places:
            if not place.archivable or place.link_status == LINK_STATUS_DEAD:
                continue
            try:
                add_field(
                    root / place.path, place.where, "link_status", LINK_STATUS_DEAD, front_matter=place.front_matter
                )
            except (EditRefused, OSError) as exc:
                done.append(f"not recorded: {place}: {place.field}: {exc}")
                continue
            done.append(f"recorded dead: {result.url} at {place}")
    return done
