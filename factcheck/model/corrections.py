"""Corrections in the open: every update and verdict change across the site, and verdict histories.

A claim file lists its updates oldest first; an update that changed the rating names the
`previous_verdict`, and assembly (assemble.py) works out the verdict it changed to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factcheck.model.objects import Claim, Site
    from factcheck.settings import Verdict


@dataclass(frozen=True)
class Correction:
    """One update to one fact-check."""

    date: dt.date
    claim: Claim
    number: int  # 1 = the claim's first update
    note: str
    old_verdict: Verdict | None  # set when the verdict changed
    new_verdict: Verdict | None

    @property
    def anchor(self) -> str:
        return f"{self.claim.id}-update-{self.number}"


@dataclass(frozen=True)
class VerdictState:
    """A verdict and the day it took effect."""

    date: dt.date
    verdict: Verdict
    note: str | None  # the update that set it; None for the first publication


def claim_corrections(claim: Claim) -> list[Correction]:
    """Return the claim's updates, oldest first, each with the verdict it changed from and to."""
    return [
        Correction(u.date, claim, i, u.note, u.previous_verdict, u.new_verdict)
        for i, u in enumerate(claim.updates, start=1)
    ]


def verdict_history(claim: Claim) -> list[VerdictState]:
    """Return every verdict the claim has had, oldest first, starting at publication."""
    changes = [c for c in claim_corrections(claim) if c.old_verdict is not None]
    first = changes[0].old_verdict if changes else claim.verdict
    assert first is not None
    history = [VerdictState(claim.published, first, None)]
    for change in changes:
        assert change.new_verdict is not None
        history.append(VerdictState(change.date, change.new_verdict, change.note))
    return history


def site_corrections(site: Site) -> list[Correction]:
    """Every update of every published claim, newest first (ties: by claim id, then update order)."""
    events = [c for claim in site.published for c in claim_corrections(claim)]
    return sorted(events, key=lambda c: (-c.date.toordinal(), c.claim.id, -c.number))
