"""Where the editor's program (the Decap CMS bundle) comes from, and how a release puts it in the wheel.

The bundle is the `decap-cms` package from the npm registry, at the version package-lock.json
pins. A site's build never needs Node.js: the tool's wheel carries the bundle's files as package
data in factcheck/editor/vendor/ (put there at release time by `python -m factcheck.editor.bundle`,
which copies them out of node_modules/ after `npm ci`). In a checkout of the tool (this
repository) the build takes them straight from node_modules/ when vendor/ is empty.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

from factcheck.resources import PACKAGE_DIR

VENDOR_DIR = PACKAGE_DIR / "editor" / "vendor"
CHECKOUT_DIST = PACKAGE_DIR.parent / "node_modules" / "decap-cms" / "dist"
MAIN = "decap-cms.js"
MANIFEST = "bundle.json"


def bundle_files(dist: Path) -> list[Path]:
    """The files of the browser bundle in a decap-cms dist folder: the program, its lazily loaded chunks,
    their WebAssembly parts and the licence notices (source maps and the other build, cms.js, stay out)."""
    return sorted(
        p
        for p in dist.iterdir()
        if p.is_file() and (p.name == MAIN or p.name.endswith((f".{MAIN}", ".wasm")) or p.name == f"{MAIN}.LICENSE.txt")
    )


def find_bundle() -> Path | None:
    """The folder holding decap-cms.js: the wheel's vendor/ first, then a checkout's node_modules/."""
    for folder in (VENDOR_DIR, CHECKOUT_DIST):
        if (folder / MAIN).is_file():
            return folder
    return None


def vendor(node_modules: Path, target: Path = VENDOR_DIR) -> list[Path]:
    """Copy the bundle out of node_modules/ into target (the package data a release ships); return the files."""
    dist = node_modules / "decap-cms" / "dist"
    package = json.loads((node_modules / "decap-cms" / "package.json").read_text(encoding="utf-8"))
    if not (dist / MAIN).is_file():
        raise SystemExit(f"{dist / MAIN} not found: run `npm ci --ignore-scripts` first")
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    copied = []
    for source in bundle_files(dist):
        shutil.copy2(source, target / source.name)
        copied.append(target / source.name)
    licence = node_modules / "decap-cms" / "LICENSE"
    if licence.is_file():
        shutil.copy2(licence, target / "LICENSE")
    manifest = {
        "package": "decap-cms",
        "version": package["version"],
        "sha256": {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in copied},
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return copied


def main(argv: list[str] | None = None) -> int:
    """python -m factcheck.editor.bundle [NODE_MODULES]: vendor the bundle (the release workflow runs it)."""
    args = sys.argv[1:] if argv is None else argv
    files = vendor(Path(args[0] if args else "node_modules").resolve())
    print(f"{len(files)} files of the editor's bundle in {VENDOR_DIR}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
