#!/usr/bin/env python3
"""Measure what a reader downloads for each page type, and print a Markdown table.

    python bench/page_weight.py                  # build the project's own site, then measure
    python bench/page_weight.py --site site/     # measure a site already built

Each page type is opened once in a fresh headless Chromium (Debian's /usr/bin/chromium,
through Playwright) with an empty cache, and every response is counted: the page's own HTML,
and everything the page loads (theme CSS and JS, our CSS and JS, the search index that the
search box fetches in the background, the favicon). Sizes are given as stored and gzipped
(level 6, as GitHub Pages and most servers send text), which is what travels.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def representative_pages(site: Path) -> dict[str, str]:
    """Pick one page of each type: the largest claim, entity and source page (the worst case)."""
    def largest(folder: str) -> str:
        pages = [p for p in (site / folder).glob("*/index.html")]
        if not pages:
            return ""
        best = max(pages, key=lambda p: p.stat().st_size)
        return f"{folder}/{best.parent.name}/"

    pages = {"home": "", "claims index": "claims/", "claim (largest)": largest("claims"),
             "entity (largest)": largest("entities"), "source (largest)": largest("sources"),
             "entities index": "entities/", "ratings index": "verdicts/"}
    return {k: v for k, v in pages.items() if v or k == "home"}


def _record(urls: list[str], base: str, response) -> None:
    if response.url.startswith(base):
        urls.append(response.url)


def kb(n: int) -> str:
    return f"{n / 1000:.1f} kB"


def measure(site: Path) -> list[tuple[str, str, int, int, int, int, int]]:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for kind, path in representative_pages(site).items():
            context = browser.new_context(viewport={"width": 360, "height": 740})
            page = context.new_page()
            urls: list[str] = []
            page.on("response", functools.partial(_record, urls, base))
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            raw = packed = 0
            html_raw = html_packed = 0
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
                if url == base + path:
                    html_raw, html_packed = size, zipped
            rows.append((kind, path or "/", html_raw, html_packed, len(set(urls)), raw, packed))
            context.close()
        browser.close()
    server.shutdown()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site folder (default: build the project's site)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--site-dir", str(site)],
                           cwd=REPO, check=True, stdout=subprocess.DEVNULL)
        rows = measure(site)
    print("| page type | page | HTML | HTML gzipped | files loaded | all files | all gzipped |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for kind, path, html_raw, html_packed, count, raw, packed in rows:
        print(f"| {kind} | `{path}` | {kb(html_raw)} | {kb(html_packed)} | {count} | {kb(raw)} | {kb(packed)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
