"""Check that every link a generated page makes leads to a page, a file or an anchor that exists.

The engine checks the links of hand-written Markdown pages; this checks the generator's own
HTML, which no engine reads. Pages are fed in as they are rendered, and the links are judged
once every page and file of the site is known.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import unquote, urlsplit

from factcheck.render.format import attribute_values

_LEAVES = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|/")  # a scheme (https:, mailto:) or a root or network path


def _target(page_path: str, href: str) -> tuple[str, str] | None:
    """Resolve a relative link on the page at page_path to (site path, fragment); None if it leaves the site."""
    if _LEAVES.match(href):
        return None
    parts = urlsplit(href)
    if not parts.path:
        return page_path, parts.fragment
    folder = page_path if page_path.endswith("/") or not page_path else posixpath.dirname(page_path)
    path = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
    if path == ".":
        path = ""
    if parts.path.endswith("/") and path:
        path += "/"
    return path, parts.fragment


def _lift(folder: str, href: str) -> tuple[str, str]:
    """Move href's leading `../` onto its folder: the same target, under a key that many pages share.

    The claim pages' links to `../../entities/x/` all resolve from the site's root, so each is
    worked out once, not once per claim page.
    """
    folder = folder.rstrip("/")
    while folder and href.startswith("../"):
        folder, href = folder.rpartition("/")[0], href[3:]
    return folder, href


@dataclass
class LinkCheck:
    """Collects the links and anchors of every page; `problems()` lists the broken links.

    Every page and file of the site is known before the first page is rendered (`add_paths`),
    so a link to a path is judged at once; only links to an anchor on another page wait until
    that page's anchors are known, and each (page, anchor) is kept once.
    """

    paths: set[str] = field(default_factory=set)  # every page and file of the site, by site path
    anchors: dict[str, frozenset[str]] = field(default_factory=dict)  # page path -> ids on it
    pending: dict[tuple[str, str], str] = field(default_factory=dict)  # (target path, anchor) -> a page linking there
    broken: dict[str, None] = field(default_factory=dict)  # the problems found so far, in order
    resolved: dict[tuple[str, str], tuple[str, str] | None] = field(default_factory=dict)  # (folder, href) -> target

    def add_paths(self, paths: Iterable[str]) -> None:
        self.paths.update(paths)

    def add_page(self, page_path: str, html: str, anchors: frozenset[str]) -> None:
        """Record a generated page: the ids on it, and judge where each of its relative links leads."""
        self.paths.add(page_path)
        self.anchors[page_path] = anchors
        for href in set(attribute_values(html, "href")):
            target = self.resolve(page_path, unescape(href) if "&" in href else href)
            if target is None:
                continue
            path, fragment = target
            shown = path + (f"#{fragment}" if fragment else "")
            if path not in self.paths:
                self.broken[f"/{page_path}: links to /{shown}, which is not a page or file of the site"] = None
            elif fragment and path == page_path:
                if fragment not in anchors:
                    self.broken[f"/{page_path}: links to /{shown}, but that page has no anchor '{fragment}'"] = None
            elif fragment:
                self.pending.setdefault((path, fragment), page_path)

    def resolve(self, page_path: str, href: str) -> tuple[str, str] | None:
        """`_target(page_path, href)`, worked out once for all the pages that share the answer."""
        if not href or href.startswith(("#", "?")):
            return _target(page_path, href)  # the page itself
        if _LEAVES.match(href):
            return None  # as _target would say, but without a cache entry per page
        folder = page_path if page_path.endswith("/") or not page_path else posixpath.dirname(page_path)
        key = _lift(folder, href)
        if key not in self.resolved:
            self.resolved[key] = _target(key[0] + "/" if key[0] else "", key[1])
        return self.resolved[key]

    def add_anchors(self, page_path: str, anchors: Iterable[str]) -> None:
        """Record the ids on a page the engine made (a hand-written page)."""
        self.paths.add(page_path)
        self.anchors[page_path] = frozenset(anchors) | self.anchors.get(page_path, frozenset())

    def problems(self) -> list[str]:
        """Every broken link, once each, as 'page: link to target (why)'."""
        out = dict(self.broken)
        for (path, fragment), page in self.pending.items():
            if path in self.anchors and fragment not in self.anchors[path]:
                out[f"/{page}: links to /{path}#{fragment}, but that page has no anchor '{fragment}'"] = None
        return list(out)
