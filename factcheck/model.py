"""The validated in-memory model of the whole site: claims, entities, sources and their links."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from .settings import Settings, Verdict


@dataclass
class Entity:
    """A person, organisation, place, unit ... that claims are made by or about."""

    id: str
    name: str
    type: str
    path: str
    aliases: list[str] = field(default_factory=list)
    wikidata: str | None = None
    description: str = ""
    related_ids: list[str] = field(default_factory=list)
    body: str = ""
    # Filled in by linking:
    related: list[Entity] = field(default_factory=list)
    as_claimant: list[Claim] = field(default_factory=list)
    as_subject: list[Claim] = field(default_factory=list)
    mentioned_in: list[Claim] = field(default_factory=list)

    @property
    def src_uri(self) -> str:
        return f"entities/{self.id}.md"

    @property
    def wikidata_url(self) -> str | None:
        return f"https://www.wikidata.org/wiki/{self.wikidata}" if self.wikidata else None

    @property
    def claims(self) -> list[Claim]:
        """Every claim that names this entity, newest first, each once."""
        seen: dict[str, Claim] = {}
        for claim in self.as_claimant + self.as_subject:
            seen.setdefault(claim.id, claim)
        return sorted(seen.values(), key=Claim.sort_key)

    def scorecard(self, claims: list[Claim]) -> Counter[str]:
        return Counter(c.verdict.key for c in claims)


@dataclass
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
    claims: list[Claim] = field(default_factory=list)

    @property
    def src_uri(self) -> str:
        return f"sources/{self.id}.md"


@dataclass
class Appearance:
    """Where a claim was made: one of our sources, or an outside page."""

    quote: str | None = None
    source: Source | None = None
    position: int | None = None
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    date: dt.date | None = None


@dataclass
class Evidence:
    title: str
    publisher: str
    url: str
    date: dt.date
    stance: str
    excerpt: str | None = None
    archive_url: str | None = None


@dataclass
class Media:
    """The video or image a claim is about, and what it really is (for MediaReview)."""

    type: str  # video | image
    url: str
    authenticity: str  # a key of schema.MEDIA_AUTHENTICITY
    original_url: str | None = None
    original_context: str | None = None


@dataclass
class Update:
    date: dt.date
    note: str
    previous_verdict: Verdict | None = None
    new_verdict: Verdict | None = None  # set by linking when the verdict changed (corrections.py)


@dataclass
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
    evidence: list[Evidence]
    entities: list[Entity]
    tags: list[str]
    authors: list[str]
    published: dt.date
    updated: dt.date | None = None
    status: str = "published"
    updates: list[Update] = field(default_factory=list)
    mentioned: list[Entity] = field(default_factory=list)  # named in the statement, not listed
    also_mentioned: list[Entity] = field(default_factory=list)  # named only in summary or analysis
    media: Media | None = None  # set when the claim is about a video or an image
    history_date: dt.date | None = None  # last commit that changed the file (factcheck.history)

    @property
    def src_uri(self) -> str:
        return f"claims/{self.id}.md"

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @property
    def last_modified(self) -> dt.date:
        return self.updated or self.published

    @staticmethod
    def sort_key(claim: Claim) -> tuple:
        """Newest first; ties broken by id so the order never depends on the file system."""
        return (-claim.published.toordinal(), -claim.claim_date.toordinal(), claim.id)

    @property
    def subjects(self) -> list[Entity]:
        """Entities the claim is about: listed ones first, then others named in the statement."""
        seen: dict[str, Entity] = {e.id: e for e in self.entities}
        for entity in self.mentioned:
            seen.setdefault(entity.id, entity)
        return list(seen.values())


@dataclass
class Site:
    """Everything a build renders, already validated and cross-linked."""

    settings: Settings
    claims: list[Claim]  # published (plus drafts when previews include them), newest first
    entities: dict[str, Entity]
    sources: dict[str, Source]

    @property
    def tags(self) -> dict[str, list[Claim]]:
        out: dict[str, list[Claim]] = {}
        for claim in self.claims:
            for tag in claim.tags:
                out.setdefault(tag, []).append(claim)
        return dict(sorted(out.items()))

    def by_verdict(self) -> dict[str, list[Claim]]:
        out: dict[str, list[Claim]] = {v.key: [] for v in self.settings.scale}
        for claim in self.claims:
            out[claim.verdict.key].append(claim)
        return out

    def entities_by_type(self) -> dict[str, list[Entity]]:
        out: dict[str, list[Entity]] = {}
        for entity in sorted(self.entities.values(), key=lambda e: (e.type, e.name.casefold(), e.id)):
            out.setdefault(entity.type, []).append(entity)
        return dict(sorted(out.items()))
