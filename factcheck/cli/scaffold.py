"""Scaffold a new claim file: `factcheck new "the statement"` (`python build.py new` in this repository).

The file it writes lists every field of the claim format with a short comment, so a
contributor fills in blanks instead of looking up the format. It is a draft, and the
blanks fail `build.py check` until they are filled in, each with its own message.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from factcheck.render.format import ID_MAX, ID_RE, STANCES

SLUG_WORDS = 8
SLUG_MAX = 60


class ScaffoldError(Exception):
    """The claim file cannot be created (bad id, file exists); the message says why."""


def slugify(text: str, max_length: int = SLUG_MAX) -> str:
    """Return an id for text: lowercase ASCII words joined by hyphens, cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = re.sub(r"(?<=[0-9])[,.](?=[0-9])", "", ascii_text)  # 10,000 -> 10000
    words = re.findall(r"[a-z0-9]+", ascii_text.lower().replace("'", ""))
    slug = ""
    for word in words[:SLUG_WORDS]:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or (words[0][:max_length] if words else "")


def _quoted(text: str) -> str:
    """Return text as a double-quoted YAML scalar on one line (JSON strings are valid YAML)."""
    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def git_author_name(root: Path) -> str | None:
    """Return `git config user.name` in root, or None where git or the setting is missing."""
    try:
        out = subprocess.run(["git", "config", "user.name"], cwd=root, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    name = out.stdout.strip()
    return name if out.returncode == 0 and name else None


@dataclass
class NewClaim:
    """What `new` knows before writing the file."""

    statement: str
    claim_id: str
    claimant: str = ""
    source: str = ""
    verdict: str = ""
    author: str = ""
    today: dt.date = field(default_factory=dt.date.today)
    command: str = "factcheck"  # how the contributor runs the tool ("python build.py" in this repository)
    guide: str = "schema/claim.schema.json"  # where the format is explained, field by field


def _line(text: str, comment: str = "") -> str:
    """Return one YAML line, with its comment aligned in a column."""
    return f"{text:<29} # {comment}\n" if comment else f"{text}\n"


def render_claim(new: NewClaim, verdicts: list[str]) -> str:
    """Return the YAML text of a new draft claim file."""
    blank = '""'
    today = new.today.isoformat()
    lines = [
        "# yaml-language-server: $schema=../schema/claim.schema.json\n",
        f"# New fact-check, created by `{new.command} new` on {today}. Fill in every {blank} below, then run\n",
        f"# `{new.command} check`: it lists each field still missing, with its line.\n",
        f"# The format, field by field, is in {new.guide}.\n",
        _line(f"statement: {_quoted(new.statement)}"),
        _line(f"claimant: {new.claimant or blank}", "entity id of who said it (content/entities/<id>.md)"),
    ]
    if new.source:
        lines += [
            _line("appearance:", "where the claim was made"),
            _line(f"  source: {new.source}", "a source id (content/sources/<id>.md)"),
            _line(f"  quote: {blank}", "the exact words of the claim in that source"),
        ]
    else:
        lines += [
            _line("appearance:", "where the claim was made: one of our sources ..."),
            _line(f"  source: {blank}", "its id (content/sources/<id>.md)"),
            _line(f"  quote: {blank}", "the exact words of the claim in it"),
            "  # ... or an outside page instead (then delete source and quote):\n",
            "  # url: https://...\n",
            "  # title: ...\n",
            "  # publisher: ...\n",
            "  # date: YYYY-MM-DD\n",
        ]
    lines += [
        _line(f"claim_date: {today}", "when the claim was made (YYYY-MM-DD)"),
        _line(f"verdict: {_quoted(new.verdict) if new.verdict else blank}", "one of: " + ", ".join(verdicts)),
        _line(f"summary: {blank}", "the ruling in one or two sentences"),
        _line(f"analysis: {blank}", "Markdown: the reasoning, with links to the evidence."),
        "  # For several paragraphs write `analysis: |` and indent the text below it by two spaces.\n",
        _line("evidence:", "what the verdict rests on: at least one item"),
        _line(f"  - title: {blank}"),
        _line(f"    publisher: {blank}"),
        _line(f"    url: {blank}", "https://... where to read it"),
        _line(f"    date: {blank}", "YYYY-MM-DD: when it was published"),
        _line("    stance: supports", " | ".join(STANCES)),
        "    # excerpt: the words that matter\n",
        "    # archive_url: an archived copy. `factcheck archive` (python build.py archive) asks the Internet\n",
        "    #   Archive for one and adds this line; a site's scheduled workflow does it for every new item.\n",
        _line("entities: []", "ids of the people, organisations, places it is about"),
        _line("tags: []", "topic tags: lowercase words joined by hyphens"),
        _line(f"authors: [{_quoted(new.author) if new.author else blank}]", "who wrote the fact-check"),
        _line(f"published: {today}", "the day it goes live: change it when it does"),
        _line("status: draft", "change to published when it is ready"),
    ]
    return "".join(lines)


def create_claim(claims_dir: Path, new: NewClaim, verdicts: list[str]) -> Path:
    """Write claims/<id>.yaml for new; refuse a bad id or an existing file."""
    if not ID_RE.fullmatch(new.claim_id) or len(new.claim_id) > ID_MAX:
        raise ScaffoldError(
            f"{new.claim_id!r} is not a usable id: use lowercase letters, digits and single hyphens "
            f"(at most {ID_MAX} characters), for example --id troops-sent-in-october"
        )
    path = claims_dir / f"{new.claim_id}.yaml"
    claims_dir.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as fh:  # "x": never overwrite
            fh.write(render_claim(new, verdicts))
    except FileExistsError:
        raise ScaffoldError(
            f"{path.name} already exists in {claims_dir}; nothing was written. "
            "Edit that file, or choose another id with --id"
        ) from None
    return path
