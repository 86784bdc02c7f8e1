"""MkDocs adapter: hand the generator's pages to MkDocs. Nothing else lives here.

Listed under `hooks:` in mkdocs.yml. Keep all MkDocs-specific code in this file so the
generator can move to another engine.
"""

from __future__ import annotations

import logging
import os
import sys
import zlib
from collections.abc import Callable
from html import escape
from pathlib import Path

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _ROOT not in sys.path:  # MkDocs loads hooks by path; make the package importable
    sys.path.insert(0, _ROOT)

from mkdocs.config.config_options import ExtraScriptValue  # noqa: E402
from mkdocs.exceptions import Abort  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402

from factcheck import parallel, pipeline, search  # noqa: E402
from factcheck.problems import CheckFailed  # noqa: E402
from factcheck.settings import Settings, environment_urls, settings_from_config  # noqa: E402

log = logging.getLogger("mkdocs.factcheck")
_settings: Settings | None = None
_origins: dict[str, str] = {}
_published: pipeline.Published | None = None
_generated: pipeline.Generated | None = None
_plan: dict[str, Callable[[], str]] = {}  # src_uri -> renders the page's Markdown (when MkDocs reads the page)
_split: parallel.Split | None = None  # a two-process build (factcheck/parallel.py)
_nav = None
_files: Files | None = None
_held: dict[str, bytes] = {}  # src_uri -> compressed HTML of a page read but not yet written
_GENERATED_FOLDERS = ("entities/", "sources/", "claims/", "verdicts/", "tags/")
CSS = "assets/factcheck/factcheck.css"
JS = "assets/factcheck/factcheck.js"  # filters on the claims index; pages work without it
SEARCH_JS = "assets/search/search.js"  # Pagefind in Material's search box (overrides/partials/search.html)


def on_config(config, **kwargs):
    """Read the generator's settings and register its stylesheet and script."""
    global _settings
    for key, value in environment_urls().items():  # a fork's own site and repository URLs
        config[key] = value
        if key == "repo_url":
            config["repo_name"] = value.rstrip("/").split("/", 3)[-1]
    _settings = settings_from_config(config, config.config_file_path, include_drafts=_serving())
    if CSS not in config.extra_css:
        config.extra_css.append(CSS)
    if JS not in [str(script) for script in config.extra_javascript]:
        script = ExtraScriptValue(JS)
        script.defer = True
        config.extra_javascript.append(script)
    _search_by_pagefind(config)
    return config


def _search_by_pagefind(config) -> None:
    """Keep Material's search plugin for its search box, but not its whole-site lunr index.

    The theme renders the search box only while the plugin is configured; Pagefind indexes
    the built pages instead (on_post_build), so the plugin's page and build events are
    taken out: no index is collected in memory or written.
    """
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    if plugin is None:
        return
    for event in ("page_context", "post_build", "serve"):
        handlers = config.plugins.events.get(event, [])
        handlers[:] = [h for h in handlers if getattr(h, "__self__", None) is not plugin]


def _serving() -> bool:
    return os.environ.get("FACTCHECK_DRAFTS") == "1" or (len(sys.argv) > 1 and "serve" in sys.argv[1:2])


def on_files(files: Files, config, **kwargs) -> Files:
    """Replace entity/source sources with generated pages and add claim, index and home pages.

    The pages are planned here and rendered one at a time as MkDocs reads them
    (on_page_read_source), so their Markdown never all exists at once.
    """
    assert _settings is not None
    global _origins, _published, _generated, _plan, _files
    try:
        generated = pipeline.generate(_settings)
    except CheckFailed as failed:
        for problem in failed.problems.sorted():
            log.error(str(problem))
        raise Abort(f"{len(failed.problems)} problem(s) in the fact-check files; nothing was built") from None
    _generated, _plan, _origins, _published = generated, generated.plan, generated.origins, generated.published
    _files = files
    # The search box (overrides/partials/search.html) lists the index's bundles.
    hand_written = sum(1 for f in files.documentation_pages() if not f.generated_by and f.src_uri not in _plan)
    config.extra["factcheck_search_bundles"] = " ".join(search.bundles(len(_plan) + hand_written))
    for file in list(files):
        uri = file.src_uri
        held_text = uri.startswith("sources/") and uri.endswith(".txt")
        if uri in _plan or held_text or (uri.startswith(_GENERATED_FOLDERS) and uri.endswith(".md")):
            files.remove(file)
    for uri in _plan:
        files.append(File.generated(config, uri, content=""))  # the Markdown comes from on_page_read_source
    for asset in (CSS, JS, SEARCH_JS):
        files.append(File.generated(config, asset, abs_src_path=str(pipeline.STATIC_DIR / asset.rsplit("/", 1)[1])))
    # Feeds, exports and schemas are written after the pages (on_post_build, or by the worker).
    return files


def _hand_written(files: Files) -> list[tuple[str, str, str]]:
    """(src_uri, title, text) of every hand-written page, for the search index."""
    out = []
    for file in files.documentation_pages():
        if not file.generated_by and file.abs_src_path:
            out.append(search.hand_written_page(file.src_uri, Path(file.abs_src_path).read_text(encoding="utf-8")))
    return out


def _indexing(config) -> bool:
    return not _serving() and bool(config.plugins.get("material/search") or config.plugins.get("search"))


def on_nav(nav, config, files, **kwargs):
    """In a two-process build, fork the worker here: both have the file list and navigation."""
    global _split, _nav
    _nav, _split = nav, None
    if parallel.wanted():
        _split = parallel.Split(files, nav, lambda folder: _worker_output(config, files, folder),
                                search_folder=_indexing(config))
    return nav


def _worker_output(config, files: Files, search_folder: Path | None) -> list[str] | None:
    """In the worker, after its pages: write the feeds and exports; return the search indexer's command."""
    assert _published is not None and _generated is not None
    _published.write(Path(config.site_dir))
    if search_folder is None:
        return None
    return search.shell_command(search.prepare(_generated.site, _hand_written(files), search_folder,
                                               Path(config.site_dir)))


def on_page_read_source(page, config, **kwargs):
    """Render a generated page's Markdown now, as MkDocs reads it."""
    render = _plan.get(page.file.src_uri)
    return render() if render is not None else None


def on_env(env, config, files, **kwargs):
    """Two-process build: the worker writes its pages and exits; the parent dates the worker's pages."""
    if _split is not None:
        if _split.is_worker:
            _split.finish_worker(config, _nav, env, files)  # never returns
        for file in _split.worker_files:
            if file.page is not None:
                _date_page(file.page)
    return env


def on_page_content(html, page, config, files, **kwargs):
    """Keep memory flat: hold each page's HTML compressed until the page is written.

    MkDocs converts every page before it writes the first one, so without this it holds
    the source and the HTML of all pages at once (hundreds of MB at 10,000 claims). The
    Markdown is not needed again once converted; page.markdown stays "" (not None, which
    would make MkDocs forget the page title).
    """
    page.markdown = ""
    if page.file.generated_by:
        page.file.content_string = ""  # the generated Markdown, already read
    _held[page.file.src_uri] = zlib.compress(html.encode("utf-8"), 1)
    return ""


def on_page_context(context, page, config, nav, **kwargs):
    """Restore the held HTML; point a generated page's edit link at its source file (claim YAML, entity, source)."""
    held = _held.pop(page.file.src_uri, None)
    if held is not None:
        page.content = zlib.decompress(held).decode("utf-8")
    origin = _origins.get(page.file.src_uri)
    if origin and _settings is not None and _settings.repo_url:
        page.edit_url = f"{_settings.repo_url}/edit/main/{origin}"
    elif page.file.generated_by:
        page.edit_url = None
    if _published is not None:  # <head> metadata: description, OpenGraph, feed links, JSON-LD
        heads, uri = _published.heads, page.file.src_uri
        head = heads.generated_head(uri)
        if head is not None:
            if head.description:  # plain text, HTML-escaped for the theme, which prints it raw
                page.meta["description"] = escape(head.description, quote=True)
        else:
            title = page.meta.get("title") or page.title  # as the theme's <title> has it
            head = heads.head(uri, title, page.meta.get("description"), escaped=page.file.generated_by is not None)
        context["factcheck_head"] = heads.html(uri, head)
    return context


def on_pre_page(page, config, files, **kwargs):
    """Date pages from the data, never the clock (the sitemap, built before the pages, reads this)."""
    _date_page(page)
    return page


def _date_page(page) -> None:
    if _published is not None:
        dates = _published.heads.dates
        if page.file.src_uri in dates:
            page.update_date = dates[page.file.src_uri].isoformat()
        elif dates:
            page.update_date = ""  # a hand-written page: no date in the data, so no <lastmod>


def on_post_page(output, page, config, **kwargs):
    """Drop the page's HTML once written; the anchors MkDocs validates later are kept apart."""
    page.content = None
    return output


def on_post_build(config, **kwargs):
    """Feeds, exports and the search index: written here, or by the worker (two-process build)."""
    global _split
    split, _split = _split, None
    if split is not None:
        failure = split.wait()
        if failure:
            raise Abort(failure)
        return
    if _published is not None:
        _published.write(Path(config.site_dir))
    if _indexing(config) and _generated is not None:
        try:
            search.index_site(_generated.site, _hand_written(_files), Path(config.site_dir))
        except search.SearchIndexError as exc:
            raise Abort(str(exc)) from None


def on_build_error(error, **kwargs):
    """Stop the worker of a failed build."""
    global _split
    if _split is not None and _split.is_worker:
        _split.fail_worker(error)  # never returns
    if _split is not None:
        _split.cancel()
    _split = None


def on_serve(server, config, builder, **kwargs):
    """Rebuild when a claim or a template changes (content/ is watched by MkDocs already)."""
    assert _settings is not None
    for folder in (_settings.claims_dir, _settings.templates_dir):
        if folder.is_dir():
            server.watch(str(folder))
    return server
