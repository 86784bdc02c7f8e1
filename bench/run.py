#!/usr/bin/env python3
"""Benchmark the generator against what MkDocs and the theme cost alone; print one Markdown table.

    python bench/run.py                                  # 1,000 and 10,000 claims, both corpus shapes, medians of 3
    python bench/run.py --sizes 50 --repeats 1           # a quick look
    python bench/run.py --sizes 1000 --shapes wide       # one corpus shape only
    python bench/run.py --sizes 1000 --json figures.json --serve --first-search

For each size N and corpus shape (narrow and wide: bench/corpus.py), bench/corpus.py writes a
project: the repository's own site (config, pages, claims, entities, sources) plus N synthetic
claims. Then, in fresh processes, interleaved in
each repeat:

1. check: `build.py check -f <project>/mkdocs.yml`;
2. build: `build.py build -f <project>/mkdocs.yml --site-dir <dir>`, the default settings;
3. plain floor: a bare `mkdocs build` of a separate project with exactly the pages the build
   wrote (same paths, so the same count, the same nav and the same not_in_nav), each page plain
   Markdown prose (a title, paragraphs, `##` headings, one bulleted list, no raw HTML) with as
   many characters of text as that page's text in the build (the text content of its
   `<article>`: what the theme wraps). Same theme, palette, features, Markdown extensions,
   nav and validation settings as the project's mkdocs.yml, minus the generator (its plugin or
   hooks, its settings under extra, the theme's custom_dir, extra_css/extra_javascript), and
   Material's default `search` plugin on (it writes its lunr index of every page);
4. theme floor: the same, with every page reduced to its title: what the theme costs alone.

The floors are written from the first build's output, once per size.

Each measured process is timed by its wall clock; its CPU time is user + system time of it and
every process below it (getrusage(RUSAGE_CHILDREN) around the run: the bench is a child
subreaper, so processes orphaned by the measured one are reparented to it and reaped, and
count too); its peak memory is the larger of (a) the most held at one moment by it and every
process below it, the sum of their PSS from /proc/<pid>/smaps_rollup sampled every 50 ms
(pages a forked process still shares with its parent count once) and (b) the largest single
process's peak RSS (ru_maxrss, which the kernel tracks exactly). Figures are medians over the
repeats; ratios are ratios of medians. The targets (issue 13) are checked at 1,000 and 10,000
claims and reported as met or missed, never asserted.

Each measured run starts with nothing left for the disk to write (os.sync() first): the last
run's output, flushed in the background, would otherwise land in this run's time. Nothing is
deleted while the bench measures: each output is moved aside into work/.trash before the step
that rewrites it, and the trash is emptied at the end (see _fresh for why).

Each run also notes the CPU the rest of the machine used meanwhile (/proc/stat's busy time,
hypervisor steal included, less the measured processes' and the bench's own) and warns when it
averaged more than a tenth of a core: on a shared two-core machine, ratios taken then are noise.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import functools
import gzip
import html
import http.server
import json
import os
import platform
import random
import re
import resource
import shlex
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
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from corpus import SHAPES, Tagged, _PermissiveLoader, write_project  # noqa: E402

PYTHON = sys.executable
SAMPLE_SECONDS = 0.05

# The targets of issue 13, at the default settings.
TARGET_SIZES = (1000, 10000)
WALL_RATIO, CPU_RATIO = 1.10, 1.25  # build against the plain floor
CHECK_SECONDS = {1000: 1.0, 10000: 4.0}
PEAK_MB = {10000: 400.0}
GROWTH = 10.5  # build wall time, 10,000 against 1,000 claims
CARDS_WARM_RATIO = 1.05  # a rebuild with the share cards in their cache, against a build without cards (issue 16)
PAGES_LIMIT_MB = 1000  # GitHub Pages: a published site of at most 1 GB


# -- measuring one process -------------------------------------------------------------------------
@dataclass
class Proc:
    """What one measured process (and everything it started) did."""

    wall: float  # seconds until it and every process it left behind had exited
    cpu: float  # user + system seconds of it and all its descendants
    peak_mb: float  # max(tree_mb, largest_mb)
    tree_mb: float  # the most PSS held at one moment by the process tree (sampled)
    largest_mb: float  # the largest single process's peak RSS
    sampler_cpu: float  # CPU seconds the bench itself used meanwhile (mostly the memory sampler)
    others_cpu: float  # CPU seconds the rest of the machine used meanwhile (other work, hypervisor steal)
    stdout: str


def _become_subreaper() -> None:
    """Have orphaned descendants reparented to this process, so their time and memory are seen (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def _descendants(root: int) -> list[int]:
    """Every process below root, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
            ppid = int(stat[stat.rfind(b")") + 2 :].split(None, 2)[1])  # the field after the state
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], list(children.get(root, []))
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _tree_kb() -> int:
    """Memory held now by every process below this one: the sum of their PSS."""
    total = 0
    for pid in _descendants(os.getpid()):
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                rollup = f.read()
        except OSError:
            continue
        found = re.search(rb"^Pss:\s+(\d+)", rollup, re.M)
        total += int(found.group(1)) if found else 0
    return total


class TreeMemory:
    """Sample the memory of every process below this one every 50 ms in a thread; keep the peak.

    While a measurement runs, the bench has no other children, so "below this one" is the
    measured process, its descendants and any of them orphaned (reparented here).
    """

    def __init__(self) -> None:
        self.peak_kb, self._stop = 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, _tree_kb())
            self._stop.wait(SAMPLE_SECONDS)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_kb / 1024


def _reap_the_rest(timeout: float = 120) -> float:
    """Wait for processes the measured one left behind; return the largest one's ru_maxrss in MB."""
    largest, deadline = 0.0, time.monotonic() + timeout
    while True:
        try:
            pid, _, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return largest
        if pid:
            largest = max(largest, usage.ru_maxrss / 1024)
        elif time.monotonic() > deadline:
            for left in _descendants(os.getpid()):
                with contextlib.suppress(OSError):
                    os.kill(left, 9)
            deadline = time.monotonic() + timeout
        else:
            time.sleep(0.01)


def _busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (all cores; hypervisor steal included)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def measure(cmd: list[str], env: dict[str, str] | None = None) -> Proc:
    """Run cmd in a fresh process; return its wall time, CPU time and peak memory, with its descendants'."""
    os.sync()  # the previous run's writes are flushed now, not during this one
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    self_before = resource.getrusage(resource.RUSAGE_SELF)
    busy_before = _busy_seconds()
    sampler = TreeMemory()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    left_behind_mb = _reap_the_rest()
    wall = time.perf_counter() - start
    tree_mb = sampler.stop()
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    self_after = resource.getrusage(resource.RUSAGE_SELF)
    busy = _busy_seconds() - busy_before
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {shlex.join(cmd)}\n{out[-4000:]}")
    cpu = (children_after.ru_utime - children_before.ru_utime) + (children_after.ru_stime - children_before.ru_stime)
    bench_cpu = (self_after.ru_utime - self_before.ru_utime) + (self_after.ru_stime - self_before.ru_stime)
    largest = max(usage.ru_maxrss / 1024, left_behind_mb)
    others = max(0.0, busy - cpu - bench_cpu) if busy_before else float("nan")
    return Proc(wall, cpu, max(tree_mb, largest), tree_mb, largest, bench_cpu, others, out)


# -- the generator's command line ------------------------------------------------------------------
@functools.cache
def _config_after_subcommand() -> bool:
    """Whether build.py takes `-f` after the subcommand (`build.py check -f x`) or before it."""
    out = subprocess.run([PYTHON, str(REPO / "build.py"), "check", "--help"], capture_output=True, text=True)
    return "--config" in out.stdout or re.search(r"(?m)^\s+-f\b", out.stdout) is not None


def build_py(config: Path, command: str, *args: str) -> list[str]:
    """The command line of `build.py <command> -f <config> <args>` (or `-f` first, for older versions)."""
    if _config_after_subcommand():
        return [PYTHON, str(REPO / "build.py"), command, "-f", str(config), *args]
    return [PYTHON, str(REPO / "build.py"), "-f", str(config), command, *args]


def generator_env() -> dict[str, str]:
    """The environment of the generator's processes: this repository's factcheck package first."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return env


# -- reading a built site ----------------------------------------------------------------------
_ARTICLE = re.compile(r"<article\b[^>]*>(.*?)</article>", re.S)
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_INVISIBLE = re.compile(r"<(script|style|template)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def _text(fragment: str) -> str:
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", _INVISIBLE.sub(" ", fragment)))).strip()


def html_pages(site: Path) -> list[str]:
    """The theme's pages: every .html file but the 404 page and the embed pages (which the generator writes alone)."""
    return sorted(
        str(p.relative_to(site))
        for p in site.rglob("*.html")
        if p.relative_to(site) != Path("404.html") and not (p.name == "index.html" and p.parent.name == "embed")
    )


def page_text(path: Path) -> tuple[str, str]:
    """(title, text) of a built page: its <article>'s first heading and the article's whole text."""
    page = path.read_text(encoding="utf-8", errors="replace")
    found = _ARTICLE.search(page)
    article = found.group(1) if found else page
    heading = _H1.search(article)
    title = _text(heading.group(1)) if heading else ""
    if not title and (t := _TITLE.search(page)):
        title = _text(t.group(1)).split(" - ")[0]
    return title.removesuffix("¶").strip() or path.parent.name or "Home", _text(article)


def site_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


# -- the floors ------------------------------------------------------------------------------------
_VOCABULARY_SIZE = 5000


@functools.cache
def _vocabulary() -> tuple[list[str], list[float]]:
    """Made-up words with Zipf-like frequencies (plus common English ones at the top), for prose."""
    rng = random.Random(1)  # noqa: S311 - reproducible text, not security
    syllables = (
        "ba",
        "ce",
        "di",
        "fo",
        "gu",
        "ha",
        "je",
        "ki",
        "lo",
        "mu",
        "na",
        "pe",
        "ri",
        "so",
        "tu",
        "va",
        "we",
        "xi",
        "yo",
        "za",
        "an",
        "el",
        "in",
        "or",
        "us",
        "ar",
        "en",
        "is",
        "on",
        "ur",
    )
    words = [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "that",
        "is",
        "was",
        "for",
        "on",
        "it",
        "with",
        "as",
        "by",
        "from",
        "at",
        "said",
        "were",
        "had",
        "not",
        "troops",
        "report",
        "officials",
        "army",
    ]
    seen = set(words)
    while len(words) < _VOCABULARY_SIZE:
        word = "".join(rng.choice(syllables) for _ in range(rng.choice((1, 2, 2, 3, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    weights, total = [], 0.0
    for rank in range(len(words)):
        total += 1 / (rank + 1)
        weights.append(total)
    return words, weights


def prose(title: str, chars: int, seed: str) -> str:
    """Plain Markdown of about `chars` characters of text: the title, paragraphs, headings, a list."""
    rng = random.Random(seed)  # noqa: S311
    words, cum = _vocabulary()
    budget, stream = chars - len(title), []
    while budget > 0:
        for word in rng.choices(words, cum_weights=cum, k=max(8, budget // 6)):
            stream.append(word)
            budget -= len(word) + 1
            if budget <= 0:
                break
    blocks, i, paragraphs, listed = [f"# {title}"], 0, 0, False

    def sentences(chunk: list[str]) -> str:
        out, j = [], 0
        while j < len(chunk):
            k = rng.randint(8, 20)
            out.append(" ".join(chunk[j : j + k]).capitalize() + ".")
            j += k
        return " ".join(out)

    while i < len(stream):
        if paragraphs and paragraphs % 3 == 0 and len(stream) - i > 40:
            k = rng.randint(2, 5)
            blocks.append("## " + " ".join(stream[i : i + k]).capitalize())
            i += k
        k = rng.randint(40, 100)
        blocks.append(sentences(stream[i : i + k]))
        i += k
        paragraphs += 1
        if not listed and len(stream) - i > 30:
            items = []
            for _ in range(rng.randint(3, 5)):
                k = rng.randint(5, 12)
                items.append("- " + " ".join(stream[i : i + k]).capitalize())
                i += k
            blocks.append("\n".join(items))
            listed = True
    return "\n\n".join(blocks) + "\n"


def _nav_files(nav: object) -> set[str]:
    """Every Markdown file the nav names."""
    if isinstance(nav, str):
        return {nav} if nav.endswith(".md") and "://" not in nav else set()
    if isinstance(nav, dict):
        return set().union(*(_nav_files(v) for v in nav.values()))
    if isinstance(nav, list):
        return set().union(*(_nav_files(v) for v in nav))
    return set()


def source_names(pages: list[str], nav: set[str]) -> dict[str, str]:
    """For each built page (a/b/index.html), the Markdown file MkDocs builds it from (a/b.md or a/b/index.md)."""
    folders = {str(Path(p).parent) for p in pages}
    out = {}
    for page in pages:
        path = Path(page)
        if path.name != "index.html":  # use_directory_urls: false
            out[page] = str(path.with_suffix(".md"))
            continue
        folder = str(path.parent)
        if folder == ".":
            out[page] = "index.md"
            continue
        index, flat = f"{folder}/index.md", f"{folder}.md"
        nested = any(f != folder and f.startswith(folder + "/") for f in folders)
        out[page] = index if index in nav or (nested and flat not in nav) else flat
    return out


def _is_generator(plugin: object) -> bool:
    name = next(iter(plugin)) if isinstance(plugin, dict) else str(plugin)
    return name.split("/")[-1].startswith("factcheck")


def _is_search(plugin: object) -> bool:
    name = next(iter(plugin)) if isinstance(plugin, dict) else str(plugin)
    return name in ("search", "material/search")


def floor_config(project_config: Path) -> dict:
    """The project's MkDocs config without the generator, with Material's default search on."""
    config = yaml.load(project_config.read_text(encoding="utf-8"), Loader=_PermissiveLoader)  # noqa: S506
    for key in ("hooks", "extra_css", "extra_javascript", "strict", "INHERIT", "watch"):
        config.pop(key, None)
    plugins = config.get("plugins", ["search"])
    if isinstance(plugins, dict):
        plugins = [{k: v} if v is not None else k for k, v in plugins.items()]
    plugins = [p for p in plugins if not _is_generator(p) and not _is_search(p)]
    config["plugins"] = ["search", *plugins]  # the default search, with its lunr index
    if isinstance(config.get("theme"), dict):
        config["theme"].pop("custom_dir", None)
    if isinstance(config.get("extra"), dict):
        config["extra"].pop("factcheck", None)
    config["docs_dir"], config["site_dir"] = "docs", "site"
    return config


class _TagDumper(yaml.SafeDumper):
    """Write back the tags the permissive loader kept (!ENV, !!python/name:...)."""


def _represent_tagged(dumper: yaml.SafeDumper, data: object) -> yaml.Node:
    value = data.value  # type: ignore[attr-defined]
    if isinstance(value, list):
        return dumper.represent_sequence(data.tag, value)  # type: ignore[attr-defined]
    if isinstance(value, dict):
        return dumper.represent_mapping(data.tag, value)  # type: ignore[attr-defined]
    return dumper.represent_scalar(data.tag, value)  # type: ignore[attr-defined]


def write_floors(site: Path, project_config: Path, plain: Path, theme: Path) -> dict[str, float]:
    """Write the plain and theme floor projects for the pages of a built site; return text sizes."""
    _TagDumper.add_representer(Tagged, _represent_tagged)
    pages = html_pages(site)
    config = floor_config(project_config)
    names = source_names(pages, _nav_files(config.get("nav")))
    dumped = yaml.dump(config, Dumper=_TagDumper, sort_keys=False, allow_unicode=True)
    chars = []
    for folder in (plain, theme):
        if folder.exists():
            shutil.rmtree(folder)
        (folder / "docs").mkdir(parents=True)
        (folder / "mkdocs.yml").write_text(dumped, encoding="utf-8")
    for page in pages:
        title, text = page_text(site / page)
        chars.append(len(text))
        for folder, body in ((plain, prose(title, len(text), page)), (theme, f"# {title}\n")):
            path = folder / "docs" / names[page]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body, encoding="utf-8")
    return {"pages": len(pages), "mean_chars": statistics.mean(chars) if chars else 0.0}


def mean_text(site: Path) -> float:
    pages = html_pages(site)
    return statistics.mean(len(page_text(site / p)[1]) for p in pages) if pages else 0.0


# -- optional: a reader's first search -------------------------------------------------------------
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


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_SEARCH_PATH = re.compile(r"/(search/|pagefind(-[0-9]+)?/|assets/javascripts/workers/search)")


def first_search_bytes(site: Path, query: str) -> tuple[int, int] | None:
    """Search once from the home page in Chromium; return (raw, gzipped) bytes of search requests.

    Search requests are those under search/ or pagefind/ and Material's search worker, each
    counted as fetched and gzip-compressed (already-compressed files at their own size when gzip
    would not shrink them). None when Playwright or Chromium is not available.
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
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
        page.goto(base, wait_until="load")
        page.locator("label.md-search__icon, .md-search__input, [data-md-toggle=search]").first.wait_for(
            state="attached"
        )
        page.keyboard.press("/")
        page.locator(".md-search__input").first.press_sequentially(query, delay=20)
        page.locator(".md-search-result__item").first.wait_for(timeout=120_000)
        page.wait_for_load_state("networkidle")
        browser.close()
    raw = sum(len(b) for b in bodies.values())
    zipped = sum(min(len(b), len(gzip.compress(b, 6))) for b in bodies.values())
    return raw, zipped


def _alias_query(project: Path) -> str:
    text = (project / "content" / "entities" / "entity-0.md").read_text(encoding="utf-8")
    found = re.search(r"(?m)^aliases: \[([^,\]]+)", text)
    assert found, "entity-0 has no alias"
    return found.group(1).strip()


# -- optional: edit to rebuilt page under serve ----------------------------------------------------
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


_RELOAD_SCRIPT = re.compile(r"<script>\n\(function \(\) \{\n  var seen = \d+;.*?</script>", re.S)
IDLE_SECONDS = 20  # an idle preview's CPU is measured over this long
EDIT_ROUNDS = 3  # each round edits one claim's summary, then its verdict, then its entities (claimant)


@dataclass
class Edit:
    """One edit under serve, timed as a browser sees it: from the file's save until its pages show it.

    The bench stands in for an open page: before the save it asks the server what a page asks
    (`/.factcheck-preview/state?wait=N`, held until a build or update ends); when that answer
    comes it fetches the claim page and the affected entity page, as the page's reload would.
    """

    kind: str  # summary, verdict, entities
    claim_page: float  # seconds until the claim page was served changed (after the answer)
    entity_page: float | None  # the claimant's page (for entities: the new claimant's); None: not affected
    server_cpu: float  # CPU seconds the serve process used until then (all its threads)
    files: float  # seconds until the files after the pages (feeds, exports, filter data, embeds, cards) were written
    notified: float = 0.0  # seconds until the held request was answered (the page would reload now)

    @property
    def seconds(self) -> float:
        return max(self.notified, self.claim_page, self.entity_page or 0.0)


def _held_state(url: str, seen: int, deadline: float) -> dict:
    """What a page's held request gets: the state once a build after `seen` has ended."""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}?wait={seen}", timeout=60) as response:  # noqa: S310 - our own 127.0.0.1
                state = json.loads(response.read())
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
            continue
        if state.get("build") != seen:
            return state
    raise SystemExit("the preview never ended a build after the save")


def _page_text(url: str) -> str | None:
    """A served page without the preview's reload script (which names the build: not the page's content)."""
    body = _fetch(url)
    return None if body is None else _RELOAD_SCRIPT.sub("", body)


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime, every thread


def _claimant(text: str) -> str:
    found = re.search(r"(?m)^claimant: *(\S+)", text)
    assert found, "the corpus's claims name a claimant"
    return found.group(1)


def _answered_at(url: str, seen: int, deadline: float, into: dict[str, float]) -> None:
    """Hold a page's request; note in into["at"] when its answer (a build after `seen`) came."""
    _held_state(url, seen, deadline)
    into["at"] = time.perf_counter()


def edit_timings(
    project: Path, timeout: float = 1800, rounds: int = EDIT_ROUNDS, idle: list[float] | None = None
) -> list[Edit]:
    """Start `build.py serve`; edit claims (summary, verdict, entities) and time each until the pages show it.

    Each edit holds the request an open page holds (`state?wait=N`), saves one claim file, and
    when the server answers (the update has ended: a page would reload now) fetches its claim
    page and the entity page the edit affects, again every 20 ms until both differ from what
    they were before the save (the reload script, which names the build, taken out; a page
    that shows the change at once is fetched once). The page served first after an update is
    rendered on that request: its time is in the figure. Each round edits another claim. With
    `idle`, the files are put back, and the serve process's CPU per second over IDLE_SECONDS
    without a change is appended to it.
    """
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"  # the preview serves the site at its root, whatever site_url's path
    state_url = base + ".factcheck-preview/state"
    claims = sorted((project / "claims").glob("claim-*.yaml"))[:rounds]
    originals = {c: c.read_text(encoding="utf-8") for c in claims}
    cmd = build_py(project / "mkdocs.yml", "serve", "-a", f"127.0.0.1:{port}")
    proc = subprocess.Popen(cmd, env=generator_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    edits: list[Edit] = []
    try:
        deadline = time.monotonic() + timeout
        while _fetch(base + f"claims/{claims[0].stem}/") is None:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit(f"serve did not come up for {project}")
            time.sleep(0.2)
        time.sleep(1.5)  # let the watcher settle after the first build
        for n, claim in enumerate(claims):
            text = originals[claim]
            claimant = _claimant(text)
            other = "entity-1" if claimant != "entity-1" else "entity-2"
            verdict = re.search(r"(?m)^verdict: *(.+)$", text)
            assert verdict
            new_verdict = '"false"' if "false" not in verdict.group(1) else '"true"'
            steps = [  # kind, the line changed, what it becomes, the entity page it affects
                ("summary", r'(?m)^summary: "', f'summary: "Edited{n} ', None),
                ("verdict", r"(?m)^verdict: .*$", f"verdict: {new_verdict}", claimant),
                ("entities", r"(?m)^claimant: .*$", f"claimant: {other}", other),
            ]
            for kind, pattern, replacement, entity in steps:
                claim_url = base + f"claims/{claim.stem}/"
                entity_url = base + f"entities/{entity}/" if entity else None
                before = _page_text(claim_url), _page_text(entity_url) if entity_url else None
                seen_build = json.loads(_fetch(state_url) or "{}")["build"]
                text = re.sub(pattern, replacement, text, count=1)
                held: dict[str, float] = {}
                waiter = threading.Thread(  # the open page's held request, asked before the save
                    target=_answered_at, args=(state_url, seen_build, deadline, held), daemon=True
                )
                waiter.start()
                time.sleep(0.05)  # the request is on its way before the save, as a page's is
                cpu = _cpu_seconds(proc.pid)
                start = time.perf_counter()
                claim.write_text(text, encoding="utf-8")
                waiter.join(max(1.0, deadline - time.monotonic()))
                if "at" not in held:
                    raise SystemExit(f"the {kind} edit was never announced")
                seen: dict[str, float] = {}
                while len(seen) < (2 if entity_url else 1):
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise SystemExit(f"the {kind} edit never reached {claim_url}")
                    for name, url, old in (("claim", claim_url, before[0]), ("entity", entity_url, before[1])):
                        if url and name not in seen:
                            now = _page_text(url)
                            if now is not None and now != old:
                                seen[name] = time.perf_counter() - start
                    if len(seen) < (2 if entity_url else 1):
                        time.sleep(0.02)
                cpu_pages = _cpu_seconds(proc.pid) - cpu
                while not json.loads(_fetch(state_url) or "{}").get("written"):
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise SystemExit("the preview never wrote its files after the pages")
                    time.sleep(0.05)
                edits.append(
                    Edit(
                        kind,
                        seen["claim"],
                        seen.get("entity"),
                        cpu_pages,
                        time.perf_counter() - start,
                        held["at"] - start,
                    )
                )
                time.sleep(0.5)
        if idle is not None:  # the claims as they were, taken in and written; then nothing changes
            seen_build = json.loads(_fetch(state_url) or "{}")["build"]
            for claim, original in originals.items():
                claim.write_text(original, encoding="utf-8")
            _held_state(state_url, seen_build, deadline)  # the update of the put-back files has ended
            while not json.loads(_fetch(state_url) or "{}").get("written"):
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("the preview never wrote its files after the pages")
                time.sleep(0.2)
            time.sleep(3)  # the watcher's next look
            cpu, started = _cpu_seconds(proc.pid), time.perf_counter()
            time.sleep(IDLE_SECONDS)
            idle.append((_cpu_seconds(proc.pid) - cpu) / (time.perf_counter() - started))
        return edits
    finally:
        for claim, original in originals.items():
            claim.write_text(original, encoding="utf-8")
        proc.terminate()
        try:
            proc.wait(timeout=300)  # it deletes its own folder (tens of thousands of files) first
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# -- one size --------------------------------------------------------------------------------------
@dataclass
class Row:
    n: int  # synthetic claims
    shape: str = "narrow"  # the corpus's shape (bench/corpus.py)
    claims: int = 0  # all claim files in the project (synthetic and real)
    runs: int = 0
    pages: int = 0
    check: list[float] = field(default_factory=list)
    build: list[float] = field(default_factory=list)
    build_cpu: list[float] = field(default_factory=list)
    peak: list[float] = field(default_factory=list)
    tree_pss: list[float] = field(default_factory=list)
    largest: list[float] = field(default_factory=list)
    plain: list[float] = field(default_factory=list)
    plain_cpu: list[float] = field(default_factory=list)
    plain_peak: list[float] = field(default_factory=list)
    theme: list[float] = field(default_factory=list)
    theme_cpu: list[float] = field(default_factory=list)
    theme_peak: list[float] = field(default_factory=list)
    sampler_cpu: list[float] = field(default_factory=list)  # the bench's own CPU during the builds
    others_cpu: list[float] = field(default_factory=list)  # the rest of the machine's CPU during every measured run
    measured_wall: list[float] = field(default_factory=list)  # the wall time of every measured run
    site_mb: float = 0.0
    plain_site_mb: float = 0.0
    theme_site_mb: float = 0.0
    text_chars: dict[str, float] = field(default_factory=dict)  # mean characters of text per page
    same_pages: bool = False  # both floors built exactly the build's pages
    search: tuple[int, int] | None = None
    edits: list[Edit] = field(default_factory=list)  # edit -> page under serve
    idle: float | None = None  # the serve process's CPU per second while nothing changes (cores)
    serve_load: tuple[float, float] | None = None  # the 1-minute load average before and after the edits
    # Share cards (issue 16): the default build above finds its cards in the cache (warm);
    # the same build with `share_cards: false`, and the first build, with an empty cache (cold).
    no_cards: list[float] = field(default_factory=list)
    no_cards_cpu: list[float] = field(default_factory=list)
    cold: list[float] = field(default_factory=list)
    cold_cpu: list[float] = field(default_factory=list)
    cards: int = 0
    card_kb_mean: float = 0.0
    card_kb_max: float = 0.0
    no_cards_site_mb: float = 0.0

    def med(self, name: str) -> float:
        return statistics.median(getattr(self, name))

    @property
    def label(self) -> str:
        """The size and the corpus's shape, as the report names them: "1,000 claims (wide)"."""
        return f"{self.n:,} claims ({self.shape})"


# Nothing is deleted while the bench measures. On an ext4 file system without a journal (this
# machine's, for one), each new file's inode is looked for past every inode freed in the last
# minute or so (ext4's recently_deleted check, run one inode at a time), so a run that starts
# just after a large deletion pays for it, in proportion to the deleted count times its own
# file count: deleting the previous output right before timing a build charged each step for
# the step before it, the larger site most. Outputs are moved aside into the trash instead (a
# rename frees nothing) and the trash is emptied once every size is measured.
RECENTLY_DELETED_SECONDS = 65  # ext4 skips inodes freed less than 60 s ago (a minute, plus a margin)


def _trash(work: Path) -> Path:
    return work / ".trash"


def _fresh(folder: Path, trash: Path) -> Path:
    """Make room for a new folder by moving the old one into the trash (nothing is deleted now)."""
    if folder.exists():
        trash.mkdir(parents=True, exist_ok=True)
        folder.rename(trash / f"{folder.name}-{time.time_ns()}")
    return folder


def empty_trash(trash: Path) -> None:
    if trash.exists():
        shutil.rmtree(trash)


def work_name(n: int, shape: str) -> str:
    """The folder name of a corpus in the work folder: pN for the narrow shape, pN-<shape> for others."""
    return f"p{n}" if shape == "narrow" else f"p{n}-{shape}"


def bench_size(
    n: int,
    repeats: int,
    work: Path,
    config: Path,
    real_content: bool,
    log,
    serve: bool = False,
    search: bool = False,
    shape: str = "narrow",
    edit_rounds: int = EDIT_ROUNDS,
    serve_only: bool = False,
) -> Row:
    trash = _trash(work)
    name = work_name(n, shape)
    project = write_project(_fresh(work / name, trash), n, config=config, real_content=real_content, shape=shape)
    if serve_only:
        row = Row(n, shape, claims=len(list((project / "claims").glob("*.yaml"))))
        serve_edits(row, project, n, shape, edit_rounds, log)
        return row
    cfg = project / "mkdocs.yml"
    plain, theme = work / f"{name}-plain", work / f"{name}-theme"
    site, plain_site, theme_site = work / f"{name}-site", plain / "site", theme / "site"
    row = Row(n, shape, claims=len(list((project / "claims").glob("*.yaml"))))
    env = generator_env()
    no_cards_cfg = project / "mkdocs-no-cards.yml"
    text = cfg.read_text(encoding="utf-8")
    assert "\n  factcheck:\n" in text, "the benchmark's config needs an extra.factcheck section"
    no_cards_cfg.write_text(
        text.replace("\n  factcheck:\n", "\n  factcheck:\n    share_cards: false\n", 1), encoding="utf-8"
    )
    no_cards_site = work / f"{name}-site-no-cards"
    cache = project / ".cache" / "factcheck" / "cards"
    for i in range(repeats):
        step = f"N={n} {shape} run {i + 1}/{repeats}"
        log(f"{step}: check")
        checked = measure(build_py(cfg, "check"), env)
        row.check.append(checked.wall)
        runs = [checked]
        if i == 0:
            log(f"{step}: build with an empty card cache (cold)")
            _fresh(cache, trash)
            _fresh(site, trash)
            cold = measure(build_py(cfg, "build", "--site-dir", str(site)), env)
            row.cold.append(cold.wall)
            row.cold_cpu.append(cold.cpu)
            runs.append(cold)
        log(f"{step}: build without share cards")
        _fresh(no_cards_site, trash)
        bare_cards = measure(build_py(no_cards_cfg, "build", "--site-dir", str(no_cards_site)), env)
        row.no_cards.append(bare_cards.wall)
        row.no_cards_cpu.append(bare_cards.cpu)
        runs.append(bare_cards)
        log(f"{step}: build")
        _fresh(site, trash)
        built = measure(build_py(cfg, "build", "--site-dir", str(site)), env)
        row.build.append(built.wall)
        row.build_cpu.append(built.cpu)
        row.peak.append(built.peak_mb)
        row.tree_pss.append(built.tree_mb)
        row.largest.append(built.largest_mb)
        row.sampler_cpu.append(built.sampler_cpu)
        runs.append(built)
        if i == 0:
            log(f"{step}: writing the floors")
            started = time.perf_counter()
            written = write_floors(site, cfg, _fresh(plain, trash), _fresh(theme, trash))
            row.pages = written["pages"]
            row.text_chars["build"] = written["mean_chars"]
            log(f"  {written['pages']:,} pages in {time.perf_counter() - started:.1f}s")
        for name, folder, out in (("plain", plain, plain_site), ("theme", theme, theme_site)):
            log(f"{step}: {name} floor")
            _fresh(out, trash)
            bare = measure([PYTHON, "-m", "mkdocs", "build", "-f", str(folder / "mkdocs.yml"), "-d", str(out)])
            getattr(row, name).append(bare.wall)
            getattr(row, f"{name}_cpu").append(bare.cpu)
            getattr(row, f"{name}_peak").append(bare.peak_mb)
            runs.append(bare)
        row.others_cpu += [r.others_cpu for r in runs]
        row.measured_wall += [r.wall for r in runs]
        row.runs += 1
        log(
            f"  check {row.check[-1]:.2f}s; build {built.wall:.1f}s ({built.cpu:.1f}s CPU, {built.peak_mb:.0f} MB); "
            f"plain floor {row.plain[-1]:.1f}s ({row.plain_cpu[-1]:.1f}s CPU); "
            f"theme floor {row.theme[-1]:.1f}s ({row.theme_cpu[-1]:.1f}s CPU)"
        )
    cards = [p.stat().st_size for p in site.rglob("card.png")]
    row.cards = len(cards)
    row.card_kb_mean = statistics.mean(cards) / 1000 if cards else 0.0
    row.card_kb_max = max(cards, default=0) / 1000
    row.no_cards_site_mb = site_bytes(no_cards_site) / 1e6
    built_pages = html_pages(site)
    row.same_pages = html_pages(plain_site) == built_pages == html_pages(theme_site)
    row.site_mb = site_bytes(site) / 1e6
    row.plain_site_mb = site_bytes(plain_site) / 1e6
    row.theme_site_mb = site_bytes(theme_site) / 1e6
    row.text_chars["plain"] = mean_text(plain_site)
    row.text_chars["theme"] = mean_text(theme_site)
    if search:
        log(f"N={n} {shape}: first search")
        row.search = first_search_bytes(site, _alias_query(project))
    if serve:
        serve_edits(row, project, n, shape, edit_rounds, log)
    return row


def serve_edits(row: Row, project: Path, n: int, shape: str, edit_rounds: int, log) -> None:  # noqa: ANN001
    """Edit → preview under serve, with the load average around it, then an idle preview's CPU."""
    log(f"N={n} {shape}: edit under serve")
    load_before = os.getloadavg()[0]
    idle: list[float] = []
    row.edits = edit_timings(project, rounds=edit_rounds, idle=idle)
    row.serve_load = (load_before, os.getloadavg()[0])
    row.idle = idle[0] if idle else None


# -- the report ------------------------------------------------------------------------------------
def _growth(rows: list[Row], r: Row, name: str) -> float | None:
    smaller = {(x.n, x.shape): x for x in rows}.get((r.n // 10, r.shape)) if r.n % 10 == 0 else None
    return r.med(name) / smaller.med(name) if smaller else None


def table(rows: list[Row]) -> str:
    """One Markdown table of medians, one row per size and corpus shape."""
    out = [
        "| claims | corpus | pages | runs | check | build wall | build CPU | plain floor wall / CPU | theme floor wall / CPU "
        "| build ÷ plain floor, wall | build ÷ plain floor, CPU | peak memory | site size | growth from N/10, wall / CPU |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        gw, gc = _growth(rows, r, "build"), _growth(rows, r, "build_cpu")
        growth = "–" if gw is None or gc is None else f"{gw:.1f}× / {gc:.1f}×"
        out.append(
            f"| {r.n:,} | {r.shape} | {r.pages:,} | {r.runs} | {r.med('check'):.2f} s | {r.med('build'):.1f} s | {r.med('build_cpu'):.1f} s "
            f"| {r.med('plain'):.1f} / {r.med('plain_cpu'):.1f} s | {r.med('theme'):.1f} / {r.med('theme_cpu'):.1f} s "
            f"| {r.med('build') / r.med('plain'):.2f} | {r.med('build_cpu') / r.med('plain_cpu'):.2f} "
            f"| {r.med('peak'):,.0f} MB | {r.site_mb:,.0f} MB | {growth} |"
        )
    return "\n".join(out)


def cards_table(rows: list[Row]) -> str:
    """The share cards' cost: medians of the build without cards and of the warm rebuild, one cold build."""
    out = [
        "| claims | corpus | cards | card size, mean / largest | build without cards, wall / CPU | warm card cache, wall / CPU "
        "| warm ÷ without, wall / CPU | cold card cache (first build), wall / CPU | cold ÷ without, wall | site without cards "
        "| site with cards |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        if not r.no_cards:
            continue
        out.append(
            f"| {r.n:,} | {r.shape} | {r.cards:,} | {r.card_kb_mean:.1f} / {r.card_kb_max:.1f} kB "
            f"| {r.med('no_cards'):.1f} / {r.med('no_cards_cpu'):.1f} s | {r.med('build'):.1f} / {r.med('build_cpu'):.1f} s "
            f"| {r.med('build') / r.med('no_cards'):.3f} / {r.med('build_cpu') / r.med('no_cards_cpu'):.3f} "
            f"| {r.med('cold'):.1f} / {r.med('cold_cpu'):.1f} s | {r.med('cold') / r.med('no_cards'):.2f} "
            f"| {r.no_cards_site_mb:,.0f} MB | {r.site_mb:,.0f} MB |"
        )
    return "\n".join(out)


def cards_targets(rows: list[Row]) -> list[str]:
    """The share cards' targets (issue 16), at every size measured."""
    out = []
    for r in rows:
        if not r.no_cards:
            continue
        warm = r.med("build") / r.med("no_cards")
        out.append(
            f"- {r.label}, rebuild with a warm card cache ≤ {CARDS_WARM_RATIO:.2f} × a build without cards, wall: "
            f"{warm:.3f} × ({r.med('build'):.1f} s against {r.med('no_cards'):.1f} s): {_verdict(warm <= CARDS_WARM_RATIO)}"
        )
        out.append(f"- {r.label}, every card ≤ 50 kB: largest {r.card_kb_max:.1f} kB: {_verdict(r.card_kb_max <= 50)}")
        out.append(
            f"- {r.label}, the whole site ≤ {PAGES_LIMIT_MB:,} MB (GitHub Pages): {r.site_mb:,.0f} MB: "
            f"{_verdict(r.site_mb <= PAGES_LIMIT_MB)}"
        )
    return out


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def targets(rows: list[Row]) -> list[str]:
    """One line per target of issue 13 that these sizes can answer, for each corpus shape."""
    by_key, out = {(r.n, r.shape): r for r in rows}, []
    for shape in dict.fromkeys(r.shape for r in rows):
        for n in TARGET_SIZES:
            r = by_key.get((n, shape))
            if r is None:
                continue
            wall, cpu = r.med("build") / r.med("plain"), r.med("build_cpu") / r.med("plain_cpu")
            out.append(
                f"- {r.label}, build wall ≤ {WALL_RATIO:.2f} × plain floor: {wall:.2f} × "
                f"({r.med('build'):.1f} s against {r.med('plain'):.1f} s): {_verdict(wall <= WALL_RATIO)}"
            )
            out.append(
                f"- {r.label}, build CPU ≤ {CPU_RATIO:.2f} × plain floor: {cpu:.2f} × "
                f"({r.med('build_cpu'):.1f} s against {r.med('plain_cpu'):.1f} s): {_verdict(cpu <= CPU_RATIO)}"
            )
            if n in CHECK_SECONDS:
                out.append(
                    f"- {r.label}, `check` ≤ {CHECK_SECONDS[n]:.1f} s: {r.med('check'):.2f} s: "
                    f"{_verdict(r.med('check') <= CHECK_SECONDS[n])}"
                )
            if n in PEAK_MB:
                out.append(
                    f"- {r.label}, peak memory of the build and every process it starts ≤ {PEAK_MB[n]:.0f} MB: "
                    f"{r.med('peak'):,.0f} MB: {_verdict(r.med('peak') <= PEAK_MB[n])}"
                )
        if (1000, shape) in by_key and (10000, shape) in by_key:
            growth = by_key[(10000, shape)].med("build") / by_key[(1000, shape)].med("build")
            out.append(
                f"- {shape} corpus, growth of the build's wall time from 1,000 to 10,000 claims ≤ {GROWTH}×: "
                f"{growth:.1f}×: {_verdict(growth <= GROWTH)}"
            )
    return out or [
        f"- none at these sizes: the targets are set at {' and '.join(f'{n:,}' for n in TARGET_SIZES)} claims"
    ]


def other_load(r: Row) -> float:
    """How many cores, on average, the rest of the machine kept busy while this size was measured."""
    return sum(r.others_cpu) / sum(r.measured_wall) if r.measured_wall else float("nan")


def _per_repeat(r: Row) -> str:
    """Each repeat's own ratios and check time: how far the medians could move on this machine."""

    def ratios(a: list[float], b: list[float]) -> str:
        return ", ".join(f"{x / y:.2f}" for x, y in zip(a, b, strict=True))

    parts = [
        f"build ÷ plain floor, wall {ratios(r.build, r.plain)}, CPU {ratios(r.build_cpu, r.plain_cpu)}",
        "check " + ", ".join(f"{x:.2f} s" for x in r.check),
    ]
    if r.no_cards:
        parts.append(f"warm card cache ÷ without cards, wall {ratios(r.build, r.no_cards)}")
    return "; ".join(parts)


def notes(rows: list[Row]) -> list[str]:
    out = []
    for r in rows:
        load = other_load(r)
        if not load <= 0.1:
            out.append(
                f"- **Other work competed**: while {r.label} were measured, the rest of the machine "
                f"kept {load:.2f} of a core busy on average (other processes, hypervisor steal). "
                f"Run again on a quiet machine before trusting the ratios."
            )
    for r in rows:
        c = r.text_chars
        line = (
            f"- {r.label}, {r.claims:,} claim files with the real ones: text per page, mean characters: "
            f"build {c.get('build', 0):,.0f}, plain floor {c.get('plain', 0):,.0f}, theme floor {c.get('theme', 0):,.0f}; "
            f"site size: plain floor {r.plain_site_mb:,.0f} MB, theme floor {r.theme_site_mb:,.0f} MB; "
            f"peak memory: build tree PSS {r.med('tree_pss'):,.0f} MB, largest process {r.med('largest'):,.0f} MB, "
            f"plain floor {r.med('plain_peak'):,.0f} MB; the bench's own CPU during the build "
            f"{r.med('sampler_cpu'):.2f} s; the rest of the machine, on average {other_load(r):.2f} of a core"
        )
        if r.runs > 1:
            line += "; per repeat, in order: " + _per_repeat(r)
        if not r.same_pages:
            line += "; **the floors did not build exactly the build's pages**"
        if r.search is not None:
            line += f"; first search downloads {r.search[1] / 1000:,.0f} kB gzipped ({r.search[0] / 1000:,.0f} kB raw)"
        if r.edits:
            line += "; " + serve_line(r)
        out.append(line)
    return out


def serve_line(r: Row) -> str:
    """The edits under serve, the load average around them, and an idle preview's CPU."""
    line = edit_summary(r.edits)
    if r.serve_load is not None:
        line += f"; load average (1 min) {r.serve_load[0]:.2f} before the edits, {r.serve_load[1]:.2f} after"
    if r.idle is not None:
        line += f"; an idle preview uses {r.idle:.3f} of a core (over {IDLE_SECONDS} s)"
    return line


def edit_summary(edits: list[Edit]) -> str:
    """Edit → preview: the median of every edit, then each kind's, with the serve process's CPU."""
    kinds = {e.kind: [x for x in edits if x.kind == e.kind] for e in edits}
    per_kind = ", ".join(f"{kind} {statistics.median(e.seconds for e in group):.2f} s" for kind, group in kinds.items())
    return (
        f"edit → preview under serve (save to the held request's answer, then the claim page and the entity page it "
        f"affects served changed): median "
        f"{statistics.median(e.seconds for e in edits):.2f} s of {len(edits)} edits ({per_kind}); slowest "
        f"{max(e.seconds for e in edits):.2f} s; the serve process's CPU until then, median "
        f"{statistics.median(e.server_cpu for e in edits):.2f} s; the held request answered after "
        f"{statistics.median(e.notified for e in edits):.2f} s (median); feeds, exports and the rest written after "
        f"{statistics.median(e.files for e in edits):.1f} s (median)"
    )


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

    return (
        f"{os.cpu_count()} CPU cores ({cpu}){mem}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, MkDocs {mkdocs.__version__}, Material {material.__version__}"
    )


def commit() -> str:
    """The repository's commit, and whether the working tree differs from it."""

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True).stdout.strip()

    head = git("rev-parse", "--short=12", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return head + (" with uncommitted changes (the figures do not describe the commit alone)" if dirty else "")


def _load() -> str:
    with contextlib.suppress(OSError):
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return "n/a"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description="Benchmark the fact-check generator against a bare MkDocs build.")
    parser.add_argument(
        "--sizes", default="1000,10000", help="comma-separated synthetic claim counts (default 1000,10000)"
    )
    parser.add_argument(
        "--shapes",
        default=",".join(SHAPES),
        help=f"comma-separated corpus shapes, each measured at every size (default {','.join(SHAPES)})",
    )
    parser.add_argument(
        "--edit-rounds",
        type=int,
        default=EDIT_ROUNDS,
        help=f"with --serve: rounds of three edits (summary, verdict, claimant) per size (default {EDIT_ROUNDS})",
    )
    parser.add_argument("--repeats", type=int, default=3, help="runs per size; figures are medians (default 3)")
    parser.add_argument("--work", type=Path, default=BENCH / "work", help="scratch folder (replaced per size)")
    parser.add_argument("--config", type=Path, default=REPO / "mkdocs.yml", help="the mkdocs.yml to start from")
    parser.add_argument(
        "--no-real-content",
        action="store_true",
        help="synthetic claims with the small test fixture's pages instead of the repository's content",
    )
    parser.add_argument(
        "--serve",
        action="store_true",
        help="also time edits (summary, verdict, claimant) to the pages that show them under `build.py serve`",
    )
    parser.add_argument(
        "--serve-only",
        action="store_true",
        help="only the edits under serve and an idle preview's CPU (no builds, no floors): implies --serve",
    )
    parser.add_argument(
        "--first-search", action="store_true", help="also count what a first search downloads (Chromium)"
    )
    parser.add_argument("--json", type=Path, help="also write the raw figures to this file")
    args = parser.parse_args(argv)
    args.serve = args.serve or args.serve_only
    shapes = [s.strip() for s in args.shapes.split(",") if s.strip()]
    if not shapes or any(s not in SHAPES for s in shapes):
        parser.error(f"--shapes: each one of {', '.join(SHAPES)}")
    args.work = args.work.resolve()  # mkdocs reads a relative -d from the config file's folder, not from here
    args.work.mkdir(parents=True, exist_ok=True)
    _become_subreaper()

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    trash = _trash(args.work)
    if trash.exists():  # an earlier run stopped before emptying it: empty it, then let ext4 forget
        log(f"emptying {trash} (left by an earlier run), then waiting {RECENTLY_DELETED_SECONDS} s")
        empty_trash(trash)
        time.sleep(RECENTLY_DELETED_SECONDS)
    load_before = _load()
    rows = [
        bench_size(
            int(s),
            args.repeats,
            args.work,
            args.config.resolve(),
            not args.no_real_content,
            log,
            serve=args.serve,
            search=args.first_search,
            shape=shape,
            edit_rounds=args.edit_rounds,
            serve_only=args.serve_only,
        )
        for shape in shapes
        for s in args.sizes.split(",")
    ]
    print(f"Commit: {commit()}")
    print(f"Command: python bench/run.py {shlex.join(argv)}".rstrip())
    print(f"Machine: {machine()}; load average {load_before} before, {_load()} after\n")
    if args.serve_only:
        for r in rows:
            print(f"- {r.label}, {r.claims:,} claim files: " + serve_line(r))
        if args.json:
            args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1), encoding="utf-8")
        empty_trash(trash)
        return 0
    print(table(rows))
    print("\nTargets (issue 13):\n")
    print("\n".join(targets(rows)))
    print("\nShare cards (issue 16; the build above is the warm rebuild):\n")
    print(cards_table(rows))
    print()
    print("\n".join(cards_targets(rows)))
    print("\nNotes:\n")
    print("\n".join(notes(rows)))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1), encoding="utf-8")
    log(f"emptying {trash}")
    empty_trash(trash)
    return 0


if __name__ == "__main__":
    sys.exit(main())
