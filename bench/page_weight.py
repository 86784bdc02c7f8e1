#!/usr/bin/env python3
"""Measure what a reader downloads for each page type, check the weight targets, print Markdown tables.

    python bench/page_weight.py                  # build the project's own site, then measure
    python bench/page_weight.py --site site/     # measure a site already built

Each page type is opened once in a fresh headless Chromium (Debian's /usr/bin/chromium,
through Playwright) with an empty cache, and every response is counted: the page's own HTML,
and everything the page loads (theme CSS and JS, our CSS and JS, the filter data the claims
index's script fetches, the favicon). Sizes are given as stored and gzipped (level 6, as
GitHub Pages and most servers send text), which is what travels. The page types include later
pages of the paginated lists, the largest HTML page of the site, and filtered views of the
claims index (the busiest and the rarest rating, tag and entity, one with two filters and a
claim-date sort), measured once the script has shown its matches.

Then the targets of issue 14, each "met" or "missed" (1 kB = 1,000 bytes): no HTML page over
120 kB as stored or 25 kB gzipped (every page of the site is read), a first visit to any page
type at most 150 kB gzipped in all, a first filtered view at most 200 kB, the whole site at
most 600 MB without its share cards and 1 GB with them (GitHub Pages' limit for a published
site). The exit status is 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

from run import CHROMIUM_ARGS  # bench/run.py, beside this script: the same headless flags

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


LIMITS = {
    "html": 120_000,
    "html_gz": 25_000,
    "visit_gz": 150_000,
    "filtered_gz": 200_000,
    "site": 600_000_000,
    "pages_site": 1_000_000_000,
}  # site: without the share cards (issue 14); pages_site: with them (GitHub Pages, issue 16)


def representative_pages(site: Path) -> dict[str, str]:
    """Pick one page of each type: the largest claim, entity and source page (the worst case)."""

    def largest(pattern: str) -> str:
        pages = [p for p in site.glob(pattern) if p.is_file()]
        if not pages:
            return ""
        best = max(pages, key=lambda p: p.stat().st_size)
        return best.parent.relative_to(site).as_posix() + "/"

    pages = {
        "home": "",
        "claims index": "claims/",
        "claims index, page 2": "claims/page/2/",
        "claim (largest)": largest("claims/*/index.html"),
        "entity (largest)": largest("entities/*/index.html"),
        "entity, later page (largest)": largest("entities/*/page/*/index.html"),
        "source (largest)": largest("sources/*/index.html"),
        "entities index": "entities/",
        "ratings index": "verdicts/",
        "rating (largest)": largest("verdicts/*/index.html"),
        "tag (largest)": largest("tags/*/index.html"),
        "tag, later page (largest)": largest("tags/*/page/*/index.html"),
        "corrections": "corrections/",
        "corrections, later page (largest)": largest("corrections/page/*/index.html"),
        "any page (largest HTML)": largest("**/index.html"),
    }
    return {k: v for k, v in pages.items() if (v or k == "home") and (site / v / "index.html").is_file()}


def filtered_views(site: Path) -> dict[str, str]:
    """Filtered views of the claims index: the busiest and the rarest value of each filter, and two at once."""
    counts: dict[str, dict[str, int]] = {}
    for facet in ("verdict", "tag", "entity"):
        for file in sorted((site / "claims" / "filters" / facet).glob("*.json")):
            counts.setdefault(facet, {})[file.stem] = json.loads(file.read_text(encoding="utf-8"))["count"]
    views: dict[str, str] = {}
    for facet, values in counts.items():
        busiest = max(values, key=lambda v: (values[v], v))
        rarest = min(values, key=lambda v: (values[v], v))
        views[f"{facet} = {busiest} ({values[busiest]})"] = f"claims/?{facet}={busiest}"
        views[f"{facet} = {rarest} ({values[rarest]}), oldest first"] = f"claims/?{facet}={rarest}&sort=oldest"
    if "verdict" in counts and "entity" in counts:
        verdict = max(counts["verdict"], key=lambda v: (counts["verdict"][v], v))
        entity = max(counts["entity"], key=lambda v: (counts["entity"][v], v))
        views["rating and entity, by claim date"] = f"claims/?verdict={verdict}&entity={entity}&sort=claim-newest"
    if "tag" in counts:
        tag = max(counts["tag"], key=lambda v: (counts["tag"][v], v))
        views["busiest tag, oldest claim first, page 3"] = f"claims/?tag={tag}&sort=claim-oldest&page=3"
    return views


def html_pages(site: Path) -> tuple[int, tuple[int, str], tuple[int, str], int, int]:
    """Every HTML page: (pages, (largest, path), (largest gzipped, path), pages over 120 kB, over 25 kB gzipped)."""
    count, largest, packed, over, over_gz = 0, (0, ""), (0, ""), 0, 0
    for file in site.rglob("*.html"):
        data = file.read_bytes()
        rel = file.relative_to(site).as_posix()
        zipped = len(gzip.compress(data, 6))
        count += 1
        largest = max(largest, (len(data), rel))
        packed = max(packed, (zipped, rel))
        over += len(data) > LIMITS["html"]
        over_gz += zipped > LIMITS["html_gz"]
    return count, largest, packed, over, over_gz


def site_size(site: Path) -> tuple[int, int, int]:
    """(bytes, files, bytes of the share cards) of the whole site as stored."""
    files = [f for f in site.rglob("*") if f.is_file()]
    return (
        sum(f.stat().st_size for f in files),
        len(files),
        sum(f.stat().st_size for f in files if f.name == "card.png"),
    )


def _record(urls: list[str], base: str, response) -> None:
    if response.url.startswith(base):
        urls.append(response.url)


def kb(n: int) -> str:
    return f"{n / 1000:.1f} kB"


def measure(
    site: Path, pages: dict[str, str], filtered: bool = False
) -> list[tuple[str, str, int, int, int, int, int]]:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for kind, path in pages.items():
            context = browser.new_context(viewport={"width": 360, "height": 740})
            page = context.new_page()
            urls: list[str] = []
            page.on("response", functools.partial(_record, urls, base))
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            if filtered:  # the script has fetched and shown the matches
                page.wait_for_function("!document.querySelector('form.fc-filter[aria-busy]')")
                assert page.locator(".fc-filter__results .fc-claim-item").count() > 0, f"{path} shows no match"
            raw = packed = 0
            html_raw = html_packed = 0
            page_path = urlsplit(base + path).path
            for url in dict.fromkeys(urls):  # each file once
                rel = urlsplit(url).path.lstrip("/")
                file = site / rel
                if file.is_dir() or not rel or rel.endswith("/"):
                    file = file / "index.html"
                if not file.is_file():
                    continue
                data = file.read_bytes()
                size, zipped = len(data), len(gzip.compress(data, 6))
                raw, packed = raw + size, packed + zipped
                if urlsplit(url).path == page_path:
                    html_raw, html_packed = size, zipped
            rows.append((kind, path or "/", html_raw, html_packed, len(set(urls)), raw, packed))
            context.close()
        browser.close()
    server.shutdown()
    return rows


def _table(rows: list[tuple[str, str, int, int, int, int, int]]) -> None:
    print("| page type | page | HTML | HTML gzipped | files loaded | all files | all gzipped |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for kind, path, html_raw, html_packed, count, raw, packed in rows:
        print(f"| {kind} | `{path}` | {kb(html_raw)} | {kb(html_packed)} | {count} | {kb(raw)} | {kb(packed)} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site folder (default: build the project's site)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            subprocess.run(
                [sys.executable, str(REPO / "build.py"), "build", "--site-dir", str(site)],
                cwd=REPO,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        visits = measure(site, representative_pages(site))
        filtered = measure(site, filtered_views(site), filtered=True)
        pages, largest, packed, over, over_gz = html_pages(site)
        size, files, cards = site_size(site)
    print("First visits (an empty cache; phone width):\n")
    _table(visits)
    print("\nFirst filtered views of the claims index (the address opened in an empty cache):\n")
    _table(filtered)
    worst_visit = max(visits, key=lambda r: r[6])
    worst_filtered = max(filtered, key=lambda r: r[6]) if filtered else ("none", "", 0, 0, 0, 0, 0)
    checks = [
        (
            "every HTML page ≤ 120 kB",
            largest[0] <= LIMITS["html"],
            f"{pages:,} pages; largest {kb(largest[0])} (`{largest[1]}`); {over} over",
        ),
        (
            "every HTML page ≤ 25 kB gzipped",
            packed[0] <= LIMITS["html_gz"],
            f"largest {kb(packed[0])} gzipped (`{packed[1]}`); {over_gz} over",
        ),
        (
            "first visit ≤ 150 kB gzipped",
            worst_visit[6] <= LIMITS["visit_gz"],
            f"heaviest: {worst_visit[0]}, {kb(worst_visit[6])}",
        ),
        (
            "first filtered view ≤ 200 kB gzipped",
            worst_filtered[6] <= LIMITS["filtered_gz"],
            f"heaviest: {worst_filtered[0]}, {kb(worst_filtered[6])}",
        ),
        ("whole site but the share cards ≤ 600 MB", size - cards <= LIMITS["site"], f"{(size - cards) / 1e6:,.1f} MB"),
        (
            "whole site with the share cards ≤ 1 GB (GitHub Pages)",
            size <= LIMITS["pages_site"],
            f"{size / 1e6:,.1f} MB in {files:,} files, the cards {cards / 1e6:,.1f} MB",
        ),
    ]
    print("\nTargets (issues 14 and 16):\n")
    print("| target | | measured |")
    print("| --- | --- | --- |")
    for name, ok, detail in checks:
        print(f"| {name} | {'met' if ok else 'MISSED'} | {detail} |")
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
