"""Which engine of the MkDocs family runs the build: MkDocs 1.6, or ProperDocs, its maintained fork.

ProperDocs is MkDocs 1.6 renamed (`import properdocs`); its own command maps every `mkdocs.*`
import to `properdocs.*` (`properdocs.replacement`), and it finds plugins and themes registered
for MkDocs, so the adapter's code runs unchanged on either. The choice must be made before the
adapter imports the engine, once per process: `select` makes it.
"""

from __future__ import annotations

import importlib
import sys
from importlib.util import find_spec

ENGINES = ("mkdocs", "properdocs")


class EngineChoiceError(Exception):
    """The engine asked for cannot run in this process; the message says why and the fix."""


def select(wanted: str | None = None) -> str:
    """Choose the engine (the one already running, the one asked for, else MkDocs if installed); return its name."""
    running = sys.modules.get("mkdocs")
    if running is not None:  # imported already: under `properdocs`, the alias makes it properdocs
        name = running.__name__
        if wanted and wanted != name:
            raise EngineChoiceError(f"--engine {wanted}: {name} is already running in this process")
        return name
    if wanted is None:
        wanted = "mkdocs" if find_spec("mkdocs") is not None else "properdocs"
    if wanted not in ENGINES:
        raise EngineChoiceError(f"--engine {wanted!r} is not allowed: give one of {', '.join(ENGINES)}")
    if find_spec(wanted) is None:
        raise EngineChoiceError(f"--engine {wanted}: it is not installed: pip install {wanted}")
    if wanted == "properdocs":
        importlib.import_module("properdocs.replacement")  # from here on, `import mkdocs...` is ProperDocs
    return wanted
