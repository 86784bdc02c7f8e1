"""Unit tests of schema checking (factcheck/model/validate.py): each kind of error as a contributor reads it.

A small schema written here exercises every phrasing; one test runs the real claim schema.
"""

from __future__ import annotations

from typing import Any

import pytest

from factcheck.model import validate
from factcheck.model.problems import Problems
from factcheck.model.yamlio import load_mapping

SCHEMA: dict[str, Any] = {
    "$id": "test-unit-validate",
    "type": "object",
    "additionalProperties": False,
    "required": ["title", "kind"],
    "properties": {
        "title": {"type": "string", "minLength": 1, "maxLength": 10, "description": "the page's title"},
        "kind": {"enum": ["person", "organisation", "place"]},
        "id": {"type": "string", "pattern": "^[a-z]+$", "x-hint": "is not an id: use lowercase letters"},
        "code": {"type": "string", "pattern": "^[0-9]+$"},
        "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 2, "uniqueItems": True},
        "pair": {"type": "array", "minItems": 2},
        "rating": {"type": "integer", "minimum": 1, "maximum": 5},
        "extra": {"type": ["string", "integer"]},
        "url": {"anyOf": [{"type": "string", "pattern": "^https://"}], "x-message": "is not an https URL"},
        "const": {"const": "x"},
    },
}


def _check(text: str, schema: dict[str, Any] = SCHEMA) -> tuple[bool, list[str]]:
    problems = Problems()
    doc = load_mapping(text, "t.yaml", problems)
    assert doc is not None
    ok = validate.check_schema(doc, schema, "t.yaml", problems)
    return ok, [str(p) for p in problems.sorted()]


VALID = "title: Hello\nkind: person\n"


def test_a_valid_document_passes() -> None:
    assert _check(VALID) == (True, [])
    assert _check(VALID + "tags: [a, b]\nrating: 5\nid: abc\nurl: https://example.org/\nextra: 3\n") == (True, [])


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("tags: a\n", "t.yaml:3:7: tags: expected a list, got text; write it as a list, e.g. [a]"),
        ("rating: six\n", "t.yaml:3:9: rating: expected a whole number, got text"),
        ("tags: [1]\n", "t.yaml:3:8: tags[0]: expected text, got the number 1; put the value in quotes"),
        ("tags: [[a]]\n", "t.yaml:3:8: tags[0]: expected text, got a list"),
        ("tags: [{a: b}]\n", "t.yaml:3:8: tags[0]: expected text, got a mapping"),
        ("tags: [~]\n", "t.yaml:3:8: tags[0]: expected text, got nothing (the value is empty)"),
        ("extra: [x]\n", "t.yaml:3:8: extra: expected text or a whole number, got a list"),
        ("id: ABC\n", "t.yaml:3:5: id: 'ABC' is not an id: use lowercase letters"),
        ("code: x1\n", "t.yaml:3:7: code: 'x1' does not match ^[0-9]+$"),
        ("code: '1\n\n'\n", "t.yaml:3:7: code: '1\\n' does not match ^[0-9]+$"),  # `$` is the end: no newline
        ("tags: []\n", "t.yaml:3:7: tags: needs at least 1 item"),
        ("pair: [a]\n", "t.yaml:3:7: pair: needs at least 2 items"),
        ("tags: [a, b, c]\n", "t.yaml:3:7: tags: has 3 items; the limit is 2"),
        ("tags: [a, a]\n", "t.yaml:3:7: tags: lists the same item twice; remove the repeat"),
        ("rating: 0\n", "t.yaml:3:9: rating: must be between 1 and 5"),
        ("rating: 6\n", "t.yaml:3:9: rating: must be between 1 and 5"),
        ("url: http://example.org/\n", "t.yaml:3:6: url: is not an https URL"),
        ("const: y\n", "t.yaml:3:8: const: 'x' was expected"),  # no phrasing of its own: jsonschema's
    ],
)
def test_each_error_is_phrased_for_a_contributor(extra: str, message: str) -> None:
    assert _check(VALID + extra) == (False, [message])


def test_required_field_names_the_field_and_what_it_holds() -> None:
    assert _check("kind: person\n") == (False, ["t.yaml:1:1: title: required field is missing: the page's title"])
    assert _check("title: T\n") == (
        False,
        ["t.yaml:1:1: kind: required field is missing; use one of: person, organisation, place"],
    )


def test_unknown_field_suggests_the_closest_and_lists_the_allowed() -> None:
    allowed = "code, const, extra, id, kind, pair, rating, tags, title, url"
    assert _check(VALID + "titel: x\nzzz: 1\n") == (
        False,
        [
            f"t.yaml:3:1: titel: unknown field; did you mean 'title'? allowed fields: {allowed}",
            f"t.yaml:4:1: zzz: unknown field; allowed fields: {allowed}",
        ],
    )


def test_enum_suggests_the_closest_value() -> None:
    assert _check("title: T\nkind: persn\n") == (
        False,
        ["t.yaml:2:7: kind: 'persn' is not allowed (did you mean 'person'?); use one of: person, organisation, place"],
    )
    assert _check("title: T\nkind: zzz\n") == (
        False,
        ["t.yaml:2:7: kind: 'zzz' is not allowed; use one of: person, organisation, place"],
    )


def test_long_values_are_shortened_and_lengths_counted() -> None:
    assert _check(VALID + f"id: {'A' * 70}\n") == (
        False,
        [f"t.yaml:3:5: id: '{'A' * 59}…' is not an id: use lowercase letters"],
    )
    assert _check("title: Hello world!\nkind: place\n") == (
        False,
        ["t.yaml:1:8: title: is 12 characters long; the limit is 10"],
    )
    assert _check("title: ''\nkind: place\n") == (False, ["t.yaml:1:8: title: must not be empty"])


def test_true_and_false_stay_text() -> None:
    """The loader reads YAML 1.1's yes/true as text, so a boolean never reaches the schema."""
    assert _check(VALID + "tags: [true, yes]\n") == (True, [])


def test_every_error_is_reported_in_one_run() -> None:
    ok, messages = _check("title: 3\nkind: nope\nrating: 9\nbad: 1\n")
    assert not ok
    assert [m.split(": ")[1] for m in messages] == ["title", "kind", "rating", "bad"]


def test_the_validator_is_cached_per_schema() -> None:
    assert validate.validator_for(SCHEMA) is validate.validator_for(dict(SCHEMA))
    other = {**SCHEMA, "$id": "another"}
    assert validate.validator_for(other) is not validate.validator_for(SCHEMA)


def test_the_real_claim_schema_is_phrased_the_same_way(tmp_path) -> None:
    from conftest import fixture_settings

    from factcheck.model.schema import claim_schema

    schema = claim_schema(fixture_settings(tmp_path / "p").scale)
    ok, messages = _check("statement: 7\nverdict: flase\n", schema)
    assert not ok
    assert "t.yaml:1:12: statement: expected text, got the number 7; put the value in quotes" in messages
    assert any(m.startswith("t.yaml:2:10: verdict: 'flase' is not allowed (did you mean 'false'?)") for m in messages)


def test_the_same_answers_without_the_compiled_validator(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where jsonschema-rs is not installed, jsonschema alone judges the file, with the same messages."""
    with_fast = [_check(VALID), _check("title: 3\nkind: persn\n")]
    monkeypatch.setattr(validate, "_fast_for", lambda schema: None)
    assert [_check(VALID), _check("title: 3\nkind: persn\n")] == with_fast
    assert with_fast[1] == (
        False,
        [
            "t.yaml:1:8: title: expected text, got the number 3; put the value in quotes",
            "t.yaml:2:7: kind: 'persn' is not allowed (did you mean 'person'?); use one of: person, organisation, place",
        ],
    )
