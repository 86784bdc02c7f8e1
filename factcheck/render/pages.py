"""Render the model through the Jinja templates into the article HTML of every generated page.

Every template is rendered with autoescaping on, whatever its file name: contributor text
can only reach a page as escaped text or as markdown-it's sanitised HTML. The engine gets
each page's HTML as it is, with its title, description and table of contents; it never
converts it again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup, escape

from factcheck.model.corrections import site_corrections
from factcheck.model.objects import Claim, Entity, Site, scorecard
from factcheck.render.compiled import CompiledTemplates
from factcheck.render.format import (
    ENTITY_TYPE_NAMES,
    ENTITY_TYPES,
    SOURCE_TYPE_NAMES,
    STANCES,
    attribute_values,
    relative,
    relative_path,
)
from factcheck.render.i18n import Interface, english
from factcheck.render.markup import EntityMatcher, Renderer, safe_url
from factcheck.render.paging import Pager, chunk, pagers
from factcheck.render.text import plain_text
from factcheck.settings import Verdict
from factcheck.share.cards import on_colour
from factcheck.share.embeds import claim_share


@dataclass(frozen=True)
class Heading:
    """A heading the template wrote, for the page's table of contents."""

    level: int
    id: str
    html: str  # its text, as HTML


@dataclass(frozen=True)
class Rendered:
    """The article HTML of a page, and what the engine needs to know about it."""

    html: str
    toc: tuple[Heading, ...]
    anchors: frozenset[str]  # every id in the page: targets for links with a #fragment


@dataclass(frozen=True)
class Page:
    """A generated page: its name for the engine, what it shows, and how to render it."""

    src_uri: str  # e.g. claims/<id>.md: what hand-written pages link to
    title: str  # plain text
    description: str  # plain text
    render: Callable[[], Rendered]
    origin: str | None = None  # the file it is made from (claim YAML, entity page), for edit links
    after_hand_written: bool = False  # appended to a hand-written page of the same name (the home page)
    pager: Pager | None = None  # set on every page of a paginated list

    @property
    def later_page(self) -> bool:
        """Page 2 or more of a list: reached through the list's page links, never from the nav."""
        return self.pager is not None and self.pager.number > 1


_HEADING = re.compile(r'<h([1-6]) id="([^"]+)">(.*?)<a class="headerlink"', re.S)


def rendered(html: str) -> Rendered:
    """Read the headings and ids of HTML the templates wrote (trusted markup, escaped values)."""
    toc = tuple(Heading(int(m.group(1)), unescape(m.group(2)), m.group(3)) for m in _HEADING.finditer(html))
    return Rendered(html, toc, frozenset(unescape(i) for i in attribute_values(html, "id") if i))


def slug(text: str) -> str:
    """Python-Markdown's heading ids, for headings made of labels (never of contributor text)."""
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[-\s]+", "-", value)


def make_environment(
    templates: Path | Sequence[Path],
    directory_urls: bool = True,
    interface: Interface | None = None,
    compiled: BytecodeCache | None = None,
) -> Environment:
    """Return the Jinja environment for generated pages: autoescape on for every template.

    Its gettext functions (`_`, `gettext`, `ngettext`: Jinja's i18n extension, newstyle) and
    the date and number filters speak the interface's language (English without one).
    """
    interface = interface or english()
    env = Environment(
        loader=FileSystemLoader([templates] if isinstance(templates, Path) else list(templates)),
        autoescape=True,  # not select_autoescape: it would skip .j2 templates
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
        auto_reload=False,  # one environment per build: no need to look at each template's file again
        bytecode_cache=compiled if compiled is not None else CompiledTemplates(),
    )
    # Newstyle gettext (placeholders by name, filled in and escaped by the call itself), as
    # `install_gettext_translations(..., newstyle=True)` sets it up, but without its two layers
    # of context-passing wrappers around each call: a page makes dozens of these calls.
    env.newstyle_gettext = True  # type: ignore[attr-defined]  # how {% trans %} blocks compile
    gettext, ngettext = markup_gettext(interface)
    env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)
    t = interface.gettext

    @pass_context
    def url(context: Any, target: str, anchor: str = "") -> str:
        """The relative link from the page being rendered to another page, by its Markdown name."""
        return relative(context["page_uri"], target, directory_urls, anchor)

    @pass_context
    def file_url(context: Any, path: str) -> str:
        """The relative link from the page being rendered to a file at a site path (a feed)."""
        return relative_path(context["page_uri"], path, directory_urls)

    env.filters["url"] = url
    env.filters["file_url"] = file_url
    env.filters["href"] = _href
    env.filters["slug"] = slug
    env.filters["scorecard"] = scorecard
    env.filters["isodate"] = lambda d: d.isoformat() if d else ""
    env.filters["longdate"] = interface.date
    env.filters["number"] = interface.number
    env.filters["query"] = _query
    env.filters["on_colour"] = _on_colour
    # A label at the start of a line: its first letter upper-cased, the rest as translated
    # (Jinja's capitalize lowercases the rest, and German nouns, acronyms and names with it).
    env.filters["first_upper"] = lambda text: text[:1].upper() + text[1:]
    # The small pieces every page repeats, as Python functions: a Jinja macro call costs ten times more.
    env.globals["heading"] = heading_function(t("Permanent link"))
    env.globals["badge"] = badge_tag
    env.globals["date"] = time_function(interface)
    env.globals["aka"] = aka_function(interface)
    env.globals["stances"] = {key: t(label) for key, label in STANCES.items()}
    env.globals["entity_types"] = {key: t(label) for key, label in ENTITY_TYPES.items()}
    env.globals["entity_type_names"] = {key: t(label) for key, label in ENTITY_TYPE_NAMES.items()}
    env.globals["source_types"] = {key: t(label) for key, label in SOURCE_TYPE_NAMES.items()}
    # Heading ids stay the English labels' slugs in every language: links to them keep working.
    env.globals["entity_type_ids"] = {key: slug(label) for key, label in ENTITY_TYPES.items()}
    env.globals["interface"] = interface
    return env


def markup_gettext(interface: Interface) -> tuple[Callable[..., Markup], Callable[..., Markup]]:
    """The templates' `_`/`gettext` and `ngettext`: the translation is trusted markup, every value is escaped."""
    translate, translate_plural = interface.translations.gettext, interface.translations.ngettext
    plain: dict[str, Markup] = {}  # the messages without values, each translated once

    def gettext(message: str, **values: Any) -> Markup:
        if not values:
            found = plain.get(message)
            if found is None:
                found = plain[message] = Markup(translate(message))  # noqa: S704 - the catalogue's, trusted
            return found
        # Safe: the message is the catalogue's (trusted, like a template); the values are escaped.
        return Markup(translate(message) % {k: escape(v) for k, v in values.items()})  # noqa: S704

    def ngettext(singular: str, plural: str, n: int, **values: Any) -> Markup:
        values.setdefault("num", n)
        return Markup(translate_plural(singular, plural, n) % {k: escape(v) for k, v in values.items()})  # noqa: S704

    return gettext, ngettext


def _query(text: Any) -> str:
    """Text as a value in a URL's query: every reserved character percent-encoded (UTF-8)."""
    return quote(str(text), safe="")


def _on_colour(colour: str) -> str:
    """Black or white, whichever reads on a verdict's colour (white if the colour is not #rrggbb)."""
    try:
        return on_colour(colour)
    except ValueError:
        return "#ffffff"


def heading_function(permalink_title: str) -> Callable[[int, str, str], Markup]:
    """heading(level, text, anchor): a heading with its id and permalink, as Python-Markdown's toc writes them."""
    # The translated title is escaped into the template once; each call fills in the rest.
    template = (
        Markup('<h%%d id="%%s">%%s<a class="headerlink" href="#%%s" title="%s">&para;</a></h%%d>') % permalink_title
    )

    def heading_tag(level: int, text: str, anchor: str) -> Markup:
        return template % (level, anchor, text, anchor, level)

    return heading_tag


def badge_tag(verdict: Verdict, size: str = "") -> Markup:
    """A verdict's badge: its icon and label in its colour, its definition as the tooltip."""
    return Markup(
        '<span class="fc-badge fc-badge--%s%s" style="--fc-verdict-colour: %s" title="%s">'
        '<span class="fc-badge__icon" aria-hidden="true">%s</span> <span class="fc-badge__label">%s</span></span>'
    ) % (
        verdict.key,
        f" fc-badge--{size}" if size else "",
        verdict.colour,
        verdict.definition,
        verdict.icon,
        verdict.label,
    )


def time_function(interface: Interface) -> Callable[[Any], Markup]:
    """date(day): a date as a <time> element, machine-readable and written out in the interface's language."""
    long_date = interface.date

    def time_tag(day: Any) -> Markup:
        return Markup('<time datetime="%s">%s</time>') % (day.isoformat() if day else "", long_date(day))

    return time_tag


def aka_function(interface: Interface) -> Callable[[Entity], Markup]:
    """aka(entity): an entity's aliases as its link's tooltip attribute (empty without aliases)."""
    t = interface.gettext

    def aka_attr(entity: Entity) -> Markup:
        if not entity.aliases:
            return Markup("")
        return Markup(' title="%s"') % t("Also known as: %(names)s", names=", ".join(entity.aliases))

    return aka_attr


def _href(url: str | None) -> str:
    """Return url if it is an allowed link target, else an inert anchor (defence in depth)."""
    return url if url and safe_url(url) else "#"


class SiteRenderer:
    """Plan every generated page of a site, each rendered to HTML when the engine asks for it."""

    def __init__(
        self, site: Site, hand_written: frozenset[str] = frozenset(), compiled: BytecodeCache | None = None
    ) -> None:
        self.site = site
        self.settings = site.settings
        self.hand_written = hand_written  # src_uris of the pages in content/
        self.interface = site.settings.interface
        self.env = make_environment(site.settings.template_dirs, site.settings.directory_urls, self.interface, compiled)
        self.md = Renderer(EntityMatcher(site.entities.values()))
        self.rows: dict[tuple[str, str, bool], Markup] = {}  # (claim id, link, show claimant) -> <li>
        self.macros = self.env.get_template("_macros.html.j2").make_module({"settings": self.settings})
        # The embed code a claim page offers (and its oEmbed document's html), made once: an
        # import in each claim page would run the template again for every page.
        self.env.globals["embed_code"] = self.env.get_template("_embed_code.html.j2").make_module(
            {"settings": self.settings}
        )
        self.env.globals["claim_item"] = self._claim_item_function()

    def _claim_item_function(self) -> Callable[..., Markup]:
        rows, directory_urls = self.rows, self.settings.directory_urls
        row_macro: Callable[..., Markup] = self.macros.claim_row  # type: ignore[attr-defined]  # _macros.html.j2

        @pass_context
        def claim_item(context: Any, claim: Claim, show_claimant: bool = True) -> Markup:
            """A claim's row in a list: the same on every list page at the same depth, so made once."""
            href = relative(context["page_uri"], claim.src_uri, directory_urls)
            key = (claim.id, href, show_claimant)
            row = rows.get(key)
            if row is None:
                row = rows[key] = row_macro(claim, href, show_claimant)
            return row

        return claim_item

    def _claim_html(self, claim: Claim, page_uri: str) -> dict[str, Markup]:
        linked: set[str] = set()
        directory_urls = self.settings.directory_urls

        def href_for(entity: Entity) -> str:
            return relative(page_uri, entity.src_uri, directory_urls)

        summary = self.md.inline(claim.summary, linked, href_for)
        analysis = self.md.block(claim.analysis, linked, href_for)
        # Safe: markdown-it output with raw HTML off and link schemes allow-listed.
        return {"summary_html": Markup(summary), "analysis_html": Markup(analysis)}  # noqa: S704

    def _render(self, template: str, page_uri: str, context: Mapping[str, Any]) -> Rendered:
        md_block: Callable[[str], Markup] = lambda text: Markup(self.md.block(text))  # noqa: S704 - sanitised
        html = self.env.get_template(template).render(
            site=self.site,
            settings=self.settings,
            page_uri=page_uri,
            md_block=md_block,
            has_page=lambda uri: uri in self.hand_written,
            **context,
        )
        return rendered(html)

    def plan(self) -> list[Page]:
        """Return every generated page, in a stable order; nothing is rendered yet."""
        site, settings = self.site, self.settings
        interface = self.interface
        t = interface.gettext
        pages: list[Page] = []

        def put(
            uri: str,
            template: str,
            title: str,
            description: str,
            *,
            origin: str | None = None,
            more: Callable[[], dict[str, Any]] | None = None,
            pager: Pager | None = None,
            **context: Any,
        ) -> None:
            """Plan a page; `more` adds context that is costly to make, made only when rendering."""

            def render() -> Rendered:
                return self._render(template, uri, {"pager": pager, **context, **(more() if more else {})})

            pages.append(
                Page(uri, title, description, render, origin, after_hand_written=uri in self.hand_written, pager=pager)
            )

        def put_list(
            first: str,
            template: str,
            title: str,
            description: str,
            lists: Mapping[str, Sequence[Any]],
            **context: Any,
        ) -> None:
            """Plan the pages of a page with lists: each list in `lists` continues on pages 2, 3, ..."""
            size = settings.page_size
            for pager in pagers(first, max(len(items) for items in lists.values()), size):
                chunks: dict[str, Any] = {name: chunk(items, size, pager.number) for name, items in lists.items()}
                put(
                    pager.src_uri,
                    template,
                    pager.title(title, interface),
                    description,
                    pager=pager,
                    totals={name: len(items) for name, items in lists.items()},
                    **chunks,
                    **context,
                )

        by_verdict = site.by_verdict()
        put(
            "index.md",
            "home.html.j2",
            settings.site_name,
            settings.site_description or t("Fact-checks by %(publisher)s", publisher=settings.publisher_name),
            latest=site.claims[: settings.latest_count],
            by_verdict=by_verdict,
        )
        named = {e.id for e in site.entities.values() if site.claims_naming(e)}
        put_list(
            "claims/index.md",
            "claims_index.html.j2",
            t("All fact-checks"),
            t("Every fact-check published by %(site)s, newest first.", site=settings.site_name),
            {"claims": site.claims},
            named_ids=named,
        )

        def claim_html(claim: Claim) -> Callable[[], dict[str, Any]]:
            return lambda: self._claim_html(claim, claim.src_uri)

        for claim in site.claims:
            put(
                claim.src_uri,
                "claim.html.j2",
                claim.headline,
                plain_text(claim.summary),
                origin=claim.path,
                more=claim_html(claim),
                claim=claim,
                share=claim_share(settings, claim),
            )
        put_list(
            "entities/index.md",
            "entities_index.html.j2",
            t("People, organisations and places"),
            t("Everyone and everything our fact-checks name, by type."),
            {"entities": [e for group in site.entities_by_type().values() for e in group]},
        )
        for entity in site.entities.values():
            put_list(
                entity.src_uri,
                "entity.html.j2",
                entity.name,
                entity.description or entity.name,
                {"naming": site.claims_naming(entity), "mentioned_in": site.mentioning(entity)},
                origin=entity.path,
                entity=entity,
            )
        put_list(
            "sources/index.md",
            "sources_index.html.j2",
            t("Sources"),
            t("The articles, videos and statements we have checked."),
            {"sources": list(site.sources.values())},
        )
        for source in site.sources.values():
            put_list(
                source.src_uri,
                "source.html.j2",
                source.title,
                t("Fact-checks of statements in %(source)s", source=source.title),
                {"claims": site.claims_in(source)},
                origin=source.path,
                source=source,
            )
        put(
            "verdicts/index.md",
            "verdicts_index.html.j2",
            t("Our ratings"),
            t("The rating scale and the fact-checks under each rating."),
            by_verdict=by_verdict,
        )
        for verdict in settings.scale:
            put_list(
                f"verdicts/{verdict.key}.md",
                "verdict.html.j2",
                t("Rated %(verdict)s", verdict=verdict.label),
                verdict.definition,
                {"claims": by_verdict[verdict.key]},
                verdict=verdict,
            )
        put_list(
            "tags/index.md",
            "tags_index.html.j2",
            t("Tags"),
            t("Topics of our fact-checks."),
            {"tags": list(site.tags.items())},
        )
        for tag, claims in site.tags.items():
            put_list(
                f"tags/{tag}.md",
                "tag.html.j2",
                t("Tag: %(tag)s", tag=tag),
                t("Fact-checks tagged %(tag)s", tag=tag),
                {"claims": claims},
                tag=tag,
            )
        put_list(
            "corrections/index.md",
            "corrections.html.j2",
            t("Corrections and updates"),
            t("Every correction, update and verdict change by %(publisher)s.", publisher=settings.publisher_name),
            {"corrections": site_corrections(site)},
        )
        return pages
