"""Corrections in the open: every update and verdict change across the site, and verdict histories.

A claim file lists its updates oldest first; an update that changed the rating names the
`previous_verdict`. The verdict an update changed *to* is the previous verdict of the next
change, or the claim's current verdict for the last one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Claim, Site
    from .settings import Verdict


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
    out = []
    for i, update in enumerate(claim.updates):
        new = None
        if update.previous_verdict is not None:
            later = [u.previous_verdict for u in claim.updates[i + 1:] if u.previous_verdict is not None]
            new = later[0] if later else claim.verdict
        out.append(Correction(update.date, claim, i + 1, update.note, update.previous_verdict, new))
    return out


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


def last_changed(claim: Claim) -> dt.date:
    """The last day the fact-check changed: its `updated` date or its latest update, if later."""
    days = [claim.published, *(u.date for u in claim.updates)]
    if claim.updated:
        days.append(claim.updated)
    return max(days)


def site_corrections(site: Site) -> list[Correction]:
    """Every update of every published claim, newest first (ties: by claim id, then update order)."""
    events = [c for claim in site.claims if not claim.is_draft for c in claim_corrections(claim)]
    return sorted(events, key=lambda c: (-c.date.toordinal(), c.claim.id, -c.number))
