"""Every cited address of a site, with the file, line and field of each place that cites it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factcheck.model.discover import Inputs
from factcheck.model.sourcing import text_links
from factcheck.model.yamlio import dotted

LINK_STATUS_DEAD = "dead"


@dataclass(frozen=True)
class Place:
    """One place that cites an address: the mapping that holds it (an evidence item, an appearance, a source)."""

    path: str  # relative to the site's root, as `check` names files
    line: int
    column: int
    field: str  # e.g. evidence[2].url
    where: tuple[Any, ...]  # the path of the mapping in the file's YAML
    front_matter: bool  # the mapping is a source page's front matter
    archive_url: str | None
    link_status: str | None
    archivable: bool  # the mapping may hold archive_url (media do not)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Cited:
    """One address and every place that cites it."""

    url: str
    places: tuple[Place, ...]

    @property
    def archive_url(self) -> str | None:
        """An archived copy some place already gives (the first, in file order)."""
        return next((p.archive_url for p in self.places if p.archive_url), None)

    @property
    def unarchived(self) -> tuple[Place, ...]:
        return tuple(p for p in self.places if p.archivable and not p.archive_url)


def _place(item: Any, where: tuple[Any, ...], key: str, front_matter: bool, archivable: bool = True) -> Place:
    line, column = item.doc.where(where + (key,))
    data = item.doc.data
    for part in where:
        data = data[part]
    return Place(
        item.path,
        line,
        column,
        dotted(where + (key,)),
        where,
        front_matter,
        data.get("archive_url") if archivable else None,
        data.get("link_status") if archivable else None,
        archivable,
    )


def places(inputs: Inputs) -> Iterable[tuple[str, Place]]:
    """Yield (address, place) for every cited address: evidence, appearances, media, text links, source pages."""
    for claim in inputs.claims:
        data = claim.data
        for i, item in enumerate(data.get("evidence") or ()):
            if isinstance(item, dict) and isinstance(item.get("url"), str):
                yield item["url"], _place(claim, ("evidence", i), "url", False)
        appearance = data.get("appearance")
        if isinstance(appearance, dict) and isinstance(appearance.get("url"), str):
            yield appearance["url"], _place(claim, ("appearance",), "url", False)
        media = data.get("media")
        if isinstance(media, dict):
            for key in ("url", "original_url"):
                if isinstance(media.get(key), str):
                    yield media[key], _place(claim, ("media",), key, False, archivable=False)
        # Links in the summary and analysis: checked by `links`; their copies are their evidence items'.
        for url, name, line, column in text_links(claim.path, claim.text, claim.doc):
            yield url, Place(claim.path, line, column, name, (), False, None, None, False)
    for source in inputs.sources.values():
        if isinstance(source.data.get("url"), str):
            yield source.data["url"], _place(source, (), "url", True)


def cited(inputs: Inputs) -> list[Cited]:
    """Every cited address once, in the order first cited (claims by file name, then source pages)."""
    by_url: dict[str, list[Place]] = {}
    for url, place in places(inputs):
        by_url.setdefault(url, []).append(place)
    return [Cited(url, tuple(found)) for url, found in by_url.items()]


def absolute(root: Path, place: Place) -> Path:
    return root / place.path
