"""Assembly: turn files that passed every check into the frozen model objects.

Runs only when discovery and the rules found no problem, so every field has the type and
value the schema promises and every id names a file: no check is repeated here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from factcheck.model.discover import Input, Inputs
from factcheck.model.objects import Appearance, Claim, Entity, Evidence, Media, Source, Update
from factcheck.settings import Settings, Verdict


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def entity(item: Input) -> Entity:
    d = item.data
    assert item.id is not None
    return Entity(
        id=item.id,
        name=d["name"].strip(),
        type=d["type"],
        path=item.path,
        aliases=tuple(a.strip() for a in d.get("aliases") or ()),
        wikidata=d.get("wikidata"),
        description=d.get("description") or "",
        related_ids=tuple(d.get("related") or ()),
        body=item.body,
    )


def source(item: Input) -> Source:
    d = item.data
    assert item.id is not None
    return Source(
        id=item.id,
        title=d["title"].strip(),
        path=item.path,
        publisher=d.get("publisher"),
        url=d.get("url"),
        date=_date(d.get("date")),
        type=d.get("type"),
        archive_url=d.get("archive_url"),
        body=item.body,
        link_status=d.get("link_status"),
    )


def _updates(raw: list[dict[str, Any]], current: Verdict, settings: Settings) -> tuple[Update, ...]:
    """The updates, each verdict change with the verdict it led to.

    The verdict an update changed *to* is the previous verdict of the next change, or the
    claim's current verdict for the last one.
    """
    previous = [settings.verdict(u["previous_verdict"]) if u.get("previous_verdict") else None for u in raw]
    out = []
    for i, update in enumerate(raw):
        new = None
        if previous[i] is not None:
            later = [v for v in previous[i + 1 :] if v is not None]
            new = later[0] if later else current
        out.append(Update(_date(update["date"]), update["note"], previous[i], new))  # type: ignore[arg-type]
    return tuple(out)


def claim(
    item: Input,
    entities: Mapping[str, Entity],
    sources: Mapping[str, Source],
    settings: Settings,
    history: Mapping[str, dt.date],
) -> Claim:
    d = item.data
    assert item.id is not None
    app = d["appearance"]
    verdict = settings.verdict(d["verdict"])
    assert verdict is not None
    return Claim(
        id=item.id,
        path=item.path,
        statement=d["statement"].strip(),
        short_statement=d["short_statement"].strip() if d.get("short_statement") else None,
        claimant=entities[d["claimant"]],
        appearance=Appearance(
            quote=app.get("quote"),
            source=sources[app["source"]] if app.get("source") else None,
            position=app.get("position"),
            url=app.get("url"),
            title=app.get("title"),
            publisher=app.get("publisher"),
            date=_date(app.get("date")),
            archive_url=app.get("archive_url"),
            link_status=app.get("link_status"),
        ),
        claim_date=dt.date.fromisoformat(d["claim_date"]),
        verdict=verdict,
        summary=d["summary"].strip(),
        analysis=d["analysis"],
        evidence=tuple(
            Evidence(
                e["title"],
                e["publisher"],
                e["url"],
                dt.date.fromisoformat(e["date"]),
                e["stance"],
                e.get("excerpt"),
                e.get("archive_url"),
                e.get("link_status"),
            )
            for e in d["evidence"]
        ),
        entities=tuple(entities[e] for e in d.get("entities") or ()),
        tags=tuple(d.get("tags") or ()),
        authors=tuple(d.get("authors") or ()),
        published=dt.date.fromisoformat(d["published"]),
        updated=_date(d.get("updated")),
        status=d.get("status") or "published",
        updates=_updates(d.get("updates") or [], verdict, settings),
        media=Media(**d["media"]) if d.get("media") else None,
        unnamed_sources=d.get("unnamed_sources"),
        history_date=history.get(item.path),
    )


class KeptModel:
    """The model objects of the last assembly, each with what it was made from (a preview's updates).

    An object is taken again only when it is made from the very same parsed file (the same
    `Input` object: discover's KeptFiles hands an unchanged file's back) and, for a claim, the
    very same entity and source objects and the same git date; anything else is made again.
    Only the last assembly's objects are kept.
    """

    def __init__(self) -> None:
        self.entities: dict[int, tuple[Input, Entity]] = {}
        self.sources: dict[int, tuple[Input, Source]] = {}
        self.claims: dict[int, tuple[Input, tuple[Any, ...], Claim]] = {}
        self.hits = 0


def _claim_inputs(
    item: Input, entities: Mapping[str, Entity], sources: Mapping[str, Source], history: Mapping[str, dt.date]
) -> tuple[Any, ...]:
    """What a claim is made from besides its file: the entity and source objects it names, its git date."""
    d = item.data
    source = (d.get("appearance") or {}).get("source")
    return (
        id(entities[d["claimant"]]),
        tuple(id(entities[e]) for e in d.get("entities") or ()),
        id(sources[source]) if source else None,
        history.get(item.path),
    )  # ids of objects the kept claim holds: alive while it is, so never another object's


def assemble(
    inputs: Inputs, settings: Settings, history: Mapping[str, dt.date], kept: KeptModel | None = None
) -> tuple[dict[str, Entity], dict[str, Source], list[Claim]]:
    """Build every entity, source and claim (drafts too); ids sorted, claims in file order."""
    if kept is None:
        entities = {k: entity(v) for k, v in sorted(inputs.entities.items())}
        sources = {k: source(v) for k, v in sorted(inputs.sources.items())}
        return entities, sources, [claim(item, entities, sources, settings, history) for item in inputs.claims]
    kept.hits = 0
    made_entities: dict[int, tuple[Input, Entity]] = {}
    made_sources: dict[int, tuple[Input, Source]] = {}
    made_claims: dict[int, tuple[Input, tuple[Any, ...], Claim]] = {}
    entities, sources, claims = {}, {}, []
    for k, item in sorted(inputs.entities.items()):
        held_entity = kept.entities.get(id(item))
        one = held_entity[1] if held_entity is not None and held_entity[0] is item else entity(item)
        entities[k], made_entities[id(item)] = one, (item, one)
    for k, item in sorted(inputs.sources.items()):
        held_source = kept.sources.get(id(item))
        two = held_source[1] if held_source is not None and held_source[0] is item else source(item)
        sources[k], made_sources[id(item)] = two, (item, two)
    for item in inputs.claims:
        made_from = _claim_inputs(item, entities, sources, history)
        held_claim = kept.claims.get(id(item))
        if held_claim is not None and held_claim[0] is item and held_claim[1] == made_from:
            three = held_claim[2]
            kept.hits += 1
        else:
            three = claim(item, entities, sources, settings, history)
        claims.append(three)
        made_claims[id(item)] = (item, made_from, three)
    kept.entities, kept.sources, kept.claims = made_entities, made_sources, made_claims
    return entities, sources, claims
