"""`build.py new` and `build.py schema`: what a contributor starts from."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import yaml
from conftest import REPO, build, run_build_py

from factcheck.cli.scaffold import slugify
from factcheck.model.schema import claim_schema, entity_schema, source_schema, write_schemas
from factcheck.settings import load_settings

STATEMENT = "Alice says Ruritania has 10,000 tanks — more than ever"


def test_slugify_makes_ids_from_statements():
    assert slugify(STATEMENT) == "alice-says-ruritania-has-10000-tanks-more-than"
    assert slugify("Ünïcode café: it's fine!") == "unicode-cafe-its-fine"
    long = slugify("word " * 40)
    assert len(long) <= 60 and not long.endswith("-")


def test_new_writes_a_draft_with_every_field(project: Path):
    result = run_build_py(project, "new", STATEMENT, "--claimant", "alice-example", "--author", "Test Author")
    assert result.returncode == 0, result.stderr
    path = project / "claims" / "alice-says-ruritania-has-10000-tanks-more-than.yaml"
    assert f"Created claims/{path.name}" in result.stdout
    assert "python build.py check" in result.stdout and "python build.py serve" in result.stdout
    assert "  5. python build.py archive   saves a copy of every page you cite in the Internet Archive" in result.stdout

    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/claim.schema.json\n")
    data = yaml.safe_load(text)
    schema = claim_schema(load_settings(project / "mkdocs.yml").scale)
    assert set(schema["required"]) <= set(data), "every required field is in the scaffold"
    assert data["statement"] == STATEMENT
    assert data["claimant"] == "alice-example"
    assert data["status"] == "draft"
    assert data["authors"] == ["Test Author"]
    today = dt.date.today()
    assert data["claim_date"] in (today, today - dt.timedelta(days=1))  # a run across midnight
    assert (
        "    # archive_url: an archived copy. `factcheck archive` (python build.py archive) asks the Internet\n" in text
    )
    # every top-level field carries a comment saying what to write, except the statement itself
    for line in text.splitlines():
        key = re.match(r"^([a-z_]+):", line)
        if key and key.group(1) not in ("statement", "authors"):
            assert "#" in line, f"no comment on: {line}"


def test_new_refuses_to_overwrite(project: Path):
    target = project / "claims" / "the-sky-is-green.yaml"
    before = target.read_text(encoding="utf-8")
    result = run_build_py(project, "new", "The sky is green", "--id", "the-sky-is-green")
    assert result.returncode == 1
    assert "the-sky-is-green.yaml already exists" in result.stderr
    assert "Traceback" not in result.stderr
    assert target.read_text(encoding="utf-8") == before


def test_new_refuses_a_bad_id(project: Path):
    result = run_build_py(project, "new", "Anything", "--id", "Bad_Id")
    assert result.returncode == 1
    assert "'Bad_Id' is not a usable id" in result.stderr
    assert not list((project / "claims").glob("Bad*"))


def test_scaffold_blanks_are_reported_then_a_filled_in_draft_builds(project: Path):
    assert (
        run_build_py(
            project,
            "new",
            STATEMENT,
            "--id",
            "tanks",
            "--claimant",
            "alice-example",
            "--source",
            "fixture-article",
            "--author",
            "Test Author",
        ).returncode
        == 0
    )
    path = project / "claims" / "tanks.yaml"

    check = run_build_py(project, "check")
    assert check.returncode == 1
    fields = {m.group(1) for m in re.finditer(r"^claims/tanks\.yaml:\d+:\d+: ([\w.\[\]]+):", check.stderr, re.M)}
    assert fields == {
        "appearance.quote",
        "verdict",
        "summary",
        "analysis",
        "evidence[0].title",
        "evidence[0].publisher",
        "evidence[0].url",
        "evidence[0].date",
    }

    filled = {
        "  quote": "  quote: the agency counted 11,000 soldiers",
        "verdict": 'verdict: "false"',
        "summary": "summary: Ruritania has 42 tanks.",
        "analysis": "analysis: The registry lists 42.",
        "  - title": "  - title: Tank registry",
        "    publisher": "    publisher: Example Agency",
        "    url": "    url: https://example.org/tanks",
        "    date": "    date: 2024-10-20",
    }
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        key = line.split(":", 1)[0]
        lines.append(filled.get(key, line) if line.split("#")[0].rstrip().endswith('""') else line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    check = run_build_py(project, "check")
    assert check.returncode == 0, check.stderr

    preview = build(project, "--drafts")
    assert preview.exists("claims/tanks/")
    banner = preview.page("claims/tanks/").select_one(".fc-draft-banner")
    assert banner is not None and "Draft" in banner.get_text()
    production = build(project)
    assert not production.exists("claims/tanks/")


def test_committed_schemas_are_up_to_date(tmp_path: Path):
    """schema/ is what editors read; `python build.py schema` regenerates it."""
    settings = load_settings(REPO / "mkdocs.yml")
    for fresh in write_schemas(tmp_path, settings.scale):
        committed = REPO / "schema" / fresh.name
        assert committed.is_file(), f"{committed} is missing: run `python build.py schema` and commit it"
        assert committed.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8"), (
            f"schema/{fresh.name} is out of date: run `python build.py schema` and commit it"
        )


def test_schema_command_writes_valid_json_schemas(project: Path):
    result = run_build_py(project, "schema")
    assert result.returncode == 0, result.stderr
    from jsonschema import Draft7Validator

    for name, schema in (("claim", None), ("entity", entity_schema()), ("source", source_schema())):
        written = json.loads((project / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
        Draft7Validator.check_schema(written)
        assert written["$schema"] == "http://json-schema.org/draft-07/schema#"  # what editors understand
        if schema is not None:
            assert {**written, "$schema": schema["$schema"]} == schema


def test_editor_schemas_judge_files_as_the_checker_does():
    """The draft-07 copies for editors accept and refuse exactly what the 2020-12 checker does."""
    from jsonschema import Draft7Validator, Draft202012Validator

    from factcheck.model.problems import Problems
    from factcheck.model.yamlio import load_mapping

    scale = load_settings(REPO / "mkdocs.yml").scale
    schema = claim_schema(scale)
    samples = []
    for path in sorted((REPO / "tests" / "fixtures").glob("*/claims/*.yaml")):
        doc = load_mapping(path.read_text(encoding="utf-8"), path.name, Problems()).data
        samples.append(doc)
        broken = dict(doc)
        broken.update(verdict="maybe", evidence=[], appearance={"source": "x", "url": "https://example.org"})
        samples.append(broken)
    assert len(samples) >= 6
    for sample in samples:
        new = sorted(e.message for e in Draft202012Validator(schema).iter_errors(sample))
        old = sorted(
            e.message
            for e in Draft7Validator({**schema, "$schema": Draft7Validator.META_SCHEMA["$schema"]}).iter_errors(sample)
        )
        assert new == old


def test_check_annotates_each_problem_for_github(project: Path):
    """Under GitHub Actions, check also prints ::error commands that land on the broken line."""
    path = project / "claims" / "the-sky-is-green.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^verdict: .*$", "verdict: maybe", text, flags=re.M)
    text = re.sub(r"^claim_date: .*$", "claim_date: 18 October 2024", text, flags=re.M)
    path.write_text(text, encoding="utf-8")

    plain = run_build_py(project, "check")
    assert plain.returncode == 1 and "::error" not in plain.stdout + plain.stderr

    result = run_build_py(project, "check", env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    annotations = re.findall(r"^::error file=([^,]+),line=(\d+),col=(\d+)::([^:]+): (.*)$", result.stdout, re.M)
    assert {a[3] for a in annotations} == {"verdict", "claim_date"}
    lines = text.splitlines()
    for file, line, col, field, message in annotations:
        assert file == "claims/the-sky-is-green.yaml"
        assert lines[int(line) - 1].startswith(f"{field}:")
        assert lines[int(line) - 1][int(col) - 1 :].startswith(("maybe", "18 October"))
        assert f"{file}:{line}:{col}: {field}: {message}" in result.stderr  # the same problem, for people


def test_schema_check_flags_stale_schemas(project: Path):
    assert run_build_py(project, "schema").returncode == 0
    assert run_build_py(project, "schema", "--check").returncode == 0
    stale = project / "schema" / "claim.schema.json"
    stale.write_text(stale.read_text(encoding="utf-8").replace("mostly-true", "mostly-truthy"), encoding="utf-8")
    result = run_build_py(project, "schema", "--check")
    assert result.returncode == 1
    assert "schema/claim.schema.json is out of date" in result.stderr
    assert "mostly-truthy" in stale.read_text(encoding="utf-8"), "--check changes nothing"


def test_pre_commit_hooks_run_the_project_commands():
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    check = hooks["factcheck-check"]
    assert check["entry"] == "python build.py check"
    for changed in ("claims/x.yaml", "content/entities/x.md", "content/sources/x.md"):
        assert re.search(check["files"], changed)
    assert not re.search(check["files"], "content/about.md")
    assert hooks["factcheck-schema"]["entry"] == "python build.py schema --check"
    assert re.search(hooks["factcheck-schema"]["files"], "factcheck/model/schema.py")


def test_new_in_a_site_made_by_init_names_its_command_and_points_at_what_the_site_has(tmp_path: Path, capsys):
    """A newsroom's site has no CONTRIBUTING.md and runs `factcheck`, not `python build.py`."""
    from factcheck.cli.main import main

    site = tmp_path / "newsroom"
    assert main(["init", str(site), "--no-example"]) == 0
    assert not (site / "CONTRIBUTING.md").exists()
    capsys.readouterr()
    assert main(["-f", str(site / "mkdocs.yml"), "new", STATEMENT, "--author", "A. Editor"]) == 0
    printed = capsys.readouterr().out
    text = (site / "claims" / "alice-says-ruritania-has-10000-tanks-more-than.yaml").read_text(encoding="utf-8")
    head = "".join(
        line for line in text.splitlines(keepends=True) if line.startswith("# ") and "yaml-language" not in line
    )
    for said in (head, printed):
        assert "build.py" not in said and "CONTRIBUTING.md" not in said, said
    assert "created by `factcheck new`" in head and "`factcheck check`" in head
    assert "schema/claim.schema.json" in head and "schema/claim.schema.json" in printed
