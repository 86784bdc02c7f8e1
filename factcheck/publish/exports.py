"""Data exports under api/: claims.json, claims.csv, entities.json, and the JSON Schemas of the JSON.

Only published claims are exported, even from a preview build. Nothing depends on the clock:
the same files always give byte-identical exports.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

from factcheck.model.corrections import claim_corrections, verdict_history
from factcheck.model.objects import scorecard
from factcheck.publish.feeds import entity_feed_path, latest_date
from factcheck.render.format import DATE_PATTERN, ID_PATTERN, MEDIA_AUTHENTICITY, STANCES, UNVERIFIED_MEDIA
from factcheck.render.text import plain_text

if TYPE_CHECKING:
    from factcheck.model.objects import Claim, Entity, Site
    from factcheck.publish.publisher import Publisher
    from factcheck.settings import Settings, Verdict

CLAIMS_JSON = "api/claims.json"
CLAIMS_CSV = "api/claims.csv"
ENTITIES_JSON = "api/entities.json"
CLAIMS_SCHEMA = "api/claims.schema.json"
ENTITIES_SCHEMA = "api/entities.schema.json"

CSV_COLUMNS = (
    "id",
    "url",
    "statement",
    "verdict",
    "verdict_label",
    "rating",
    "claim_date",
    "published",
    "updated",
    "claimant",
    "claimant_name",
    "appearance_title",
    "appearance_publisher",
    "appearance_url",
    "entities",
    "tags",
    "authors",
    "evidence_urls",
    "verdict_changes",
    "summary",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _verdict(verdict: Verdict) -> dict[str, Any]:
    return {"key": verdict.key, "label": verdict.label, "rating": verdict.rating}


def _entity_ref(entity: Entity, settings: Settings) -> dict[str, Any]:
    return {"id": entity.id, "name": entity.name, "type": entity.type, "url": settings.address(entity.src_uri)}


def claim_record(claim: Claim, settings: Settings) -> dict[str, Any]:
    """Return one claim, normalised, as it appears in api/claims.json."""
    app = claim.appearance
    if app.source is not None:
        src = app.source
        appearance = {
            "source": src.id,
            "title": src.title,
            "publisher": src.publisher,
            "url": src.url,
            "date": src.date.isoformat() if src.date else None,
            "type": src.type,
            "page_url": settings.address(src.src_uri),
            "quote": app.quote,
            "archive_url": src.archive_url,
            "link_status": src.link_status,
        }
    else:
        appearance = {
            "source": None,
            "title": app.title,
            "publisher": app.publisher,
            "url": app.url,
            "date": app.date.isoformat() if app.date else None,
            "type": None,
            "page_url": None,
            "quote": app.quote,
            "archive_url": app.archive_url,
            "link_status": app.link_status,
        }
    claimant = _entity_ref(claim.claimant, settings)
    claimant["wikidata"] = claim.claimant.wikidata
    claimant["unnamed_sources"] = claim.unnamed_sources
    media = None
    if claim.media is not None:
        media = {
            "type": claim.media.type,
            "url": claim.media.url,
            "authenticity": claim.media.authenticity,
            "schema_org": MEDIA_AUTHENTICITY[claim.media.authenticity][0] if claim.media.verified else None,
            "publisher": claim.media.publisher,
            "original_url": claim.media.original_url,
            "original_context": claim.media.original_context,
        }
    return {
        "id": claim.id,
        "url": settings.address(claim.src_uri),
        "source_file": claim.path,
        "statement": claim.statement,
        "short_statement": claim.short_statement,
        "verdict": _verdict(claim.verdict),
        "summary": claim.summary,
        "summary_text": plain_text(claim.summary),
        "analysis": claim.analysis,
        "claim_date": claim.claim_date.isoformat(),
        "published": claim.published.isoformat(),
        "updated": claim.last_changed.isoformat() if claim.last_changed != claim.published else None,
        "claimant": claimant,
        "appearance": appearance,
        "entities": [_entity_ref(e, settings) for e in claim.subjects],
        "mentioned": [_entity_ref(e, settings) for e in claim.also_mentioned],
        "tags": list(claim.tags),
        "authors": list(claim.authors),
        "evidence": [
            {
                "title": e.title,
                "publisher": e.publisher,
                "url": e.url,
                "date": e.date.isoformat(),
                "stance": e.stance,
                "excerpt": e.excerpt,
                "archive_url": e.archive_url,
                "link_status": e.link_status,
            }
            for e in claim.evidence
        ],
        "verdict_history": [
            {"date": s.date.isoformat(), "verdict": _verdict(s.verdict), "note": s.note} for s in verdict_history(claim)
        ],
        "updates": [
            {
                "date": c.date.isoformat(),
                "note": c.note,
                "previous_verdict": c.old_verdict.key if c.old_verdict else None,
                "new_verdict": c.new_verdict.key if c.new_verdict else None,
            }
            for c in claim_corrections(claim)
        ],
        "media": media,
    }


def entity_record(entity: Entity, site: Site) -> dict[str, Any]:
    """Return one entity as it appears in api/entities.json (published claims only)."""

    def published(claims: tuple[Claim, ...]) -> list[Claim]:
        return [c for c in claims if not c.is_draft]

    settings = site.settings
    as_claimant, as_subject = published(site.claims_by(entity)), published(site.claims_about(entity))
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "description": entity.description or None,
        "wikidata": entity.wikidata,
        "wikidata_url": entity.wikidata_url,
        "url": settings.address(entity.src_uri),
        "feed_url": settings.address(entity_feed_path(entity)),
        "related": [e.id for e in site.related(entity)],
        "claims_as_claimant": [c.id for c in as_claimant],
        "claims_as_subject": [c.id for c in as_subject],
        "mentioned_in": [c.id for c in published(site.mentioning(entity))],
        # Its record: the verdicts of the claims it made. Claims about it are listed, never counted.
        "scorecard": {"as_claimant": dict(scorecard(as_claimant))},
    }


def _csv_cell(value: Any) -> str:
    """Text for a CSV cell; text that a spreadsheet would run as a formula is prefixed with '.

    Numbers the generator writes (a rating of -2) are numbers, not formulas: they stay as they are.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_row(r: dict[str, Any]) -> list[str]:
    row = {
        "id": r["id"],
        "url": r["url"],
        "statement": r["statement"],
        "verdict": r["verdict"]["key"],
        "verdict_label": r["verdict"]["label"],
        "rating": r["verdict"]["rating"],
        "claim_date": r["claim_date"],
        "published": r["published"],
        "updated": r["updated"],
        "claimant": r["claimant"]["id"],
        "claimant_name": r["claimant"]["name"],
        "appearance_title": r["appearance"]["title"],
        "appearance_publisher": r["appearance"]["publisher"],
        "appearance_url": r["appearance"]["url"] or r["appearance"]["page_url"],
        "entities": "; ".join(e["id"] for e in r["entities"]),
        "tags": "; ".join(r["tags"]),
        "authors": "; ".join(r["authors"]),
        "evidence_urls": " ".join(e["url"] for e in r["evidence"]),
        "verdict_changes": len(r["verdict_history"]) - 1,
        "summary": r["summary_text"],
    }
    return [_csv_cell(row[c]) for c in CSV_COLUMNS]


def export_paths() -> list[str]:
    """The site paths that `exports` writes."""
    return [CLAIMS_JSON, CLAIMS_CSV, ENTITIES_JSON, CLAIMS_SCHEMA, ENTITIES_SCHEMA]


def exports(site: Site, publisher: Publisher) -> dict[str, str]:
    """Return every export and its schema as {site path: text}."""
    buffers: dict[str, io.StringIO] = {}

    def open_text(path: str) -> io.StringIO:
        buffers[path] = _Kept()
        return buffers[path]

    write_exports(site, publisher, open_text)
    return {path: buffer.getvalue() for path, buffer in buffers.items()}


class _Kept(io.StringIO):
    def close(self) -> None:  # keep the text readable after the writer is done
        pass


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


_MARK = "\ue000claims\ue000"  # stands in for the list of claims while the envelope is encoded


def write_exports(site: Site, publisher: Publisher, open_text: Callable[[str], IO[str]]) -> None:
    """Write every export and its schema through open_text(site path), one claim at a time.

    api/claims.json is written record by record, each claim on a line of its own (the
    envelope indented as json.dumps(..., indent=1) writes it; a record compact, without a
    space after "," or ":", by the C encoder), and api/claims.csv in the same pass: at 10,000 claims neither the list of
    records nor the 50 MB of text is ever held at once.
    """
    settings = site.settings
    claims = site.published
    head = {
        "site": {"name": settings.site_name, "url": settings.address("index.md"), "publisher": publisher.name},
        "last_modified": latest_date(site).isoformat() if claims else None,
    }
    envelope = {"$schema": settings.address(CLAIMS_SCHEMA), **head, "count": len(claims), "claims": [_MARK]}
    before, after = _dump(envelope).split(json.dumps(_MARK, ensure_ascii=False))
    with open_text(CLAIMS_JSON) as out_json, open_text(CLAIMS_CSV) as out_csv:
        if not claims:
            out_json.write(_dump({**envelope, "claims": []}))
        else:
            out_json.write(before)
        writer = csv.writer(out_csv, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for i, claim in enumerate(claims):
            record = claim_record(claim, settings)
            if i:
                out_json.write(",\n  ")
            out_json.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))  # compact: 3% smaller
            writer.writerow(_csv_row(record))
        if claims:
            out_json.write(after)
    entities = [entity_record(e, site) for e in site.entities.values()]
    scale = [v.key for v in site.settings.scale]
    with open_text(ENTITIES_JSON) as out:
        out.write(
            _dump({"$schema": settings.address(ENTITIES_SCHEMA), **head, "count": len(entities), "entities": entities})
        )
    with open_text(CLAIMS_SCHEMA) as out:
        out.write(_dump(claims_export_schema(settings.address(CLAIMS_SCHEMA), scale)))
    with open_text(ENTITIES_SCHEMA) as out:
        out.write(_dump(entities_export_schema(settings.address(ENTITIES_SCHEMA), scale)))


# -- the published JSON Schemas ----------------------------------------------------------------


def _s(kind: str | list[str], description: str = "", **more: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": kind, **more}
    if description:
        out["description"] = description
    return out


def _obj(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    return _s("object", description, additionalProperties=False, required=list(properties), properties=properties)


_DATE = _s("string", "A date, YYYY-MM-DD.", pattern=DATE_PATTERN)
_DATE_OR_NULL = _s(["string", "null"], "A date, YYYY-MM-DD, or null.", pattern=DATE_PATTERN)
_ID = _s("string", "An id: lowercase letters, digits and hyphens.", pattern=ID_PATTERN)
_URL = _s("string", "An absolute URL (root-relative when the site has no site_url).", minLength=1)
_TEXT = _s("string", minLength=1)
_TEXT_OR_NULL = _s(["string", "null"])
_LINK_STATUS = _s(
    ["string", "null"],
    "`dead` when the page no longer answers (readers are shown the archived copy first); null otherwise.",
    enum=["dead", None],
)


def _head(schema_id: str, title: str) -> dict[str, Any]:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": schema_id, "title": title}


def _envelope(list_key: str, item: dict[str, Any], description: str) -> dict[str, Any]:
    return _obj(
        {
            "$schema": _s("string", "The URL of this schema."),
            "site": _obj({"name": _TEXT, "url": _URL, "publisher": _TEXT}, "The site that published the data."),
            "last_modified": _DATE_OR_NULL | {"description": "The newest publication or update date in the data."},
            "count": _s("integer", f"How many items `{list_key}` holds.", minimum=0),
            list_key: _s("array", description, items=item),
        }
    )


def claims_export_schema(schema_id: str, scale: list[str]) -> dict[str, Any]:
    """Return the JSON Schema of api/claims.json."""
    verdict = _obj(
        {
            "key": _s("string", enum=scale),
            "label": _TEXT,
            "rating": _s(["integer", "null"], "schema.org ratingValue; null off the numeric scale."),
        }
    )
    ref = _obj({"id": _ID, "name": _TEXT, "type": _TEXT, "url": _URL})
    claimant = _obj(
        {
            **ref["properties"],
            "wikidata": _s(["string", "null"], "Wikidata item id (Q...)."),
            "unnamed_sources": _s(
                ["string", "null"],
                "When the claimant reported the claim from sources it did not name: how it described them.",
            ),
        }
    )
    claim = _obj(
        {
            "id": _ID | {"description": "The claim's id: its file name and URL slug."},
            "url": _URL | {"description": "The fact-check page."},
            "source_file": _s("string", "The YAML file in the repository."),
            "statement": _TEXT | {"description": "The claim as checked."},
            "short_statement": _s(["string", "null"], "The statement in a few words (titles, cards), or null."),
            "verdict": verdict,
            "summary": _TEXT | {"description": "The ruling, as written (inline Markdown)."},
            "summary_text": _TEXT | {"description": "The ruling as plain text."},
            "analysis": _TEXT | {"description": "The reasoning, as written (Markdown)."},
            "claim_date": _DATE | {"description": "When the claim was made."},
            "published": _DATE | {"description": "When the fact-check was first published."},
            "updated": _DATE_OR_NULL | {"description": "When it last changed, if it has since publication."},
            "claimant": claimant,
            "appearance": _obj(
                {
                    "source": _s(["string", "null"], "Id of our source page, or null for an outside page."),
                    "title": _TEXT_OR_NULL,
                    "publisher": _TEXT_OR_NULL,
                    "url": _TEXT_OR_NULL,
                    "date": _DATE_OR_NULL,
                    "type": _TEXT_OR_NULL,
                    "page_url": _TEXT_OR_NULL,
                    "quote": _TEXT_OR_NULL,
                    "archive_url": _s(["string", "null"], "An archived copy of the page (the Wayback Machine's)."),
                    "link_status": _LINK_STATUS,
                },
                "Where the claim was made.",
            ),
            "entities": _s("array", "Who and what the claim is about.", items=ref),
            "mentioned": _s("array", "Entities named only in the summary or analysis.", items=ref),
            "tags": _s("array", items=_s("string")),
            "authors": _s("array", items=_TEXT),
            "evidence": _s(
                "array",
                minItems=1,
                items=_obj(
                    {
                        "title": _TEXT,
                        "publisher": _TEXT,
                        "url": _URL,
                        "date": _DATE,
                        "stance": _s("string", enum=list(STANCES)),
                        "excerpt": _TEXT_OR_NULL,
                        "archive_url": _s(["string", "null"], "An archived copy of the page (the Wayback Machine's)."),
                        "link_status": _LINK_STATUS,
                    }
                ),
            ),
            "verdict_history": _s(
                "array",
                "Every verdict the claim has had, oldest first (first: at publication).",
                minItems=1,
                items=_obj({"date": _DATE, "verdict": verdict, "note": _TEXT_OR_NULL}),
            ),
            "updates": _s(
                "array",
                "Corrections and updates, oldest first.",
                items=_obj(
                    {
                        "date": _DATE,
                        "note": _TEXT,
                        "previous_verdict": _s(["string", "null"], enum=[*scale, None]),
                        "new_verdict": _s(["string", "null"], enum=[*scale, None]),
                    }
                ),
            ),
            "media": {
                "oneOf": [
                    _s("null"),
                    _obj(
                        {
                            "type": _s("string", enum=["video", "image"]),
                            "url": _URL,
                            "authenticity": _s("string", enum=[*MEDIA_AUTHENTICITY, UNVERIFIED_MEDIA]),
                            "schema_org": _s(
                                ["string", "null"],
                                "schema.org's mediaAuthenticityCategory; null when not verified.",
                                enum=[*(v[0] for v in MEDIA_AUTHENTICITY.values()), None],
                            ),
                            "original_url": _TEXT_OR_NULL,
                            "original_context": _TEXT_OR_NULL,
                            "publisher": _TEXT_OR_NULL,
                        }
                    ),
                ],
                "description": "The video or image the claim is about, or null.",
            },
        }
    )
    return {
        **_head(schema_id, "Fact-check export (api/claims.json)"),
        **_envelope("claims", claim, "Every published fact-check, newest first."),
    }


def entities_export_schema(schema_id: str, scale: list[str]) -> dict[str, Any]:
    """Return the JSON Schema of api/entities.json."""
    counts = _s(
        "object",
        "Number of claims per verdict key (verdicts with none are left out).",
        propertyNames={"enum": scale},
        additionalProperties=_s("integer", minimum=1),
    )
    ids = _s("array", items=_ID)
    entity = _obj(
        {
            "id": _ID,
            "name": _TEXT,
            "type": _TEXT,
            "aliases": _s("array", items=_TEXT),
            "description": _TEXT_OR_NULL,
            "wikidata": _s(["string", "null"], pattern=r"^Q[1-9][0-9]*$"),
            "wikidata_url": _TEXT_OR_NULL,
            "url": _URL,
            "feed_url": _URL,
            "related": ids,
            "claims_as_claimant": ids,
            "claims_as_subject": ids,
            "mentioned_in": ids,
            "scorecard": _obj(
                {"as_claimant": counts},
                "The entity's record: verdicts of the published claims it made (claims_as_claimant). "
                "Claims about it (claims_as_subject) or mentioning it (mentioned_in) are listed, never counted here.",
            ),
        }
    )
    return {
        **_head(schema_id, "Entity export (api/entities.json)"),
        **_envelope("entities", entity, "Every entity, by id."),
    }
