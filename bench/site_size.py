#!/usr/bin/env python3
"""How big a built site is, and where its bytes and files are: a table by kind of output.

    python bench/site_size.py site/ 1000          # a site built from 1,000 claims
    python bench/site_size.py site/ 1000 --json   # the same figures as JSON

How it counts: every regular file under the folder, at its apparent size (`st_size`, the
bytes the file holds, not the disk blocks it takes), which is what GitHub Pages counts
against its 1 GB limit for a published site: the deploy workflow's artifact is a tar of the
folder, and a tar holds each file's bytes. A symbolic link is counted as the file it points to
(GitHub's upload-pages-artifact action archives with `--dereference`), each link again;
folders count nothing. 1 kB = 1,000 bytes and 1 GB = 10^9 bytes, so 40 kB per claim at
25,000 claims is exactly 1 GB.

The figures per claim divide the whole site's bytes and files by the number of claims (the
synthetic ones of bench/corpus.py, or all of a real site's), so they include every page and
file the site has, not only the claims' own.

`measure(folder, claims)` returns the same figures for other scripts (bench/run.py, tests).
"""

from __future__ import annotations

import argparse
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

# The targets of issue 31 (Deliver 1), per claim, the whole site counted.
MAX_BYTES_PER_CLAIM = 40_000
MAX_FILES_PER_CLAIM = 3.0
GITHUB_PAGES_LIMIT = 10**9

CATEGORIES = (
    "claim pages",
    "entity pages",
    "source pages",
    "list and other pages",
    "cards",
    "embed pages",
    "oEmbed",
    "feeds",
    "api exports",
    "filter data",
    "search index (pagefind)",
    "theme assets",
    "web editor (admin/)",
    "other",
)

_PAGE_FOLDERS = {"claims": "claim pages", "entities": "entity pages", "sources": "source pages"}
_BUNDLE = re.compile(r"^pagefind(-\d+)?/")


def category(path: str) -> str:
    """The kind of output a site path is (a path relative to the site folder, with /)."""
    parts = path.split("/")
    name = parts[-1]
    if _BUNDLE.match(path):
        return "search index (pagefind)"
    if parts[0] == "assets":
        return "theme assets"
    if parts[0] == "admin":
        return "web editor (admin/)"
    if parts[0] == "api":
        return "api exports"
    if path.startswith("claims/filters/"):
        return "filter data"
    if name.endswith(".png") and name.startswith("card"):
        return "cards"
    if name == "oembed.json":
        return "oEmbed"
    if name.endswith(".html") and ("embed" in parts[:-1] or name.startswith("embed")):
        return "embed pages"
    if name.endswith(".xml") and name.startswith("feed"):
        return "feeds"
    if name.endswith(".html") and parts[0] in _PAGE_FOLDERS and len(parts) >= 2:
        # claims/<id>/index.html (or claims/<id>.html without directory URLs), and the
        # entity's later pages (entities/<id>/page/2/index.html); the folder's own index
        # and its later pages (claims/page/2/) are lists.
        item = parts[1].removesuffix(".html")
        if item not in ("index", "page"):
            return _PAGE_FOLDERS[parts[0]]
    if name.endswith(".html"):
        return "list and other pages"
    return "other"


@dataclass
class SiteSize:
    """Bytes and files of a built site, in all and by category (see `category`)."""

    claims: int
    bytes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    files: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    symlinks: int = 0  # counted as the files they point to

    @property
    def total_bytes(self) -> int:
        return sum(self.bytes.values())

    @property
    def total_files(self) -> int:
        return sum(self.files.values())

    @property
    def bytes_per_claim(self) -> float:
        return self.total_bytes / max(1, self.claims)

    @property
    def files_per_claim(self) -> float:
        return self.total_files / max(1, self.claims)

    def as_dict(self) -> dict[str, object]:
        return {
            "claims": self.claims,
            "total_bytes": self.total_bytes,
            "total_files": self.total_files,
            "bytes_per_claim": round(self.bytes_per_claim),
            "files_per_claim": round(self.files_per_claim, 3),
            "symlinks": self.symlinks,
            "by_category": {c: {"bytes": self.bytes[c], "files": self.files[c]} for c in CATEGORIES},
        }


def measure(folder: Path, claims: int) -> SiteSize:
    """Count every file under folder by category (apparent sizes; symlinks followed)."""
    out = SiteSize(claims)
    root = str(folder)
    for dirpath, _dirnames, filenames in os.walk(root, followlinks=True):
        for name in filenames:
            full = os.path.join(dirpath, name)
            if os.path.islink(full):
                out.symlinks += 1
            try:
                st = os.stat(full)  # follows a link
            except FileNotFoundError:  # a dangling link: the artifact would fail; count nothing
                continue
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            kind = category(rel)
            out.bytes[kind] += st.st_size
            out.files[kind] += 1
    return out


def table(size: SiteSize) -> str:
    """A Markdown table of the figures, with totals, per-claim figures and the targets."""
    n = max(1, size.claims)
    lines = [
        f"Site size for {size.claims:,} claims (apparent sizes; 1 kB = 1,000 bytes; "
        f"{size.symlinks} symlinks, counted as their targets)",
        "",
        "| category | MB | files | kB per claim | files per claim |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for c in CATEGORIES:
        b, f = size.bytes[c], size.files[c]
        if not (b or f):
            continue
        lines.append(f"| {c} | {b / 1e6:,.2f} | {f:,} | {b / n / 1e3:,.2f} | {f / n:.3f} |")
    lines.append(
        f"| **total** | **{size.total_bytes / 1e6:,.2f}** | **{size.total_files:,}** "
        f"| **{size.bytes_per_claim / 1e3:,.2f}** | **{size.files_per_claim:.3f}** |"
    )
    met_b = "met" if size.bytes_per_claim <= MAX_BYTES_PER_CLAIM else "missed"
    met_f = "met" if size.files_per_claim <= MAX_FILES_PER_CLAIM else "missed"
    at = 25_000 * size.bytes_per_claim
    largest = int(GITHUB_PAGES_LIMIT / size.bytes_per_claim) if size.bytes_per_claim else 0
    lines += [
        "",
        f"Targets: at most {MAX_BYTES_PER_CLAIM / 1e3:.0f} kB per claim ({met_b}), at most "
        f"{MAX_FILES_PER_CLAIM:g} files per claim ({met_f}). At this rate 25,000 claims take "
        f"{at / 1e9:.2f} GB; GitHub Pages' 1 GB holds about {largest:,} claims.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built site folder")
    parser.add_argument("claims", type=int, help="how many claims the site was built from")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if not args.site.is_dir():
        parser.error(f"{args.site} is not a folder")
    size = measure(args.site, args.claims)
    print(json.dumps(size.as_dict(), indent=1) if args.json else table(size))


if __name__ == "__main__":
    main()
