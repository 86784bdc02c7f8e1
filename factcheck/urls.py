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
