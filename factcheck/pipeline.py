"""The whole build, top to bottom, in one function: `build`.

    settings -> load, check, link -> plan pages and outputs -> start the search indexer -> hand
             the pages to the engine -> check the generator's links -> feeds, exports, filter
             data, share cards, embed pages, the web editor -> the search index -> swap into place

The engine (MkDocs, through factcheck/engines/mkdocs/plugin.py) wraps the generated pages in its
theme and converts the hand-written Markdown pages of content/. It runs `build` as a
generator: `build` stops at each `yield` while the engine does its part, and the engine
resumes it when that part is done. Every entry point (`python build.py`, `mkdocs build`,
`mkdocs serve` and `build.py serve`) goes through here; nothing here imports the engine.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from factcheck.editor import EditorSite
from factcheck.model.loader import Kept as LoadKept
from factcheck.model.loader import load_site
from factcheck.model.objects import Site
from factcheck.publish.assets import minified_assets
from factcheck.publish.filters import FilterData
from factcheck.publish.linkcheck import LinkCheck
from factcheck.publish.published import Published
from factcheck.publish.search import Indexing, SearchIndexError, bundles, document_count, hand_written_page
from factcheck.publish.staging import Staging, overlap
from factcheck.render.compiled import CompiledTemplates
from factcheck.render.pages import Page, SiteRenderer
from factcheck.resources import STATIC_DIR
from factcheck.settings import Settings
from factcheck.share.cards import Card, CardCache, CardLayoutError, plan_cards, write_cards
from factcheck.share.embeds import Embeds

ASSETS = {  # site path -> the file the generator ships
    "assets/factcheck/factcheck.css": STATIC_DIR / "factcheck.css",
    "assets/factcheck/factcheck.js": STATIC_DIR / "factcheck.js",  # filters; pages work without it
    "assets/search/search.js": STATIC_DIR / "search.js",  # Pagefind in the theme's search box
}
INPUT_FOLDERS = ("entities/", "sources/")  # content/ folders that are inputs, not pages


class BuildFailed(Exception):
    """The build found something wrong after the pages were made (a broken link, the search indexer)."""


@dataclass(frozen=True)
class Plan:
    """Everything the engine needs: the pages to wrap, the files to ship, the head metadata."""

    site: Site
    pages: tuple[Page, ...]
    assets: dict[str, Path]
    published: Published  # every page's <head> metadata; the feeds and exports, written later
    filters: FilterData  # the claims index's filter data, written later
    cards: dict[str, Card]  # each page's share card, by src_uri; drawn (or taken from the cache) later
    embeds: Embeds  # each published claim's embed page and oEmbed document, written later
    links: LinkCheck  # the engine feeds it every page as it renders it
    search_bundles: tuple[str, ...]  # the search index's folders, for the theme's search box
    theme_text: dict[str, str]  # the theme overrides' own words, translated (engines/mkdocs/overrides/)


@dataclass(frozen=True)
class Handoff:
    """What the engine gets: the plan, and the folder to write the site into."""

    plan: Plan
    folder: Path


@dataclass(frozen=True)
class Written:
    """The engine's word that every page is written into the folder."""


def site_dir_refusal(setting: str, site_dir: Path, clash: str, fix: str) -> str:
    """The one line that refuses a site folder that would destroy an input, naming the setting and the fix."""
    return (
        f"{setting}: the site folder {site_dir} {clash}; a build replaces everything in its site folder, "
        f"so nothing was written: choose a folder of its own, such as `{fix}`"
    )


def hand_written_pages(settings: Settings) -> frozenset[str]:
    """The src_uris of the hand-written Markdown pages in content/ (entities/ and sources/ are inputs)."""
    docs = settings.docs_dir
    if not docs.is_dir():
        return frozenset()
    found = (p.relative_to(docs).as_posix() for p in docs.rglob("*.md") if p.is_file())
    return frozenset(
        uri
        for uri in found
        if not uri.startswith(INPUT_FOLDERS) and not any(part.startswith(".") for part in uri.split("/"))
    )


def theme_text(settings: Settings) -> dict[str, str]:
    """The words the theme overrides write, in the site's language (the theme translates its own)."""
    t = settings.interface.gettext
    return {
        "source": t("Source:"),
        "search_unavailable": t("Search is not available here (it is built with the site: run build.py)."),
    }


_UNSAFE_IN_PATHS = re.compile(r'[\x00-\x1f:*?"<>|]')  # control characters, and what Windows refuses in names


def check_output_paths(paths: Iterable[str]) -> None:
    """Refuse an output path that could land outside the site folder (ids are checked; this is the backstop)."""
    seen: set[str] = set()
    for uri in paths:
        parts = uri.split("/")
        if (
            not uri
            or uri.startswith("/")
            or "\\" in uri
            or any(part in ("", ".", "..") for part in parts)
            or _UNSAFE_IN_PATHS.search(uri)
        ):
            raise ValueError(f"refusing to write {uri!r}: output paths must stay inside the site folder")
        if uri in seen:
            raise ValueError(f"two outputs would be written to {uri}")
        seen.add(uri)


@dataclass(frozen=True)
class Kept:
    """What a process that builds the same site again and again (the preview) keeps from one plan to the next.

    Parsed input files and each claim's mentions (model/loader.py's Kept: only what did not
    change) and the compiled templates (Jinja checks their sources). Every rule across files,
    the model's assembly and links, and the plan of every page are made again each time.
    """

    load: LoadKept = field(default_factory=LoadKept)
    templates: CompiledTemplates = field(default_factory=CompiledTemplates)


def build(
    settings: Settings, site_dir: Path, *, atomic: bool = True, search: bool = True, kept: Kept | None = None
) -> Generator[Handoff | None, Written | None, None]:
    """Build the site into site_dir, run by the engine adapter (see the module's docstring).

    Raises CheckFailed (before anything is written) when an input file has a problem, and
    BuildFailed when an output is wrong. With atomic=True the site is built in a staging
    folder beside site_dir and swapped into place only when everything succeeded; until then
    the previous site stays as it was. Without (a preview server's own folder) it is written
    in place. `kept` (a preview's updates) takes what did not change from the last run.
    """
    # 0. The site folder is emptied and replaced: it may not be, hold or lie in an input.
    clash = overlap(site_dir, settings.root, settings.inputs())
    if clash:
        raise BuildFailed(site_dir_refusal("site_dir", site_dir, clash, "site_dir: site"))

    # 1. Load every input file, check it, and link the model (CheckFailed lists every problem).
    site = load_site(settings, kept=kept.load if kept is not None else None)

    # 2. Plan every page and every file; nothing is rendered yet.
    hand_written = hand_written_pages(settings)
    renderer = SiteRenderer(site, hand_written, kept.templates if kept is not None else None)
    pages = tuple(renderer.plan())
    try:
        cards = plan_cards(site) if settings.share_cards else {}
    except CardLayoutError as exc:
        raise BuildFailed(str(exc)) from None
    published = Published(site, cards)
    embeds = Embeds(site, renderer.env, published.publisher, cards)
    filters = FilterData(site)
    editor = EditorSite.plan(settings)  # the web editor at /admin/, unless turned off
    shared = [*(card.path for card in cards.values()), *embeds.paths(), *(editor.paths() if editor else ())]
    check_output_paths([*(p.src_uri for p in pages), *published.paths(), *filters.paths(), *shared, *ASSETS])
    links = LinkCheck()
    links.add_paths(
        [
            *published.paths(),
            *shared,
            *ASSETS,
            *(settings.page_path(uri) for uri in hand_written),
            *(settings.page_path(page.src_uri) for page in pages),
        ]
    )
    # The search index's bundles, named for the search box: as many as the documents need (not
    # the pages: a list's later pages are not searched).
    names = tuple(bundles(document_count(site, len(hand_written)), settings.search_bundle_pages))

    staging = Staging.beside(site_dir) if atomic else Staging.in_place(site_dir)
    # The index and the documents it is made from, beside the site: a killed build's are
    # removed by the next build, with its staging folder.
    search_scratch = staging.scratch("search")
    search_dir, search_documents = search_scratch / "index", search_scratch / "documents"
    search_dir.mkdir()
    asset_scratch = staging.scratch("assets")
    indexing: Indexing | None = None
    try:
        # The styles and scripts, minified beside the site for the engine to ship (assets.py).
        assets = minified_assets(ASSETS, asset_scratch)
        plan = Plan(site, pages, assets, published, filters, cards, embeds, links, names, theme_text(settings))

        # 3. The search index, made from the model (search.py), not from the finished pages:
        #    Pagefind starts now, while this process holds little more than the model, and
        #    indexes in its own process while the engine renders the pages.
        if search:
            texts = [
                hand_written_page(uri, (settings.docs_dir / uri).read_text(encoding="utf-8"))
                for uri in sorted(hand_written)
            ]
            try:
                indexing = Indexing(site, texts, search_dir, search_documents)
            except SearchIndexError as exc:
                raise BuildFailed(str(exc)) from None

        # 4. Hand the pages to the engine. It renders each with its theme, converts the
        #    hand-written pages, writes them all into the folder (emptied first), and resumes us.
        written = yield Handoff(plan, staging.folder)
        assert written is not None, "the engine resumes the build once every page is written"

        # 5. Every link the generator's own pages make leads to a page, file or anchor.
        broken = links.problems()
        if broken:
            raise BuildFailed(f"{len(broken)} broken link(s) in generated pages:\n  " + "\n  ".join(broken[:50]))

        # 6. Feeds, exports, the filter data, the share cards (drawn only when not in the cache),
        #    embed pages and the web editor (admin/); the search index moves in beside them.
        published.write(staging.folder)
        filters.write(staging.folder)
        if settings.share_cards:  # without cards the cache is left as it is
            write_cards(list(cards.values()), staging.folder, CardCache(settings.card_cache_dir), prune=atomic)
        embeds.write(staging.folder)
        if editor is not None:
            editor.write(staging.folder)
        if indexing is not None:
            try:
                indexing.wait()
            except SearchIndexError as exc:
                raise BuildFailed(str(exc)) from None
        for bundle in sorted(search_dir.iterdir()):
            bundle.rename(staging.folder / bundle.name)

        # 7. Wait for the engine's last word: it may still refuse the build (strict mode).
        yield None

        # 8. Swap the new site into place.
        staging.commit()
    except BaseException:  # a failure, or the engine abandoning the build (GeneratorExit)
        staging.discard()
        raise
    finally:
        if indexing is not None:
            indexing.close()  # still running if the build failed first: stopped before its folder goes
        shutil.rmtree(search_scratch, ignore_errors=True)
        shutil.rmtree(asset_scratch, ignore_errors=True)
