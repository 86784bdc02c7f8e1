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


def _with_mentions(claim: Claim, matcher: EntityMatcher) -> Claim:
    """Return the claim with the entities named in its statement, and those named only in its text."""
    listed = {e.id for e in claim.entities} | {claim.claimant.id}
    mentioned = tuple(e for e in matcher.entities_in(claim.statement) if e.id not in listed)
    known = listed | {e.id for e in mentioned}
    also = tuple(e for e in matcher.entities_in(prose(claim.summary), prose(claim.analysis)) if e.id not in known)
    return dataclasses.replace(claim, mentioned=mentioned, also_mentioned=also)


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
) -> Site:
    """Return the site: the claims it shows, newest first, and every index between them.

    Drafts are shown only when the settings include them (previews). mentions=False skips
    finding mentions in the claims' text (what `build.py check` needs: the files are valid
    either way).
    """
    shown = sorted((c for c in claims if settings.include_drafts or not c.is_draft), key=Claim.sort_key)
    if mentions:
        matcher = EntityMatcher(entities.values())
        shown = [_with_mentions(c, matcher) for c in shown]
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
