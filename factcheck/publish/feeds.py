"""Atom feeds (RFC 4287): the latest fact-checks, one feed per entity, and corrections.

Written with the standard library's ElementTree, which escapes all text. Every date comes
from the claim files (published, updated, update dates), never from the clock, so the same
files always give the same feeds.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET  # noqa: S405 - used to write XML, never to parse it
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from factcheck.model.corrections import Correction, site_corrections
from factcheck.model.objects import Claim
from factcheck.render.text import plain_text

if TYPE_CHECKING:
    from factcheck.model.objects import Entity, Site
    from factcheck.publish.publisher import Publisher
    from factcheck.settings import Settings

ATOM = "http://www.w3.org/2005/Atom"
SITE_FEED = "feed.xml"
CORRECTIONS_PAGE = "corrections/index.md"
CORRECTIONS_FEED = "corrections/feed.xml"
FEED_LENGTH = 50  # entries in the site's and the corrections feed, newest first: the pages list the rest
ENTITY_FEED_LENGTH = 20  # entries in an entity's feed (feeds announce, pages archive: its page lists them all)


def entity_feed_path(entity: Entity) -> str:
    """The site path of an entity's feed, next to its page."""
    return f"entities/{entity.id}/feed.xml"


def _timestamp(day: dt.date) -> str:
    return day.isoformat() + "T00:00:00Z"


@dataclass
class Entry:
    id: str
    title: str
    link: str
    published: dt.date
    updated: dt.date
    summary: str
    categories: list[tuple[str, str]] = field(default_factory=list)  # (term, label)
    authors: list[str] = field(default_factory=list)


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def atom(
    *,
    title: str,
    feed_id: str,
    self_url: str,
    page_url_: str,
    subtitle: str,
    author: str,
    entries: list[Entry],
    fallback_updated: dt.date,
    language: str = "en",
) -> str:
    """Return an Atom feed document as text."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": language})
    _add(feed, "title", title)
    _add(feed, "subtitle", subtitle)
    _add(feed, "id", feed_id)
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=page_url_)
    updated = max((e.updated for e in entries), default=fallback_updated)
    _add(feed, "updated", _timestamp(updated))
    _add(_add(feed, "author"), "name", author)
    _add(feed, "generator", "factcheck")
    for entry in entries:
        el = _add(feed, "entry")
        _add(el, "title", entry.title)
        _add(el, "id", entry.id)
        _add(el, "link", rel="alternate", type="text/html", href=entry.link)
        _add(el, "published", _timestamp(entry.published))
        _add(el, "updated", _timestamp(entry.updated))
        for name in entry.authors:
            _add(_add(el, "author"), "name", name)
        for term, label in entry.categories:
            _add(el, "category", term=term, label=label)
        _add(el, "summary", entry.summary, type="text")
    # No indentation: feeds are read by programs, and a tenth of an entity feed's bytes was spaces.
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def claim_entry(claim: Claim, settings: Settings) -> Entry:
    """A fact-check as a feed entry: title, verdict, summary, link, dates."""
    url = settings.address(claim.src_uri)
    t = settings.interface.gettext
    return Entry(
        id=url,
        title=claim.statement,
        link=url,
        published=claim.published,
        updated=claim.last_changed,
        summary=t("%(verdict)s. %(summary)s", verdict=claim.verdict.label, summary=plain_text(claim.summary)),
        categories=[(claim.verdict.key, claim.verdict.label)],
        authors=list(claim.authors),
    )


def correction_entry(correction: Correction, settings: Settings) -> Entry:
    """An update or verdict change as a feed entry, linking to the claim's corrections."""
    claim = correction.claim
    url = settings.address(claim.src_uri)
    t = settings.interface.gettext
    summary = plain_text(correction.note)
    categories = [("update", t("Update"))]
    title = t("Updated: %(statement)s", statement=claim.statement)
    if correction.old_verdict and correction.new_verdict:
        old, new = correction.old_verdict.label, correction.new_verdict.label
        summary += " " + t("Verdict changed from %(old)s to %(new)s.", old=old, new=new)
        categories = [("verdict-change", t("Verdict change")), (correction.new_verdict.key, new)]
        title = t("Verdict changed to %(verdict)s: %(statement)s", verdict=new, statement=claim.statement)
    return Entry(
        id=f"{url}#update-{correction.number}",
        title=title,
        link=url + "#updates-and-corrections",
        published=correction.date,
        updated=correction.date,
        summary=summary,
        categories=categories,
    )


def latest_date(site: Site) -> dt.date:
    """The newest date in the data (for empty feeds); a fixed early date for a site with no claims."""
    return max((c.last_changed for c in site.published), default=dt.date(2000, 1, 1))


def feed_paths(site: Site) -> list[str]:
    """The site paths of every feed that `feeds` writes."""
    return [SITE_FEED, CORRECTIONS_FEED, *(entity_feed_path(e) for e in site.entities.values())]


def feeds(site: Site, publisher: Publisher) -> dict[str, str]:
    """Return every feed as {site path: Atom text}."""
    return dict(iter_feeds(site, publisher))


def iter_feeds(site: Site, publisher: Publisher) -> Iterator[tuple[str, str]]:
    """Yield (site path, Atom text) for every feed, one at a time."""
    settings = site.settings
    t = settings.interface.gettext
    claims = site.published
    fallback = latest_date(site)
    made: dict[str, Entry] = {}  # a claim's entry, made once however many feeds carry it

    def entry(claim: Claim) -> Entry:
        if claim.id not in made:
            made[claim.id] = claim_entry(claim, settings)
        return made[claim.id]

    yield (
        SITE_FEED,
        atom(
            title=settings.site_name,
            subtitle=t("The latest fact-checks by %(publisher)s", publisher=publisher.name),
            feed_id=settings.address(SITE_FEED),
            self_url=settings.address(SITE_FEED),
            page_url_=settings.address("index.md"),
            author=publisher.name,
            entries=[entry(c) for c in claims[:FEED_LENGTH]],
            fallback_updated=fallback,
            language=settings.language,
        ),
    )
    yield (
        CORRECTIONS_FEED,
        atom(
            title=t("Corrections and updates – %(site)s", site=settings.site_name),
            subtitle=t("The latest updates and verdict changes, newest first"),
            feed_id=settings.address(CORRECTIONS_FEED),
            self_url=settings.address(CORRECTIONS_FEED),
            page_url_=settings.address(CORRECTIONS_PAGE),
            author=publisher.name,
            entries=[correction_entry(c, settings) for c in site_corrections(site)[:FEED_LENGTH]],
            fallback_updated=fallback,
            language=settings.language,
        ),
    )
    for entity in site.entities.values():
        path = entity_feed_path(entity)
        named = {c.id: c for c in (*site.claims_naming(entity), *site.mentioning(entity)) if not c.is_draft}
        ordered = sorted(named.values(), key=Claim.sort_key)  # newest first, as site.published
        yield (
            path,
            atom(
                title=t("%(name)s – %(site)s", name=entity.name, site=settings.site_name),
                subtitle=t("Fact-checks by, about or mentioning %(name)s", name=entity.name),
                feed_id=settings.address(path),
                self_url=settings.address(path),
                page_url_=settings.address(entity.src_uri),
                author=publisher.name,
                entries=[entry(c) for c in ordered[:ENTITY_FEED_LENGTH]],
                fallback_updated=fallback,
                language=settings.language,
            ),
        )
