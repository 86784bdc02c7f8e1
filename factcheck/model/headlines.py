"""Headline warnings: a long statement without the short form that titles and cards use.

A warning, never a problem: the site builds with the whole statement in the title. Unlike the
sourcing warnings, `--strict-sources` does not make it fail the check: a short form is a
matter of style that a newsroom adds when it edits, not of evidence.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from factcheck.model.discover import Input
from factcheck.model.problems import Problem, Problems
from factcheck.render.format import SHORT_STATEMENT_MAX

MISSING_SHORT_STATEMENT = (
    "the statement has {length} characters; add `short_statement`, the claim in at most {limit}, "
    "for the page title, the share card and texts, and search engines (ClaimReview's claimReviewed)"
)


def check_headlines(claims: Iterable[Input]) -> list[Problem]:
    """Return a warning for every valid claim whose statement is long and has no short form."""
    found = Problems()
    for claim in claims:
        data = claim.data
        statement = data.get("statement")
        if not claim.valid or not isinstance(statement, str) or data.get("short_statement"):
            continue
        length = len(" ".join(statement.split()))
        if length > SHORT_STATEMENT_MAX:
            line, column = claim.doc.where_key(("statement",))
            found.add(
                claim.path,
                line,
                column,
                "statement",
                MISSING_SHORT_STATEMENT.format(length=length, limit=SHORT_STATEMENT_MAX),
            )
    return found.sorted()


def report_headlines(claims: Iterable[Input], *, github: bool = False) -> None:
    """Print the headline warnings for `build.py check`, as the sourcing warnings are printed; never fail."""
    from factcheck.model.sourcing import warning_annotation, warning_line

    warnings = check_headlines(claims)
    for problem in warnings:
        print(warning_line(problem), file=sys.stderr)
    if github:
        for problem in warnings:
            print(warning_annotation(problem))
    if warnings:
        n = len(warnings)
        print(
            f"{n} long statement{'s' if n != 1 else ''} without a short form "
            f"(not errors, even with --strict-sources: titles then show the whole statement).",
            file=sys.stderr,
        )
