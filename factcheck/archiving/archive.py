"""`archive`: ask the Internet Archive for a copy of every cited page that has none, and record it.

For each cited address (`cited`) with a place lacking `archive_url`: reuse a copy another place
already gives, else request a capture (`spn`) at most `captures_per_minute` a minute, backing
off when the service says 429 and stopping cleanly at a daily quota; then add the line
`archive_url: <endpoint>/web/<timestamp>/<url>` to each place's mapping (`yamledit`). The files
are the state: a run stopped anywhere leaves finished lines only, and the next run starts with
what is still missing. A run with nothing missing does nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from factcheck.archiving.cited import Cited, Place, cited
from factcheck.archiving.config import ArchiveConfig
from factcheck.archiving.spn import DailyQuota, SavePageNow, ServiceUnavailable, SlowDown, SpnError
from factcheck.archiving.yamledit import EditRefused, add_field
from factcheck.model.discover import Inputs
from factcheck.settings import Settings

MAX_SLOW_DOWNS = 5  # 429s in a row before the run gives up for now
FIRST_BACKOFF = 60.0  # seconds, when a 429 names no Retry-After; doubled each time


@dataclass
class Outcome:
    """What a run did, for its summary and exit code."""

    written: list[tuple[Place, str]] = field(default_factory=list)
    captured: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    refused: list[tuple[Place, str]] = field(default_factory=list)
    stopped: str | None = None  # why the run stopped before the end (quota, service)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed or self.refused or self.stopped else 0


class RateLimit:
    """At most `per_minute` requests a minute, as the service sees them.

    The interval is counted from the moment the previous request was answered (`answered`),
    which is after the service received it, so however long a request travels, two never
    arrive closer together than the interval.
    """

    def __init__(self, per_minute: float, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        self.interval, self.clock, self.sleep = 60.0 / per_minute, clock, sleep
        self.last: float | None = None

    def wait(self, extra: float = 0.0) -> None:
        """Sleep until the next request may be sent (extra: a longer wait the service asked for)."""
        if self.last is not None:
            due = self.last + max(self.interval, extra)
            now = self.clock()
            if due > now:
                self.sleep(due - now)

    def answered(self) -> None:
        self.last = self.clock()


def todo(inputs: Inputs) -> list[Cited]:
    """The cited addresses with at least one place that may hold an archived copy and has none."""
    return [c for c in cited(inputs) if c.unarchived]


def run_archive(
    settings: Settings,
    inputs: Inputs,
    client: SavePageNow,
    config: ArchiveConfig,
    *,
    dry_run: bool = False,
    out: TextIO,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Outcome:
    """Archive what is missing; print one line per address; return what happened."""
    outcome = Outcome()
    limit = RateLimit(config.captures_per_minute, clock, sleep)
    work = todo(inputs)
    if not work:
        print("Every cited page has an archived copy; nothing to do.", file=out)
        return outcome
    for item in work:
        where = ", ".join(str(p) for p in item.unarchived)
        known = item.archive_url
        if dry_run:
            how = f"would copy the archived copy {known}" if known else "would request a capture of"
            print(f"{how} {item.url}\n    into {where}" if known else f"{how} {item.url}\n    for {where}", file=out)
            continue
        if known:
            _write(settings, item, known, outcome, out)
            continue
        try:
            archive_url = _capture(client, limit, item.url, sleep)
        except SpnError as exc:
            outcome.failed.append((item.url, str(exc)))
            print(f"failed {item.url}: {exc} (cited at {where}); the next run tries again", file=out)
            continue
        except DailyQuota as exc:
            outcome.stopped = f"the daily quota of captures is used up ({exc}); run again tomorrow"
            break
        except ServiceUnavailable as exc:
            outcome.stopped = str(exc)
            break
        except _GaveUp as exc:
            outcome.stopped = str(exc)
            break
        outcome.captured.append(item.url)
        _write(settings, item, archive_url, outcome, out)
    if dry_run:
        print(f"{len(work)} cited address(es) need an archived copy (dry run: nothing requested or written).", file=out)
        return outcome
    summary = (
        f"{len(outcome.captured)} capture(s), {len(outcome.written)} archive_url line(s) written, "
        f"{len(outcome.failed)} failed"
    )
    if outcome.stopped:
        summary += f"; stopped: {outcome.stopped}. What was written is kept; run again to go on."
    print(summary + ".", file=out)
    return outcome


class _GaveUp(Exception):
    pass


def _capture(client: SavePageNow, limit: RateLimit, url: str, sleep: Callable[[float], None]) -> str:
    backoff = FIRST_BACKOFF
    extra = 0.0
    for _ in range(MAX_SLOW_DOWNS):
        limit.wait(extra)
        try:
            job = client.submit(url)
        except SlowDown as exc:
            extra = exc.retry_after if exc.retry_after is not None else backoff
            backoff *= 2
            continue
        finally:
            limit.answered()
        capture = client.wait(job)
        return client.archive_url(capture.timestamp, url)
    raise _GaveUp(f"the service answered 429 (slow down) {MAX_SLOW_DOWNS} times in a row; run again later")


def _write(settings: Settings, item: Cited, archive_url: str, outcome: Outcome, out: TextIO) -> None:
    for place in item.unarchived:
        try:
            add_field(
                settings.root / place.path, place.where, "archive_url", archive_url, front_matter=place.front_matter
            )
        except (EditRefused, OSError) as exc:
            outcome.refused.append((place, str(exc)))
            print(f"not written: {place}: {place.field}: {exc}; add `archive_url: {archive_url}` by hand", file=out)
            continue
        outcome.written.append((place, archive_url))
        print(f"archived {item.url}\n    {archive_url} -> {place}", file=out)
