"""Render the Site model through Jinja templates into Markdown pages for MkDocs.

Every template is rendered with autoescaping on, whatever its file name: contributor text
can only ever reach a page as escaped text or as markdown-it's sanitised HTML.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup

from .corrections import site_corrections
from .markup import EntityMatcher, Renderer, safe_url
from .model import Claim, Entity, Site
from .urls import page_url, relative

STANCE_LABELS = {"supports": "Supports", "contradicts": "Contradicts", "context": "Context"}
TYPE_LABELS = {
    "person": "People", "organization": "Organisations", "government-agency": "Government agencies",
    "country": "Countries", "place": "Places", "military-unit": "Military units", "school": "Schools",
    "weapon": "Weapons", "media-outlet": "Media", "event": "Events", "document": "Documents",
}


def make_environment(templates_dir: Path) -> Environment:
    """Return the Jinja environment for generated pages: autoescape on for every template."""
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=True,  # not select_autoescape: it would skip .j2 and .md templates
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["url"] = _url_filter
    env.filters["fm"] = front_matter_value
    env.filters["href"] = _href
    env.filters["isodate"] = lambda d: d.isoformat() if d else ""
    env.filters["longdate"] = lambda d: f"{d.day} {d.strftime('%B %Y')}" if d else ""
    env.globals["stance_labels"] = STANCE_LABELS
    env.globals["type_labels"] = TYPE_LABELS
    return env


def front_matter_value(text: str) -> Markup:
    """Encode text for a YAML front-matter value, HTML-escaped (the theme prints titles raw)."""
    # Safe: the text is HTML-escaped, then JSON-encoded (a valid YAML scalar on one line).
    return Markup(json.dumps(escape(" ".join(str(text).split()), quote=True), ensure_ascii=False))  # noqa: S704


def _href(url: str | None) -> str:
    """Return url if it is an allowed link target, else an inert anchor (defence in depth)."""
    return url if url and safe_url(url) else "#"


@pass_context
def _url_filter(context: Any, target: str) -> str:
    return relative(context["page_uri"], target)


class SiteRenderer:
    """Turn a Site into {src_uri: Markdown text}."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.env = make_environment(site.settings.templates_dir)
        self.md = Renderer(EntityMatcher(site.entities.values()))

    # -- helpers available to templates ---------------------------------------------------------
    def _claim_html(self, claim: Claim, page_uri: str) -> dict[str, Markup]:
        linked: set[str] = set()

        def href_for(entity: Entity) -> str:
            return relative(page_uri, entity.src_uri)

        summary = self.md.inline(claim.summary, linked, href_for)
        analysis = self.md.block(claim.analysis, linked, href_for)
        # Safe: markdown-it output with raw HTML off and link schemes allow-listed.
        return {"summary_html": Markup(summary), "analysis_html": Markup(analysis)}  # noqa: S704

    def _render(self, template: str, page_uri: str, **context: Any) -> str:
        md_block: Callable[[str], Markup] = lambda text: Markup(self.md.block(text))  # noqa: S704 - sanitised
        md_inline: Callable[[str], Markup] = lambda text: Markup(self.md.inline(text))  # noqa: S704 - sanitised
        return self.env.get_template(template).render(
            site=self.site, settings=self.site.settings, page_uri=page_uri, page_url=page_url(page_uri),
            md_block=md_block, md_inline=md_inline, has_page=self._has_page, **context,
        )

    def _has_page(self, src_uri: str) -> bool:
        return (self.site.settings.docs_dir / src_uri).is_file()

    # -- pages -----------------------------------------------------------------------------------
    def plan(self, home_intro: str = "") -> dict[str, Callable[[], str]]:
        """Return every generated page as {src_uri: a function that renders its Markdown}.

        Nothing is rendered here: the MkDocs hook renders each page when MkDocs reads it, so
        the Markdown of all pages never exists at once.
        """
        site = self.site
        out: dict[str, Callable[[], str]] = {}

        def put(uri: str, template: str, more: Callable[[], dict[str, Any]] | None = None, **context: Any) -> None:
            """Plan a page; `more` adds context that is costly to make, made only when rendering."""
            if uri in out:
                raise ValueError(f"two pages would be written to {uri}")
            out[uri] = lambda: self._render(template, uri, **context, **(more() if more else {}))

        put("index.md", "home.md.j2", intro=home_intro, latest=site.claims[: site.settings.latest_count],
            by_verdict=site.by_verdict())
        put("claims/index.md", "claims_index.md.j2", claims=site.claims)
        for claim in site.claims:
            put(claim.src_uri, "claim.md.j2", lambda c=claim: self._claim_html(c, c.src_uri), claim=claim)
        put("entities/index.md", "entities_index.md.j2", groups=site.entities_by_type())
        for entity in site.entities.values():
            put(entity.src_uri, "entity.md.j2", entity=entity)
        put("sources/index.md", "sources_index.md.j2", sources=list(site.sources.values()))
        for source in site.sources.values():
            put(source.src_uri, "source.md.j2", source=source)
        by_verdict = site.by_verdict()
        put("verdicts/index.md", "verdicts_index.md.j2", by_verdict=by_verdict)
        for verdict in site.settings.scale:
            put(f"verdicts/{verdict.key}.md", "verdict.md.j2", verdict=verdict, claims=by_verdict[verdict.key])
        tags = site.tags
        put("tags/index.md", "tags_index.md.j2", tags=tags)
        for tag, claims in tags.items():
            put(f"tags/{tag}.md", "tag.md.j2", tag=tag, claims=claims)
        put("corrections/index.md", "corrections.md.j2", corrections=site_corrections(site))
        return out

    def pages(self, home_intro: str = "") -> dict[str, str]:
        """Render every generated page now; keys are MkDocs src_uris."""
        return {uri: render() for uri, render in self.plan(home_intro).items()}
