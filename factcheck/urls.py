"""Permanent URLs of generated pages, and links between them."""

from __future__ import annotations


def page_url(src_uri: str) -> str:
    """Return the directory-style URL path of a Markdown file: claims/x.md -> claims/x/."""
    stem = src_uri[:-3] if src_uri.endswith(".md") else src_uri
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def _relpath(there: str, here: str) -> str:
    """posixpath.relpath for site paths, by string alone (relpath asks the OS for the cwd)."""
    to = [p for p in there.split("/") if p and p != "."]
    start = [p for p in here.split("/") if p and p != "."]
    common = 0
    for a, b in zip(to, start, strict=False):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(start) - common) + to[common:]
    return "/".join(parts) or "."


def relative(from_src: str, to_src: str, anchor: str = "") -> str:
    """Return the relative link from one generated page to another (works on any host path)."""
    rel = _relpath(page_url(to_src), page_url(from_src))
    rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{anchor}" if anchor else "")


def absolute(site_url: str, path: str) -> str:
    """Return the full URL of a site path (a page URL like claims/x/ or a file like feed.xml).

    Without a configured site_url the result is root-relative (/claims/x/), still a valid
    reference but not one that works off-site.
    """
    base = site_url.rstrip("/") + "/" if site_url else "/"
    return base + path.lstrip("/")


def relative_file(from_src: str, path: str) -> str:
    """Return the relative link from a generated page to a file at a site path (e.g. feed.xml)."""
    return _relpath(path, page_url(from_src))
