"""Unit tests of the cross-file rules (factcheck/model/rules.py), on parsed files made in memory.

Each rule reads an `Inputs` and reports into a `Report`; here the inputs are a few YAML
mappings parsed with the real loader (so problems carry real lines), not a fixture site.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import fixture_settings

from factcheck.model import rules
from factcheck.model.discover import Input, Inputs, Report
from factcheck.model.problems import Problems
from factcheck.model.yamlio import load_mapping


def _input(item_id: str, path: str, text: str) -> Input:
    problems = Problems()
    doc = load_mapping(text, path, problems)
    assert doc is not None and not problems, [str(p) for p in problems]
    return Input(item_id, path, doc)


def _entity(item_id: str, text: str = "") -> Input:
    return _input(item_id, f"content/entities/{item_id}.md", f"name: {item_id.title()}\n{text}")


def _source(item_id: str, text: str = "") -> Input:
    return _input(item_id, f"content/sources/{item_id}.md", f"title: {item_id}\n{text}")


def _claim(item_id: str, text: str) -> Input:
    return _input(item_id, f"claims/{item_id}.yaml", text)


def _inputs(claims=(), entities=(), sources=()) -> Inputs:
    return Inputs(
        entities={e.id: e for e in entities},
        sources={s.id: s for s in sources},
        claims=tuple(claims),
    )


def _run(rule, inputs: Inputs, settings=None) -> list[str]:
    problems = Problems()
    rule(inputs, settings, Report(problems))
    return [str(p) for p in problems.sorted()]


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory):
    return fixture_settings(tmp_path_factory.mktemp("rules") / "p", "basic")


# -- unknown, parse_date, normalise ------------------------------------------------------------


def test_unknown_suggests_the_closest_id() -> None:
    known = {"alice-example": None, "bob-quiet": None}
    assert rules.unknown("entity", "alice-exampel", known) == (
        "no entity 'alice-exampel' (add content/entities/alice-exampel.md or use an existing id); "
        "did you mean 'alice-example'?"
    )
    assert rules.unknown("source", "zzz", {"fixture-article": None}) == (
        "no source 'zzz' (add content/sources/zzz.md or use an existing id)"
    )
    assert rules.unknown("entity", "x", {}) == "no entity 'x' (add content/entities/x.md or use an existing id)"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-02-29", dt.date(2024, 2, 29)),
        ("2000-01-01", dt.date(2000, 1, 1)),
        ("2023-02-29", None),  # not a leap year
        ("2024-13-01", None),
        ("2024-1-01", None),
        ("20240101", None),
        ("2024-01-01T00:00", None),
        (" 2024-01-01", None),
        ("", None),
        (20240101, None),
        (None, None),
        (dt.date(2024, 1, 1), None),  # only text is a date in a file
    ],
)
def test_parse_date(value, expected) -> None:
    assert rules.parse_date(value) == expected


def test_normalise_folds_typography_and_space() -> None:
    assert rules.normalise("  “It’s”\u00a0 a—test –\n ok  ") == '"It\'s" a-test - ok'
    assert rules.normalise("ﬁle") == "file"  # NFKC
    assert rules.normalise("") == ""


def test_today_is_utc() -> None:
    assert rules.today() == dt.datetime.now(dt.UTC).date()


# -- entities --------------------------------------------------------------------------------


def test_related_entities_exist() -> None:
    inputs = _inputs(
        entities=[
            _entity("alice", "related: [bob, alicia, alice, 7]\n"),
            _entity("bob", "related: [alice]\n"),
            _entity("carol", "related: nothing\n"),  # the schema reports the type
        ]
    )
    assert _run(rules.related_entities_exist, inputs) == [
        "content/entities/alice.md:2:16: related[1]: no entity 'alicia' "
        "(add content/entities/alicia.md or use an existing id); did you mean 'alice'?",
        "content/entities/alice.md:2:24: related[2]: an entity cannot be related to itself",
    ]


# -- claims ----------------------------------------------------------------------------------

CLAIM = """\
statement: S
claimant: alice
entities: [bob, bobb]
appearance:
  source: articel
  date: 2024-01-02
"""


def test_claim_references_exist() -> None:
    inputs = _inputs(
        claims=[_claim("c", CLAIM)],
        entities=[_entity("alice"), _entity("bob")],
        sources=[_source("article")],
    )
    assert _run(rules.claim_references_exist, inputs) == [
        "claims/c.yaml:3:17: entities[1]: no entity 'bobb' "
        "(add content/entities/bobb.md or use an existing id); did you mean 'bob'?",
        "claims/c.yaml:5:11: appearance.source: no source 'articel' "
        "(add content/sources/articel.md or use an existing id); did you mean 'article'?",
    ]


def test_claim_references_leave_invalid_ids_to_the_schema() -> None:
    text = "claimant: Not An Id\nentities: [7, UPPER]\nappearance: [x]\n"
    assert _run(rules.claim_references_exist, _inputs(claims=[_claim("c", text)])) == []


def test_missing_claimant_is_reported() -> None:
    inputs = _inputs(claims=[_claim("c", "claimant: nobody\n")], entities=[_entity("alice")])
    assert _run(rules.claim_references_exist, inputs) == [
        "claims/c.yaml:1:11: claimant: no entity 'nobody' (add content/entities/nobody.md or use an existing id)"
    ]


def test_tags_are_not_reserved() -> None:
    inputs = _inputs(claims=[_claim("c", "tags: [figures, index, feed, Index, 3]\n")])
    assert _run(rules.tags_are_not_reserved, inputs) == [
        "claims/c.yaml:1:17: tags[1]: 'index' cannot be a tag: it is reserved for the site's own pages",
        "claims/c.yaml:1:24: tags[2]: 'feed' cannot be a tag: it is reserved for the site's own pages",
    ]


def test_dates_are_real_and_past() -> None:
    future = (rules.today() + dt.timedelta(days=2)).isoformat()
    tomorrow = (rules.today() + dt.timedelta(days=1)).isoformat()  # a day's grace
    text = (
        f"claim_date: 2023-02-29\npublished: {future}\nupdated: {tomorrow}\n"
        "appearance: {date: 2024-02-30}\n"
        "evidence:\n  - {date: 2024-01-01}\n  - {date: 2024-04-31}\n  - not a mapping\n"
        "updates:\n  - {date: yesterday}\n  - {date: 2024-00-10}\n"
    )
    inputs = _inputs(
        claims=[_claim("c", text)],
        sources=[_source("s", "date: 2021-02-30\n"), _source("t", "date: 7\n")],
    )
    today = rules.today().isoformat()
    assert _run(rules.dates_are_real_and_past, inputs) == [
        "claims/c.yaml:1:13: claim_date: '2023-02-29' is not a real date (YYYY-MM-DD)",
        f"claims/c.yaml:2:12: published: {future} is in the future; dates must be on or before today ({today})",
        "claims/c.yaml:4:20: appearance.date: '2024-02-30' is not a real date (YYYY-MM-DD)",
        "claims/c.yaml:7:12: evidence[1].date: '2024-04-31' is not a real date (YYYY-MM-DD)",
        "claims/c.yaml:11:12: updates[1].date: '2024-00-10' is not a real date (YYYY-MM-DD)",
        "content/sources/s.md:2:7: date: '2021-02-30' is not a real date (YYYY-MM-DD)",
    ]


def test_dates_are_in_order() -> None:
    text = (
        "claim_date: 2024-03-01\npublished: 2024-02-01\nupdated: 2024-01-15\n"
        "updates:\n  - {date: 2024-01-20}\n  - {date: 2024-02-10}\n  - {date: 2024-02-05}\n  - {date: bad}\n"
    )
    assert _run(rules.dates_are_in_order, _inputs(claims=[_claim("c", text)])) == [
        "claims/c.yaml:2:12: published: published (2024-02-01) is before claim_date (2024-03-01); "
        "a claim is checked after it is made",
        "claims/c.yaml:3:10: updated: updated (2024-01-15) is before published (2024-02-01)",
        "claims/c.yaml:5:12: updates[0].date: 2024-01-20 is before the fact-check was published (2024-02-01)",
        "claims/c.yaml:7:12: updates[2].date: updates must be listed oldest first",
    ]


def test_dates_in_order_and_same_day_pass() -> None:
    text = (
        "claim_date: 2024-01-01\npublished: 2024-01-01\nupdated: 2024-01-01\n"
        "updates:\n  - {date: 2024-01-01}\n  - {date: 2024-01-01}\n  - {date: 2024-05-01}\n"
    )
    assert _run(rules.dates_are_in_order, _inputs(claims=[_claim("c", text)])) == []


def test_evidence_urls_are_unique() -> None:
    text = (
        "evidence:\n  - {url: 'https://a.example/'}\n  - {url: 'https://b.example/'}\n"
        "  - {url: 'https://a.example/'}\n  - {url: 'https://a.example/'}\n  - {url: 'https://A.example/'}\n"
    )
    assert _run(rules.evidence_urls_are_unique, _inputs(claims=[_claim("c", text)])) == [
        "claims/c.yaml:4:11: evidence[2].url: the same URL is already evidence item 0; merge the two",
        "claims/c.yaml:5:11: evidence[3].url: the same URL is already evidence item 0; merge the two",
    ]


# -- quotes ----------------------------------------------------------------------------------


def _quoted(quote: str, source: str = "article") -> Input:
    return _claim(f"q-{abs(hash(quote)) % 1000}", f"appearance:\n  source: {source}\n  quote: '{quote}'\n")


def test_quotes_occur_in_source_text(tmp_path: Path) -> None:
    settings = fixture_settings(tmp_path / "p", None)
    (settings.sources_dir / "article.txt").write_text("He said: “It’s  green,\nreally.”\n", encoding="utf-8")
    good = _claim("good", 'appearance:\n  source: article\n  quote: "It\'s green, really."\n')
    bad = _claim("bad", "appearance:\n  source: article\n  quote: it is green\n")
    no_text = _claim("no-text", "appearance:\n  source: other\n  quote: anything at all\n")
    unknown = _claim("unknown", "appearance:\n  source: missing\n  quote: anything\n")
    inputs = _inputs(claims=[good, bad, no_text, unknown], sources=[_source("article"), _source("other")])
    assert _run(rules.quotes_occur_in_source_text, inputs, settings) == [
        "claims/bad.yaml:3:10: appearance.quote: this quote does not occur in the text of source 'article' "
        "(content/sources/article.txt); copy the exact words"
    ]


def test_unreadable_source_text_is_reported_once(tmp_path: Path) -> None:
    settings = fixture_settings(tmp_path / "p", None)
    (settings.sources_dir / "article.txt").write_bytes(b"caf\xe9\n")  # not UTF-8
    claims = [_claim(f"c{i}", "appearance:\n  source: article\n  quote: cafe\n") for i in range(3)]
    messages = _run(rules.quotes_occur_in_source_text, _inputs(claims=claims, sources=[_source("article")]), settings)
    assert len(messages) == 1 and messages[0].startswith("content/sources/article.txt:1:"), messages


def test_apply_rules_runs_every_rule(settings) -> None:
    text = "claimant: nobody\ntags: [index]\npublished: 2024-02-01\nupdated: 2024-01-01\n"
    inputs = _inputs(claims=[_claim("c", text)], entities=[_entity("e", "related: [e]\n")])
    problems = Problems()
    rules.apply_rules(inputs, settings, Report(problems))
    assert [p.field for p in problems.sorted()] == ["claimant", "tags[0]", "updated", "related[0]"]
    assert rules.RULES[0] is rules.related_entities_exist and len(set(rules.RULES)) == len(rules.RULES)
