"""Independent validators on the built site: the Nu HTML Checker (vnu) and Lighthouse.

Tools nobody here wrote, pinned in package.json/package-lock.json (`npm ci`, run by
.ci/install, which also installs Java and Chromium from Debian):

- vnu checks one page of every type (and the embed page and the error page): no error may come
  from our templates or overrides. The theme's own remaining errors are listed below by exact
  message and by the element they are about, so a new one, ours or the theme's, fails.
- Lighthouse 12, mobile preset, with Debian's Chromium, on the home page, the claims index, a
  claim and an entity of this repository's own site (one after another in one Chromium:
  tests/lighthouse_pages.mjs, Lighthouse's Node API), served under /factcheck/ by a local server
  that compresses as GitHub Pages does: accessibility, best practices and SEO 100, cumulative
  layout shift under 0.05, performance at least 95. Performance is simulated from the CPU time the
  page takes on this machine, so another process's load lowers it: it must reach 95 in one of up to
  three runs (Lighthouse's own advice is to look past single runs); the other scores are exact.

Each skips with its reason when its tool is missing, except under CI=true, where that fails.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import REPO, BuiltSite, chromium_path

VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = REPO / "node_modules" / "lighthouse" / "cli" / "index.js"
LIGHTHOUSE_PAGES = Path(__file__).resolve().parent / "lighthouse_pages.mjs"  # one Chromium for several runs
PREFIX = "/factcheck/"  # the site's path on GitHub Pages (site_url)


def _need(reason: str | None) -> None:
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"cannot run in CI: {reason}")
    pytest.skip(reason)


# -- vnu -----------------------------------------------------------------------------------------------

# One page of every type in the basic fixture (site paths), the embed page and the error page.
VNU_PAGES = [
    "index.html",
    "claims/index.html",
    "claims/ruritania-has-42-tanks/index.html",
    "claims/ruritania-has-42-tanks/embed/index.html",
    "entities/index.html",
    "entities/alice-example/index.html",
    "sources/index.html",
    "sources/fixture-article/index.html",
    "verdicts/index.html",
    "verdicts/misleading/index.html",
    "tags/index.html",
    "tags/figures/index.html",
    "corrections/index.html",
    "methodology/index.html",
    "404.html",
]

# mkdocs-material's own errors that no override can reach (base.html outside any block, and
# partials the theme fills in), each: exact message -> what the offending tag looks like.
THEME_ERRORS = {
    # base.html's two toggles, outside any block: `autocomplete` on a checkbox.
    "Attribute “autocomplete” is only allowed when the input type is “color”, “date”, “datetime-local”, "
    "“email”, “hidden”, “month”, “number”, “password”, “range”, “search”, “tel”, “text”, “time”, “url”, "
    "or “week”.": re.compile(
        r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" '
        r'id="__(drawer|search)" autocomplete="off">'
    ),
    # partials/nav-item.html: a section's label gets tabindex="" (the theme sets none for sections).
    "Bad value “” for attribute “tabindex” on element “label”: The empty string is not a valid integer.": re.compile(
        r'<label class="md-nav__link" for="__nav_\d+" id="__nav_\d+_label" tabindex="">'
    ),
    # partials/toc.html on a page outside the navigation: its label names the nav's __toc toggle,
    # which nav-item.html writes only for a page in the navigation.
    "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.": re.compile(
        r'<label class="md-nav__title" for="__toc">'
    ),
}


def vnu_or_skip() -> list[str]:
    java = shutil.which("java")
    _need(None if java else "Java not found (Debian: apt-get install default-jre-headless; .ci/install does)")
    _need(None if VNU_JAR.is_file() else "vnu.jar not found (npm ci installs the vnu-jar package; .ci/install does)")
    return [str(java), "-jar", str(VNU_JAR)]


def vnu_messages(command: list[str], files: list[Path]) -> list[dict]:
    result = subprocess.run(
        [*command, "--format", "json", "--stdout", *map(str, files)], capture_output=True, text=True, timeout=300
    )
    return json.loads(result.stdout)["messages"]


def offending_tag(message: dict) -> str:
    extract = message.get("extract", "")
    start = message.get("hiliteStart", 0)
    return extract[start : start + message.get("hiliteLength", len(extract))]


def broken_claim_page(basic_site: BuiltSite, folder: Path) -> Path:
    """A claim page with an error of ours: the claim box's caption in the middle of its figure, as before issue 29."""
    page = folder / "claim.html"
    html = (basic_site.site / "claims/ruritania-has-42-tanks/index.html").read_text(encoding="utf-8")
    moved = re.sub(
        r'(<figcaption class="fc-claim-box__meta">.*?</figcaption>)\s*(<blockquote class="fc-claim-box__quote">'
        r".*?</blockquote>)",
        r"\2\1",
        html,
        flags=re.S,
    )
    moved = moved.replace(
        '<blockquote class="fc-claim-box__statement">',
        '<figcaption>x</figcaption><blockquote class="fc-claim-box__statement">',
        1,
    )
    page.write_text(moved, encoding="utf-8")
    return page


@pytest.fixture(scope="module")
def vnu_results(basic_site: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    """The checker's messages for every page type and the broken page (one Java start), by file name."""
    command = vnu_or_skip()
    files = [basic_site.site / page for page in VNU_PAGES]
    assert all(f.is_file() for f in files), [str(f) for f in files if not f.is_file()]
    broken = broken_claim_page(basic_site, tmp_path_factory.mktemp("vnu"))
    by_file: dict[str, list[dict]] = {"broken": [], "site": []}
    for m in vnu_messages(command, [*files, broken]):
        by_file["broken" if m.get("url", "").endswith(str(broken)) else "site"].append(m)
    return by_file


def test_vnu_finds_no_error_of_ours_on_any_page_type(vnu_results: dict[str, list[dict]], basic_site: BuiltSite) -> None:
    errors = [m for m in vnu_results["site"] if m["type"] in ("error", "non-document-error")]
    ours, theirs = [], set()
    for m in errors:
        pattern = THEME_ERRORS.get(m["message"])
        where = f"{m['url'].split(str(basic_site.site))[-1]}:{m.get('lastLine')}: {m['message']} {offending_tag(m)!r}"
        if pattern is not None and pattern.fullmatch(offending_tag(m)):
            theirs.add(m["message"])
        else:
            ours.append(where)
    assert ours == [], "\n".join(ours)
    # The list stays honest: a theme error that is gone (a fix, a theme upgrade) is struck from it.
    assert theirs == set(THEME_ERRORS), set(THEME_ERRORS) - theirs


def test_vnu_reports_an_error_of_ours(vnu_results: dict[str, list[dict]]) -> None:
    """The check can fail: the broken page's misplaced caption is reported."""
    errors = [m for m in vnu_results["broken"] if m["type"] == "error"]
    assert any(
        m["message"].startswith("Element “figcaption” not allowed") or "figcaption" in m["message"] for m in errors
    ), [m["message"] for m in errors]


# -- Lighthouse -------------------------------------------------------------------------------------


class _CompressingHandler(http.server.SimpleHTTPRequestHandler):
    """The site under PREFIX, text gzip-compressed and cached briefly, as GitHub Pages serves it."""

    COMPRESSED = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path[len(PREFIX) :])

    def send_head(self):  # noqa: ANN201 - the base class's signature
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
        if not path.is_file():
            return super().send_head()
        kind = self.guess_type(str(path))
        body = path.read_bytes()
        compress = "gzip" in self.headers.get("Accept-Encoding", "") and kind.startswith(self.COMPRESSED)
        if compress:
            body = gzip.compress(body, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        if compress:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def compressed_site(real_build: BuiltSite) -> Iterator[str]:
    handler = functools.partial(_CompressingHandler, directory=str(real_build.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()


def lighthouse_or_skip() -> list[str]:
    node = shutil.which("node")
    _need(None if node else "Node.js not found (Debian: apt-get install nodejs; .ci/install does)")
    _need(None if LIGHTHOUSE.is_file() else "Lighthouse not found (npm ci installs it; .ci/install does)")
    _need(None if chromium_path() else "Chromium not found (Debian: apt-get install chromium)")
    return [str(node), str(LIGHTHOUSE_PAGES)]


def lighthouse(command: list[str], urls: list[str], out: Path) -> list[dict]:
    """Run Lighthouse's mobile preset (its default) on each url with Debian's Chromium; return the reports."""
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CHROME_PATH": str(chromium_path())}
    result = subprocess.run([*command, str(out), *urls], capture_output=True, text=True, env=env, timeout=600)
    reports = [out / f"{i}.json" for i in range(len(urls))]
    assert result.returncode == 0 and all(r.is_file() for r in reports), result.stderr[-3000:]
    return [json.loads(r.read_text(encoding="utf-8")) for r in reports]


def failing_audits(report: dict, category: str) -> list[str]:
    audits = report["audits"]
    return [
        f"{ref['id']}: {audits[ref['id']].get('displayValue') or audits[ref['id']]['title']}"
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"] > 0 and audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 1
    ]


def first(folder: Path) -> str:
    return sorted(p.stem for p in folder.glob("*.yaml") if not p.name.startswith("_"))[0]


def lighthouse_pages() -> dict[str, str]:
    entity = sorted(p.stem for p in (REPO / "content" / "entities").glob("*.md"))[0]
    return {
        "home": "",
        "claims index": "claims/",
        "claim": f"claims/{first(REPO / 'claims')}/",
        "entity": f"entities/{entity}/",
    }


@pytest.fixture(scope="module")
def lighthouse_reports(compressed_site: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """One run on each page, in one Chromium, by kind."""
    command = lighthouse_or_skip()
    kinds = list(lighthouse_pages())
    urls = [compressed_site + lighthouse_pages()[kind] for kind in kinds]
    return dict(zip(kinds, lighthouse(command, urls, tmp_path_factory.mktemp("lighthouse")), strict=True))


@pytest.mark.parametrize("kind", list(lighthouse_pages()))
def test_lighthouse_mobile_scores(
    kind: str, lighthouse_reports: dict[str, dict], compressed_site: str, tmp_path: Path
) -> None:
    url = compressed_site + lighthouse_pages()[kind]
    report = lighthouse_reports[kind]
    assert report["finalDisplayedUrl"] == url
    assert report["configSettings"]["formFactor"] == "mobile"
    scores = {name: category["score"] for name, category in report["categories"].items()}
    for name in ("accessibility", "best-practices", "seo"):
        assert scores[name] == 1, (name, failing_audits(report, name))
    shift = report["audits"]["cumulative-layout-shift"]["numericValue"]
    assert shift < 0.05, shift
    runs = [performance(report)]
    while runs[-1][0] < 0.95 and len(runs) < PERFORMANCE_RUNS:
        (again,) = lighthouse(lighthouse_or_skip(), [url], tmp_path / f"run{len(runs)}")
        runs.append(performance(again))
    assert max(score for score, _ in runs) >= 0.95, runs


PERFORMANCE_RUNS = 3
METRICS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
)


def performance(report: dict) -> tuple[float, dict[str, str]]:
    """The performance score and the metrics it is made of, as Lighthouse shows them."""
    return report["categories"]["performance"]["score"], {k: report["audits"][k]["displayValue"] for k in METRICS}
