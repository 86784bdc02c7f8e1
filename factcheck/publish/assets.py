"""The generator's own styles and scripts, minified as they are copied into a site.

The files under `factcheck/static/` stay readable, with their comments; a site gets them
without comments and needless whitespace (rcssmin and rjsmin: small, pure-Python minifiers
that only remove what the languages allow, never rename). The copies are written into a
scratch folder that the build removes, and the engine ships them under the same site paths.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import rcssmin
import rjsmin


def minify(text: str, suffix: str) -> str:
    """Return CSS (suffix .css) or JavaScript (.js) without comments and needless whitespace."""
    if suffix == ".css":
        return str(rcssmin.cssmin(text))
    if suffix == ".js":
        return str(rjsmin.jsmin(text))
    raise ValueError(f"cannot minify a {suffix} file")


def minified_assets(assets: Mapping[str, Path], folder: Path) -> dict[str, Path]:
    """Write a minified copy of each asset (site path -> source) under folder; return site path -> copy."""
    copies = {}
    for path, source in assets.items():
        copy = folder / path
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(minify(source.read_text(encoding="utf-8"), source.suffix), encoding="utf-8", newline="")
        copies[path] = copy
    return copies
