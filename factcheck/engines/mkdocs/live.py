"""The preview's engine state: after a full build, any page rendered again on request from a new plan.

`factcheck serve` builds the whole site once (run.py's ordinary build). `build_live` keeps
what that build made (MkDocs' configuration, the plugin, the theme's Jinja environment) in a
`LiveSite`. When only fact-check files changed (claims, entities, sources), the preview asks
the generator for a new plan (`pipeline.build` up to its hand-off, with the `pipeline.Kept` its
full build filled: only changed files read and parsed again, every whole-site rule applied,
the model linked and every page planned; no page rendered) and gives it to `LiveSite.update`,
which

- makes MkDocs' files and navigation again from it, as a build does (`get_files`, the plugins'
  `on_files`, which hands back each generated page's file and page object of the last plan,
  `get_navigation`, `on_nav`), and runs `on_pre_page` on every page (the sitemap's
  dates) and reads the hand-written pages again (the navigation's titles);
- rewrites the theme's own templates (the sitemap and its gzip copy, 404.html) and deletes
  the outputs of pages and files the new plan no longer has;
- renders no page: each page is rendered when it is asked for (`LiveSite.page`), by the same
  plugin events and theme template as in a build, and kept until the next update.

`LiveSite.finish` then writes what the generator writes after a build's pages (feeds,
exports, filter data, share cards drawn when not in the cache, embed pages) into the site, by
the same objects, and stops between two files when a newer change comes.

MkDocs runs these steps inside `mkdocs.commands.build.build`, in private functions
(`_populate_page`, `_build_page`, `_build_theme_template`). They are written out here from
the public API (`get_files`, `set_exclusions`, `get_navigation`, the plugin collection's events,
`get_context`, the theme's environment), in the same order; docs/engine-contract.md lists what
this module relies on, and tests/test_serve.py compares every page it serves with a full
build's, byte for byte.
"""

from __future__ import annotations

import gzip
import os
import threading
import time
from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from typing import IO, Any

from mkdocs import utils
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page as MkDocsPage

from factcheck import pipeline
from factcheck.engines.mkdocs.plugin import FactcheckPlugin, GeneratedPage
from factcheck.engines.mkdocs.run import build_site
from factcheck.model.discover import no_cycle_collection
from factcheck.publish.exports import write_exports
from factcheck.publish.feeds import iter_feeds
from factcheck.settings import Settings
from factcheck.share.cards import CardCache, write_cards


def build_live(
    config_file: Path,
    site_dir: Path,
    *,
    strict: bool = True,
    drafts: bool = False,
    overrides: dict[str, str] | None = None,
    editor_backend: str = "",
) -> LiveSite:
    """Build the whole site into site_dir (run.build_site); keep the engine's state for updates."""
    kept = pipeline.Kept()  # filled by the full build, taken from by every update until the next full build
    config, plugin = build_site(
        config_file,
        site_dir,
        strict=strict,
        drafts=drafts,
        overrides=overrides,
        editor_backend=editor_backend,
        kept=kept,
    )
    return LiveSite(config, plugin, site_dir)


class Pending:
    """A new plan taken but not yet applied: the generator, paused at its hand-off."""

    def __init__(self, run: Generator[pipeline.Handoff | None, pipeline.Written | None, None], plan: pipeline.Plan):
        self.run, self.plan = run, plan

    def close(self) -> None:
        self.run.close()


KEEP_PAGES = 500  # pages kept once rendered (until the next update); a page asked for again is rendered again


class _Superseded(Exception):
    """A newer change came: the files of this one are not worth finishing."""


class LiveSite:
    """MkDocs' state after a full build of site_dir, and the pages of the current plan, rendered on request."""

    def __init__(self, config: MkDocsConfig, plugin: FactcheckPlugin, site_dir: Path) -> None:
        self.config, self.plugin, self.site_dir = config, plugin, site_dir
        assert plugin.plan is not None, "a live site is made from a build that succeeded"
        self.settings: Settings = plugin.plan.site.settings
        config.site_dir = str(site_dir)  # the build wrote into a staging folder, since swapped in here
        self.env = config.plugins.on_env(config.theme.get_env(), config=config, files=Files([]))
        # What did not change, from one update to the next (files, mentions, templates): the full build's.
        self.kept = plugin.kept if plugin.kept is not None else pipeline.Kept()
        self.lock = threading.RLock()  # one page rendered at a time; never during an update
        self._asking = threading.Lock()
        self._asked = 0  # pages being asked for now: the files after the pages wait (finish)
        self.written = threading.Event()  # the generator's files (feeds, exports ...) match the pages
        self.written.set()
        self.files: Files = Files([])
        self.theme_files: list[Any] | None = None
        self.doc_files: Sequence[Any] = []
        self.nav: Navigation | None = None
        self.by_dest: dict[str, Any] = {}  # dest_uri -> MkDocs File, for every page
        self.outputs: set[str] = set()  # site paths of what the generator writes after the pages
        self.rendered: dict[
            str, bytes
        ] = {}  # dest_uri -> the page, rendered since the last update (at most KEEP_PAGES)
        self._arrange(plugin.plan)

    # -- an update -------------------------------------------------------------------------------
    def prepare(self) -> Pending:
        """Read, check and plan the site again (raises CheckFailed or BuildFailed, as a build would)."""
        run = pipeline.build(self.settings, self.site_dir, atomic=False, search=False, kept=self.kept)
        # The heap holds the last plan, MkDocs' pages and what is kept (millions of objects at
        # 10,000 claims): collections set off while planning walk it and find little (measured
        # at 10,000 claims: 2.1 s of CPU per update without them instead of 3.0).
        with no_cycle_collection():
            handoff = next(run)
        assert handoff is not None
        return Pending(run, handoff.plan)

    def update(self, pending: Pending) -> None:
        """Serve the new plan's pages from now on (rendered on request); delete what it no longer has."""
        with self.lock:
            before = {*self.by_dest, *self.outputs}
            self.written.clear()
            with no_cycle_collection():
                self._arrange(pending.plan)
            for gone in sorted(before - {*self.by_dest, *self.outputs}):
                _remove(self.site_dir, gone)

    def finish(self, pending: Pending, superseded: Callable[[], bool] = lambda: False) -> bool:
        """Write what the generator writes after a build's pages (feeds, exports, filter data, cards, embeds).

        The same objects write them as in pipeline.build's step 6, one file at a time, so that a
        newer change (superseded() true) stops them between two files (its update writes them
        all again), and a page being asked for (`page`) is rendered first: the writing waits
        between two files until no page is. The web editor's files (admin/) and the search index are
        left as the last full build wrote them. False when stopped.
        """
        plan, folder = pending.plan, self.site_dir
        settings = plan.site.settings
        pending.close()  # the generator's own step 6 is a build's: stopped here, its scratch folders go

        def between() -> None:  # before each file: a newer change stops the writing, a page asked for goes first
            if superseded():
                raise _Superseded
            while self._asked and not superseded():
                time.sleep(0.002)

        def open_text(path: str) -> IO[str]:
            between()
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            return target.open("w", encoding="utf-8", newline="")

        try:
            publisher = plan.published.publisher
            for path, text in iter_feeds(plan.site, publisher):
                with open_text(path) as out:
                    out.write(text)
            write_exports(plan.site, publisher, open_text)
            for path, text in plan.filters.files():
                with open_text(path) as out:
                    out.write(text)
            if settings.share_cards:
                cache = CardCache(settings.card_cache_dir)
                write_cards(list(plan.cards.values()), folder, cache, prune=False, between=between)
            plan.embeds.write(folder, between)
        except _Superseded:
            return False  # `written` stays clear: the newer change's update writes them
        except BaseException:
            self.written.set()  # what is there is served; the preview reports the failure
            raise
        self.written.set()
        return True

    def _arrange(self, plan: pipeline.Plan) -> None:
        """MkDocs' files, navigation and page objects for a plan, as a build makes them, and the theme's templates."""
        config, plugin = self.config, self.plugin
        plugin.plan = plan
        plugin.pages = {p.src_uri: p for p in plan.pages}
        config.extra["factcheck_search_bundles"] = " ".join(plan.search_bundles)
        config.extra["factcheck_text"] = plan.theme_text
        files = get_files(config)
        if self.theme_files is None:  # the theme's files, found once (a change to the theme rebuilds in full)
            known = {f.src_uri for f in files}
            files.add_files_from_theme(self.env, config)
            self.theme_files = [f for f in files if f.src_uri not in known]
        else:  # as add_files_from_theme adds them: after the docs' files, unless a docs file has the name
            for file in self.theme_files:
                if files.get_file_from_path(file.src_uri) is None:
                    files.append(file)
        plugin.reuse = {f.src_uri: f for f in self.doc_files if isinstance(f.page, GeneratedPage)}
        try:
            files = config.plugins.on_files(files, config=config)
        finally:
            plugin.reuse = {}
        set_exclusions(files, config)
        nav = config.plugins.on_nav(get_navigation(files, config), config=config, files=files)
        for file in files.documentation_pages(inclusion=InclusionLevel.is_included):
            if file.page is None and file.inclusion.is_not_in_nav():
                MkDocsPage(None, file, config)
            page = file.page
            assert page is not None
            if isinstance(page, GeneratedPage):
                config.plugins.on_pre_page(page, config=config, files=files)  # its date, for the sitemap
            else:
                self._populate(page, files)  # a hand-written page: its title, for the navigation
        self.files, self.nav = files, nav
        self.doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        self.by_dest = {f.dest_uri: f for f in self.doc_files}
        self.rendered = {}
        shared = [*(card.path for card in plan.cards.values()), *plan.embeds.paths()]
        self.outputs = {*plan.published.paths(), *plan.filters.paths(), *shared, *config.theme.static_templates}
        if "sitemap.xml" in config.theme.static_templates:
            self.outputs.add("sitemap.xml.gz")
        for name in config.theme.static_templates:
            self._theme_template(name)

    # -- a page ----------------------------------------------------------------------------------
    def page(self, dest_uri: str) -> bytes | None:
        """The page written at dest_uri (e.g. claims/x/index.html) as a build writes it; None if there is none."""
        with self._asking:
            self._asked += 1
        try:
            return self._page(dest_uri)
        finally:
            with self._asking:
                self._asked -= 1

    def _page(self, dest_uri: str) -> bytes | None:
        with self.lock:
            done = self.rendered.get(dest_uri)
            if done is not None:
                return done
            file = self.by_dest.get(dest_uri)
            if file is None:
                return None
            page = file.page
            assert page is not None and self.nav is not None
            self._populate(page, self.files)
            out = self._build(page).encode("utf-8", errors="xmlcharrefreplace")
            if len(self.rendered) >= KEEP_PAGES:  # a crawl of 10,000 pages would hold them all: the oldest go
                del self.rendered[next(iter(self.rendered))]
            self.rendered[dest_uri] = out
            return out

    def output(self, path: str) -> bool:
        """Whether the generator or the theme writes path after the pages (wait for `written` before reading it)."""
        return path in self.outputs

    def _populate(self, page: MkDocsPage, files: Files) -> None:
        """Read and convert a page as a build does (mkdocs.commands.build._populate_page)."""
        config = self.config
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        assert page.markdown is not None
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        page.render(config, files)
        assert page.content is not None
        page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)

    def _build(self, page: MkDocsPage) -> str:
        """Wrap a page in the theme as a build does (mkdocs.commands.build._build_page), without writing it."""
        config, nav = self.config, self.nav
        assert nav is not None
        page.active = True
        try:
            context = get_context(nav, self.doc_files, config, page)
            template = self.env.get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
            output = template.render(context)
            return config.plugins.on_post_page(output, page=page, config=config)
        finally:
            page.active = False

    def _theme_template(self, name: str) -> None:
        """Write one of the theme's own templates (sitemap.xml and its .gz, 404.html) as a build does."""
        config, nav, files = self.config, self.nav, self.files
        assert nav is not None
        template = self.env.get_template(name)
        template = config.plugins.on_pre_template(template, template_name=name, config=config)
        if utils.is_error_template(name):
            from urllib.parse import urlsplit

            base_url = urlsplit(config.site_url or "/").path
        else:
            base_url = utils.get_relative_url(".", name)
        context = get_context(nav, files, config, base_url=base_url)
        context = config.plugins.on_template_context(context, template_name=name, config=config)
        output = config.plugins.on_post_template(template.render(context), template_name=name, config=config)
        if not output.strip():
            return
        path = os.path.join(config.site_dir, name)
        utils.write_file(output.encode("utf-8"), path)
        if name == "sitemap.xml":
            pages = [f.page for f in files.documentation_pages() if f.page is not None]
            with open(f"{path}.gz", "wb") as f:
                stamp = utils.get_build_timestamp(pages=pages)
                with gzip.GzipFile(fileobj=f, filename=f"{path}.gz", mode="wb", mtime=stamp) as gz:
                    gz.write(output.encode("utf-8"))


def _remove(site_dir: Path, path: str) -> None:
    """Delete a file the site no longer has, and the folders it leaves empty."""
    target = site_dir / path
    if not target.is_file():
        return
    target.unlink()
    folder = target.parent
    while folder != site_dir and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
