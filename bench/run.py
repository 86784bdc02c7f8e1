#!/usr/bin/env python3
"""Benchmark the generator on synthetic corpora and print a Markdown table.

    python bench/run.py                    # N = 100, 1,000, 10,000 (10,000: medians of 3)
    python bench/run.py --sizes 20 --repeats 1 --no-serve

For each N it writes a corpus (bench/corpus.py) and measures, each in a fresh process:

- check: `build.py check` (load, parse and validate every file), wall time;
- generate: load and render every generated page in one process (time inside the process);
- build: `build.py build`, the whole site as a contributor builds it, wall time and peak memory;
- floor: a bare `mkdocs build` (same config and theme, no generator hook) of the very same
  pages, written to disk as ordinary Markdown files: what MkDocs alone costs for this site;
- site size; the bytes a reader downloads for a first search (headless Chromium, counted
  gzipped as a web server would send them); the time from saving a claim file to the
  rebuilt page being served by `build.py serve`.

Peak memory is the largest total held at one moment by the measured process and all its
descendants (a second build process, the search indexer), sampled every 50 ms from
/proc/<pid>/smaps_rollup as PSS, so pages a forked process still shares with its parent
count once; the largest single process's RSS (ru_maxrss) is reported beside it.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))

from corpus import write_project  # noqa: E402

PYTHON = sys.executable


@dataclass
class Proc:
    """What one measured process did."""

    seconds: float
    peak_mb: float  # the largest sum of memory held at one moment by the process and its descendants
    stdout: str
    cpu: float = 0.0  # user + system CPU seconds of the process and its waited-for children
    largest_mb: float = 0.0  # the largest single process's peak RSS (ru_maxrss)


def _descendants(root: int) -> list[int]:
    """root and every process below it, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _tree_kb(root: int) -> int:
    """Memory held now by root and its descendants: the sum of their PSS (shared pages split, not counted twice)."""
    total = 0
    for pid in _descendants(root):
        with contextlib.suppress(OSError, ValueError):
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
    return total


class TreeMemory:
    """Sample the memory of a process tree every 50 ms in a thread; keep the peak (Linux)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_kb, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, _tree_kb(self.pid))
            self._stop.wait(0.05)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_kb / 1024


def measure(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Proc:
    """Run cmd; return its wall time, CPU time and the peak memory of it and its descendants."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = TreeMemory(proc.pid)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    tree_mb = sampler.stop()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{out[-4000:]}")
    largest = usage.ru_maxrss / 1024
    return Proc(seconds, max(tree_mb, 0.0) or largest, out, usage.ru_utime + usage.ru_stime, largest)


# -- the floor: the same pages as plain files, built by MkDocs alone ------------------------------
def generate_pages(project: Path, floor: Path) -> float:
    """Render the project's pages in this process, write them as a bare MkDocs project; return seconds."""
    from factcheck import pipeline
    from factcheck.settings import load_settings

    start = time.perf_counter()
    settings = load_settings(project / "mkdocs.yml", include_drafts=False)
    generated = pipeline.generate(settings)
    pages = generated.pages
    seconds = time.perf_counter() - start
    if floor.exists():
        shutil.rmtree(floor)
    shutil.copytree(project / "content", floor / "content")
    for uri, text in pages.items():
        path = floor / "content" / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for txt in (floor / "content" / "sources").glob("*.txt"):
        txt.unlink()
    css = floor / "content" / "assets" / "factcheck" / "factcheck.css"
    css.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(pipeline.STATIC_DIR / "factcheck.css", css)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^hooks:\n(?:  - .*\n)+", "", config)
    # The site searches with Pagefind, run after MkDocs; its build never collects Material's
    # lunr index, so neither does the floor.
    config, found = re.subn(r"(?m)^  - search$", "  - search:\n      enabled: false", config)
    assert found == 1, "mkdocs.yml lists the search plugin as `  - search`"
    config += "\nextra_css:\n  - assets/factcheck/factcheck.css\n"
    (floor / "mkdocs.yml").write_text(config, encoding="utf-8")
    return seconds


# -- a reader's first search -----------------------------------------------------------------------
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def serve_dir(folder: Path):
    """Serve folder over HTTP on a free loopback port; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
_SEARCH_PATH = re.compile(r"/(search/|pagefind(-[0-9]+)?/|assets/javascripts/workers/search)")


def first_search_bytes(site: Path, query: str) -> tuple[int, int] | None:
    """Search once from the home page in Chromium; return (raw, gzipped) bytes of search requests.

    Search requests are those under search/ or pagefind/ and Material's search worker. Each
    body is counted as fetched and gzip-compressed (files that are already compressed, like
    Pagefind's, are counted at their own size when gzip would not shrink them).
    Returns None when Playwright or Chromium is not available.
    """
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path(chromium).exists():
        return None
    bodies: dict[str, bytes] = {}
    with serve_dir(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page()

        def on_response(response) -> None:  # noqa: ANN001
            if _SEARCH_PATH.search(response.url) and response.ok:
                with contextlib.suppress(Exception):
                    bodies[response.url] = response.body()

        page.on("response", on_response)
        # Nothing leaves the machine (Material would ask GitHub for the repository's stars).
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                   else route.abort())
        page.goto(base, wait_until="load")
        page.locator("label.md-search__icon, .md-search__input, [data-md-toggle=search]").first.wait_for(state="attached")
        page.keyboard.press("/")  # Material's shortcut to open search
        page.locator(".md-search__input").first.press_sequentially(query, delay=20)
        page.locator(".md-search-result__item").first.wait_for(timeout=120_000)
        page.wait_for_load_state("networkidle")
        browser.close()
    raw = sum(len(b) for b in bodies.values())
    zipped = sum(min(len(b), len(gzip.compress(b, 6))) for b in bodies.values())
    return raw, zipped


# -- edit to rebuilt page under serve ----------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own http://127.0.0.1 URL
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def edit_to_page_seconds(project: Path, timeout: float = 900) -> float:
    """Start `build.py serve`, edit one claim's summary, return seconds until the page shows it."""
    port = _free_port()
    claim = sorted((project / "claims").glob("*.yaml"))[0]
    site_url = re.search(r"(?m)^site_url: *(\S+)", (project / "mkdocs.yml").read_text(encoding="utf-8"))
    prefix = urllib.parse.urlsplit(site_url.group(1)).path.rstrip("/") if site_url else ""
    url = f"http://127.0.0.1:{port}{prefix}/claims/{claim.stem}/"
    original = claim.read_text(encoding="utf-8")
    proc = subprocess.Popen([PYTHON, str(REPO / "build.py"), "-f", str(project / "mkdocs.yml"), "serve",
                             "-a", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + timeout
        while (body := _fetch(url)) is None or "fc-summary" not in body:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit(f"serve did not come up for {project}")
            time.sleep(0.2)
        time.sleep(1.5)  # let the watcher settle after the first build
        token = f"Edited{int(time.time())}"
        edited = re.sub(r"(?m)^summary: \"", f'summary: "{token} ', original, count=1)
        start = time.perf_counter()
        claim.write_text(edited, encoding="utf-8")
        while token not in (_fetch(url) or ""):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit(f"the edit never reached {url}")
            time.sleep(0.05)
        return time.perf_counter() - start
    finally:
        claim.write_text(original, encoding="utf-8")
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# -- one size ------------------------------------------------------------------------------------
@dataclass
class Row:
    n: int
    runs: int = 0
    check: list[float] = field(default_factory=list)
    generate: list[float] = field(default_factory=list)
    build: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    peak: list[float] = field(default_factory=list)
    largest: list[float] = field(default_factory=list)
    floor_peak: list[float] = field(default_factory=list)
    build_cpu: list[float] = field(default_factory=list)
    floor_cpu: list[float] = field(default_factory=list)
    pages: int = 0
    site_mb: float = 0.0
    search: tuple[int, int] | None = None
    edit: float | None = None
    same_pages: bool = False  # the build and the floor wrote the same set of HTML pages

    def med(self, name: str) -> float:
        return statistics.median(getattr(self, name))


def _site_size(site: Path) -> tuple[int, int]:
    total = pages = 0
    for path in site.rglob("*"):
        if path.is_file():
            total += path.stat().st_size
            pages += path.name == "index.html"
    return total, pages


def _html_pages(site: Path) -> set[str]:
    return {str(p.relative_to(site)) for p in site.rglob("*.html")}


def _alias_query(project: Path) -> str:
    text = (project / "content" / "entities" / "entity-0.md").read_text(encoding="utf-8")
    found = re.search(r"(?m)^aliases: \[([^,\]]+)", text)
    assert found, "entity-0 has no alias"
    return found.group(1).strip()


def bench_size(n: int, repeats: int, work: Path, serve: bool, search: bool, log) -> Row:
    project = write_project(work / f"p{n}", n)
    floor = work / f"p{n}-floor"
    row = Row(n)
    build_py = [PYTHON, str(REPO / "build.py"), "-f", str(project / "mkdocs.yml")]
    for i in range(repeats):
        log(f"N={n} run {i + 1}/{repeats}: check")
        row.check.append(measure([*build_py, "check"]).seconds)
        log(f"N={n} run {i + 1}/{repeats}: generate")
        gen = measure([PYTHON, str(BENCH / "run.py"), "_generate", str(project), str(floor)])
        row.generate.append(float(gen.stdout.strip().splitlines()[-1]))
        log(f"N={n} run {i + 1}/{repeats}: build")
        site = work / f"p{n}-site"
        built = measure([*build_py, "build", "--site-dir", str(site)])
        row.build.append(built.seconds)
        row.peak.append(built.peak_mb)
        row.largest.append(built.largest_mb)
        row.build_cpu.append(built.cpu)
        log(f"N={n} run {i + 1}/{repeats}: floor")
        floor_site = work / f"p{n}-floor-site"
        bare = measure([PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(floor / "mkdocs.yml"), "-d", str(floor_site)])
        row.floor.append(bare.seconds)
        row.floor_peak.append(bare.peak_mb)
        row.floor_cpu.append(bare.cpu)
        row.runs += 1
        log(f"  build {built.seconds:.1f}s ({built.cpu:.1f}s CPU) {built.peak_mb:.0f}MB (largest process {built.largest_mb:.0f}MB), "
            f"floor {bare.seconds:.1f}s ({bare.cpu:.1f}s CPU) {bare.peak_mb:.0f}MB")
    size, row.pages = _site_size(site)
    row.same_pages = _html_pages(site) == _html_pages(floor_site)
    row.site_mb = size / 1e6
    if search:
        log(f"N={n}: first search")
        row.search = first_search_bytes(site, _alias_query(project))
    if serve:
        log(f"N={n}: edit under serve")
        row.edit = edit_to_page_seconds(project)
    return row


def _fmt_search(s: tuple[int, int] | None) -> str:
    return "n/a" if s is None else f"{s[1] / 1000:,.0f} kB ({s[0] / 1000:,.0f} kB raw)"


def table(rows: list[Row]) -> str:
    """Return the results as a Markdown table, plus growth from 1,000 to 10,000 claims."""
    out = ["| claims | runs | check | generate | build (total) | floor (bare MkDocs) | total/floor | CPU total/floor | peak memory (all processes) | largest process | floor peak memory | pages | site size | first search download | edit → rebuilt page |",
           "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        edit = "n/a" if r.edit is None else f"{r.edit:.1f} s"
        out.append(
            f"| {r.n:,} | {r.runs} | {r.med('check'):.2f} s | {r.med('generate'):.2f} s | {r.med('build'):.1f} s "
            f"| {r.med('floor'):.1f} s | {r.med('build') / r.med('floor'):.2f} "
            f"| {r.med('build_cpu') / r.med('floor_cpu'):.2f} ({r.med('build_cpu'):.0f} / {r.med('floor_cpu'):.0f} s) "
            f"| {r.med('peak'):,.0f} MB | {r.med('largest'):,.0f} MB "
            f"| {r.med('floor_peak'):,.0f} MB | {r.pages:,} | {r.site_mb:,.0f} MB | {_fmt_search(r.search)} | {edit} |"
        )
    by_n = {r.n: r for r in rows}
    for small, large in ((1000, 10000),):
        if small in by_n and large in by_n:
            growth = by_n[large].med("build") / by_n[small].med("build")
            out.append(f"\nGrowth of the total build from {small:,} to {large:,} claims: {growth:.1f}×.")
    return "\n".join(out)


def machine() -> str:
    """Describe the machine in one line."""
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError, IndexError, ValueError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    import material
    import mkdocs

    return (f"{os.cpu_count()} CPU cores ({cpu}){mem}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, MkDocs {mkdocs.__version__}, Material {material.__version__}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_generate"]:
        print(generate_pages(Path(argv[1]), Path(argv[2])))
        return 0
    parser = argparse.ArgumentParser(description="Benchmark the fact-check generator.")
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated claim counts")
    parser.add_argument("--repeats", type=int, help="runs per size (default: 3 from 10,000 claims, else 1)")
    parser.add_argument("--work", type=Path, default=BENCH / "work", help="scratch folder (replaced per size)")
    parser.add_argument("--no-serve", action="store_true", help="skip the edit-under-serve measurement")
    parser.add_argument("--no-search", action="store_true", help="skip the first-search measurement")
    parser.add_argument("--json", type=Path, help="also write the raw figures to this file")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        repeats = args.repeats or (3 if n >= 10000 else 1)
        rows.append(bench_size(n, repeats, args.work, not args.no_serve, not args.no_search, log))
    print(f"Machine: {machine()}\n")
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in rows], indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
