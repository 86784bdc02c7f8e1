"""Shared fixtures: build small sites from fixture folders in temporary directories."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import http.server
import importlib
import os
import posixpath
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def make_project(dest: Path, fixture: str | None = "basic") -> Path:
    """Lay out a project in dest: a fixture's claims/ and content/, the repo's config (templates: the tool's)."""
    dest.mkdir(parents=True, exist_ok=True)
    if fixture:
        shutil.copytree(FIXTURES / fixture, dest, dirs_exist_ok=True)
    for name in ("claims", "content/entities", "content/sources"):
        (dest / name).mkdir(parents=True, exist_ok=True)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    return dest


@dataclass
class Run:
    """The result of running build.py in a subprocess."""

    returncode: int
    stdout: str
    stderr: str


def run_build_py(project: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    """Run `python build.py -f <project>/mkdocs.yml ARGS` the way a contributor would."""
    full_env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "-f", str(project / "mkdocs.yml"), *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=project,
        timeout=600,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@dataclass
class BuiltSite:
    """A site built from a fixture, with helpers to read its pages."""

    project: Path
    site: Path

    def page(self, url_path: str) -> BeautifulSoup:
        """Parse the page at a site-relative URL path such as 'claims/x/'."""
        path = (
            self.site / url_path.strip("/") / "index.html" if not url_path.endswith(".html") else self.site / url_path
        )
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def exists(self, url_path: str) -> bool:
        return (self.site / url_path.strip("/") / "index.html").is_file()


def build(project: Path, *extra: str) -> BuiltSite:
    """Build project strictly into project/site; fail the test with the build's output if it fails."""
    result = run_build_py(project, "build", "--site-dir", str(project / "site"), *extra)
    if result.returncode != 0:
        pytest.fail(f"build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return BuiltSite(project, project / "site")


def set_config(project: Path, old: str, new: str) -> None:
    """Change one piece of a project's mkdocs.yml (old must occur in it)."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert old in text, old
    config.write_text(text.replace(old, new, 1), encoding="utf-8")


def follow_links(site: Path) -> tuple[int, list[str]]:
    """Follow every relative link and anchor on every built page; return (links followed, broken ones)."""
    checked, broken = 0, []
    ids: dict[Path, set[str]] = {}
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        if rel == "404.html":
            continue  # served at any path, so MkDocs gives it absolute links
        folder = posixpath.dirname(rel)
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for a in soup.select("a[href], link[rel~=alternate][href]"):
            href = a["href"]
            if urlsplit(href).scheme or href.startswith(("//", "mailto:", "/")):
                continue
            url, fragment = urldefrag(href)
            target = site / posixpath.normpath(posixpath.join(folder, unquote(url))) if url else html
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.is_file():
                broken.append(f"{rel}: {href} (no such file)")
            elif fragment and target.suffix == ".html":
                if target not in ids:
                    page = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
                    ids[target] = {el["id"] for el in page.select("[id]")}
                if fragment not in ids[target]:
                    broken.append(f"{rel}: {href} (no such anchor)")
    return checked, broken


def shared_site(tmp_path_factory: pytest.TempPathFactory, name: str, lay_out: Callable[[Path], Path]) -> BuiltSite:
    """Lay out (lay_out(folder) -> project) and build a site once per test run, for every worker.

    Under pytest-xdist each worker is a process with its own session fixtures; the first worker
    to ask builds the site in the run's shared temporary folder, holding a lock, and the others
    wait for it and read the same files. Tests only read these sites.
    """
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return build(lay_out(tmp_path_factory.mktemp(name)))
    folder = tmp_path_factory.getbasetemp().parent / f"shared-{name}"
    with open(f"{folder}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = Path(f"{folder}.built")  # beside the project, which tests look into
        if not done.is_file():
            shutil.rmtree(folder, ignore_errors=True)  # a worker that failed halfway
            folder.mkdir()
            project = lay_out(folder)
            site = build(project)
            done.write_text(str(project), encoding="utf-8")
            return site
        project = Path(done.read_text(encoding="utf-8"))
        return BuiltSite(project, project / "site")


@pytest.fixture(scope="session")
def basic_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The basic fixture, built once per test run (read-only for tests)."""
    return shared_site(tmp_path_factory, "basic", make_project)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh, writable copy of the basic fixture project."""
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The hostile fixture (a payload in every contributor field), built once per test run."""
    return shared_site(tmp_path_factory, "hostile", lambda folder: make_project(folder, "hostile"))


@pytest.fixture(scope="session")
def real_build(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """This repository's site, built once per test run from a copy (never the working tree's site/)."""

    def copy(project: Path) -> Path:
        for name in ("claims", "content", "templates", "mkdocs.yml"):
            src = REPO / name
            if src.is_dir():
                shutil.copytree(src, project / name)
            elif src.exists():
                shutil.copy(src, project / name)
        return project

    return shared_site(tmp_path_factory, "real", copy)


# -- helpers for the unit tests (tests/test_unit_*.py): the model without a build ----------------


def fixture_settings(dest: Path, fixture: str = "basic", **changes):
    """Lay out a fixture project in dest (unless it is there) and return its Settings, with changes.

    `changes` are Settings fields (language="de", directory_urls=False, include_drafts=True ...).
    """
    import dataclasses

    from factcheck.settings import load_settings

    if not (dest / "mkdocs.yml").is_file():
        make_project(dest, fixture)
    return dataclasses.replace(load_settings(dest / "mkdocs.yml"), **changes)


def load_model(dest: Path, fixture: str = "basic", **changes):
    """Return the checked, linked model (a factcheck.model.Site) of a fixture project, as a build loads it."""
    from factcheck.model.loader import load_site

    return load_site(fixture_settings(dest, fixture, **changes))


PAGED_SIZE = 3  # items per list page in the paged fixture


def make_paged_project(dest: Path, n: int = 20, page_size: int = PAGED_SIZE) -> Path:
    """A project of n synthetic claims (bench/corpus.py, the basic fixture's pages) and a small page size."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import corpus
    finally:
        sys.path.remove(str(REPO / "bench"))
    corpus.write_project(dest, n, real_content=False)
    set_config(dest, "    page_size: 50\n", f"    page_size: {page_size}\n")
    return dest


@pytest.fixture(scope="session")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """20 synthetic claims with 3 items to a list page, built once per test run (read-only for tests)."""
    return shared_site(tmp_path_factory, "paged", lambda folder: make_paged_project(folder / "project"))


# -- a real browser and a local web server, for the tests that need them -------------------------------

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Debian's Chromium (or the one $CHROMIUM names, for the tests only), or None."""
    configured = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    return configured if Path(configured).is_file() else shutil.which("chromium")


def playwright_or_skip(*modules: str) -> Callable[[], Any]:
    """Return Playwright's sync_playwright; skip when Chromium or a module is missing (fail under CI=true)."""
    reason = None
    if chromium_path() is None:
        reason = "Chromium not found (Debian: apt-get install chromium)"
    for name in ("playwright.sync_api", *modules):
        try:
            importlib.import_module(name)
        except ImportError:
            reason = reason or f"{name.split('.')[0]} is not installed (pip install -r requirements-dev.txt)"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    return sync_playwright


# Tests never reach the internet, whatever a page asks for: every request for another host goes
# to a proxy that is not there (the discard port on loopback) and fails at once, while loopback
# addresses, where the tests serve their sites, bypass proxies in Chromium. Cheaper than
# intercepting every request through Playwright (`route`), which costs about 40 % more CPU a page.
OFFLINE_ARGS = ["--proxy-server=http://127.0.0.1:9"]


def launch_chromium(playwright: Any) -> Any:
    """Start headless Chromium (never a downloaded browser) with the flags this machine needs, offline."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=[*CHROMIUM_ARGS, *OFFLINE_ARGS])


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def serve_folder(
    folder: Path, handler: type[http.server.SimpleHTTPRequestHandler] = QuietHandler, path: str = "/"
) -> Iterator[str]:
    """Serve folder on a free loopback port while the block runs; yield its address (ending in path)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{path}"
    finally:
        server.shutdown()
        server.server_close()


# -- markers: the slow kinds of test, so the fast part can run alone --------------------------------
_BROWSER_CALLS = ("launch_chromium(", "chromium_path()", "playwright_or_skip(")


@functools.cache
def _module_uses_a_browser(path: str) -> bool:
    text = Path(path).read_text(encoding="utf-8")
    return any(call in text for call in _BROWSER_CALLS)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers per core the process may use.

    Many tests spend much of their time waiting (for Chromium, for a preview server's next poll,
    for pip), so a second worker on each core keeps the cores busy meanwhile.
    """
    return 2 * len(os.sched_getaffinity(0))


# The files that take longest (a preview server's rebuilds, wheels installed into fresh venvs,
# Chromium on many pages, Lighthouse), started first so that no worker is left with one of them
# while the others have finished (longest first; measured with --durations on a parallel run).
# Every other file follows in its usual order. `--no-loadscope-reorder` (pyproject.toml) keeps
# this order: xdist's default hands out the files with the most tests first instead.
LONGEST_FIRST = (
    "test_serve.py",
    "test_tool.py",
    "test_validators.py",
    "test_browser.py",
    "test_editor_browser.py",
    "test_hostile_browser.py",
    "test_browser_pages.py",
    "test_reproducible.py",
    "test_fs_hazards.py",
    "test_atomic_build.py",
    "test_search.py",
    "test_links.py",
    "test_bench.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Put the longest files first; mark tests that drive Chromium `browser`, the external validators `validators`."""
    rank = {name: k for k, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order
    for item in items:
        path = str(item.path)
        if _module_uses_a_browser(path) or "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if item.path.name == "test_validators.py":
            item.add_marker(pytest.mark.validators)
