"""Run MkDocs for `build.py build` and each rebuild of `build.py serve` (the adapter's side of the command line).

Uses MkDocs' public API: `load_config`, the plugin collection's startup and shutdown events and
`mkdocs.commands.build.build`, as MkDocs' own command does. (`build.py serve` is the tool's own
preview server, factcheck/cli/preview.py, around this build.)
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from factcheck.engines.mkdocs.plugin import FactcheckPlugin
from factcheck.pipeline import Kept


class EngineFailed(Exception):
    """MkDocs stopped the build; `cause` is what stopped it when the generator knows."""

    def __init__(self, message: str, cause: BaseException | None) -> None:
        super().__init__(message)
        self.cause = cause


def plugin_of(config) -> FactcheckPlugin:  # noqa: ANN001 - a MkDocsConfig
    """The factcheck plugin of a loaded configuration (EngineFailed when mkdocs.yml does not list it)."""
    for plugin in config.plugins.values():
        if isinstance(plugin, FactcheckPlugin):
            return plugin
    raise EngineFailed("mkdocs.yml does not list the factcheck plugin: add `plugins: [factcheck]`", None)


def build_site(
    config_file: Path,
    site_dir: Path,
    *,
    strict: bool = True,
    drafts: bool = False,
    overrides: dict[str, str] | None = None,
    editor_backend: str = "",
    kept: Kept | None = None,
) -> tuple[MkDocsConfig, FactcheckPlugin]:
    """Build the site into site_dir; raise EngineFailed when MkDocs or the generator refuses it.

    `editor_backend` is the address of a running local editor backend (a preview's), which the
    editor at /admin/ then saves through; `kept` (a preview's) keeps the parsed files, mentions
    and compiled templates for its updates. Returns the loaded config and the plugin instance.
    """
    try:
        config = load_config(str(config_file), strict=strict, site_dir=str(site_dir), **(overrides or {}))
    except MkDocsException as exc:
        raise EngineFailed(f"mkdocs.yml: {exc}", None) from None
    plugin = plugin_of(config)
    plugin.config.drafts = drafts
    plugin.config.atomic = True
    plugin.config.editor_backend = editor_backend
    plugin.kept = kept
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    except (MkDocsException, SystemExit) as exc:
        raise EngineFailed(str(exc), plugin.failed) from None
    finally:
        config.plugins.on_shutdown()  # swaps the new site into place, unless the build failed
    return config, plugin  # the engine's state after the build, which the preview's updates reuse
