"""CONTRIBUTING.md matches the code: every field documented, every example valid."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, build, run_build_py

from factcheck.model.schema import MEDIA_AUTHENTICITY, claim_schema, entity_schema, source_schema
from factcheck.render.format import ENTITY_TYPES, SOURCE_TYPES
from factcheck.settings import DEFAULT_SCALE

GUIDE = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
EXAMPLE = re.compile(r"<!-- example: (?P<path>[\w./-]+) -->\n```\w*\n(?P<body>.*?)\n```", re.S)


def section(title: str) -> str:
    """Return the text of the `## title` section of the guide."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", GUIDE, re.M | re.S)
    assert match, f"CONTRIBUTING.md has no '## {title}' section"
    return match.group(1)


def field_names(schema: dict[str, Any], prefix: str = "") -> list[str]:
    """Every field of a schema as the guide names it: `appearance.quote`, `evidence[].url`."""
    names = []
    for name, prop in schema.get("properties", {}).items():
        names.append(prefix + name)
        if prop.get("type") == "object":
            names += field_names(prop, f"{prefix}{name}.")
        elif prop.get("type") == "array" and prop.get("items", {}).get("type") == "object":
            names += field_names(prop["items"], f"{prefix}{name}[].")
    return names


def documented_row(text: str, name: str) -> str | None:
    match = re.search(rf"^\| `{re.escape(name)}` \|.*$", text, re.M)
    return match.group(0) if match else None


@pytest.mark.parametrize(
    ("title", "schema"),
    [
        ("The claim file", claim_schema(DEFAULT_SCALE)),
        ("Entity pages", entity_schema()),
        ("Source pages", source_schema()),
    ],
    ids=["claim", "entity", "source"],
)
def test_every_schema_field_has_a_row_in_the_guide(title: str, schema: dict[str, Any]):
    text = section(title)
    missing = [name for name in field_names(schema) if documented_row(text, name) is None]
    assert missing == [], f"not documented in '## {title}' of CONTRIBUTING.md: {missing}"
    required = set(schema["required"])
    for name in schema["properties"]:
        row = documented_row(text, name)
        if "| required |" in text:
            assert ("| yes |" in row) == (name in required), f"'required' column wrong for {name}"


def test_the_guide_names_no_field_the_schema_lacks():
    claim = set(field_names(claim_schema(DEFAULT_SCALE)))
    rows = re.findall(r"^\| `([a-z_]+(?:\[\])?(?:\.[a-z_]+)?)` \|", section("The claim file"), re.M)
    scale = {v.key for v in DEFAULT_SCALE}
    assert [r for r in rows if r not in claim and r not in scale] == []


def test_allowed_values_are_all_listed():
    claim = section("The claim file")
    for verdict in DEFAULT_SCALE:
        row = documented_row(claim, verdict.key)
        assert row is not None and verdict.definition in row
    assert all(f"`{v}`" in documented_row(claim, "media.authenticity") for v in MEDIA_AUTHENTICITY)
    assert all(f"`{v}`" in documented_row(claim, "evidence[].stance") for v in ("supports", "contradicts", "context"))
    assert all(f"`{t}`" in documented_row(section("Entity pages"), "type") for t in ENTITY_TYPES)
    assert all(f"`{t}`" in documented_row(section("Source pages"), "type") for t in SOURCE_TYPES)


def examples() -> dict[str, str]:
    found = {m["path"]: m["body"] + "\n" for m in EXAMPLE.finditer(GUIDE)}
    assert any(p.startswith("claims/") for p in found) and any(p.startswith("content/entities/") for p in found)
    return found


def test_the_examples_pass_check_and_build(project: Path):
    for path, body in examples().items():
        target = project / path
        assert not target.exists(), f"example {path} would replace a fixture file"
        target.write_text(body, encoding="utf-8")
    result = run_build_py(project, "check")
    assert result.returncode == 0, result.stderr
    site = build(project)
    for path in examples():
        if path.startswith("claims/"):
            claim_id = Path(path).stem
            assert site.exists(f"claims/{claim_id}/"), path
    # every field of the format appears in at least one example
    claim_text = "".join(body for path, body in examples().items() if path.startswith("claims/"))
    for name in claim_schema(DEFAULT_SCALE)["properties"]:
        assert re.search(rf"^{name}:", claim_text, re.M), f"no example uses `{name}`"


def test_the_walkthrough_commands_and_sample_error_match_the_tool(project: Path):
    """Step 2's command creates the file the guide names; step 4's sample error is what check prints for it."""
    command = re.search(r'build\.py new "([^"]+)" --claimant (\S+) --source (\S+)', GUIDE)
    assert command
    statement, claimant, source = command.groups()
    result = run_build_py(project, "new", statement, "--claimant", claimant, "--source", source)
    assert result.returncode == 0, result.stderr
    created = re.search(r"This writes `(claims/[\w-]+\.yaml)`", GUIDE).group(1)
    assert f"Created {created}" in result.stdout

    sample = re.search(r"^\s*(claims/\S+?:\d+:\d+: verdict: .*)$", GUIDE, re.M).group(1)
    path = project / created
    path.write_text(
        re.sub(r'^verdict: ""', "verdict: maybe", path.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8"
    )
    assert sample in run_build_py(project, "check").stderr.splitlines()
