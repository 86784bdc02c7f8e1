"""Linking: find the entities each claim names, and index every relation both ways.

Nothing is changed in place: claims come back as copies with their mentions set, and the
reverse relations (claims by, about or mentioning an entity; claims in a source; tags and
verdicts) come back as the indexes of a `Links`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from factcheck.model.objects import Claim, Entity, Links, Site, Source
from factcheck.render.markup import EntityMatcher, prose
from factcheck.settings import Settings


def _with_mentions(claim: Claim, matcher: EntityMatcher, kept: KeptMentions | None = None) -> Claim:
    """Return the claim with the entities named in its statement, and those named only in its text."""
    listed = {e.id for e in claim.entities} | {claim.claimant.id}
    if kept is not None:
        in_statement, in_text = kept.find(claim, matcher)
    else:
        in_statement, in_text = _mentions(claim, matcher)
    mentioned = tuple(e for e in in_statement if e.id not in listed)
    known = listed | {e.id for e in mentioned}
    also = tuple(e for e in in_text if e.id not in known)
    if kept is not None:
        return kept.linked(claim, mentioned, also)
    return dataclasses.replace(claim, mentioned=mentioned, also_mentioned=also)


def _mentions(claim: Claim, matcher: EntityMatcher) -> tuple[list[Entity], list[Entity]]:
    """The entities named in a claim's statement, and in its summary and analysis, in order of first mention."""
    return matcher.entities_in(claim.statement), matcher.entities_in(prose(claim.summary), prose(claim.analysis))


class KeptMentions:
    """Each claim's mentions, kept between two links of the same site in one process (the preview's updates).

    Kept by the claim's statement, summary and analysis as they are, for one set of entity
    names and aliases (each with the entity it names): when any name, alias or its entity
    changes, every claim's mentions are looked for again. What is kept are entity ids, turned
    back into the current entities at each link, so a changed description is never stale.
    Only the mentions of the last link are kept (a deleted or edited claim's go).
    """

    def __init__(self) -> None:
        self._names: tuple[tuple[str, str], ...] | None = None
        self._found: dict[tuple[str, str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self._next: dict[tuple[str, str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self.hits = 0  # claims whose mentions were kept, in the last link
        # The linked copy of each claim, by the assembled claim it was made from (assemble.py's
        # KeptModel hands an unchanged one back) and the entity objects it names.
        self._linked: dict[int, tuple[Claim, tuple[int, ...], Claim]] = {}
        self._next_linked: dict[int, tuple[Claim, tuple[int, ...], Claim]] = {}

    def start(self, matcher: EntityMatcher) -> None:
        names = tuple(sorted((name, entity.id) for name, entity in matcher.by_name.items()))
        if names != self._names:
            self._names, self._found = names, {}
        self._next, self.hits = {}, 0
        self._next_linked = {}

    def find(self, claim: Claim, matcher: EntityMatcher) -> tuple[list[Entity], list[Entity]]:
        key = (claim.statement, claim.summary, claim.analysis)
        ids = self._found.get(key)
        if ids is None:
            in_statement, in_text = _mentions(claim, matcher)
            ids = tuple(e.id for e in in_statement), tuple(e.id for e in in_text)
        else:
            self.hits += 1
        self._next[key] = ids
        by_id = matcher.by_id
        return [by_id[i] for i in ids[0]], [by_id[i] for i in ids[1]]

    def linked(self, claim: Claim, mentioned: tuple[Entity, ...], also: tuple[Entity, ...]) -> Claim:
        """The claim with its mentions set: the last link's copy if made from the same objects."""
        # ids of objects the kept copy holds: alive while it is, so never another object's.
        made_from = (*(id(e) for e in mentioned), -1, *(id(e) for e in also))
        held = self._linked.get(id(claim))
        if held is not None and held[0] is claim and held[1] == made_from:
            out = held[2]
        else:
            out = dataclasses.replace(claim, mentioned=mentioned, also_mentioned=also)
        self._next_linked[id(claim)] = (claim, made_from, out)
        return out

    def finish(self) -> None:
        self._found, self._next = self._next, {}
        self._linked, self._next_linked = self._next_linked, {}


def _related(entities: Mapping[str, Entity]) -> dict[str, list[Entity]]:
    """Relations go both ways: B is related to A when A lists B. Sorted by name."""
    related: dict[str, dict[str, Entity]] = {k: {} for k in entities}
    for entity in entities.values():
        for other_id in entity.related_ids:
            related[entity.id].setdefault(other_id, entities[other_id])
            related[other_id].setdefault(entity.id, entity)
    return {k: sorted(v.values(), key=lambda e: (e.name.casefold(), e.id)) for k, v in related.items() if v}


def link(
    settings: Settings,
    entities: Mapping[str, Entity],
    sources: Mapping[str, Source],
    claims: list[Claim],
    *,
    mentions: bool = True,
    kept: KeptMentions | None = None,
) -> Site:
    """Return the site: the claims it shows, newest first, and every index between them.

    Drafts are shown only when the settings include them (previews). mentions=False skips
    finding mentions in the claims' text (what `build.py check` needs: the files are valid
    either way); `kept` (a preview's) keeps each claim's mentions for the next link.
    """
    shown = sorted((c for c in claims if settings.include_drafts or not c.is_draft), key=Claim.sort_key)
    if mentions:
        matcher = EntityMatcher(entities.values())
        if kept is not None:
            kept.start(matcher)
        shown = [_with_mentions(c, matcher, kept) for c in shown]
        if kept is not None:
            kept.finish()
    as_claimant: dict[str, list[Claim]] = {}
    as_subject: dict[str, list[Claim]] = {}
    mentioned_in: dict[str, list[Claim]] = {}
    in_source: dict[str, list[Claim]] = {}
    tags: dict[str, list[Claim]] = {}
    by_verdict: dict[str, list[Claim]] = {v.key: [] for v in settings.scale}
    for claim in shown:
        as_claimant.setdefault(claim.claimant.id, []).append(claim)
        for subject in claim.subjects:
            as_subject.setdefault(subject.id, []).append(claim)
        for entity in claim.also_mentioned:
            mentioned_in.setdefault(entity.id, []).append(claim)
        if claim.appearance.source is not None:
            in_source.setdefault(claim.appearance.source.id, []).append(claim)
        for tag in claim.tags:
            tags.setdefault(tag, []).append(claim)
        by_verdict[claim.verdict.key].append(claim)
    for listed in in_source.values():
        listed.sort(key=lambda c: (c.appearance.position or 10**9, c.claim_date, c.id))
    links = Links.of(
        as_claimant=as_claimant,
        as_subject=as_subject,
        mentioned_in=mentioned_in,
        related=_related(entities),
        in_source=in_source,
        tags=dict(sorted(tags.items())),
        by_verdict=by_verdict,
    )
    return Site(
        settings=settings,
        claims=tuple(shown),
        entities=dict(sorted(entities.items())),
        sources=dict(sorted(sources.items())),
        links=links,
    )
