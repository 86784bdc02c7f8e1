"""Site search: index the built site with Pagefind.

Material's built-in search makes every reader who searches download one index of the whole
site (about 3 KB a page: 33 MB at 11,000 pages). Pagefind splits its index into chunks, so
a first search downloads only what its words need. It runs on the finished HTML, after
the build, as a separate program (the `pagefind` package on PyPI ships its binary).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BUNDLE = "pagefind"  # the index's folder inside the site
# Index each page's own content, not the theme's header, navigation and footer, and not the
# lists of claims on index, rating, tag and entity pages (each claim is found on its own
# page): a smaller index to build and to download, and results that lead to the claim.
ROOT_SELECTOR = ".md-content__inner"
EXCLUDE_SELECTORS = ".fc-claim-list"


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site."""


def index_site(site_dir: Path) -> None:
    """Write the Pagefind index of the built site into site_dir/pagefind/."""
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", BUNDLE,
           "--root-selector", ROOT_SELECTOR, "--exclude-selectors", EXCLUDE_SELECTORS, "--silent"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"Pagefind did not run: {exc}") from exc
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip()[-2000:]
        raise SearchIndexError(f"Pagefind failed (exit {proc.returncode}); is `pagefind[bin]` installed? {detail}")
