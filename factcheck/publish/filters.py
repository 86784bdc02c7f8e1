"""The data the claims index's filter script reads: small JSON files, fetched only as a filter needs them.

Claims are numbered by their place on the claims index (0 = newest). For each filter value
(a rating, a tag, an entity, and "all") there is one list file and the rows of its matches,
cut into pages of `page_size`:

    claims/filters/verdict/false.json        {"count": M, "newest": [...], "claim": [...]}
    claims/filters/verdict/false/newest-0.json   rows 0 .. page_size-1, newest fact-check first
    claims/filters/verdict/false/claim-0.json    the same rows, most recent claim first

A rating, tag or entity with at most `page_size` matches (most entities and tags) has its rows
in its list file instead, newest first (`"rows": [...]`), and no files of rows: one file, not
three. The script finds a claim's row there by its number's place in `newest`. ("all" is
always cut into pages, as it is the list a sort without a filter reads.)

`newest` lists the matches' numbers in index order and `claim` in claim-date order (most
recent claim first, ties in index order), each as differences from the number before (the
first from 0), which compress to almost nothing when the matches are close together. The
oldest-first orders are these, reversed. A row is
`[link from the claims index, statement, verdict key, claimant's name, claim date (ISO),
claim date (as the pages show it), 1 if a draft else 0]`.

A filter of one value reads its list and the one page of rows it shows. A filter of several
reads each value's list, intersects them, and reads the rows of the smallest value's pages
that hold the matches it shows. Contributor text is in the rows as JSON strings; the script
puts it into the page as text (textContent), never as HTML.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.render.format import relative
from factcheck.render.paging import page_count

if TYPE_CHECKING:
    from factcheck.model.objects import Claim, Site

FILTERS_DIR = "claims/filters"
ORDERS = ("newest", "claim")


def _deltas(numbers: Sequence[int]) -> list[int]:
    out, last = [], 0
    for n in numbers:
        out.append(n - last)
        last = n
    return out


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


class FilterData:
    """Every filter file of a site, made when written."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.size = site.settings.page_size
        self.long_date = site.settings.interface.date
        self.rows: dict[str, list[Any]] = {}  # claim id -> its row: a claim is in many facets' lists
        claims = site.claims
        self.number = {c.id: i for i, c in enumerate(claims)}
        by_claim_date = sorted(range(len(claims)), key=lambda i: (-claims[i].claim_date.toordinal(), i))
        self.claim_rank = {claims[i].id: rank for rank, i in enumerate(by_claim_date)}
        facets: dict[tuple[str, str], Sequence[Claim]] = {("all", "all"): claims}
        facets.update({("verdict", k): v for k, v in site.by_verdict().items() if v})
        facets.update({("tag", k): v for k, v in site.tags.items() if v})
        for entity in site.entities.values():
            naming = site.claims_naming(entity)
            if naming:
                facets[("entity", entity.id)] = naming
        self.facets = facets

    def _orders(self, claims: Sequence[Claim]) -> dict[str, list[Claim]]:
        return {
            "newest": sorted(claims, key=lambda c: self.number[c.id]),
            "claim": sorted(claims, key=lambda c: self.claim_rank[c.id]),
        }

    def paths(self) -> list[str]:
        """The site paths of every filter file, without making them."""
        out = []
        for (facet, value), claims in self.facets.items():
            out.append(f"{FILTERS_DIR}/{facet}/{value}.json")
            if self._inline(facet, claims):
                continue  # its rows are in its list file
            for order in ORDERS:
                for k in range(page_count(len(claims), self.size)):
                    out.append(f"{FILTERS_DIR}/{facet}/{value}/{order}-{k}.json")
        return out

    def _inline(self, facet: str, claims: Sequence[Claim]) -> bool:
        """Whether a value's rows go in its list file (a rating, tag or entity with one page of matches)."""
        return facet != "all" and len(claims) <= self.size

    def _row(self, claim: Claim) -> list[Any]:
        row = self.rows.get(claim.id)
        if row is None:
            row = self.rows[claim.id] = self._make_row(claim)
        return row

    def _make_row(self, claim: Claim) -> list[Any]:
        d = claim.claim_date
        href = relative("claims/index.md", claim.src_uri, self.site.settings.directory_urls)
        return [
            href,
            claim.statement,
            claim.verdict.key,
            claim.claimant.name,
            d.isoformat(),
            self.long_date(d),  # as the pages show it, in the site's language
            1 if claim.is_draft else 0,
        ]

    def files(self) -> Iterator[tuple[str, str]]:
        """(site path, text) of every filter file, one at a time."""
        size = self.size
        for (facet, value), claims in self.facets.items():
            orders = self._orders(claims)
            lists = {order: _deltas([self.number[c.id] for c in listed]) for order, listed in orders.items()}
            if self._inline(facet, claims):  # one page of matches: the rows go with the lists
                rows = [self._row(c) for c in orders["newest"]]
                yield f"{FILTERS_DIR}/{facet}/{value}.json", _json({"count": len(claims), **lists, "rows": rows})
                continue
            yield f"{FILTERS_DIR}/{facet}/{value}.json", _json({"count": len(claims), **lists})
            for order, listed in orders.items():
                for k in range(page_count(len(listed), size)):
                    rows = [self._row(c) for c in listed[k * size : (k + 1) * size]]
                    yield f"{FILTERS_DIR}/{facet}/{value}/{order}-{k}.json", _json(rows)

    def write(self, site_dir: Path) -> None:
        """Write every filter file into site_dir."""
        for path, text in self.files():
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
