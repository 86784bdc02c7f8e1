"""Permanent URLs of generated pages, and links between them."""

from __future__ import annotations

import posixpath


def page_url(src_uri: str) -> str:
    """Return the directory-style URL path of a Markdown file: claims/x.md -> claims/x/."""
    stem = src_uri[:-3] if src_uri.endswith(".md") else src_uri
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative(from_src: str, to_src: str, anchor: str = "") -> str:
    """Return the relative link from one generated page to another (works on any host path)."""
    here = page_url(from_src) or "."
    there = page_url(to_src) or "."
    rel = posixpath.relpath(there, here)
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
    here = page_url(from_src) or "."
    return posixpath.relpath(path, here)
