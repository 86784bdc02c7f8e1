"""The validated, immutable model of the whole site: claims, entities, sources and their links.

Every object is a frozen dataclass, made once by assembly (assemble.py) from files that passed
the checks. Relations that run the other way (the claims about an entity, the claims checked
in a source) are not stored on the objects: linking (link.py) returns them as indexes, kept
in `Links` and read through the `Site`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from factcheck.render.format import UNVERIFIED_MEDIA, src_uri
from factcheck.settings import Settings, Verdict


@dataclass(frozen=True)
class Entity:
    """A person, organisation, place, unit ... that claims are made by or about."""

    id: str
    name: str
    type: str
    path: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    description: str = ""
    related_ids: tuple[str, ...] = ()
    body: str = ""

    @property
    def src_uri(self) -> str:
        return src_uri("entities", self.id)

    @property
    def wikidata_url(self) -> str | None:
        return f"https://www.wikidata.org/wiki/{self.wikidata}" if self.wikidata else None


@dataclass(frozen=True)
class Source:
    """A document in which claims were made (an article, a video, a statement)."""

    id: str
    title: str
    path: str
    publisher: str | None = None
    url: str | None = None
    date: dt.date | None = None
    type: str | None = None
    archive_url: str | None = None
    body: str = ""
    link_status: str | None = None  # "dead": the page no longer answers (readers get the archived copy first)

    @property
    def dead(self) -> bool:
        return self.link_status == "dead"

    @property
    def src_uri(self) -> str:
        return src_uri("sources", self.id)


@dataclass(frozen=True)
class Appearance:
    """Where a claim was made: one of our sources, or an outside page."""

    quote: str | None = None
    source: Source | None = None
    position: int | None = None
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    date: dt.date | None = None
    archive_url: str | None = None
    link_status: str | None = None

    @property
    def dead(self) -> bool:
        return self.link_status == "dead"


@dataclass(frozen=True)
class Evidence:
    title: str
    publisher: str
    url: str
    date: dt.date
    stance: str  # a key of format.STANCES
    excerpt: str | None = None
    archive_url: str | None = None
    link_status: str | None = None  # "dead": the page no longer answers

    @property
    def dead(self) -> bool:
        return self.link_status == "dead"


@dataclass(frozen=True)
class Media:
    """The video or image a claim is about, and what it really is (for MediaReview)."""

    type: str  # video | image
    url: str
    authenticity: str  # a key of format.MEDIA_AUTHENTICITY, or format.UNVERIFIED_MEDIA
    original_url: str | None = None
    original_context: str | None = None
    publisher: str | None = None  # who first published it, when known

    @property
    def verified(self) -> bool:
        """Whether its authenticity was established (only then is a MediaReview published)."""
        return self.authenticity != UNVERIFIED_MEDIA


@dataclass(frozen=True)
class Update:
    """A correction or update. When the verdict changed: what it was before, and what it became."""

    date: dt.date
    note: str
    previous_verdict: Verdict | None = None
    new_verdict: Verdict | None = None


@dataclass(frozen=True)
class Claim:
    """One fact-check."""

    id: str
    path: str
    statement: str
    claimant: Entity
    appearance: Appearance
    claim_date: dt.date
    verdict: Verdict
    summary: str
    analysis: str
    evidence: tuple[Evidence, ...]
    entities: tuple[Entity, ...]
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    published: dt.date
    updated: dt.date | None = None
    status: str = "published"
    updates: tuple[Update, ...] = ()
    media: Media | None = None  # set when the claim is about a video or an image
    unnamed_sources: str | None = None  # the claimant reported it from sources it did not name: as it described them
    history_date: dt.date | None = None  # last commit that changed the file (history.py)
    short_statement: str | None = None  # the statement in a few words, for titles, cards and share texts
    # Found by linking (link.py), which returns copies with these set:
    mentioned: tuple[Entity, ...] = ()  # named in the statement, not listed
    also_mentioned: tuple[Entity, ...] = ()  # named only in the summary or analysis

    @property
    def src_uri(self) -> str:
        return src_uri("claims", self.id)

    @property
    def headline(self) -> str:
        """The statement as titles, cards, share texts and `claimReviewed` give it: its short form if it has one."""
        return self.short_statement or self.statement

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @functools.cached_property  # asked for by every list's dates (the sitemap, feeds, head metadata)
    def last_changed(self) -> dt.date:
        """The last day the fact-check changed: `updated`, or its latest update if later."""
        return max([self.published, *(u.date for u in self.updates), *([self.updated] if self.updated else [])])

    @staticmethod
    def sort_key(claim: Claim) -> tuple[int, int, str]:
        """Newest first; ties broken by id so the order never depends on the file system."""
        return (-claim.published.toordinal(), -claim.claim_date.toordinal(), claim.id)

    @property
    def subjects(self) -> tuple[Entity, ...]:
        """Entities the claim is about: listed ones first, then others named in the statement."""
        seen: dict[str, Entity] = {e.id: e for e in self.entities}
        for entity in self.mentioned:
            seen.setdefault(entity.id, entity)
        return tuple(seen.values())

    @property
    def involved(self) -> tuple[Entity, ...]:
        """Everyone and everything the claim involves: claimant, subjects, mentions; each once."""
        seen: dict[str, Entity] = {}
        for entity in (self.claimant, *self.entities, *self.mentioned, *self.also_mentioned):
            seen.setdefault(entity.id, entity)
        return tuple(seen.values())


def _frozen(mapping: Mapping[str, tuple]) -> Mapping[str, tuple]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Links:
    """The indexes linking makes: each maps an entity, source, tag or verdict id to claims or entities."""

    as_claimant: Mapping[str, tuple[Claim, ...]] = field(default_factory=dict)
    as_subject: Mapping[str, tuple[Claim, ...]] = field(default_factory=dict)
    mentioned_in: Mapping[str, tuple[Claim, ...]] = field(default_factory=dict)
    related: Mapping[str, tuple[Entity, ...]] = field(default_factory=dict)
    in_source: Mapping[str, tuple[Claim, ...]] = field(default_factory=dict)
    tags: Mapping[str, tuple[Claim, ...]] = field(default_factory=dict)  # sorted by tag
    by_verdict: Mapping[str, tuple[Claim, ...]] = field(default_factory=dict)  # every scale key

    @classmethod
    def of(cls, **indexes: Mapping[str, Iterable]) -> Links:
        return cls(**{name: _frozen({k: tuple(v) for k, v in index.items()}) for name, index in indexes.items()})


@dataclass(frozen=True)
class Site:
    """Everything a build renders, already validated and cross-linked."""

    settings: Settings
    claims: tuple[Claim, ...]  # shown on pages: published, plus drafts in previews; newest first
    entities: Mapping[str, Entity]  # by id, sorted
    sources: Mapping[str, Source]  # by id, sorted
    links: Links = field(default_factory=Links)
    # claims_naming's answers, by entity id: pages, cards, feeds, filters and counts each ask for them.
    _naming: dict[str, tuple[Claim, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def published(self) -> tuple[Claim, ...]:
        """The claims feeds, exports and structured data may carry: never a draft, even in previews."""
        return tuple(c for c in self.claims if not c.is_draft)

    # -- reverse relations, from the link indexes --------------------------------------------
    def claims_by(self, entity: Entity) -> tuple[Claim, ...]:
        return self.links.as_claimant.get(entity.id, ())

    def claims_about(self, entity: Entity) -> tuple[Claim, ...]:
        return self.links.as_subject.get(entity.id, ())

    def mentioning(self, entity: Entity) -> tuple[Claim, ...]:
        """Claims that name the entity only in their summary or analysis."""
        return self.links.mentioned_in.get(entity.id, ())

    def claims_naming(self, entity: Entity) -> tuple[Claim, ...]:
        """Every claim by or about the entity, newest first, each once."""
        found = self._naming.get(entity.id)
        if found is None:
            seen: dict[str, Claim] = {}
            for claim in (*self.claims_by(entity), *self.claims_about(entity)):
                seen.setdefault(claim.id, claim)
            found = self._naming[entity.id] = tuple(sorted(seen.values(), key=Claim.sort_key))
        return found

    def related(self, entity: Entity) -> tuple[Entity, ...]:
        return self.links.related.get(entity.id, ())

    def claims_in(self, source: Source) -> tuple[Claim, ...]:
        """The claims checked in a source, in the order they appear there."""
        return self.links.in_source.get(source.id, ())

    @property
    def tags(self) -> Mapping[str, tuple[Claim, ...]]:
        return self.links.tags

    def by_verdict(self) -> Mapping[str, tuple[Claim, ...]]:
        return self.links.by_verdict

    def entities_by_type(self) -> dict[str, list[Entity]]:
        out: dict[str, list[Entity]] = {}
        for entity in sorted(self.entities.values(), key=lambda e: (e.type, e.name.casefold(), e.id)):
            out.setdefault(entity.type, []).append(entity)
        return dict(sorted(out.items()))


def scorecard(claims: Iterable[Claim]) -> Counter[str]:
    """Claims per verdict key."""
    return Counter(c.verdict.key for c in claims)
