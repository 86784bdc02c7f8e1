"""What a reader and a machine get from a built site, as plain data for golden comparisons.

`summarize(site_dir)` lists every HTML page (title, headings with their ids, the links in its
article and head, its JSON-LD, its description and OpenGraph metadata) and the text of every
feed and export. Run this module to record a site's summary:

    python tests/site_summary.py site/ tests/golden/real-site.json
"""

from __future__ import annotations

import json
import posixpath
import sys
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup

MACHINE_FILES = (".xml", ".json", ".csv")
SKIPPED = ("assets/", "pagefind/", "search/", "admin/")  # admin/: the web editor (tests/test_editor.py)


def _site_path(page_url: str, href: str) -> str | None:
    """Return the site-relative target of an internal link (with its fragment), or None if external."""
    if href.startswith(("http://", "https://", "mailto:", "//", "javascript:")):
        return None
    target = urljoin("https://site.invalid/" + page_url, href)
    parts = urlsplit(target)
    if parts.netloc != "site.invalid":
        return None
    path = posixpath.normpath(parts.path).lstrip("/")
    if parts.path.endswith("/") and path not in ("", "."):
        path += "/"
    if path == ".":
        path = ""
    return path + (f"#{parts.fragment}" if parts.fragment else "")


def _page_url(rel: str) -> str:
    if rel == "index.html":
        return ""
    if rel.endswith("/index.html"):
        return rel[: -len("index.html")]
    return rel


def summarize_page(rel: str, html: str) -> dict:
    soup = BeautifulSoup(html, "html.parser")
    url = _page_url(rel)
    article = soup.select_one("article") or soup
    for anchor in article.select("a.headerlink"):
        anchor.decompose()
    headings = [
        {"level": int(h.name[1]), "id": h.get("id", ""), "text": " ".join(h.get_text(" ").split())}
        for h in article.select("h1, h2, h3, h4")
    ]
    links = []
    for a in article.select("a[href]"):
        target = _site_path(url, a["href"])
        links.append(target if target is not None else a["href"])
    head_links = sorted(
        f"{' '.join(link.get('rel', []))} {link.get('type', '')} {link['href']}"
        for link in soup.select("head link[rel~=alternate], head link[rel=canonical]")
    )
    meta = {
        (m.get("name") or m.get("property")): m.get("content", "")
        for m in soup.select("head meta[name], head meta[property]")
        if (m.get("name") or m.get("property") or "").startswith(("description", "og:", "twitter:", "article:"))
    }
    jsonld = [json.loads(s.string or "null") for s in soup.select('script[type="application/ld+json"]')]
    title = soup.title.get_text() if soup.title else ""
    return {
        "title": title,
        "headings": headings,
        "links": links,
        "head_links": head_links,
        "meta": dict(sorted(meta.items())),
        "jsonld": jsonld,
    }


def summarize(site: Path) -> dict:
    pages: dict[str, dict] = {}
    files: dict[str, str] = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if not path.is_file() or rel.startswith(SKIPPED):
            continue
        if rel.endswith(".html"):
            pages[rel] = summarize_page(rel, path.read_text(encoding="utf-8"))
        elif rel.endswith(MACHINE_FILES):
            files[rel] = path.read_text(encoding="utf-8")
    return {"pages": pages, "files": files}


def fragment_free(target: str) -> str:
    return urldefrag(target)[0]


if __name__ == "__main__":
    site_dir, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(summarize(site_dir), indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"wrote {out}")
