"""Unit tests of discovery (factcheck/model/discover.py): file ids, safe reading, and what discover() returns.

Each test lays out a few small files in tmp_path; no build.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import fixture_settings

from factcheck.model.discover import Input, Report, discover, file_id, read_bytes, read_text
from factcheck.model.problems import Problems
from factcheck.model.yamlio import MAX_FILE_BYTES, load_mapping

ENTITY = "---\nname: {name}\ntype: person\n---\nBody of {name}.\n"
SOURCE = "---\ntitle: A source\n---\nAbout it.\n"


def _messages(problems: Problems) -> list[str]:
    return [str(p) for p in problems.sorted()]


def _file_id(path: Path, kind: str = "claim", suffix: str = ".yaml") -> tuple[str | None, list[str]]:
    problems = Problems()
    found = file_id(path, path.name, kind, suffix, Report(problems))
    return found, _messages(problems)


# -- file_id ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a", "ruritania-has-42-tanks", "2024", "x" * 80])
def test_valid_file_names_give_their_id(tmp_path: Path, name: str) -> None:
    assert _file_id(tmp_path / f"{name}.yaml") == (name, [])


NOT_AN_ID = "is not a valid id: use lowercase letters, digits and single hyphens, at most 80 characters"


@pytest.mark.parametrize("name", ["Upper", "two--hyphens", "-lead", "trail-", "under_score", "sp ace", "é", "x" * 81])
def test_invalid_file_names_are_reported(tmp_path: Path, name: str) -> None:
    assert _file_id(tmp_path / f"{name}.yaml") == (None, [f"{name}.yaml:1:1: file name '{name}.yaml' {NOT_AN_ID}"])


def test_a_name_that_differs_only_in_case_names_its_twin(tmp_path: Path) -> None:
    (tmp_path / "alice.yaml").write_text("", encoding="utf-8")
    assert _file_id(tmp_path / "Alice.yaml") == (
        None,
        [
            f"Alice.yaml:1:1: file name 'Alice.yaml' {NOT_AN_ID}; it would clash with 'alice.yaml' "
            "(names must differ by more than case or Unicode form)"
        ],
    )


def test_wrong_suffix_and_reserved_names(tmp_path: Path) -> None:
    assert _file_id(tmp_path / "note.yml") == (
        None,
        ["note.yml:1:1: claim files must end in .yaml; rename it to note.yaml"],
    )
    assert _file_id(tmp_path / "bob.txt", "entity", ".md") == (
        None,
        ["bob.txt:1:1: entity files must end in .md; rename it to bob.md"],
    )
    assert _file_id(tmp_path / "index.md", "source", ".md") == (
        None,
        ["index.md:1:1: 'index' is reserved for the site's own pages; choose another file name"],
    )


def test_a_decomposed_accent_is_not_an_id_either(tmp_path: Path) -> None:
    name = "cafe\u0301"  # NFC makes it 'café': still not an id
    found, messages = _file_id(tmp_path / f"{name}.yaml")
    assert found is None and NOT_AN_ID in messages[0]


# -- read_bytes / read_text ------------------------------------------------------------------------


def _read(path: Path, root: Path | None = None, limit: int = MAX_FILE_BYTES) -> tuple[bytes | None, list[str]]:
    problems = Problems()
    return read_bytes(path, "f", problems, root, limit=limit), _messages(problems)


def test_read_bytes_reads_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes(b"x: 1\n")
    assert _read(tmp_path / "a.yaml", tmp_path) == (b"x: 1\n", [])
    assert _read(tmp_path / "a.yaml", tmp_path, limit=5) == (b"x: 1\n", [])


def test_read_bytes_refuses_a_file_over_the_limit(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes(b"x" * 1001)
    assert _read(tmp_path / "a.yaml", limit=1000) == (None, ["f:1:1: file is 1,001 bytes; the limit is 1,000"])


def test_read_bytes_refuses_what_is_not_a_file(tmp_path: Path) -> None:
    (tmp_path / "folder.yaml").mkdir()
    os.mkfifo(tmp_path / "pipe.yaml")
    assert _read(tmp_path / "folder.yaml") == (
        None,
        ["f:1:1: is a folder, not a file; remove it (only regular files are read)"],
    )
    assert _read(tmp_path / "pipe.yaml") == (
        None,
        ["f:1:1: is a named pipe, not a file; remove it (only regular files are read)"],
    )
    assert _read(Path("/dev/null")) == (
        None,
        ["f:1:1: is a device, not a file; remove it (only regular files are read)"],
    )


def test_read_bytes_follows_links_only_inside_the_project(tmp_path: Path) -> None:
    project, outside = tmp_path / "p", tmp_path / "secret.txt"
    project.mkdir()
    outside.write_text("secret", encoding="utf-8")
    (project / "inside.txt").write_text("ok", encoding="utf-8")
    (project / "in.yaml").symlink_to(project / "inside.txt")
    (project / "out.yaml").symlink_to(outside)
    (project / "dangling.yaml").symlink_to(project / "missing")
    assert _read(project / "in.yaml", project) == (b"ok", [])
    assert _read(project / "out.yaml", project) == (
        None,
        [
            f"f:1:1: is a symbolic link to {outside.resolve()}, outside the project; copy the file into the project "
            "instead (links are followed only inside it)"
        ],
    )
    assert _read(project / "out.yaml") == (b"secret", [])  # no project given: no limit on links
    assert _read(project / "dangling.yaml", project) == (
        None,
        ["f:1:1: is a symbolic link to a file that does not exist; remove it"],
    )
    assert _read(project / "gone.yaml", project) == (None, ["f:1:1: disappeared while it was read; run again"])


def test_read_text_decodes_or_reports(tmp_path: Path) -> None:
    (tmp_path / "ok.md").write_text("café\n", encoding="utf-8")
    (tmp_path / "latin.md").write_bytes(b"caf\xe9\n")
    problems = Problems()
    assert read_text(tmp_path / "ok.md", "ok.md", problems) == "café\n"
    assert read_text(tmp_path / "latin.md", "latin.md", problems) is None
    assert len(problems) == 1 and problems.items[0].path == "latin.md"
    assert "not valid UTF-8 (byte 0xe9); save the file as UTF-8" in problems.items[0].message


# -- Report ----------------------------------------------------------------------------------------


def test_report_locates_a_field_and_a_file() -> None:
    problems = Problems()
    doc = load_mapping("a: 1\nb:\n  - x\n  - y\n", "c.yaml", problems)
    assert doc is not None
    report = Report(problems)
    report.add(Input("c", "claims/c.yaml", doc), ("b", 1), "bad item")
    report.add(None, ("x",), "no file", path="elsewhere.yaml")
    report.file("claims/d.yaml", "whole file")
    assert _messages(problems) == [
        "claims/c.yaml:4:5: b[1]: bad item",
        "claims/d.yaml:1:1: whole file",
        "elsewhere.yaml:1:1: x: no file",
    ]


# -- discover --------------------------------------------------------------------------------------


@pytest.fixture
def settings(tmp_path: Path):
    return fixture_settings(tmp_path / "p", None)


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def test_discover_reads_every_kind_of_input(settings) -> None:
    _write(settings.entities_dir, {"alice.md": ENTITY.format(name="Alice"), "bob.md": ENTITY.format(name="Bob")})
    _write(settings.sources_dir, {"article.md": SOURCE, "article.txt": "The full text.\n"})
    _write(settings.claims_dir, {"b-claim.yaml": "statement: B\n", "a-claim.yaml": "statement: A\n", "README.md": "x"})
    problems = Problems()
    inputs = discover(settings, problems)
    assert sorted(inputs.entities) == ["alice", "bob"] and list(inputs.sources) == ["article"]
    assert [c.id for c in inputs.claims] == ["a-claim", "b-claim"]  # by name; README.md is not a claim
    alice = inputs.entities["alice"]
    assert (alice.path, alice.data, alice.body, alice.valid) == (
        "content/entities/alice.md",
        {"name": "Alice", "type": "person"},
        "Body of Alice.\n",
        True,
    )
    claim = inputs.claims[0]
    assert (claim.path, claim.data, claim.text) == ("claims/a-claim.yaml", {"statement": "A"}, "statement: A\n")
    assert claim.valid is False  # the schema wants more than a statement ...
    assert all(p.path.startswith("claims/") for p in problems)  # ... and says so; the rest is valid


def test_discover_reports_every_problem_in_one_run(settings) -> None:
    _write(
        settings.entities_dir,
        {
            "alice.md": ENTITY.format(name="Alice"),
            "ally.md": "---\nname: ALICE\ntype: person\n---\n",
            "no-front.md": "Just text.\n",
            "Bad-Name.md": ENTITY.format(name="Bad"),
            "broken.md": "---\nname: [unclosed\n---\n",
            ".hidden.md": "not read",
        },
    )
    _write(settings.claims_dir, {"c.yaml": "statement: [\n", "notes.txt": "x"})
    problems = Problems()
    inputs = discover(settings, problems)
    assert sorted(inputs.entities) == ["alice", "ally"]  # each file that parses, even with a name clash
    assert inputs.claims == ()
    assert _messages(problems) == [
        "claims/c.yaml:2:1: YAML syntax error: while parsing a flow node did not find expected node content",
        "claims/notes.txt:1:1: claim files must end in .yaml; rename it to notes.yaml",
        "claims/notes.txt:1:1: file is a single value; it must be a mapping of fields (`field: value` lines)",
        f"content/entities/Bad-Name.md:1:1: file name 'Bad-Name.md' {NOT_AN_ID}",
        "content/entities/ally.md:2:7: name: 'ALICE' is also a name or alias of 'alice' (content/entities/alice.md); "
        "each name must point to one entity",
        "content/entities/broken.md:3:1: YAML syntax error: while parsing a flow sequence did not find expected ',' "
        "or ']' (the construct started on line 2)",
        "content/entities/no-front.md:1:1: missing front matter: the file must start with a line '---', "
        "then fields, then '---'",
    ]  # .hidden.md is not read


def test_discover_refuses_a_pipe_among_the_pages(settings) -> None:
    os.mkfifo(settings.docs_dir / "page.md")
    problems = Problems()
    discover(settings, problems)
    assert _messages(problems) == [
        "content/page.md:1:1: is a named pipe, not a file; remove it (only regular files are read)"
    ]


def test_discover_of_an_empty_project(settings) -> None:
    problems = Problems()
    inputs = discover(settings, problems)
    assert (dict(inputs.entities), dict(inputs.sources), inputs.claims, _messages(problems)) == ({}, {}, (), [])


def test_the_default_limit_is_the_yaml_readers(tmp_path: Path) -> None:
    (tmp_path / "big.yaml").write_bytes(b"x" * (MAX_FILE_BYTES + 1))
    (tmp_path / "full.yaml").write_bytes(b"x" * MAX_FILE_BYTES)
    assert _read(tmp_path / "big.yaml") == (None, ["f:1:1: file is 262,145 bytes; the limit is 262,144"])
    assert _read(tmp_path / "full.yaml")[1] == []


# -- what a preview keeps between two runs (KeptFiles) ---------------------------------------------
def _inputs(settings, kept) -> tuple[dict[str, Input], list[str]]:  # noqa: ANN001
    problems = Problems()
    found = discover(settings, problems, kept)
    every = {**found.entities, **found.sources, **{c.id: c for c in found.claims if c.id}}
    return every, _messages(problems)


def test_kept_files_are_taken_again_only_while_their_stat_is_the_same(tmp_path: Path, monkeypatch) -> None:
    import factcheck.model.discover as discovery
    from factcheck.model.discover import KeptFiles

    monkeypatch.setattr(discovery, "RACY_NS", 0)  # the files were written just now: count them as settled
    settings = fixture_settings(tmp_path / "p")
    kept = KeptFiles()
    first, _ = _inputs(settings, kept)
    assert (kept.hits, kept.reads) == (0, len(first))
    second, _ = _inputs(settings, kept)
    assert (kept.hits, kept.reads) == (len(first), 0)
    assert all(second[k] is first[k] for k in first)

    # The same size, the old mtime set back: the change time (set by the kernel) still differs.
    claim = settings.claims_dir / "ruritania-has-42-tanks.yaml"
    before = os.stat(claim)
    claim.write_text(claim.read_text(encoding="utf-8").replace("The count", "The tally"), encoding="utf-8")
    os.utime(claim, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (os.stat(claim).st_size, os.stat(claim).st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    third, _ = _inputs(settings, kept)
    assert kept.reads == 1
    assert third["ruritania-has-42-tanks"].data["summary"].startswith("The tally")

    # Deleted: gone from what is kept; a file with a problem is read again every time.
    (settings.entities_dir / "bob-quiet.md").unlink()
    claim.write_text(claim.read_text(encoding="utf-8").replace("verdict: misleading", "verdict: maybe"))
    fourth, problems = _inputs(settings, kept)
    assert "bob-quiet" not in fourth and problems
    fifth, again = _inputs(settings, kept)
    assert (kept.reads, again) == (1, problems)


def test_a_file_changed_just_before_it_was_read_is_read_again(tmp_path: Path) -> None:
    """A clock that ticks once in 2 s could hide a second save in the same tick: such a file is not kept."""
    from factcheck.model.discover import KeptFiles

    settings = fixture_settings(tmp_path / "p")  # every file written just now
    kept = KeptFiles()
    first, _ = _inputs(settings, kept)
    _inputs(settings, kept)
    assert (kept.hits, kept.reads) == (0, len(first))
