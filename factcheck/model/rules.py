"""Rules: the checks that need more than one field or more than one file, one function each.

The schema (schema.py) has already judged each file alone: types, required fields, allowed
values. These rules judge what a schema cannot: that ids refer to files that exist, that
dates are real, past and in order, that a quote occurs in its source's text. Each rule
reads the parsed files and reports problems; none of them builds anything.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from factcheck.model.discover import Input, Inputs, Report, read_text
from factcheck.model.problems import display_path
from factcheck.render.format import ID_RE, RESERVED_IDS
from factcheck.settings import Settings

Rule = Callable[[Inputs, Settings, Report], None]


def _list(value: Any) -> list[Any]:
    """Return value if it is a list, else an empty one (the schema reports the wrong type)."""
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def unknown(kind: str, value: str, known: Mapping[str, Any]) -> str:
    """Say that an id names no file, and suggest the closest one."""
    close = difflib.get_close_matches(value, list(known), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    folder = "content/entities/" if kind == "entity" else "content/sources/"
    return f"no {kind} '{value}' (add {folder}{value}.md or use an existing id){hint}"


def today() -> dt.date:
    """Today's date in UTC (the limit for dates in files)."""
    return dt.datetime.now(dt.UTC).date()


_YMD = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(value: Any) -> dt.date | None:
    """Return the date a YYYY-MM-DD string names, or None."""
    return _iso_date(value) if isinstance(value, str) else None


@functools.lru_cache(maxsize=8192)  # the same few thousand dates recur across claims
def _iso_date(value: str) -> dt.date | None:
    if not _YMD.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


# -- entities --------------------------------------------------------------------------------
def related_entities_exist(inputs: Inputs, settings: Settings, report: Report) -> None:
    for item in inputs.entities.values():
        for i, rid in enumerate(_list(item.data.get("related"))):
            if not isinstance(rid, str):
                continue
            if rid not in inputs.entities:
                report.add(item, ("related", i), unknown("entity", rid, inputs.entities))
            elif rid == item.id:
                report.add(item, ("related", i), "an entity cannot be related to itself")


# -- claims ----------------------------------------------------------------------------------
def claim_references_exist(inputs: Inputs, settings: Settings, report: Report) -> None:
    """claimant and entities name entity files; appearance.source names a source file."""
    for item in inputs.claims:
        d = item.data
        refs: list[tuple[tuple[Any, ...], Any]] = [(("claimant",), d.get("claimant"))]
        refs += [(("entities", i), v) for i, v in enumerate(_list(d.get("entities")))]
        for where, value in refs:
            if isinstance(value, str) and ID_RE.match(value) and value not in inputs.entities:
                report.add(item, where, unknown("entity", value, inputs.entities))
        source = _dict(d.get("appearance")).get("source")
        if isinstance(source, str) and ID_RE.match(source) and source not in inputs.sources:
            report.add(item, ("appearance", "source"), unknown("source", source, inputs.sources))


def tags_are_not_reserved(inputs: Inputs, settings: Settings, report: Report) -> None:
    """tags/index is the list of tags itself, and so on."""
    for item in inputs.claims:
        for i, tag in enumerate(_list(item.data.get("tags"))):
            if isinstance(tag, str) and tag in RESERVED_IDS:
                report.add(item, ("tags", i), f"'{tag}' cannot be a tag: it is reserved for the site's own pages")


def _claim_dates(d: dict[str, Any]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    for key in ("claim_date", "published", "updated"):
        if key in d:
            yield (key,), d[key]
    if "date" in _dict(d.get("appearance")):
        yield ("appearance", "date"), d["appearance"]["date"]
    for i, item in enumerate(_list(d.get("evidence"))):
        if isinstance(item, dict) and "date" in item:
            yield ("evidence", i, "date"), item["date"]
    for i, item in enumerate(_list(d.get("updates"))):
        if isinstance(item, dict) and "date" in item:
            yield ("updates", i, "date"), item["date"]


def _real_and_past(item: Input, where: tuple[Any, ...], value: Any, limit: dt.date, report: Report) -> None:
    if not isinstance(value, str):
        return  # the schema reports it
    day = _iso_date(value)
    if day is None:
        if _YMD.fullmatch(value):  # else not a date at all: the schema reports it
            report.add(item, where, f"'{value}' is not a real date (YYYY-MM-DD)")
    elif day > limit:
        report.add(item, where, f"{value} is in the future; dates must be on or before today ({today().isoformat()})")


def dates_are_real_and_past(inputs: Inputs, settings: Settings, report: Report) -> None:
    limit = today() + dt.timedelta(days=1)  # a day's grace for time zones
    for item in inputs.claims:
        for where, value in _claim_dates(item.data):
            _real_and_past(item, where, value, limit, report)
    for source in inputs.sources.values():
        if "date" in source.data:
            _real_and_past(source, ("date",), source.data["date"], limit, report)


def dates_are_in_order(inputs: Inputs, settings: Settings, report: Report) -> None:
    """A claim is checked after it is made, updated after it is published, its updates oldest first."""
    for item in inputs.claims:
        d = item.data
        claim_date, published, updated = (parse_date(d.get(k)) for k in ("claim_date", "published", "updated"))
        if claim_date and published and published < claim_date:
            report.add(
                item,
                ("published",),
                f"published ({published}) is before claim_date ({claim_date}); a claim is checked after it is made",
            )
        if updated and published and updated < published:
            report.add(item, ("updated",), f"updated ({updated}) is before published ({published})")
        previous = None
        for i, update in enumerate(_list(d.get("updates"))):
            day = parse_date(_dict(update).get("date"))
            if day is None:
                continue
            if published and day < published:
                report.add(item, ("updates", i, "date"), f"{day} is before the fact-check was published ({published})")
            if previous and day < previous:
                report.add(item, ("updates", i, "date"), "updates must be listed oldest first")
            previous = day


def evidence_urls_are_unique(inputs: Inputs, settings: Settings, report: Report) -> None:
    for item in inputs.claims:
        seen: dict[str, int] = {}
        for i, evidence in enumerate(_list(item.data.get("evidence"))):
            url = _dict(evidence).get("url")
            if isinstance(url, str):
                if url in seen:
                    report.add(
                        item,
                        ("evidence", i, "url"),
                        f"the same URL is already evidence item {seen[url]}; merge the two",
                    )
                seen.setdefault(url, i)


_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def normalise(text: str) -> str:
    """Fold typography and white space so quotes are compared by their words."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).split())


def quotes_occur_in_source_text(inputs: Inputs, settings: Settings, report: Report) -> None:
    """Where content/sources/<id>.txt holds a source's text, every quote from it occurs there."""
    texts: dict[str, str | None] = {}
    for item in inputs.claims:
        appearance = _dict(item.data.get("appearance"))
        source, quote = appearance.get("source"), appearance.get("quote")
        if not (isinstance(source, str) and source in inputs.sources and isinstance(quote, str)):
            continue
        if source not in texts:
            path = settings.sources_dir / f"{source}.txt"
            shown = display_path(path, settings.root)
            raw = read_text(path, shown, report.problems, settings.root) if os.path.lexists(path) else None
            texts[source] = normalise(raw) if raw is not None else None
        held = texts[source]
        if held is not None and normalise(quote) not in held:
            shown = display_path(settings.sources_dir / f"{source}.txt", settings.root)
            report.add(
                item,
                ("appearance", "quote"),
                f"this quote does not occur in the text of source '{source}' ({shown}); copy the exact words",
            )


RULES: tuple[Rule, ...] = (
    related_entities_exist,
    claim_references_exist,
    tags_are_not_reserved,
    dates_are_real_and_past,
    dates_are_in_order,
    evidence_urls_are_unique,
    quotes_occur_in_source_text,
)


def apply_rules(inputs: Inputs, settings: Settings, report: Report) -> None:
    """Run every rule; each reports what it finds."""
    for rule in RULES:
        rule(inputs, settings, report)
