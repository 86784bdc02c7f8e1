"""The preview server of `factcheck serve`: update on every change, and always answer.

A small HTTP server around the generator's build (through the engine adapter's `build_site`),
not MkDocs' own: MkDocs' live-reload server holds every page request until a rebuild
succeeds (a failed one leaves the browser waiting, and its error only in the terminal),
and its public API cannot change that. Here:

- a watcher hears every input change (claims, content, templates, theme overrides, mkdocs.yml
  and, in a development checkout, the tool's own templates, static files, theme overrides and
  catalogues) from the file system's events (watchdog: inotify on Linux, FSEvents on macOS,
  ReadDirectoryChangesW on Windows) and compares a snapshot of every input's modification and
  change times, size and inode to find what changed;
- when only fact-check files changed (claims, entities, sources), the site is updated in
  place: the engine (factcheck/engines/mkdocs/live.py) checks every file again (reading and
  parsing only those whose stat changed), plans every page again and renders each page when it
  is asked for, from the new plan, as a full build writes it; feeds, exports, filter data,
  embeds and cards are written after the pages, and a request for one of them waits until they are;
- any other change (mkdocs.yml, templates, overrides, hand-written pages, the tool's own
  files) rebuilds the whole site, into a staging folder swapped in on success, and says so;
- every request is answered at once from the last good site; while the last build failed,
  every page request gets a page listing its problems (file:line:column: field: message);
- every page holds a request to `/.factcheck-preview/state?wait=N` (N: the build it shows),
  which the server answers as soon as a build or update ends (or after STATE_WAIT_SECONDS, and
  the page asks again): the page reloads itself at once, and a fixed file brings it back by
  itself. If the request fails (the server stopped), the page asks again a second later.

Events are a hint, not the truth: the snapshot decides what changed, and the inputs are
polled every SAFETY_POLL_SECONDS all the same, because some file systems send no events
(a Docker volume changed from the host, network drives); where events cannot be had at all
(no inotify watch left, watchdog missing) the watcher polls every POLL_SECONDS instead.
A browser allows six connections to one host: with more than five preview tabs open, the
held requests would make the others' page loads wait (at most STATE_WAIT_SECONDS).
"""

from __future__ import annotations

import contextlib
import http.server
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from factcheck.model.problems import CheckFailed, display_path
from factcheck.resources import LOCALE_DIR, PACKAGE_DIR, STATIC_DIR, TEMPLATES_DIR, development_checkout
from factcheck.settings import Settings

STATE_PATH = "/.factcheck-preview/state"  # the state now; `?wait=N`: once the build after N has ended
POLL_SECONDS = 0.2  # how often the watcher looks at the inputs, where file-system events are not to be had
SAFETY_POLL_SECONDS = 2.0  # how often it looks all the same where they are (a volume whose events never come)
SETTLE_SECONDS = 0.1  # polling: a change is built once the files have stopped changing for this long
EVENT_SETTLE_SECONDS = 0.05  # events: a change is built once no event has come for this long
WRITTEN_WAIT_SECONDS = 300  # a request for a feed (export ...) waits at most this long for an update's files
STATE_WAIT_SECONDS = 25  # a page's waiting request is answered after this long at the latest (then asked again)
PAGE_RETRY_MS = 1000  # a page whose waiting request failed (the server stopped, restarted) asks again after this

_RELOAD = """<script>
(function () {
  var seen = %d;
  function ask(delay) {
    setTimeout(function () {
      fetch("%s?wait=" + seen, {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
        if (s.build !== seen) { location.reload(); } else { ask(0); }
      }, function () { ask(%d); });
    }, delay);
  }
  ask(0);
})();
</script>"""


def watched(settings: Settings, config_file: Path, development: bool | None = None) -> list[Path]:
    """Every file or folder whose change changes the site."""
    paths = [
        config_file,
        settings.claims_dir,
        settings.docs_dir,
        settings.templates_dir,
        settings.root / "overrides",
    ]
    if settings.theme_dir is not None:
        paths.append(settings.theme_dir)
    if development_checkout() if development is None else development:
        paths += [TEMPLATES_DIR, STATIC_DIR, LOCALE_DIR, PACKAGE_DIR / "engines" / "mkdocs" / "overrides"]
    return list(dict.fromkeys(paths))


Stat = tuple[int, int, int, int]  # st_mtime_ns, st_ctime_ns, st_size, st_ino


def _stat(st: os.stat_result) -> Stat:
    # ctime too: a save that keeps the size and whose mtime is the same (a coarse clock, or set back by a tool)
    # still moves the change time, which only the kernel sets.
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def snapshot(paths: Iterable[Path]) -> dict[str, Stat]:
    """Each file under paths (not hidden, not followed into links) with its modification and change times, size and inode."""
    found: dict[str, Stat] = {}
    for top in paths:
        if top.is_file():
            found[str(top)] = _stat(top.stat())
            continue
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = [d for d in dirnames if not d.startswith(".") and d != "__pycache__"]
            for name in filenames:
                if name.startswith("."):
                    continue
                path = os.path.join(dirpath, name)
                with contextlib.suppress(OSError):
                    found[path] = _stat(os.lstat(path))
    return found


class Live(Protocol):
    """What the engine keeps after a full build to update the site when only fact-check files change."""

    written: threading.Event  # set when the files written after the pages match the pages

    def prepare(self) -> Any: ...  # read, check and plan again (raises CheckFailed, BuildFailed)
    def update(self, pending: Any) -> None: ...  # serve the new plan from now on
    def finish(self, pending: Any, superseded: Callable[[], bool]) -> bool: ...  # write feeds ... for it
    def page(self, dest_uri: str) -> bytes | None: ...  # a page, rendered as a build writes it
    def output(self, path: str) -> bool: ...  # written after the pages (wait for `written`)


@dataclass
class State:
    """What the server answers from: the number of the last build, how it was made and, if it failed, why."""

    build: int = 0
    problems: list[str] = field(default_factory=list)  # empty: the last build succeeded
    mode: str = "full"  # "full": the whole site was built; "update": only fact-check files changed
    note: str = ""  # why a change was built in full
    lock: threading.Lock = field(default_factory=threading.Lock)
    ended: threading.Condition = field(init=False)  # notified when a build or update ends (and on stop)
    stopped: bool = False

    def __post_init__(self) -> None:
        self.ended = threading.Condition(self.lock)

    def set(self, problems: list[str], mode: str = "full", note: str = "") -> None:
        with self.lock:
            self.build += 1
            self.problems, self.mode, self.note = problems, mode, note
            self.ended.notify_all()

    def wait_for(self, seen: int, timeout: float) -> None:
        """Until a build after number `seen` has ended, the server stops, or timeout seconds have passed."""
        with self.lock:
            self.ended.wait_for(lambda: self.build != seen or self.stopped, timeout)

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
            self.ended.notify_all()

    def read(self) -> tuple[int, list[str]]:
        with self.lock:
            return self.build, list(self.problems)

    def json(self, live: Live | None = None) -> bytes:
        """The state for pages and tools; `written`: the files after the pages (feeds ...) are written too."""
        with self.lock:
            state = {"build": self.build, "ok": not self.problems, "mode": self.mode, "note": self.note}
        state["written"] = live is None or live.written.is_set()
        return json.dumps(state).encode()


def failure_lines(exc: BaseException, warnings: list[str], root: Path) -> list[str]:
    """What a failed build says, one problem a line: located problems, or the engine's warnings and its error."""
    cause = exc if isinstance(exc, CheckFailed) else getattr(exc, "cause", None)
    if isinstance(cause, CheckFailed):
        return [str(p) for p in cause.problems.sorted()]
    name, line = getattr(exc, "filename", None) or getattr(exc, "name", None), getattr(exc, "lineno", None)
    where = f"{display_path(name, root)}:{line}: " if name and line else ""
    message = " ".join(str(exc).split()) or type(exc).__name__
    kind = "" if type(exc).__name__ == "EngineFailed" else f"{type(exc).__name__}: "
    return [*warnings, f"{where}{kind}{message}"]


def error_page(build: int, problems: list[str]) -> bytes:
    """The page every page request gets while the last build failed; it reloads itself when a build ends."""
    items = "\n".join(f"<li><code>{escape(p)}</code></li>" for p in problems)
    script = _RELOAD % (build, STATE_PATH, PAGE_RETRY_MS)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Build failed</title>'
        "<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;max-width:60rem}"
        "code{white-space:pre-wrap;word-break:break-word}li{margin:.5rem 0}</style></head><body>\n"
        "<h1>The preview could not be rebuilt</h1>\n"
        f"<p>{len(problems)} problem{'s' if len(problems) != 1 else ''}; fix {'them' if len(problems) != 1 else 'it'} "
        "and this page reloads by itself.</p>\n"
        f'<ul id="problems">\n{items}\n</ul>\n{script}\n</body></html>\n'
    ).encode()


class _WarningsSeen(logging.Handler):
    """Collect the engine's warnings during a build (a strict build fails on them: the page lists them)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno == logging.WARNING:  # errors are what the build raises: reported from there
            self.seen.append(" ".join(record.getMessage().split()))


class Events:
    """File-system events for the watched paths (watchdog: inotify on Linux, FSEvents, ReadDirectoryChangesW), as one flag.

    Only what changes a file is heard (created, deleted, modified, moved, attributes, closed
    after writing; not the builds' own reading), and nothing hidden. A hint, not the truth:
    the watcher compares snapshots after each event, and polls every SAFETY_POLL_SECONDS
    anyway, since some file systems never send events (a Docker volume's host side, network drives).
    """

    HEARD = frozenset({"created", "deleted", "modified", "moved", "attrib", "closed", "events_lost"})

    def __init__(self, paths: list[Path]) -> None:
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer

        self.flag = threading.Event()
        tops = [str(p) for p in paths if p.is_dir()]
        files = {str(p) for p in paths if not p.is_dir()}
        flag, heard = self.flag, self.HEARD

        def wanted(path: str) -> bool:
            if path in files:
                return True
            for top in tops:
                if path == top or path.startswith(top + os.sep):
                    rest = path[len(top) + 1 :].split(os.sep)
                    return not any(part.startswith(".") or part == "__pycache__" for part in rest if part)
            return False

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                if event.event_type not in heard:
                    return
                where = [event.src_path, getattr(event, "dest_path", "") or ""]
                if event.event_type == "events_lost" or any(wanted(os.fsdecode(p)) for p in where if p):
                    flag.set()

        self.observer = Observer()
        self.observer.daemon = True
        handler = Handler()
        for top in tops:
            self.observer.schedule(handler, top, recursive=True)
        for folder in sorted({os.path.dirname(f) for f in files if os.path.isdir(os.path.dirname(f))} - set(tops)):
            self.observer.schedule(handler, folder, recursive=False)  # mkdocs.yml: its folder, this file's events only
        try:
            self.observer.start()
        except BaseException:
            self.observer.stop()  # the watches it made (no inotify watch left for the rest ...) go
            raise

    @classmethod
    def start(cls, paths: list[Path]) -> Events | None:
        """Events for paths, or None where they cannot be had (the watcher then polls every POLL_SECONDS)."""
        try:
            return cls(paths)
        except Exception:  # noqa: BLE001 - no watchdog, no inotify watch left, an unsupported system: poll
            return None

    def stop(self) -> None:
        self.observer.stop()


class Preview:
    """Build the site into a folder of its own, serve it, and update or rebuild it when an input changes."""

    def __init__(
        self,
        build: Callable[[Path, str], Live | None],
        inputs: Callable[[], list[Path]],
        root: Path,
        host: str,
        port: int,
        out: Callable[[str], None] = print,
        data: Callable[[], list[Path]] = list,
    ) -> None:
        """build(site_dir, site_url) builds the whole site (and may return what updates it) or raises.

        inputs() names what to watch; data() the folders whose files an update takes in (claims,
        entities, sources): a change anywhere else rebuilds everything; root names files.
        """
        self._build, self._inputs, self._data, self._out, self.root = build, inputs, data, out, root
        self.live: Live | None = None  # None: the next change rebuilds everything
        self.folder = Path(tempfile.mkdtemp(prefix="factcheck-preview-"))
        self.site = self.folder / "site"
        self.state = State()
        self.server = http.server.ThreadingHTTPServer((host, port), self._handler())
        self.server.daemon_threads = True
        bound = self.server.server_address
        self.url = f"http://{host}:{bound[1]}/"  # port 0 asked for a free port: the one given
        self._stop = threading.Event()
        self._spent = False  # the live state no longer matches what was changed: rebuild in full
        self._newer = threading.Event()  # a change came while the last update's files were written
        self._writer: threading.Thread | None = None  # writes them

    def rebuild(self, note: str = "") -> bool:
        """Build the whole site once; record the outcome for the pages. True when the build succeeded."""
        seen = _WarningsSeen()
        engine_log = logging.getLogger("mkdocs")
        engine_log.addHandler(seen)
        live = self.live  # pages are still rendered from it while the new site is built
        try:
            fresh = self._build(self.site, self.url)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - any failure is shown on the pages, the server goes on
            self._failed(failure_lines(exc, seen.seen, self.root), "full", note)
            self._spent = live is not None  # it still serves the old site; the next change rebuilds in full
            return False
        finally:
            engine_log.removeHandler(seen)
        with self.state.lock:
            self.live, self._spent = fresh, False
        self.state.set([], "full", note)
        self._out(f"Built; pages reload at {self.url}")
        return True

    def update(self) -> bool:
        """Take in changed fact-check files without a full build; record the outcome. True when it succeeded."""
        live = self.live
        assert live is not None
        try:
            pending = live.prepare()
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - shown on the pages; the site served stays as it was
            self._failed(failure_lines(exc, [], self.root), "update")
            return False
        try:
            live.update(pending)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - shown on the pages; the watcher goes on
            self._failed(failure_lines(exc, [], self.root), "update")
            self._spent = True  # the engine's state is half updated: the next change rebuilds in full
            return False
        self.state.set([], "update")
        self._out(f"Updated; pages reload at {self.url}")
        self._newer.clear()
        self._writer = threading.Thread(
            target=self._finish, args=(live, pending), name="factcheck-preview-files", daemon=True
        )
        self._writer.start()
        return True

    def _finish(self, live: Live, pending: Any) -> None:
        """Write the files after the pages (feeds, exports ...), in the background; a newer change stops it."""
        try:
            live.finish(pending, self._newer.is_set)
        except BaseException as exc:  # noqa: BLE001 - shown on the pages, the server goes on
            self._failed(failure_lines(exc, [], self.root), "update")
            self._spent = True  # the files after the pages are not all written: the next change rebuilds in full

    def _wait_for_files(self) -> None:
        """A change came: stop writing the last update's files, which its own update or build writes again."""
        writer = self._writer
        if writer is not None:
            self._newer.set()
            writer.join()
            self._writer = None

    def _failed(self, problems: list[str], mode: str, note: str = "") -> None:
        self.state.set(problems, mode, note)
        self._out(f"Build failed ({len(problems)} problem{'s' if len(problems) != 1 else ''}); every page shows:")
        for line in problems:
            self._out(f"  {line}")

    def _incremental(self, changed: list[str]) -> str:
        """Why these changes need a full build ("" when an update takes them in)."""
        if self.live is None or self._spent:
            return "the last full build did not succeed"
        folders = [str(p) + os.sep for p in self._data()]
        for path in changed:
            if not any(path.startswith(folder) for folder in folders):
                return f"{display_path(path, self.root)} is not a fact-check file"
        return ""

    def watch(self, paths: list[Path] | None = None, before: dict[str, Stat] | None = None) -> None:
        """Update or rebuild whenever an input changes, until stop() (what is watched is asked again after each build)."""
        paths = self._inputs() if paths is None else paths
        before = snapshot(paths) if before is None else before
        events, folders = Events.start(paths), [p.is_dir() for p in paths]
        try:
            while not self._stop.is_set():
                now = self._next_change(events, paths, before)
                if now is None:
                    continue
                changed = sorted(k for k in now.keys() | before.keys() if now.get(k) != before.get(k))
                what = f"{display_path(changed[0], self.root)}{f' and {len(changed) - 1} more' if len(changed) > 1 else ''}"
                self._wait_for_files()
                full = self._incremental(changed)
                if full:
                    self._out(f"Changed: {what}; full rebuild: {full}")
                    self.rebuild(full)
                else:
                    self._out(f"Changed: {what}; updating")
                    self.update()
                before = now  # a change made while building is built next
                fresh = self._inputs()
                if fresh != paths or [p.is_dir() for p in fresh] != folders:  # other folders named, or made
                    paths, before, folders = fresh, snapshot(fresh), [p.is_dir() for p in fresh]
                    if events is not None:
                        events.stop()
                    events = Events.start(paths)
        finally:
            if events is not None:
                events.stop()

    def _next_change(self, events: Events | None, paths: list[Path], before: dict[str, Stat]) -> dict[str, Stat] | None:
        """Wait for an event (or the next poll); the inputs once they have stopped changing, or None if none changed."""
        woke = False
        if events is None:
            if self._stop.wait(POLL_SECONDS):
                return None
        else:
            woke = events.flag.wait(SAFETY_POLL_SECONDS)  # no event: look all the same (the safety net)
            if self._stop.is_set():
                return None
            if woke:
                while True:  # let an editor finish writing: until no event has come for a moment
                    events.flag.clear()
                    if not events.flag.wait(EVENT_SETTLE_SECONDS) or self._stop.is_set():
                        break
        now = snapshot(paths)
        if now == before:
            return None
        if woke:
            return now
        while not self._stop.wait(SETTLE_SECONDS):  # polled: let an editor finish writing
            settled = snapshot(paths)
            if settled == now:
                break
            now = settled
        return now

    def serve(self) -> None:
        """Build, then serve and watch until interrupted."""
        paths = self._inputs()
        before = snapshot(paths)  # taken before the first build: a change made while it runs is built next
        self.rebuild()
        watcher = threading.Thread(target=self.watch, args=(paths, before), name="factcheck-preview-watch", daemon=True)
        watcher.start()
        self._out(f"Serving on {self.url} (Ctrl+C to stop)")
        sys.stdout.flush()
        try:
            self.server.serve_forever(poll_interval=0.2)
        finally:
            self.stop()

    def stop(self) -> None:
        self._stop.set()
        self.state.stop()  # pages waiting for a build are answered (they ask again, and find no server)
        self._newer.set()  # an update's files: not worth finishing
        self.server.server_close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _handler(self) -> type[http.server.SimpleHTTPRequestHandler]:
        preview = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
                super().__init__(*args, directory=str(preview.site), **kwargs)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
                return  # quiet: the terminal is for builds

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                """Answer every request: a failure while answering one gives an error page, never a dropped connection."""
                try:
                    self._get()
                except ConnectionError:
                    return  # the browser went away (a reload, a closed tab): nobody to answer
                except Exception as exc:  # noqa: BLE001 - shown on the page and in the terminal; the server goes on
                    where = unquote(urlsplit(self.path).path)
                    problem = f"{where}: {type(exc).__name__}: {exc}"
                    preview._out(f"Could not serve {problem}")
                    for line in traceback.format_exception(exc)[1:]:
                        preview._out("  " + line.rstrip("\n").replace("\n", "\n  "))
                    build, _ = preview.state.read()
                    with contextlib.suppress(OSError):
                        self._send(500, "text/html; charset=utf-8", error_page(build, [problem]))

            def _get(self) -> None:
                address = urlsplit(self.path)
                path = unquote(address.path)
                if path == STATE_PATH:
                    seen = parse_qs(address.query).get("wait", [""])[0]
                    if seen.isdigit():  # a page waiting for the next build: answered when one ends
                        preview.state.wait_for(int(seen), STATE_WAIT_SECONDS)
                    self._send(200, "application/json", preview.state.json(preview.live))
                    return
                build, problems = preview.state.read()
                live = preview.live
                dest = _dest_uri(path)
                if live is not None and dest is not None and not problems:
                    body = live.page(dest)  # the page of the current plan, as a full build writes it
                    if body is not None:
                        self._send(200, "text/html; charset=utf-8", _with_reload(body, build))
                        return
                    if live.output(dest):  # a feed, export ... of the current plan: once it is written
                        live.written.wait(WRITTEN_WAIT_SECONDS)
                page = _page_file(preview.site, path)
                if problems and (page is not None or _looks_like_page(path)):
                    self._send(500, "text/html; charset=utf-8", error_page(build, problems))
                    return
                if page is None and _looks_like_page(path):
                    missing = preview.site / "404.html"
                    body = missing.read_bytes() if missing.is_file() else b"<!doctype html><title>Not found</title>"
                    self._send(404, "text/html; charset=utf-8", _with_reload(body, build))
                    return
                if page is not None:
                    self._send(200, "text/html; charset=utf-8", _with_reload(page.read_bytes(), build))
                    return
                super().do_GET()

            def do_HEAD(self) -> None:  # noqa: N802 - http.server's name
                super().do_HEAD()

            def _send(self, status: int, kind: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

        return Handler


def _page_file(site: Path, path: str) -> Path | None:
    """The HTML file a request path names in the site (a folder's index.html), or None."""
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") or p.startswith(".") for p in parts):
        return None
    target = site.joinpath(*parts)
    if target.is_dir():
        target = target / "index.html"
    return target if target.suffix == ".html" and target.is_file() else None


def _dest_uri(path: str) -> str | None:
    """The site path a request names (a folder's index.html), or None for one that may not be in the site."""
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") or p.startswith(".") for p in parts):
        return None
    if path.endswith("/") or not parts:
        parts.append("index.html")
    return "/".join(parts)


def _looks_like_page(path: str) -> bool:
    """A request for a page rather than a file: a folder address or an .html file."""
    last = path.rsplit("/", 1)[-1]
    return path.endswith("/") or last.endswith(".html") or "." not in last


def _with_reload(body: bytes, build: int) -> bytes:
    """The page with the script that reloads it when a build ends (before </body>, else at the end)."""
    script = (_RELOAD % (build, STATE_PATH, PAGE_RETRY_MS)).encode("utf-8")
    at = body.rfind(b"</body>")
    return body[:at] + script + body[at:] if at >= 0 else body + script
