"""The generator's whole pipeline, independent of MkDocs: load, check, link, render.

`generate()` is what the MkDocs hook calls once per build. The model is cached against a
fingerprint of every input file, so a `build.py` run that has just checked the files, or a
`mkdocs serve` rebuild after an edit elsewhere, does not read or parse them again.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .history import last_changed
from .loader import load_site
from .model import Site
from .publish import Published, machine_readable  # noqa: F401 - Published is used by the hook
from .render import SiteRenderer
from .settings import Settings
from .yamlio import split_front_matter


@dataclass
class _Cached:
    key: tuple
    site: Site


_cache: _Cached | None = None


def _fingerprint(settings: Settings) -> tuple:
    """Identify the current state of every input file by name, size and modification time."""
    entries = []
    for folder in (settings.claims_dir, settings.entities_dir, settings.sources_dir):
        try:
            with os.scandir(folder) as it:
                for entry in it:
                    st = entry.stat()
                    entries.append((entry.path, st.st_size, st.st_mtime_ns))
        except FileNotFoundError:
            entries.append((str(folder), -1, -1))
    return (settings, tuple(sorted(entries)))


def check(settings: Settings) -> Site:
    """Check every input file (raises CheckFailed) without linking the model for rendering."""
    if _cache is not None and _cache.key == _fingerprint(settings):
        return _cache.site
    return load_site(settings, linked=False)


def load(settings: Settings) -> Site:
    """Return the checked, linked model (raises CheckFailed), reusing it when no input changed."""
    global _cache
    key = _fingerprint(settings)
    if _cache is not None and _cache.key == key:
        return _cache.site
    site = load_site(settings)
    changed = last_changed(settings.root, "claims")  # provenance: when each file last changed
    for claim in site.claims:
        claim.history_date = changed.get(claim.path)
    _cache = _Cached(key, site)
    return site


def home_intro(settings: Settings) -> str:
    """Return the hand-written Markdown body of content/index.md (trusted), if any."""
    path = settings.docs_dir / "index.md"
    if not path.is_file():
        return ""
    _, body, _ = split_front_matter(path.read_text(encoding="utf-8"))
    return body.strip()


@dataclass
class Generated:
    """The generator's output: every page as {src_uri: render function}, and the input file behind each."""

    site: Site
    plan: dict[str, Callable[[], str]]  # src_uri -> renders the page's Markdown when called
    origins: dict[str, str]  # src_uri -> repository-relative path of the file it was made from
    published: Published  # <head> metadata now; feeds and exports when asked (Published.files)

    @property
    def pages(self) -> dict[str, str]:
        """Every page's Markdown, rendered now (the build renders each page as MkDocs reads it)."""
        return {uri: render() for uri, render in self.plan.items()}


def generate(settings: Settings) -> Generated:
    """Plan every generated page, ready to hand to MkDocs; nothing is rendered yet."""
    site = load(settings)
    plan = SiteRenderer(site).plan(home_intro(settings))
    origins = {c.src_uri: c.path for c in site.claims}
    origins.update({e.src_uri: e.path for e in site.entities.values()})
    origins.update({s.src_uri: s.path for s in site.sources.values()})
    published = machine_readable(site)
    for uri in [*plan, *published.paths()]:
        check_output_path(uri)
    return Generated(site, plan, origins, published)


def check_output_path(uri: str) -> None:
    """Refuse an output path that could land outside the site folder (ids are checked; this is the backstop)."""
    parts = uri.split("/")
    if (not uri or uri.startswith("/") or "\\" in uri or any(part in ("", ".", "..") for part in parts)
            or any(ord(c) < 0x20 or c in ':*?"<>|' for c in uri)):
        raise ValueError(f"refusing to write {uri!r}: output paths must stay inside the site folder")


STATIC_DIR = Path(__file__).parent / "static"
