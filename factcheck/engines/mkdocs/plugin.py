"""The MkDocs adapter: one plugin that runs the generator's build (pipeline.build) inside MkDocs.

Registered by entry point (`plugins: [factcheck]` in mkdocs.yml). It uses MkDocs' public
plugin API only: its events, `File.generated`, `File.page` set to a `Page` subclass (MkDocs
lets a plugin make a file's page), `get_toc`, and the `Page` attributes plugins are
documented to set. All its state lives on the instance and is set up anew for every
build in `on_config`; its behaviour comes from its options, and `mkdocs serve` (told by
`on_startup`) previews drafts.

The pages it adds are the generator's HTML: each is a GeneratedPage, which MkDocs' Markdown
never reads or converts, and the plugin puts the generator's HTML, headings and anchors in
place when the page is written. (The few the nav names are MkDocs' own pages, so that they
keep the nav's titles: an empty source each.)
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from html import escape
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import AnchorLink, TableOfContents, get_toc
from mkdocs.utils.templates import TemplateContext

from factcheck import pipeline
from factcheck.editor import LocalServer, start_local_backend
from factcheck.engines.mkdocs.icons import SPRITE, IconSprite
from factcheck.model.problems import CheckFailed
from factcheck.publish.whitespace import tighten
from factcheck.render.compiled import CompiledTemplates
from factcheck.render.i18n import untranslated_notice
from factcheck.render.pages import Heading, Page, Rendered
from factcheck.resources import LOCALE_DIR, STATIC_DIR, TEMPLATES_DIR, development_checkout
from factcheck.settings import SEARCH_BUNDLE_PAGES, Settings, SettingsError, settings_from_config

log = logging.getLogger("mkdocs.plugins.factcheck")

# The tool's theme overrides (Material's `custom_dir` way): after the site's own custom_dir, if
# it has one, so that a site replaces any of them by file name, and before the theme's own.
OVERRIDES_DIR = Path(__file__).resolve().parent / "overrides"


class FactcheckConfig(Config):
    """The plugin's options (mkdocs.yml: `plugins: [factcheck: {drafts: true}]`)."""

    drafts = config_options.Type(bool, default=False)  # publish draft claims (previews only)
    search_index = config_options.Type(bool, default=True)  # write the Pagefind index
    search_bundle_pages = config_options.Type(int, default=SEARCH_BUNDLE_PAGES)  # documents per index bundle
    atomic = config_options.Type(bool, default=True)  # build beside site_dir, swap at the end
    editor_backend = config_options.Type(str, default="")  # set by `factcheck serve`: its editor backend's address


def settings_for(config: MkDocsConfig, drafts: bool, search_bundle_pages: int) -> Settings:
    """The generator's settings from MkDocs' resolved configuration."""
    plain = {
        "site_name": config.site_name,
        "site_url": config.site_url,
        "site_description": config.site_description,
        "repo_url": config.repo_url,
        "edit_uri": config.edit_uri,
        "docs_dir": config.docs_dir,
        "site_dir": config.site_dir,
        "use_directory_urls": config.use_directory_urls,
        "extra": dict(config.extra),
        "theme": {
            "name": config.theme.name,
            "language": config.theme["language"],
            "custom_dir": config.theme.custom_dir,
        },
    }
    return settings_from_config(
        plain, Path(config.config_file_path), include_drafts=drafts, search_bundle_pages=search_bundle_pages
    )


def nav_paths(nav: Any) -> set[str]:
    """Every page path the `nav` setting names (titled or not): MkDocs makes those pages itself."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return set().union(*(nav_paths(v) for v in nav.values()))
    if isinstance(nav, list):
        return set().union(*(nav_paths(v) for v in nav))
    return set()


class GeneratedPage(MkDocsPage):
    """A page the generator writes: no Markdown source, nothing for MkDocs' Markdown to convert.

    MkDocs makes a page object for every file; a plugin may make it instead (`File.page`),
    as this one does for the generated pages the nav does not name. Reading the source and
    rendering it give an empty page; its title is set in on_page_markdown, its HTML, table of
    contents and anchors when its turn to be written comes (FactcheckPlugin._render).
    """

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown, self.meta = "", {}

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = set()


def _toc(headings: tuple[Heading, ...]) -> list[AnchorLink]:
    """Nest headings into MkDocs' table of contents, each under the nearest higher heading."""
    roots: list[AnchorLink] = []
    stack: list[AnchorLink] = []
    for h in headings:
        link = AnchorLink(h.html, h.id, h.level)
        while stack and stack[-1].level >= h.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(link)
        stack.append(link)
    return roots


class FactcheckPlugin(BasePlugin[FactcheckConfig]):
    """Hand the generator's pages to MkDocs and run the generator's build around MkDocs' own."""

    def __init__(self) -> None:
        self.command: str | None = None
        self.in_place = False  # `mkdocs serve --clean` after its first build: write where the server serves
        self.editor_server: LocalServer | None = None  # `serve`: the editor's local backend, for the whole session
        # The theme's icons, shared by every page (icons.py); kept across a server's rebuilds, so a
        # rebuild that writes only some pages still writes every icon the others use.
        self.icons = IconSprite()
        self.kept: pipeline.Kept | None = None  # `factcheck serve`: what its updates take from the full build
        self.compiled = CompiledTemplates()  # the theme's templates, compiled (render/compiled.py)
        self._reset()

    def _reset(self) -> None:
        self.run: Any = None  # the running pipeline.build generator
        self.plan: pipeline.Plan | None = None
        self.pages: dict[str, Page] = {}
        self.files: Files | None = None  # the build's files, to find the pages of a paginated list
        self.failed: BaseException | None = None  # what stopped the last build (for build.py)
        self.written = False  # every page is written and the generator has done its part
        # A preview's update (live.py) hands over the generated pages' files of the last plan: a
        # page the new plan has too keeps its file and page object (made again, they are the same).
        self.reuse: dict[str, File] = {}

    # -- the build's start and end -------------------------------------------------------------
    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load, check and plan (pipeline.build up to its hand-off); build into its folder."""
        self._abandon()
        self._reset()
        serving = self.command == "serve"
        try:
            settings = settings_for(config, self.config.drafts or serving, self.config.search_bundle_pages)
        except SettingsError as exc:
            raise PluginError(f"Configuration error: {exc}") from None
        notice = untranslated_notice(settings.interface, settings.language)
        if notice:
            log.info(notice)  # not a warning: a strict build of a site in that language still passes
        if settings.editor and self.config.editor_backend:  # `factcheck serve` runs the editor's backend itself
            settings = dataclasses.replace(settings, editor_backend=self.config.editor_backend)
        elif serving and settings.editor:  # `mkdocs serve`: the editor at /admin/ saves into this checkout
            if self.editor_server is None:
                self.editor_server = start_local_backend(settings)
            settings = dataclasses.replace(settings, editor_backend=self.editor_server.url)
        self.run = pipeline.build(
            settings,
            Path(config.site_dir),
            atomic=self.config.atomic and not serving and not self.in_place,
            search=self.config.search_index,
            kept=self.kept,
        )
        try:
            handoff = next(self.run)
        except CheckFailed as failed:
            self.failed, self.run = failed, None
            raise PluginError(
                f"{len(failed.problems)} problem(s) in the fact-check files; nothing was built:\n" + failed.report()
            ) from None
        except pipeline.BuildFailed as failed:
            self.failed, self.run = failed, None
            raise PluginError(f"{failed}; nothing was built") from None
        assert handoff is not None
        self.plan = handoff.plan
        dirs = config.theme.dirs
        if str(OVERRIDES_DIR) not in dirs:
            dirs.insert(1 if config.theme.custom_dir else 0, str(OVERRIDES_DIR))
        self.pages = {p.src_uri: p for p in handoff.plan.pages}
        config.site_dir = str(handoff.folder)
        config.extra["factcheck_search_bundles"] = " ".join(handoff.plan.search_bundles)
        # The few words of the generator's theme overrides (factcheck/engines/mkdocs/overrides/partials/), in the site's language.
        config.extra["factcheck_text"] = handoff.plan.theme_text
        for asset in handoff.plan.assets:
            if asset.endswith(".css") and asset not in config.extra_css:
                config.extra_css.append(asset)
        script = config_options.ExtraScriptValue("assets/factcheck/factcheck.js")
        script.defer = True
        config.extra_javascript.append(script)
        return config

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """The theme's templates are compiled once and kept, on disk and for a server's rebuilds."""
        env.bytecode_cache = self.compiled
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Every page is written: the shared icons too; resume the build for the link check, feeds and exports."""
        sprite = Path(config.site_dir) / SPRITE
        sprite.parent.mkdir(parents=True, exist_ok=True)
        sprite.write_text(self.icons.document(), encoding="utf-8", newline="")
        try:
            self.run.send(pipeline.Written())
        except pipeline.BuildFailed as failed:
            self.failed, self.run = failed, None
            raise PluginError(str(failed)) from None
        self.written = True

    def on_build_error(self, *, error: Exception) -> None:
        """The build failed: the staging folder goes, the previous site stays."""
        self.failed = self.failed or error
        self._abandon()

    def on_shutdown(self) -> None:
        """MkDocs is done and did not fail: swap the new site into place (and stop serve's local editor backend)."""
        self._finish()
        if self.editor_server is not None:
            self.editor_server.stop()
            self.editor_server = None

    def _finish(self) -> None:
        if not self.written:  # interrupted before the pages were all written
            self._abandon()
        elif self.run is not None:
            run, self.run = self.run, None
            with contextlib.suppress(StopIteration):  # the build ends: the site is in place
                run.send(None)

    def _abandon(self) -> None:
        if self.run is not None:
            run, self.run = self.run, None
            run.close()

    # -- pages ------------------------------------------------------------------------------------
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Take out the input files (entity and source pages are rebuilt from them); add every generated page."""

        for file in list(files):
            uri = file.src_uri
            replaced = uri in self.pages and not self.pages[uri].after_hand_written
            if replaced or uri.startswith(pipeline.INPUT_FOLDERS):
                files.remove(file)
        in_nav = nav_paths(config.nav)
        for uri, page in self.pages.items():
            if not page.after_hand_written:
                # Page 2 or more of a list is reached by its list's page links, never from the nav.
                inclusion = InclusionLevel.NOT_IN_NAV if page.later_page else InclusionLevel.UNDEFINED
                kept = self.reuse.get(uri) if uri not in in_nav else None
                if kept is not None and isinstance(kept.page, GeneratedPage):
                    # As File.generated makes it: set_exclusions (not_in_nav ...) decides again after on_files.
                    kept.inclusion = inclusion
                    files.append(kept)
                    continue
                file = File.generated(config, uri, content="", inclusion=inclusion)
                if uri not in in_nav:  # a page the nav names is MkDocs' own (it gets the nav's title)
                    GeneratedPage(None, file, config)  # MkDocs' Page sets file.page to it
                files.append(file)
        for path, source in self.plan.assets.items() if self.plan else ():
            files.append(File.generated(config, path, abs_src_path=str(source)))
        self.files = files
        return files

    def _page_of(self, src_uri: str | None) -> MkDocsPage | None:
        file = self.files.get_file_from_path(src_uri) if src_uri and self.files is not None else None
        return file.page if file is not None else None

    def on_page_markdown(self, markdown: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        """Give a generated page its title (escaped: the theme prints it as HTML); a title the nav gives still wins."""
        ours = self.pages.get(page.file.src_uri)
        if ours is not None and not ours.after_hand_written:
            page.meta["title"] = escape(ours.title, quote=False)
        return markdown

    def on_page_content(self, html: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        """A hand-written page's anchors, for the link check; a generated page is rendered later.

        MkDocs converts every page before it writes the first: a generated page is rendered
        only when its turn to be written comes (on_page_context), so no page's HTML is held.
        """
        ours = self.pages.get(page.file.src_uri)
        assert self.plan is not None
        if ours is None:
            self.plan.links.add_anchors(page.file.url, page.present_anchor_ids or ())
            return html
        return html if ours.after_hand_written else ""

    def _render(self, ours: Page, page: MkDocsPage) -> None:
        """Put the generator's HTML in place of what MkDocs made, with its table of contents and anchors."""
        assert self.plan is not None
        out: Rendered = ours.render()
        if ours.after_hand_written:  # the home page: the hand-written text, then the generated part
            page.toc = TableOfContents([*page.toc, *_toc(out.toc)])
            page.present_anchor_ids = set(page.present_anchor_ids or ()) | out.anchors
            page.content = (page.content or "") + "\n" + out.html
        else:
            page.toc = get_toc([])
            page.toc.items.extend(_toc(out.toc))
            page.present_anchor_ids = set(out.anchors)
            page.content = out.html
        self.plan.links.add_page(page.file.url, out.html, frozenset(page.present_anchor_ids))

    def on_pre_page(self, page: MkDocsPage, *, config: MkDocsConfig, files: Files) -> MkDocsPage:
        """Date pages from the data, never the clock (the sitemap, built before the pages, reads this)."""
        assert self.plan is not None
        ours = self.pages.get(page.file.src_uri)
        pager = ours.pager if ours is not None else None
        dated = pager.first if pager is not None else page.file.src_uri  # every page of a list: the list's date
        day = self.plan.published.heads.dates.get(dated)
        page.update_date = day.isoformat() if day else ""  # no date in the data: no <lastmod>
        return page

    def on_page_context(
        self, context: TemplateContext, *, page: MkDocsPage, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """Render a generated page (its HTML, table of contents and anchors); each page's edit link and <head> metadata.

        MkDocs checks links to anchors only once every page is written, so the anchors set
        here are in place for it.
        """
        assert self.plan is not None
        uri = page.file.src_uri
        ours = self.pages.get(uri)
        if ours is not None:
            self._render(ours, page)
        settings = self.plan.site.settings
        if ours is not None and not ours.after_hand_written:
            links = settings.repo_links
            page.edit_url = links.edit(ours.origin) if ours.origin and links else None
        heads = self.plan.published.heads
        if ours is not None:
            head = heads.head(uri, ours.title, ours.description)
            pager = ours.pager
            if pager is not None and pager.count > 1 and self.files is not None:
                # The theme's <link rel="prev"/"next"> (and footer links): the list's own neighbours.
                page.previous_page = self._page_of(pager.prev_uri)
                page.next_page = self._page_of(pager.next_uri)
        else:
            head = heads.head(uri, page.meta.get("title") or page.title, page.meta.get("description"))
        if head.description:
            page.meta["description"] = escape(head.description, quote=True)
        context["factcheck_head"] = heads.html(uri, head)  # type: ignore[typeddict-unknown-key]  # factcheck/engines/mkdocs/overrides/main.html
        return context

    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        page.content = None  # written: let it go
        # Without the theme's indentation (a tenth of a page: publish/whitespace.py), and its icons
        # as references into one shared file (icons.py).
        return self.icons.share(tighten(output), page.url.count("/"))

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """The theme's own pages (404.html) without their indentation too."""
        return tighten(output_content) if template_name.endswith(".html") else output_content

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """Watch every input MkDocs does not (it watches docs_dir and mkdocs.yml); with `--clean`, show the first build.

        `mkdocs serve --clean` reports the command as `build`, so the first build was staged
        to be swapped in at shutdown: it is swapped in now, and later rebuilds write in place
        (the server serves that folder).
        """
        if self.command != "serve":
            self._finish()
            self.in_place = True
        root = Path(config.config_file_path).parent
        folders = [root / "claims", root / "templates", root / "overrides"]
        if config.theme.custom_dir:
            folders.append(Path(config.theme.custom_dir))
        if development_checkout():  # the tool's own files, when it runs from its source
            folders += [TEMPLATES_DIR, STATIC_DIR, LOCALE_DIR, OVERRIDES_DIR]
        for folder in dict.fromkeys(folders):
            if folder.is_dir():
                server.watch(str(folder))
        return server
