"""JSON Schemas for claim, entity and source files: the single definition of the formats.

The checker validates with these schemas, `build.py schema` writes them to `schema/` for
editors (yaml-language-server), and CONTRIBUTING.md is tested against them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from factcheck.render.format import (
    DATE_PATTERN,
    ENTITY_TYPES,
    ID_MAX,
    ID_PATTERN,
    MEDIA_AUTHENTICITY,
    SHORT_STATEMENT_MAX,
    SOURCE_TYPES,
    STANCES,
    UNVERIFIED_MEDIA,
    URL_PATTERN,
    WIKIDATA_PATTERN,
)
from factcheck.settings import Verdict

__all__ = ["ID_MAX", "ID_PATTERN", "MEDIA_AUTHENTICITY", "claim_schema", "entity_schema", "source_schema"]

SCHEMA_BASE = "https://factcheck.invalid/schema/"


def _text(description: str, max_length: int = 5000) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "maxLength": max_length, "description": description}


def _id(description: str) -> dict[str, Any]:
    return {
        "type": "string",
        "pattern": ID_PATTERN,
        "maxLength": ID_MAX,
        "description": description,
        "x-hint": "is not an id: use lowercase letters, digits and single hyphens",
    }


def _date(description: str) -> dict[str, Any]:
    return {
        "type": "string",
        "pattern": DATE_PATTERN,
        "description": description,
        "x-hint": "is not a date: write it as YYYY-MM-DD",
    }


def _url(description: str) -> dict[str, Any]:
    return {
        "type": "string",
        "pattern": URL_PATTERN,
        "maxLength": 2000,
        "description": description,
        "x-hint": "is not an http(s) URL: it must start with https:// or http:// and contain no spaces",
    }


def _link_status() -> dict[str, Any]:
    return {
        "type": "string",
        "enum": ["dead"],
        "description": "`dead` when the page no longer answers (set by `links --record`): readers see the "
        "archived copy first and the original marked unavailable. Remove it if the page comes back.",
    }


def _ids(description: str) -> dict[str, Any]:
    return {"type": "array", "items": _id("An entity id."), "uniqueItems": True, "description": description}


def claim_schema(scale: tuple[Verdict, ...]) -> dict[str, Any]:
    """Return the JSON Schema of a claim file, with the verdicts of the given scale."""
    keys = [v.key for v in scale]
    verdict = {
        "type": "string",
        "enum": keys,
        "description": "The rating, one of: " + "; ".join(f"{v.key} ({v.definition})" for v in scale),
    }
    evidence_item = {
        "type": "object",
        "additionalProperties": False,
        "required": ["title", "publisher", "url", "date", "stance"],
        "properties": {
            "title": _text("The title of the page or document.", 500),
            "publisher": _text("Who published it.", 200),
            "url": _url("Where to read it."),
            "date": _date("When it was published (YYYY-MM-DD)."),
            "stance": {
                "type": "string",
                "enum": list(STANCES),
                "description": "What it does to the statement: supports, contradicts or gives context.",
            },
            "excerpt": _text("The words that matter, quoted exactly or summarised.", 2000),
            "archive_url": _url("An archived copy (for example on the Wayback Machine); `archive` adds it."),
            "link_status": _link_status(),
        },
    }
    appearance = {
        "type": "object",
        "additionalProperties": False,
        "description": "Where the claim was made: `source` (a source id) with the exact `quote`, "
        "or an outside page given by `url`, `title`, `publisher` and `date`.",
        "properties": {
            "source": _id("The id of a source page under content/sources/."),
            "quote": _text("The exact words of the claim in that source.", 2000),
            "position": {
                "type": "integer",
                "minimum": 1,
                "maximum": 100000,
                "description": "Order of this statement within the source (1 = first).",
            },
            "url": _url("The page where the claim appeared (when it is not one of our sources)."),
            "title": _text("Title of that page.", 500),
            "publisher": _text("Who published that page.", 200),
            "date": _date("When that page was published (YYYY-MM-DD)."),
            "archive_url": _url("An archived copy of that page; `archive` adds it."),
            "link_status": _link_status(),
        },
        "anyOf": [{"required": ["source", "quote"]}, {"required": ["url", "title", "publisher", "date"]}],
        "not": {"required": ["source", "url"]},
        "x-message": "give either `source` (a source id) with `quote`, or `url`, `title`, `publisher` and `date`; not both",
    }
    update = {
        "type": "object",
        "additionalProperties": False,
        "required": ["date", "note"],
        "properties": {
            "date": _date("When the change was made (YYYY-MM-DD)."),
            "note": _text("What changed and why.", 2000),
            "previous_verdict": {
                "type": "string",
                "enum": keys,
                "description": "The verdict before this change, when it changed.",
            },
        },
    }
    media = {
        "type": "object",
        "additionalProperties": False,
        "required": ["type", "url", "authenticity"],
        "description": "Only when the claim is about a video or an image: what was shared and what it really is "
        "(published as a schema.org MediaReview next to the ClaimReview).",
        "properties": {
            "type": {"type": "string", "enum": ["video", "image"], "description": "video or image."},
            "url": _url("Where the video or image was shared (the post or page that shows it)."),
            "authenticity": {
                "type": "string",
                "enum": [*MEDIA_AUTHENTICITY, UNVERIFIED_MEDIA],
                "description": "What the media is, one of: "
                + "; ".join(f"{k} ({d})" for k, (_, d) in MEDIA_AUTHENTICITY.items())
                + f"; {UNVERIFIED_MEDIA} (Not independently verified: no MediaReview is published.)",
            },
            "publisher": _text("Who first published the video or image, when known (a name).", 200),
            "original_url": _url("Where the original video or image can be seen, when known."),
            "original_context": _text("What the original really shows: where, when and by whom it was made.", 1000),
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_BASE + "claim.schema.json",
        "title": "Fact-check claim",
        "description": "One fact-check: claims/<id>.yaml. The file name is the id and the URL slug.",
        "type": "object",
        "additionalProperties": False,
        "required": [
            "statement",
            "claimant",
            "appearance",
            "claim_date",
            "verdict",
            "summary",
            "analysis",
            "evidence",
            "authors",
            "published",
        ],
        "properties": {
            "statement": _text("The claim, as checked: short plain text.", 300),
            "short_statement": _text(
                "The statement in a few words (at most "
                + str(SHORT_STATEMENT_MAX)
                + " characters), when it is longer: the page title, the share card and share texts, and "
                "ClaimReview's claimReviewed use it; the claim box shows the whole statement.",
                SHORT_STATEMENT_MAX,
            ),
            "claimant": _id("The entity id of who made the claim."),
            "unnamed_sources": _text(
                "Only when the claimant reported the statement from sources it did not name: how it described "
                "them (e.g. an interlocutor in military intelligence). The claimant is then who published the "
                "report, never an institution that said nothing on the record.",
                200,
            ),
            "appearance": appearance,
            "claim_date": _date("When the claim was made (YYYY-MM-DD)."),
            "verdict": verdict,
            "summary": _text("The ruling in one or two sentences (inline Markdown).", 600),
            "analysis": _text("The reasoning, citing the evidence (Markdown, no raw HTML).", 40000),
            "evidence": {
                "type": "array",
                "minItems": 1,
                "maxItems": 100,
                "items": evidence_item,
                "description": "What the verdict rests on: at least one item.",
            },
            "entities": _ids("Ids of the people, organisations, places ... the claim is about."),
            "tags": {
                "type": "array",
                "uniqueItems": True,
                "description": "Topic tags.",
                "items": {
                    "type": "string",
                    "pattern": ID_PATTERN,
                    "maxLength": 60,
                    "x-hint": "is not a tag: use lowercase words joined by hyphens",
                },
            },
            "authors": {
                "type": "array",
                "minItems": 1,
                "items": _text("An author's name.", 100),
                "description": "Who wrote the fact-check.",
            },
            "published": _date("When the fact-check was first published (YYYY-MM-DD)."),
            "updated": _date("When it was last changed (YYYY-MM-DD)."),
            "status": {
                "type": "string",
                "enum": ["published", "draft"],
                "default": "published",
                "description": "draft: checked and previewed, but never published.",
            },
            "updates": {"type": "array", "items": update, "description": "Corrections and updates, oldest first."},
            "media": media,
        },
    }


def entity_schema() -> dict[str, Any]:
    """Return the JSON Schema of an entity page's front matter."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_BASE + "entity.schema.json",
        "title": "Entity",
        "description": "Front matter of content/entities/<id>.md.",
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "type"],
        "properties": {
            "name": _text("The entity's usual name.", 200),
            "type": {"type": "string", "enum": list(ENTITY_TYPES), "description": "What kind of entity it is."},
            "aliases": {
                "type": "array",
                "uniqueItems": True,
                "items": _text("Another name.", 200),
                "description": "Other names; each links to this page where it appears in claim text.",
            },
            "wikidata": {
                "type": "string",
                "pattern": WIKIDATA_PATTERN,
                "description": "The Wikidata item id (Q...).",
                "x-hint": "is not a Wikidata id: write Q followed by digits, like Q42",
            },
            "description": _text("One to three sentences.", 2000),
            "related": _ids("Ids of related entities."),
        },
    }


def source_schema() -> dict[str, Any]:
    """Return the JSON Schema of a source page's front matter."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_BASE + "source.schema.json",
        "title": "Source",
        "description": "Front matter of content/sources/<id>.md.",
        "type": "object",
        "additionalProperties": False,
        "required": ["title"],
        "properties": {
            "title": _text("The source's title.", 500),
            "publisher": _text("Who published it.", 200),
            "url": _url("Where it can be read."),
            "date": _date("When it was published (YYYY-MM-DD)."),
            "type": {"type": "string", "enum": list(SOURCE_TYPES), "description": "What kind of source it is."},
            "archive_url": _url("An archived copy; `archive` adds it."),
            "link_status": _link_status(),
        },
    }


# Editors' YAML language server has long understood draft-07 only. The schemas use nothing whose
# meaning differs between draft-07 and 2020-12 (tests check that both accept the same files),
# so the copies for editors declare draft-07 while the checker validates with 2020-12.
EDITOR_DIALECT = "http://json-schema.org/draft-07/schema#"


def schema_documents(scale: tuple[Verdict, ...]) -> dict[str, str]:
    """The three schemas, for editors, as the JSON text of each file by its name."""
    documents = {}
    for name, schema in (("claim", claim_schema(scale)), ("entity", entity_schema()), ("source", source_schema())):
        schema = {**schema, "$schema": EDITOR_DIALECT}
        documents[f"{name}.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return documents


def write_schemas(folder: Path, scale: tuple[Verdict, ...]) -> list[Path]:
    """Write the three schemas, for editors, as JSON files into folder; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_documents(scale).items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
