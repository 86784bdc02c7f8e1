"""The preview server, started for real (`python build.py serve` on a free local port) and read over HTTP.

Edit a claim, a template, a theme override, an entity and mkdocs.yml: the pages change. Break a
claim: every page request answers at once with a page listing the located problem, which
reloads itself; fix it: the pages come back. Nothing here measures time: each wait ends when
the page shows what it should (or fails after a generous limit instead of hanging).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, make_project, set_config

from factcheck.resources import TEMPLATES_DIR

LIMIT = 240  # seconds: a wait that never ends fails the test instead
REQUEST_TIMEOUT = 30  # seconds: a request that gets no answer fails the test (the bug was a request that hung)
BAD_VERDICT = (
    "claims/ruritania-has-42-tanks.yaml:8:10: verdict: 'maybe' is not allowed; use one of: true, mostly-true, "
    "needs-context, misleading, false, unproven"
)


class Server:
    """A running `build.py serve` and what it printed."""

    def __init__(self, proc: subprocess.Popen[str], url: str, lines: queue.Queue[str]) -> None:
        self.proc, self.url, self.lines = proc, url, lines

    def get(self, path: str) -> tuple[int, str]:
        """GET a path; (status, body). Raises if no answer comes (a hung request fails the test)."""
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=REQUEST_TIMEOUT) as answer:
                return answer.status, answer.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def state(self) -> dict:
        return json.loads(self.get("/.factcheck-preview/state")[1])

    def wait(self, what: str, ready: Callable[[], bool]) -> None:
        """Until ready() is true (each try is a real request), or fail with what the server printed."""
        deadline = time.monotonic() + LIMIT
        while not ready():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                printed = []
                with contextlib.suppress(queue.Empty):
                    while True:
                        printed.append(self.lines.get_nowait())
                pytest.fail(f"the preview never showed {what}; it printed:\n" + "\n".join(printed))
            time.sleep(0.3)

    def wait_built(self, after: int) -> dict:
        """Until a build after number `after` has ended; its state."""
        self.wait(f"a build after {after}", lambda: self.state()["build"] > after)
        return self.state()


def start(
    args: list[str], ready_line: str, cwd: Path = REPO, tmpdir: Path | None = None
) -> tuple[subprocess.Popen[str], str, queue.Queue[str]]:
    """Start a server process; return it with the URL from its ready line and the queue of its output lines."""
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    if tmpdir is not None:  # its temporary folders there, apart from other tests' previews
        env["TMPDIR"] = str(tmpdir)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (env.get("PYTHONPATH", ""), str(REPO)) if p)
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=cwd)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line.rstrip("\n")) for line in proc.stdout], daemon=True).start()
    deadline = time.monotonic() + LIMIT
    seen = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            if proc.poll() is not None:
                break
            continue
        seen.append(line)
        if ready_line in line:
            return proc, line[line.index("http://") :].split()[0], lines
    proc.kill()
    pytest.fail("the server did not start:\n" + "\n".join(seen))


@contextlib.contextmanager
def serving(project: Path, tmpdir: Path | None = None) -> Iterator[Server]:
    proc, url, lines = start(
        [sys.executable, str(REPO / "build.py"), "-f", str(project / "mkdocs.yml"), "serve", "-a", "127.0.0.1:0"],
        "Serving on ",
        tmpdir=tmpdir,
    )
    try:
        yield Server(proc, url, lines)
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def text(body: str, selector: str) -> str:
    found = BeautifulSoup(body, "html.parser").select_one(selector)
    return found.get_text(" ", strip=True) if found is not None else ""


def edit(path: Path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert old in content, old
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


def test_the_preview_rebuilds_on_every_input_and_shows_a_failed_build_on_every_page(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    shutil.copytree(TEMPLATES_DIR, project / "templates")
    (project / "overrides" / "partials").mkdir(parents=True)
    (project / "overrides" / "partials" / "copyright.html").write_text('<p id="mine">Our words, v1</p>\n')
    set_config(project, "  language: en\n", "  language: en\n  custom_dir: overrides\n")
    claim = project / "claims" / "ruritania-has-42-tanks.yaml"
    with serving(project) as server:
        status, home = server.get("/")
        assert status == 200 and "/.factcheck-preview/state" in home  # every page reloads itself
        status, draft = server.get("/claims/the-sky-is-green/")
        assert status == 200 and text(draft, "h1") == "The sky is green"  # a draft: previews show drafts
        assert text(home, "#mine") == "Our words, v1"

        # A claim edited: its page changes.
        build = server.state()["build"]
        edit(claim, "statement: Ruritania has 42 tanks", "statement: Ruritania has 43 tanks")
        assert server.wait_built(build)["ok"] is True
        assert text(server.get("/claims/ruritania-has-42-tanks/")[1], "h1") == "Ruritania has 43 tanks"

        # A claim broken: every page answers at once with the located problem.
        build = server.state()["build"]
        edit(claim, "verdict: misleading", "verdict: maybe")
        assert server.wait_built(build)["ok"] is False
        for path in ("/", "/claims/ruritania-has-42-tanks/", "/claims/", "/entities/ruritania/", "/no/such/page/"):
            status, body = server.get(path)
            assert status == 500, path
            assert text(body, "h1") == "The preview could not be rebuilt"
            assert [li.get_text() for li in BeautifulSoup(body, "html.parser").select("#problems li")] == [BAD_VERDICT]
            assert "/.factcheck-preview/state" in body  # it reloads itself when a build ends
        assert server.get("/assets/factcheck/factcheck.css")[0] == 200  # files of the last good site still load

        # Fixed: the pages come back by themselves.
        build = server.state()["build"]
        edit(claim, "verdict: maybe", "verdict: misleading")
        assert server.wait_built(build)["ok"] is True
        status, page = server.get("/claims/ruritania-has-42-tanks/")
        assert status == 200 and text(page, "h1") == "Ruritania has 43 tanks"

        # A template of the site's, broken and fixed: the error names the template and its line.
        template = project / "templates" / "claim.html.j2"
        original = template.read_text(encoding="utf-8")
        build = server.state()["build"]
        broken_line = len((original + "\n").splitlines()) + 1  # the line after the template's own lines
        template.write_text(original + "\n{% if %}\n", encoding="utf-8")
        assert server.wait_built(build)["ok"] is False
        problems = [li.get_text() for li in BeautifulSoup(server.get("/")[1], "html.parser").select("#problems li")]
        assert problems == [
            f"templates/claim.html.j2:{broken_line}: TemplateSyntaxError: Expected an expression, got 'end of statement block'"
        ]
        build = server.state()["build"]
        template.write_text(original.replace("</h1>", " (edited)</h1>", 1), encoding="utf-8")
        assert server.wait_built(build)["ok"] is True

        # The theme override, an entity, a hand-written page and mkdocs.yml: each rebuilds.
        (project / "overrides" / "partials" / "copyright.html").write_text('<p id="mine">Our words, v2</p>\n')
        server.wait("the edited override", lambda: text(server.get("/")[1], "#mine") == "Our words, v2")
        edit(project / "content" / "entities" / "ruritania.md", "name: Ruritania", "name: Ruritania Republic")
        server.wait(
            "the edited entity", lambda: "Ruritania Republic" in text(server.get("/entities/ruritania/")[1], "h1")
        )
        (project / "content" / "about.md").write_text("# About us\n\nRewritten.\n", encoding="utf-8")
        server.wait("the edited page", lambda: "Rewritten." in text(server.get("/about/")[1], "article"))
        set_config(project, "site_name: ", "site_name: Renamed ")
        server.wait("the new site name", lambda: "Renamed" in text(server.get("/")[1], "title"))


def test_the_preview_watches_the_tools_own_files_in_a_development_checkout(tmp_path: Path) -> None:
    from factcheck.cli.preview import watched
    from factcheck.resources import LOCALE_DIR, PACKAGE_DIR, STATIC_DIR
    from factcheck.settings import load_settings

    project = make_project(tmp_path / "project")
    settings = load_settings(project / "mkdocs.yml")
    site_inputs = [
        project / "mkdocs.yml",
        project / "claims",
        project / "content",
        project / "templates",
        project / "overrides",
    ]
    assert watched(settings, project / "mkdocs.yml", development=False) == site_inputs
    tool = [TEMPLATES_DIR, STATIC_DIR, LOCALE_DIR, PACKAGE_DIR / "engines" / "mkdocs" / "overrides"]
    assert watched(settings, project / "mkdocs.yml", development=True) == site_inputs + tool
    assert all(path.is_dir() for path in tool)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("clean", [False, True])
def test_mkdocs_serve_answers_every_page(tmp_path: Path, clean: bool) -> None:
    project = make_project(tmp_path / "project")
    port = _free_port()
    proc, url, _lines = start(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "-f",
            str(project / "mkdocs.yml"),
            "-a",
            f"127.0.0.1:{port}",
            *(["--clean"] if clean else []),
        ],
        "Serving on ",
    )
    server = Server(proc, url, _lines)
    try:
        status, page = server.get("/claims/ruritania-has-42-tanks/")
        assert status == 200 and text(page, "h1") == "Ruritania has 42 tanks"
        edit(
            project / "claims" / "ruritania-has-42-tanks.yaml",
            "statement: Ruritania has 42 tanks",
            "statement: Ruritania has 44 tanks",
        )  # claims/ is watched too
        server.wait(
            "the edited statement",
            lambda: text(server.get("/claims/ruritania-has-42-tanks/")[1], "h1") == "Ruritania has 44 tanks",
        )
    finally:
        proc.send_signal(signal.SIGINT)  # MkDocs removes its folder on Ctrl+C
        proc.wait(timeout=60)


def test_the_preview_rebuilds_when_the_tools_own_files_change_in_a_checkout(tmp_path: Path) -> None:
    """A development checkout (a copy, run from its own path): its templates, static files and catalogues are watched."""
    checkout = tmp_path / "checkout"
    shutil.copytree(REPO / "factcheck", checkout / "factcheck", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", checkout / "pyproject.toml")
    project = make_project(tmp_path / "project")
    set_config(project, "  language: en\n", "  language: de\n")
    env_path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = str(checkout)  # start() puts the repository after it: the copy is imported
    try:
        proc, url, lines = start(
            [
                sys.executable,
                "-c",
                "import sys; from factcheck.cli.main import main; sys.exit(main())",
                "-f",
                str(project / "mkdocs.yml"),
                "serve",
                "-a",
                "127.0.0.1:0",
            ],
            "Serving on ",
            cwd=tmp_path,  # `python -c` puts the working folder first on the path: not the repository's
        )
    finally:
        os.environ["PYTHONPATH"] = env_path
    server = Server(proc, url, lines)
    page = "/claims/ruritania-has-42-tanks/"
    try:
        assert text(server.get(page)[1], "h2#what-we-found").startswith("Unser Ergebnis")
        tool = checkout / "factcheck"
        edit(
            tool / "locale" / "de" / "LC_MESSAGES" / "messages.po", 'msgstr "Unser Ergebnis"', 'msgstr "Was wir fanden"'
        )
        server.wait(
            "the edited catalogue", lambda: text(server.get(page)[1], "h2#what-we-found").startswith("Was wir fanden")
        )
        edit(
            tool / "templates" / "claim.html.j2",
            '<blockquote class="fc-claim-box__statement">',
            '<p id="from-the-checkout">edited</p><blockquote class="fc-claim-box__statement">',
        )
        server.wait("the edited template", lambda: text(server.get(page)[1], "#from-the-checkout") == "edited")
        css = tool / "static" / "factcheck.css"
        css.write_text(css.read_text(encoding="utf-8") + "\n.from-the-checkout{color:red}\n", encoding="utf-8")
        server.wait(
            "the edited style sheet",
            lambda: ".from-the-checkout" in server.get("/assets/factcheck/factcheck.css")[1],  # minified: no comments
        )
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def test_a_stopped_preview_leaves_no_folder_behind(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    temporary = tmp_path / "tmp"  # the server's own TMPDIR: other tests' previews run meanwhile
    temporary.mkdir()
    with serving(project, tmpdir=temporary) as server:
        assert server.get("/")[0] == 200
        assert [p.name[:18] for p in temporary.iterdir()] == ["factcheck-preview-"]
    assert server.proc.returncode == 0
    assert list(temporary.iterdir()) == []


@contextlib.contextmanager
def serving_in_a_thread(preview) -> Iterator[None]:  # noqa: ANN001 - a factcheck.cli.preview.Preview
    """Run preview.serve() (its first build, then serving and watching) in a thread while the block runs."""
    thread = threading.Thread(target=preview.serve, daemon=True)
    thread.start()
    try:
        yield
    finally:
        preview.server.shutdown()
        preview.stop()
        thread.join(LIMIT)


def test_a_change_made_while_the_first_build_runs_is_built_next(tmp_path: Path) -> None:
    """The watcher's starting point is taken before the first build, not after it.

    Under load the first build (or the watcher thread's start) can take long; an input saved
    meanwhile, for instance just after "Serving on" is printed, must still be rebuilt.
    """
    from factcheck.cli.preview import Preview

    claim = tmp_path / "claims" / "a.yaml"
    claim.parent.mkdir()
    claim.write_text("one\n", encoding="utf-8")
    built: list[str] = []
    second = threading.Event()

    def build(site: Path, url: str) -> None:
        built.append(claim.read_text(encoding="utf-8"))
        if len(built) == 1:  # an editor saves while the first build runs
            claim.write_text("two, longer\n", encoding="utf-8")
        else:
            second.set()

    preview = Preview(build, lambda: [claim.parent], tmp_path, "127.0.0.1", 0, out=lambda line: None)
    with serving_in_a_thread(preview):
        assert second.wait(30), f"the change saved during the first build was never built (builds: {built})"
        assert built == ["one\n", "two, longer\n"]


def test_a_page_that_fails_to_render_is_answered_with_the_error_not_a_dropped_connection(tmp_path: Path) -> None:
    """Every request gets an answer: a page the engine cannot render gives an error page and a line in the terminal."""
    from factcheck.cli.preview import Preview

    (tmp_path / "claims").mkdir()

    class Broken:
        written = threading.Event()

        def page(self, dest_uri: str) -> bytes | None:
            raise RuntimeError(f"cannot render {dest_uri}")

        def output(self, path: str) -> bool:
            return False

    def build(site: Path, url: str) -> Broken:
        site.mkdir(parents=True, exist_ok=True)
        (site / "index.html").write_text("<!doctype html><title>old</title><body></body>", encoding="utf-8")
        return Broken()

    printed: list[str] = []
    preview = Preview(build, lambda: [tmp_path / "claims"], tmp_path, "127.0.0.1", 0, out=printed.append)
    with serving_in_a_thread(preview):
        deadline = time.monotonic() + LIMIT
        while preview.live is None and time.monotonic() < deadline:  # the first build
            time.sleep(0.05)
        try:
            urllib.request.urlopen(preview.url + "claims/", timeout=REQUEST_TIMEOUT)
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode("utf-8")
        else:
            pytest.fail("a page that cannot be rendered was answered as if it were fine")
        assert status == 500
        assert "RuntimeError: cannot render claims/index.html" in text(body, "#problems")
        assert any("RuntimeError: cannot render claims/index.html" in line for line in printed), printed
        # The server still answers.
        with urllib.request.urlopen(preview.url + ".factcheck-preview/state", timeout=REQUEST_TIMEOUT) as answer:
            assert json.loads(answer.read())["build"] >= 1


def test_an_update_that_fails_while_applied_is_shown_and_the_next_change_rebuilds_in_full(tmp_path: Path) -> None:
    """The watcher goes on after any failure: here the engine's update itself raises, after a good re-plan."""
    from factcheck.cli.preview import Preview

    claims = tmp_path / "claims"
    claims.mkdir()
    claim = claims / "a.yaml"
    claim.write_text("one\n", encoding="utf-8")
    builds: list[str] = []
    rebuilt = threading.Event()

    class Live:
        written = threading.Event()

        def prepare(self) -> str:
            return "plan"

        def update(self, pending: str) -> None:
            raise RuntimeError("the engine could not take the new plan")

        def finish(self, pending: str, superseded) -> bool:  # noqa: ANN001
            return True

        def page(self, dest_uri: str) -> bytes | None:
            return None

        def output(self, path: str) -> bool:
            return False

    def build(site: Path, url: str) -> Live:
        builds.append(claim.read_text(encoding="utf-8"))
        if len(builds) == 2:
            rebuilt.set()
        return Live()

    printed: list[str] = []
    preview = Preview(build, lambda: [claims], tmp_path, "127.0.0.1", 0, out=printed.append, data=lambda: [claims])
    with serving_in_a_thread(preview):
        deadline = time.monotonic() + LIMIT
        while preview.live is None and time.monotonic() < deadline:  # the first build
            time.sleep(0.05)
        first = preview.state.read()[0]
        claim.write_text("two, longer\n", encoding="utf-8")
        while preview.state.read()[0] == first and time.monotonic() < deadline:
            time.sleep(0.05)
        build_number, problems = preview.state.read()
        assert problems and "RuntimeError: the engine could not take the new plan" in problems[-1], problems
        claim.write_text("three, longer still\n", encoding="utf-8")
        assert rebuilt.wait(LIMIT), f"the change after a failed update was never built (printed: {printed})"
        assert builds == ["one\n", "three, longer still\n"]


# -- updates without a full build: what the preview serves is what a full build writes ---------------
RELOAD_SCRIPT = re.compile(rb"<script>\n\(function \(\) \{\n  var seen = \d+;.*?</script>", re.S)
NOT_COMPARED = ("admin/",)  # the web editor's files: the preview's name its own editor backend, a build none
SEARCH_INDEX = "pagefind"  # Pagefind's bundles: an update leaves the index as the last full build made it


def served(server: Server, path: str) -> tuple[int, bytes]:
    """GET a site path; (status, body as sent), the preview's reload script taken out of a page."""
    try:
        with urllib.request.urlopen(server.url + path, timeout=REQUEST_TIMEOUT) as answer:
            status, body = answer.status, answer.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    stripped, count = RELOAD_SCRIPT.subn(b"", body)
    assert count <= 1, path
    return status, stripped


def fresh_build(project: Path, url: str, dest: Path) -> Path:
    """A full `build.py build` of the project as the preview builds it (drafts, the preview's address)."""
    shutil.rmtree(dest, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (env.get("PYTHONPATH", ""), str(REPO)) if p)
    args = ["-f", str(project / "mkdocs.yml"), "build", "--drafts", "--site-url", url, "--site-dir", str(dest)]
    done = subprocess.run([sys.executable, str(REPO / "build.py"), *args], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return dest


def assert_serves_the_full_build(server: Server, project: Path, scratch: Path) -> int:
    """Every file a fresh full build writes is served byte for byte (pages without the reload script); nothing else is."""
    site = fresh_build(project, server.url, scratch / "fresh")
    compared = 0
    for file in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = file.relative_to(site).as_posix()
        if rel.startswith(NOT_COMPARED) or SEARCH_INDEX in rel.split("/")[0]:
            continue
        status, body = served(server, rel)
        assert status == 200, rel
        assert body == file.read_bytes(), rel
        compared += 1
    return compared


def test_an_updated_preview_serves_what_a_full_build_writes(tmp_path: Path) -> None:
    """Claims edited in several ways, added, deleted, broken and fixed: no full build, and every file matches one."""
    project = make_project(tmp_path / "project")
    claims = project / "claims"
    claim = claims / "ruritania-has-42-tanks.yaml"
    with serving(project) as server:
        assert server.state()["mode"] == "full"
        pages = assert_serves_the_full_build(server, project, tmp_path)
        assert pages > 30

        def change(what: str, make: Callable[[], None]) -> None:
            build = server.state()["build"]
            make()
            state = server.wait_built(build)
            assert (state["ok"], state["mode"], state["note"]) == (True, "update", ""), what
            assert assert_serves_the_full_build(server, project, tmp_path) > 30, what

        change("summary", lambda: edit(claim, "summary: The count", "summary: The new count"))
        assert "The new count" in text(server.get("/claims/ruritania-has-42-tanks/")[1], "article")
        change("verdict", lambda: edit(claim, "verdict: misleading", "verdict: false"))
        change("entities", lambda: edit(claim, "claimant: alice-example", "claimant: bob-quiet"))
        assert "Ruritania has 42 tanks" in text(server.get("/entities/bob-quiet/")[1], "article")
        new = claims / "bob-says-the-sea-is-dry.yaml"
        change(
            "a new claim",
            lambda: new.write_text(
                claim.read_text(encoding="utf-8")
                .replace("statement: Ruritania has 42 tanks", "statement: The sea is dry")
                .replace(
                    "  source: fixture-article\n  quote: Ruritania has 42 tanks\n  position: 2\n",
                    "  url: https://example.org/sea\n  title: Sea talk\n  publisher: Example Agency\n  date: 2024-10-01\n",
                ),
                encoding="utf-8",
            ),
        )
        assert text(server.get("/claims/bob-says-the-sea-is-dry/")[1], "h1") == "The sea is dry"
        change("a deleted claim", new.unlink)
        assert server.get("/claims/bob-says-the-sea-is-dry/")[0] == 404
        change(
            "an entity",
            lambda: edit(
                project / "content" / "entities" / "ruritania.md", "name: Ruritania", "name: Ruritania Republic"
            ),
        )

        build = server.state()["build"]
        edit(claim, "verdict: false", "verdict: maybe")
        state = server.wait_built(build)
        assert (state["ok"], state["mode"]) == (False, "update")
        status, body = server.get("/claims/ruritania-has-42-tanks/")
        assert status == 500 and "verdict: 'maybe' is not allowed" in text(body, "#problems")
        change("the broken claim fixed", lambda: edit(claim, "verdict: maybe", "verdict: true"))


def test_a_change_an_update_cannot_take_in_rebuilds_everything_and_says_so(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    shutil.copytree(TEMPLATES_DIR, project / "templates")
    with serving(project) as server:
        edit(project / "claims" / "ruritania-has-42-tanks.yaml", "summary: The count", "summary: The new count")
        assert server.wait_built(server.state()["build"])["mode"] == "update"

        build = server.state()["build"]
        edit(
            project / "templates" / "claim.html.j2",
            '<blockquote class="fc-claim-box__statement">',
            '<p id="edited-template">edited</p><blockquote class="fc-claim-box__statement">',
        )
        state = server.wait_built(build)
        assert (state["ok"], state["mode"], state["note"]) == (
            True,
            "full",
            "templates/claim.html.j2 is not a fact-check file",
        )
        assert text(server.get("/claims/ruritania-has-42-tanks/")[1], "#edited-template") == "edited"
        server.wait(
            "the terminal's word",
            lambda: any(
                "full rebuild: templates/claim.html.j2 is not a fact-check file" in line
                for line in list(server.lines.queue)
            ),
        )

        build = server.state()["build"]
        set_config(project, "site_name: ", "site_name: Renamed ")
        state = server.wait_built(build)
        assert (state["ok"], state["mode"], state["note"]) == (True, "full", "mkdocs.yml is not a fact-check file")
        assert "Renamed" in text(server.get("/")[1], "title")
        assert assert_serves_the_full_build(server, project, tmp_path) > 30

        # After a full rebuild, a claim's change is an update again.
        build = server.state()["build"]
        edit(project / "claims" / "ruritania-has-42-tanks.yaml", "verdict: misleading", "verdict: false")
        assert server.wait_built(build)["mode"] == "update"
        assert assert_serves_the_full_build(server, project, tmp_path) > 30


# -- what the preview keeps between updates (parsed files, mentions) must never serve a stale page --
def test_a_claim_rewritten_to_the_same_size_and_modification_time_is_seen(tmp_path: Path) -> None:
    """A save that keeps a file's size and (on a coarse clock, or set back) its mtime: still a change."""
    project = make_project(tmp_path / "project")
    claim = project / "claims" / "ruritania-has-42-tanks.yaml"
    with serving(project) as server:
        before = os.stat(claim)
        build = server.state()["build"]
        content = claim.read_text(encoding="utf-8")
        claim.write_text(content.replace("The count leaves", "The tally leaves", 1), encoding="utf-8")
        os.utime(claim, ns=(before.st_atime_ns, before.st_mtime_ns))  # as a clock ticking once in 2 s would leave it
        after = os.stat(claim)
        assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
        state = server.wait_built(build)
        assert (state["ok"], state["mode"]) == (True, "update")
        assert "The tally leaves out reserves." in text(server.get("/claims/ruritania-has-42-tanks/")[1], "article")
        assert assert_serves_the_full_build(server, project, tmp_path) > 30


def test_a_changed_alias_links_every_claim_that_names_it_again(tmp_path: Path) -> None:
    """Mentions are kept per claim text; a new or removed entity name finds them again in every claim."""
    project = make_project(tmp_path / "project")
    bob = project / "content" / "entities" / "bob-quiet.md"
    claim_page = "/claims/ruritania-has-42-tanks/"
    with serving(project) as server:
        assert "Bob Quiet" not in text(server.get(claim_page)[1], "article")
        build = server.state()["build"]
        edit(bob, "type: person\n", "type: person\naliases: [reserves]\n")  # the claim's summary names it now
        state = server.wait_built(build)
        assert (state["ok"], state["mode"]) == (True, "update")
        links = BeautifulSoup(server.get(claim_page)[1], "html.parser").select('article a[href$="entities/bob-quiet/"]')
        assert links, "the claim's summary names Bob Quiet by his new alias: it links to his page"
        assert "Ruritania has 42 tanks" in text(server.get("/entities/bob-quiet/")[1], "article")
        assert assert_serves_the_full_build(server, project, tmp_path) > 30

        build = server.state()["build"]
        edit(bob, "aliases: [reserves]\n", "")
        assert server.wait_built(build)["ok"] is True
        assert "Ruritania has 42 tanks" not in text(server.get("/entities/bob-quiet/")[1], "article")
        assert assert_serves_the_full_build(server, project, tmp_path) > 30


def test_a_deleted_source_that_claims_cite_shows_their_problems(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    source = project / "content" / "sources" / "fixture-article.md"
    kept = source.read_text(encoding="utf-8")
    with serving(project) as server:
        build = server.state()["build"]
        source.unlink()
        state = server.wait_built(build)
        assert (state["ok"], state["mode"]) == (False, "update")
        status, body = server.get("/claims/the-sky-is-green/")  # a claim that does not cite it: every page
        assert status == 500
        problems = [li.get_text() for li in BeautifulSoup(body, "html.parser").select("#problems li")]
        assert problems == [
            f"claims/{name}.yaml:{line}:11: appearance.source: no source 'fixture-article' "
            "(add content/sources/fixture-article.md or use an existing id)"
            for name, line in (
                ("agency-counted-11000-soldiers", _line_of(project, "agency-counted-11000-soldiers")),
                ("ruritania-has-42-tanks", _line_of(project, "ruritania-has-42-tanks")),
            )
        ]
        build = server.state()["build"]
        source.write_text(kept, encoding="utf-8")
        state = server.wait_built(build)
        assert (state["ok"], state["mode"]) == (True, "update")
        assert assert_serves_the_full_build(server, project, tmp_path) > 30


def _line_of(project: Path, claim: str) -> int:
    """The line of `  source: fixture-article` in a claim file."""
    lines = (project / "claims" / f"{claim}.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.strip() == "source: fixture-article")


def test_a_change_no_event_announces_is_found_by_the_safety_poll(tmp_path: Path, monkeypatch) -> None:
    """A file system that sends no events (a Docker volume changed from the host): the change is still built."""
    import factcheck.cli.preview as preview_module
    from factcheck.cli.preview import Preview

    class Deaf:  # events that never come
        flag = threading.Event()

        def stop(self) -> None:
            pass

    monkeypatch.setattr(preview_module.Events, "start", classmethod(lambda cls, paths: Deaf()))
    claim = tmp_path / "claims" / "a.yaml"
    claim.parent.mkdir()
    claim.write_text("one\n", encoding="utf-8")
    built: list[str] = []
    first, second = threading.Event(), threading.Event()

    def build(site: Path, url: str) -> None:
        built.append(claim.read_text(encoding="utf-8"))
        (second if len(built) > 1 else first).set()

    preview = Preview(build, lambda: [claim.parent], tmp_path, "127.0.0.1", 0, out=lambda line: None)
    with serving_in_a_thread(preview):
        assert first.wait(LIMIT), "the first build never ran"
        claim.write_text("two, longer\n", encoding="utf-8")
        assert second.wait(LIMIT), f"the change was never built (builds: {built})"
        assert built == ["one\n", "two, longer\n"]
