"""What goes into each page's <head>: description, OpenGraph and Twitter tags, feed links, JSON-LD.

`PageHead` is built here from the model for generated pages, and from a page's title and
description for hand-written ones; the engine adapter only hands the HTML to the theme.
Every value is HTML-escaped here; JSON-LD goes through `jsonld.script`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from factcheck.publish import jsonld
from factcheck.publish.feeds import CORRECTIONS_FEED, CORRECTIONS_PAGE, SITE_FEED, entity_feed_path, latest_date
from factcheck.publish.publisher import Publisher
from factcheck.render.format import relative_path
from factcheck.render.text import plain_text
from factcheck.share.cards import HEIGHT as CARD_HEIGHT
from factcheck.share.cards import WIDTH as CARD_WIDTH
from factcheck.share.cards import Card
from factcheck.share.embeds import claim_share

if TYPE_CHECKING:
    from factcheck.model.objects import Claim, Site


@dataclass
class PageHead:
    """Metadata of one page, independent of any theme."""

    title: str  # plain text
    description: str  # plain text
    url: str  # canonical
    type: str = "website"  # OpenGraph type: website | article | profile
    published: dt.date | None = None
    modified: dt.date | None = None
    tags: list[str] = field(default_factory=list)
    feeds: list[tuple[str, str]] = field(default_factory=list)  # (title, site path)
    jsonld: list[dict[str, Any]] = field(default_factory=list)
    image: tuple[str, str] | None = None  # the page's share card: (absolute URL, text alternative)
    oembed: tuple[str, str] | None = None  # the page's oEmbed document: (absolute URL, title)


class Heads:
    """The head metadata of every generated page, and of hand-written pages on request."""

    def __init__(self, site: Site, publisher: Publisher, cards: Mapping[str, Card] | None = None) -> None:
        self.site = site
        self.settings = site.settings
        self.publisher = publisher
        self.t = t = self.settings.interface.gettext
        self.og_locale = self.settings.interface.og_locale
        # Share cards need an absolute URL (og:image): without a site_url, pages keep the logo, if any.
        self.cards = cards if cards is not None and self.settings.site_url else {}
        self.site_feed = (t("%(title)s (Atom)", title=self.settings.site_name), SITE_FEED)
        home = self.cards.get("index.md")
        self._home_image = (self.settings.address(home.path), home.alt) if home is not None else None
        self.dates: dict[str, dt.date] = {}  # src_uri -> last change of the data shown
        self._build()

    def _url(self, src_uri: str) -> str:
        return self.settings.address(src_uri)

    def _dated(self, src_uri: str, claims: Iterable[Claim]) -> None:
        days = [c.last_changed for c in claims if not c.is_draft]
        if days:
            self.dates[src_uri] = max(days)

    def _build(self) -> None:
        """Date every page now (the sitemap needs them all); each page's head is made on request."""
        site = self.site
        claims = site.published
        self._claims = {c.src_uri: c for c in site.claims}
        self._entities = {e.src_uri: e for e in site.entities.values()}
        for uri in (
            "index.md",
            "claims/index.md",
            "verdicts/index.md",
            "tags/index.md",
            "entities/index.md",
            "sources/index.md",
        ):
            self._dated(uri, claims)
        for claim in site.claims:
            self._dated(claim.src_uri, [claim])
        for entity in site.entities.values():
            self._dated(entity.src_uri, [*site.claims_naming(entity), *site.mentioning(entity)])
        for source in site.sources.values():
            self._dated(source.src_uri, site.claims_in(source))
        for key, listed in site.by_verdict().items():
            self._dated(f"verdicts/{key}.md", listed)
        for tag, listed in site.tags.items():
            self._dated(f"tags/{tag}.md", listed)
        self.dates.setdefault("index.md", latest_date(site))  # the sitemap needs one date at least
        corrections = [c for c in claims if c.updates]
        if corrections:
            self.dates[CORRECTIONS_PAGE] = max(u.date for c in corrections for u in c.updates)

    def generated_head(self, src_uri: str) -> PageHead | None:
        """The metadata of a page made from the data (home, claim, entity, corrections), else None."""
        head = self._generated_head(src_uri)
        card = self.cards.get(src_uri)
        if head is not None and card is not None:
            head.image = (self.settings.address(card.path), card.alt)
        return head

    def _generated_head(self, src_uri: str) -> PageHead | None:
        settings, t = self.settings, self.t
        if src_uri in self._claims:
            return self.claim_head(self._claims[src_uri])
        if src_uri in self._entities:
            entity = self._entities[src_uri]
            description = entity.description or t("Fact-checks by and about %(name)s.", name=entity.name)
            return PageHead(
                entity.name,
                description,
                self._url(entity.src_uri),
                type="profile" if entity.type == "person" else "website",
                feeds=[self.site_feed, (t("%(title)s (Atom)", title=entity.name), entity_feed_path(entity))],
            )
        if src_uri == "index.md":
            return PageHead(
                settings.site_name,
                settings.site_description or t("Fact-checks by %(publisher)s", publisher=self.publisher.name),
                self._url("index.md"),
                feeds=[self.site_feed],
                jsonld=[jsonld.publisher_graph(settings, self.publisher)],
            )
        if src_uri == CORRECTIONS_PAGE:
            return PageHead(
                t("Corrections and updates"),
                t("Every correction, update and verdict change by %(publisher)s.", publisher=self.publisher.name),
                self._url(CORRECTIONS_PAGE),
                feeds=[self.site_feed, (t("Corrections (Atom)"), CORRECTIONS_FEED)],
            )
        return None

    def claim_head(self, claim: Claim) -> PageHead:
        head = PageHead(
            claim.headline,
            plain_text(claim.summary),
            self._url(claim.src_uri),
            type="article",
            published=claim.published,
            modified=claim.last_changed,
            tags=list(claim.tags),
            feeds=[self.site_feed],
        )
        if not claim.is_draft:  # previews of drafts carry no structured data for crawlers
            share = claim_share(self.settings, claim)
            if share is not None:
                head.oembed = (share.oembed_url, claim.headline)
            head.jsonld.append(jsonld.claim_review(claim, self.settings, self.publisher))
            media = jsonld.media_review(claim, self.settings, self.publisher)
            if media is not None:
                head.jsonld.append(media)
        return head

    def head(self, src_uri: str, title: str | None, description: str | None) -> PageHead:
        """Return a page's metadata: made from the data, or from the page's own title and description."""
        generated = self.generated_head(src_uri)
        if generated is not None:
            return generated
        return PageHead(
            title or self.settings.site_name,
            description or self.settings.site_description,
            self._url(src_uri),
            feeds=[self.site_feed],
        )

    def html(self, src_uri: str, head: PageHead) -> Markup:
        """Return the tags for a page's <head> (the theme adds the description, canonical link and language)."""
        e = lambda value: escape(str(value), quote=True)
        lines = [
            f'<meta property="og:site_name" content="{e(self.settings.site_name)}">',
            f'<meta property="og:type" content="{e(head.type)}">',
            f'<meta property="og:title" content="{e(head.title)}">',
            f'<meta property="og:url" content="{e(head.url)}">',
            f'<meta property="og:locale" content="{e(self.og_locale)}">',
            f'<meta name="twitter:card" content="{"summary_large_image" if head.image or self._home_image else "summary"}">',
            f'<meta name="twitter:title" content="{e(head.title)}">',
        ]
        if head.description:
            lines.insert(3, f'<meta property="og:description" content="{e(head.description)}">')
            lines.append(f'<meta name="twitter:description" content="{e(head.description)}">')
        # A page without a card of its own (lists, tags, hand-written pages) shows the site's: OpenGraph
        # requires an image, and a shared link then looks like the site rather than like nothing.
        image = head.image or self._home_image
        if image:
            url, alt = image
            lines += [
                f'<meta property="og:image" content="{e(url)}">',
                '<meta property="og:image:type" content="image/png">',
                f'<meta property="og:image:width" content="{CARD_WIDTH}">',
                f'<meta property="og:image:height" content="{CARD_HEIGHT}">',
                f'<meta property="og:image:alt" content="{e(alt)}">',
                f'<meta name="twitter:image" content="{e(url)}">',
                f'<meta name="twitter:image:alt" content="{e(alt)}">',
            ]
        elif self.publisher.logo:
            lines.append(f'<meta property="og:image" content="{e(self.publisher.logo)}">')
        if head.published:
            lines.append(f'<meta property="article:published_time" content="{head.published.isoformat()}">')
        if head.modified:
            lines.append(f'<meta property="article:modified_time" content="{head.modified.isoformat()}">')
        for tag in head.tags:
            lines.append(f'<meta property="article:tag" content="{e(tag)}">')
        for title, path in head.feeds:
            # rel="alternate feed": feed readers and browsers read rel as a list of words and find
            # the feed; the theme's script looks only for rel exactly "alternate" (its language
            # versions) and would fetch a sitemap.xml beside every feed that has none (a 404).
            lines.append(
                f'<link rel="alternate feed" type="application/atom+xml" title="{e(title)}" '
                f'href="{e(relative_path(src_uri, path, self.settings.directory_urls))}">'
            )
        if head.oembed:
            # rel is a list of words: oEmbed consumers find "alternate" (or match the type); the
            # theme's script, which fetches a sitemap.xml beside every rel exactly "alternate", skips it.
            url, title = head.oembed
            lines.append(
                f'<link rel="alternate oembed" type="application/json+oembed" href="{e(url)}" title="{e(title)}">'
            )
        lines.extend(str(jsonld.script(data)) for data in head.jsonld)
        # Safe: every value above is escaped, and JSON-LD is escaped by jsonld.script.
        return Markup("\n".join(lines))  # noqa: S704
