"""`python build.py check`: every class of problem, reported all at once with its exact location."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_build_py

BROKEN_CLAIM = """\
statement: 1234
claimant: nobody-here
appearance:
  source: fixture-articel
  quote: the agency counted 11,000 soldiers
claim_date: 2024-02-30
verdict: no
verdcit: "true"
summary: Fine.
analysis: Fine.
evidence:
  - title: A page
    publisher: Someone
    url: javascript:alert(1)
    date: 2999-01-01
    stance: agrees
entities: [ruritania, ghost]
tags: [Bad Tag]
authors: []
published: 2024-10-25
published: 2024-10-26
"""

EXPECTED_BROKEN = [
    "claims/broken-claim.yaml:1:12: statement: expected text, got the number 1234; put the value in quotes",
    "claims/broken-claim.yaml:2:11: claimant: no entity 'nobody-here' (add content/entities/nobody-here.md or use an existing id)",
    "claims/broken-claim.yaml:4:11: appearance.source: no source 'fixture-articel' (add content/sources/fixture-articel.md or use an existing id); did you mean 'fixture-article'?",
    "claims/broken-claim.yaml:6:13: claim_date: '2024-02-30' is not a real date (YYYY-MM-DD)",
    "claims/broken-claim.yaml:7:10: verdict: 'no' is not allowed; use one of: true, mostly-true, needs-context, misleading, false, unproven",
    "claims/broken-claim.yaml:8:1: verdcit: unknown field; did you mean 'verdict'? allowed fields: analysis, appearance, authors, claim_date, claimant, entities, evidence, media, published, short_statement, statement, status, summary, tags, unnamed_sources, updated, updates, verdict",
    "claims/broken-claim.yaml:14:10: evidence[0].url: 'javascript:alert(1)' is not an http(s) URL: it must start with https:// or http:// and contain no spaces",
    "claims/broken-claim.yaml:15:11: evidence[0].date: 2999-01-01 is in the future; dates must be on or before today",
    "claims/broken-claim.yaml:16:13: evidence[0].stance: 'agrees' is not allowed; use one of: supports, contradicts, context",
    "claims/broken-claim.yaml:17:23: entities[1]: no entity 'ghost' (add content/entities/ghost.md or use an existing id)",
    "claims/broken-claim.yaml:18:8: tags[0]: 'Bad Tag' is not a tag: use lowercase words joined by hyphens",
    "claims/broken-claim.yaml:19:10: authors: needs at least 1 item",
    "claims/broken-claim.yaml:21:1: published: duplicate field: first set on line 20, again on line 21; keep one",
]


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(("claims/", "content/"))]


def test_clean_fixture_passes(project: Path) -> None:
    result = run_build_py(project, "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "OK: 2 claims, 4 entities, 1 sources (drafts not counted)."


def test_every_problem_in_a_broken_claim_is_reported_with_its_place(project: Path) -> None:
    (project / "claims" / "broken-claim.yaml").write_text(BROKEN_CLAIM, encoding="utf-8")
    result = run_build_py(project, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = _error_lines(result.stderr)
    # The future-date message names today's date; compare up to it.
    got = [line.split(" (20")[0] if "in the future" in line else line for line in lines]
    assert got == EXPECTED_BROKEN
    assert result.stderr.rstrip().endswith(f"{len(EXPECTED_BROKEN)} problems in 1 file.")


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("yes-verdict.yaml", "verdict: yes\n", "claims/yes-verdict.yaml:1:10: verdict: 'yes' is not allowed"),
        ("tab.yaml", "statement: x\n\tclaimant: y\n", "claims/tab.yaml:2:1: YAML syntax error"),
        ("list.yaml", "- a\n- b\n", "claims/list.yaml:1:1: file is a list; it must be a mapping of fields"),
        ("empty.yaml", "", "claims/empty.yaml:1:1: file is empty; it must be a YAML mapping of fields"),
        (
            "tagged.yaml",
            "statement: !!python/object/apply:os.system [ls]\n",
            "claims/tagged.yaml:1:12: statement: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
        ),
        (
            "alias.yaml",
            "statement: &a x\nsummary: *a\n",
            "claims/alias.yaml:1:12: statement: anchors and aliases (& and *) are not supported",
        ),
        ("Upper.yaml", "statement: x\n", "claims/Upper.yaml:1:1: file name 'Upper.yaml' is not a valid id"),
        ("index.yaml", "statement: x\n", "claims/index.yaml:1:1: 'index' is reserved for the site's own pages"),
        ("ext.yml", "statement: x\n", "claims/ext.yml:1:1: claim files must end in .yaml; rename it to ext.yaml"),
    ],
)
def test_yaml_and_file_name_hazards(project: Path, name: str, text: str, expected: str) -> None:
    (project / "claims" / name).write_text(text, encoding="utf-8")
    result = run_build_py(project, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert any(line.startswith(expected) for line in _error_lines(result.stderr)), result.stderr


def test_quote_must_occur_in_held_source_text(project: Path) -> None:
    path = project / "claims" / "agency-counted-11000-soldiers.yaml"
    path.write_text(
        path.read_text().replace("quote: the agency counted 11,000", "quote: the agency counted 12,000"),
        encoding="utf-8",
    )
    result = run_build_py(project, "check")
    assert result.returncode == 1
    assert _error_lines(result.stderr) == [
        "claims/agency-counted-11000-soldiers.yaml:5:10: appearance.quote: this quote does not occur in the text "
        "of source 'fixture-article' (content/sources/fixture-article.txt); copy the exact words"
    ]


def test_typographic_quotes_and_spacing_do_not_count_as_differences(project: Path) -> None:
    path = project / "claims" / "the-sky-is-green.yaml"
    text = path.read_text().replace(
        "appearance:\n  url: https://example.org/post\n  title: A post\n  publisher: Example Blog\n  date: 2024-10-01\n  quote: the sky is green",
        "appearance:\n  source: fixture-article\n  quote: 'said \"the  sky is green\"'",
    )
    path.write_text(text, encoding="utf-8")
    result = run_build_py(project, "check")
    assert result.returncode == 0, result.stderr


def test_dates_must_be_in_order(project: Path) -> None:
    path = project / "claims" / "ruritania-has-42-tanks.yaml"
    path.write_text(path.read_text().replace("published: 2024-10-26", "published: 2024-10-01"), encoding="utf-8")
    result = run_build_py(project, "check")
    assert _error_lines(result.stderr) == [
        "claims/ruritania-has-42-tanks.yaml:19:12: published: published (2024-10-01) is before claim_date "
        "(2024-10-18); a claim is checked after it is made",
    ]


def test_entity_and_source_front_matter_problems(project: Path) -> None:
    (project / "content" / "entities" / "bad-entity.md").write_text(
        "---\nname: Alice\ntype: alien\nrelated: [nobody]\nwikidata: 42\ncolour: red\n---\nBody.\n", encoding="utf-8"
    )
    (project / "content" / "sources" / "bad-source.md").write_text(
        "---\ntitle: A source\nurl: ftp://example.org/x\ndate: 2024-13-01\n---\n", encoding="utf-8"
    )
    (project / "content" / "sources" / "no-front-matter.md").write_text("Just text.\n", encoding="utf-8")
    result = run_build_py(project, "check")
    assert result.returncode == 1
    assert _error_lines(result.stderr) == [
        "content/entities/bad-entity.md:2:7: name: 'Alice' is also a name or alias of 'alice-example' "
        "(content/entities/alice-example.md); each name must point to one entity",
        "content/entities/bad-entity.md:3:7: type: 'alien' is not allowed; use one of: person, organization, "
        "government-agency, country, place, military-unit, school, weapon, media-outlet, event, document",
        "content/entities/bad-entity.md:4:11: related[0]: no entity 'nobody' (add content/entities/nobody.md or use an existing id)",
        "content/entities/bad-entity.md:5:11: wikidata: expected text, got the number 42; put the value in quotes",
        "content/entities/bad-entity.md:6:1: colour: unknown field; allowed fields: aliases, description, name, related, type, wikidata",
        "content/sources/bad-source.md:3:6: url: 'ftp://example.org/x' is not an http(s) URL: it must start with https:// or http:// and contain no spaces",
        "content/sources/bad-source.md:4:7: date: '2024-13-01' is not a real date (YYYY-MM-DD)",
        "content/sources/no-front-matter.md:1:1: missing front matter: the file must start with a line '---', then fields, then '---'",
    ]


def test_build_refuses_broken_input_and_keeps_the_previous_site(project: Path) -> None:
    site = project / "site"
    assert run_build_py(project, "build", "--site-dir", str(site)).returncode == 0
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (project / "claims" / "broken-claim.yaml").write_text(BROKEN_CLAIM, encoding="utf-8")
    result = run_build_py(project, "build", "--site-dir", str(site))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Nothing was built; the previous site is unchanged." in result.stderr
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
