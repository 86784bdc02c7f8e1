"""The web editor at /admin/: Decap CMS, self-hosted, configured from the format (config.py).

`EditorSite` is what the build writes: admin/index.html (loads only the bundle beside it),
admin/config.yml (made from the schemas and settings) and the bundle's files (bundle.py).
The public pages never load any of it.
"""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import dataclass
from html import escape
from pathlib import Path

from factcheck.editor.config import config_yaml, editor_config, field_order
from factcheck.editor.local import LocalBackend, LocalServer
from factcheck.settings import Settings

log = logging.getLogger("factcheck.editor")  # not under "mkdocs": a strict build does not fail for a missing editor

FOLDER = "admin"

PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="same-origin">
<title>{title}</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
<noscript>{noscript}</noscript>
<script src="{main}"></script>
<script type="application/json" id="factcheck-field-order">{order}</script>
<script src="normalize.js"></script>
</body>
</html>
"""


@dataclass(frozen=True)
class EditorSite:
    """The editor's files in the built site, or nothing where the setting is off or no bundle is found."""

    settings: Settings
    bundle: Path | None

    @classmethod
    def plan(cls, settings: Settings) -> EditorSite | None:
        if not settings.editor:
            return None
        from factcheck.editor.bundle import find_bundle  # (imported here: `python -m factcheck.editor.bundle`)

        bundle = find_bundle()
        if bundle is None:
            log.warning(
                "The web editor is left out of this build: its program (decap-cms) is not installed. "
                "It comes with the released factcheck-microsite package; in a checkout of the tool run "
                "`npm ci --ignore-scripts`. Set `extra.factcheck.editor: false` to build without it."
            )
            return None
        return cls(settings, bundle)

    def paths(self) -> list[str]:
        from factcheck.editor.bundle import bundle_files

        assert self.bundle is not None
        return [
            f"{FOLDER}/index.html",
            f"{FOLDER}/config.yml",
            f"{FOLDER}/normalize.js",
            *(f"{FOLDER}/{p.name}" for p in bundle_files(self.bundle)),
        ]

    def page(self) -> str:
        from factcheck.editor.bundle import MAIN

        t = self.settings.interface.gettext
        return PAGE.format(
            lang=escape(self.settings.language, quote=True),
            title=escape(t("%(site)s: editor") % {"site": self.settings.site_name}),
            noscript=escape(t("The editor needs JavaScript.")),
            main=MAIN,
            order=escape(json.dumps(field_order(editor_config(self.settings)), ensure_ascii=True), quote=False),
        )

    def write(self, site: Path) -> None:
        from factcheck.editor.bundle import bundle_files

        assert self.bundle is not None
        folder = site / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        for source in bundle_files(self.bundle):
            shutil.copyfile(source, folder / source.name)
        (folder / "config.yml").write_text(config_yaml(self.settings), encoding="utf-8")
        (folder / "index.html").write_text(self.page(), encoding="utf-8")
        shutil.copyfile(Path(__file__).with_name("normalize.js"), folder / "normalize.js")


def local_folders(settings: Settings) -> dict[str, str]:
    """The collections' folders (relative to the project) and their files' extension, for the local backend."""
    from factcheck.editor.config import editor_config

    return {c["folder"]: c["extension"] for c in editor_config(settings)["collections"]}


def start_local_backend(settings: Settings) -> LocalServer:
    """Start the local backend for `serve`: the editor then reads and saves the checkout's own files."""
    server = LocalServer(LocalBackend(settings.root, local_folders(settings)))
    logging.getLogger("mkdocs.plugins.factcheck").info(
        "Editor: /admin/ saves into %s (local backend at %s)", settings.root, server.url
    )
    return server
