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


def assemble(
    inputs: Inputs, settings: Settings, history: Mapping[str, dt.date]
) -> tuple[dict[str, Entity], dict[str, Source], list[Claim]]:
    """Build every entity, source and claim (drafts too); ids sorted, claims in file order."""
    entities = {k: entity(v) for k, v in sorted(inputs.entities.items())}
    sources = {k: source(v) for k, v in sorted(inputs.sources.items())}
    claims = [claim(item, entities, sources, settings, history) for item in inputs.claims]
    return entities, sources, claims
