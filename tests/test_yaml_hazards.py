"""Hostile or broken YAML: each hazard is a located `file:line:col` error, never a traceback.

All hazard files sit in one project and are checked in one run (a contributor sees every
problem at once); the unit tests below pin what the reader does before any tree is built.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import run_build_py

from factcheck.model import yamlio
from factcheck.model.problems import Problems

GOOD_REST = """\
claimant: alice-example
appearance:
  source: fixture-article
  quote: the agency counted 11,000 soldiers
claim_date: 2024-10-18
verdict: "true"
summary: Fine.
analysis: Fine.
evidence:
  - {title: A page, publisher: Someone, url: "https://example.org/a", date: 2024-10-18, stance: supports}
authors: [Test Author]
published: 2024-10-25
"""

BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)

# file name -> (bytes, line, column or None, message fragment)
HAZARDS: dict[str, tuple[bytes, int, int | None, str]] = {
    "python-object.yaml": (
        b'statement: !!python/object/apply:os.system ["touch PWNED"]\n' + GOOD_REST.encode(),
        1,
        12,
        "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
    ),
    "python-name.yaml": (b"statement: !!python/name:os.system ''\n" + GOOD_REST.encode(), 1, 12, "is not allowed"),
    "unknown-tag.yaml": (GOOD_REST.encode() + b"statement: !shout hello\n", 13, 12, "tag '!shout' is not allowed"),
    "binary-tag.yaml": (GOOD_REST.encode() + b"statement: !!binary aGVsbG8=\n", 13, 12, "is not allowed"),
    "set-tag.yaml": (GOOD_REST.encode() + b"statement: !!set {a, b}\n", 13, 12, "is not allowed"),
    "alias-bomb.yaml": (BILLION_LAUGHS.encode(), 1, 4, "anchors and aliases (& and *) are not supported"),
    "alias.yaml": (
        b"statement: &s Hello\nsummary: *s\n" + GOOD_REST.replace("summary: Fine.\n", "").encode(),
        1,
        12,
        "anchors and aliases",
    ),
    "merge-key.yaml": (b"base: &b {x: 1}\nother:\n  <<: *b\n", 1, 7, "anchors and aliases"),
    "duplicate-keys.yaml": (
        b"statement: One\n" + GOOD_REST.encode() + b"statement: Two\n",
        14,
        1,
        "duplicate field: first set on line 1, again on line 14; keep one",
    ),
    "deep-nesting.yaml": (
        b"statement: x\nanalysis: " + b"[" * 5000 + b"]" * 5000 + b"\n",
        2,
        None,
        f"nested more than {yamlio.MAX_DEPTH} levels deep",
    ),
    "huge.yaml": (
        b"statement: x\nanalysis: |\n" + b"  lorem ipsum dolor sit amet\n" * 12000,
        1,
        1,
        f"the limit is {yamlio.MAX_FILE_BYTES:,}",
    ),
    "bad-utf8.yaml": (b"statement: caf\xe9 au lait\n" + GOOD_REST.encode(), 1, 15, "not valid UTF-8 (byte 0xe9)"),
    "bom.yaml": (b"\xef\xbb\xbfstatement: x\n" + GOOD_REST.encode(), 1, 1, "byte-order mark"),
    "control-char.yaml": (b"statement: x\nsummary: ring \x07 bell\n", 2, 15, "control character U+0007 is not allowed"),
    "escaped-control.yaml": (
        GOOD_REST.encode() + b'statement: "ring \\a bell \\e[31m"\n',
        13,
        12,
        "statement: control character U+0007 is not allowed",
    ),
    "lone-surrogate.yaml": (GOOD_REST.encode() + b'statement: "half \\ud800 pair"\n', 13, None, "YAML syntax error"),
    "nul-byte.yaml": (b"statement: x\x00\n", 1, 13, "control character U+0000"),
    "tab-indent.yaml": (b"statement: x\nappearance:\n\tsource: fixture-article\n", 3, None, "tabs for indentation"),
    "number-statement.yaml": (b"statement: 1234\n" + GOOD_REST.encode(), 1, 12, "put the value in quotes"),
    "empty.yaml": (b"", 1, 1, "file is empty; it must be a YAML mapping of fields"),
    "comments-only.yaml": (b"# nothing here\n\n", 1, 1, "file is empty"),
    "a-list.yaml": (b"- statement: x\n- summary: y\n", 1, 1, "file is a list; it must be a mapping of fields"),
    "a-scalar.yaml": (b"just a sentence\n", 1, 1, "file is a single value"),
    "two-documents.yaml": (b"statement: x\n---\nstatement: y\n", 2, 1, "YAML syntax error"),
    "complex-key.yaml": (b"? [a, b]\n: value\n", 1, 3, "field names must be plain words"),
    "unclosed-quote.yaml": (b'statement: "unclosed\nsummary: x\n', 3, 1, "started on line 1"),
}


def _problems(stderr: str) -> dict[str, list[tuple[int, int, str]]]:
    found: dict[str, list[tuple[int, int, str]]] = {}
    for line in stderr.splitlines():
        m = re.match(r"^(claims/[^:]+):(\d+):(\d+): (.*)$", line)
        if m:
            found.setdefault(m.group(1), []).append((int(m.group(2)), int(m.group(3)), m.group(4)))
    return found


@pytest.fixture(scope="module")
def hazard_run(tmp_path_factory: pytest.TempPathFactory):
    from conftest import make_project

    project = make_project(tmp_path_factory.mktemp("hazards"))
    for name, (data, *_rest) in HAZARDS.items():
        (project / "claims" / name).write_bytes(data)
    return project, run_build_py(project, "check")


def test_hazards_fail_the_check_without_traceback(hazard_run) -> None:
    project, result = hazard_run
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert not (project / "PWNED").exists()  # the !!python tag never ran
    reported = _problems(result.stderr)
    assert set(reported) >= {f"claims/{name}" for name in HAZARDS}


@pytest.mark.parametrize("name", sorted(HAZARDS))
def test_each_hazard_is_located(hazard_run, name: str) -> None:
    _, result = hazard_run
    _, line, column, fragment = HAZARDS[name]
    reported = _problems(result.stderr).get(f"claims/{name}", [])
    matches = [(ln, col) for ln, col, message in reported if fragment in message]
    assert matches, f"no problem containing {fragment!r} for {name}; got {reported}"
    assert any(ln == line and (column is None or col == column) for ln, col in matches), (name, matches)


def test_hazard_in_front_matter_is_located_in_the_markdown_file(project: Path) -> None:
    entity = project / "content" / "entities" / "mallory.md"
    entity.write_text("---\nname: Mallory\ntype: person\naliases: &a [M]\n---\nBody.\n", encoding="utf-8")
    result = run_build_py(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/entities/mallory.md:4:10: aliases: anchors and aliases (& and *) are not supported" in result.stderr


# -- the reader itself ---------------------------------------------------------------------------


def _load(text: str) -> tuple[yamlio.Document | None, Problems]:
    problems = Problems()
    return yamlio.load_mapping(text, "t.yaml", problems), problems


@pytest.mark.parametrize(
    "plain",
    [
        "yes",
        "no",
        "on",
        "off",
        "y",
        "n",
        "true",
        "False",
        "2024-10-18",
        "2024-10-18 12:00:00",
        "1:20",
        "0755",
        "007",
        "-012",
        "1_000",
        "0x1F",
        "0o17",
        "1e3",
        ".inf",
        ".nan",
        "12.5",
        "+.5",
        "~x",
        "=",
        "<<",
    ],
)
def test_yaml11_implicit_types_stay_text(plain: str) -> None:
    doc, problems = _load(f"value: {plain}\n")
    assert not problems and doc is not None
    assert doc.data["value"] == plain and isinstance(doc.data["value"], str)


def test_only_decimal_integers_and_null_are_typed() -> None:
    doc, problems = _load("a: 42\nb: -7\nc: null\nd: ~\ne:\nf: '42'\n")
    assert not problems and doc is not None
    assert doc.data == {"a": 42, "b": -7, "c": None, "d": None, "e": None, "f": "42"}


def test_alias_bomb_is_refused_before_a_tree_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_compose(*args, **kwargs):
        raise AssertionError("compose must not run on a document with anchors")

    monkeypatch.setattr(yamlio.yaml, "compose", no_compose)
    doc, problems = _load(BILLION_LAUGHS)
    assert doc is None
    assert [str(p) for p in problems] == [
        "t.yaml:1:4: a: anchors and aliases (& and *) are not supported; write the value out in full"
    ]


def test_deep_nesting_is_refused_before_a_tree_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlio.yaml, "compose", lambda *a, **k: pytest.fail("composed"))
    doc, problems = _load("a: " + "{b: " * 100_000 + "1" + "}" * 100_000 + "\n")
    assert doc is None
    assert len(problems) == 1 and "nested more than" in next(iter(problems)).message


def test_depth_limit_allows_real_documents() -> None:
    nested = (
        "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, yamlio.MAX_DEPTH)) + "  " * yamlio.MAX_DEPTH + "leaf\n"
    )
    doc, problems = _load(nested)
    assert not problems, [str(p) for p in problems]


def test_every_hazard_reader_error_is_a_problem_not_an_exception() -> None:
    for name, (data, *_rest) in HAZARDS.items():
        problems = Problems()
        text = yamlio.decode(data, name, problems)
        if text is not None:
            yamlio.load_mapping(text, name, problems)
        assert problems or name in ("number-statement.yaml", "duplicate-keys.yaml"), name


def test_no_hazard_reaches_the_model(tmp_path: Path) -> None:
    """Read in-process (no build), every hazard is a located problem of its own file, and nothing else is."""
    from conftest import fixture_settings

    from factcheck.model.loader import check

    settings = fixture_settings(tmp_path / "p", None)
    for name, (data, *_rest) in HAZARDS.items():
        (settings.claims_dir / name).write_bytes(data)
    inputs, problems = check(settings)
    reported: dict[str, list[tuple[int, int, str]]] = {}
    for problem in problems:
        reported.setdefault(problem.path, []).append((problem.line, problem.column, str(problem)))
    assert set(reported) == {f"claims/{name}" for name in HAZARDS}
    for name, (_data, line, column, fragment) in HAZARDS.items():
        found = [(ln, col) for ln, col, text in reported[f"claims/{name}"] if fragment in text]
        assert any(ln == line and column in (None, col) for ln, col in found), (name, reported[f"claims/{name}"])
    # Only duplicate keys leave a mapping the schema accepts; its problem (above) still fails the check.
    assert [c.path for c in inputs.claims if c.valid] == ["claims/duplicate-keys.yaml"]


@pytest.mark.parametrize("code", range(0x100))
def test_every_control_character_is_refused_and_nothing_else(code: int) -> None:
    """decode's ASCII shortcut and its full search refuse exactly the same characters."""
    char = chr(code)
    for text in (f"statement: a{char}b\n", f"statement: é{char}b\n"):  # ASCII text, and text that is not
        problems = Problems()
        decoded = yamlio.decode(text.encode("utf-8"), "c.yaml", problems)
        refused = code < 0x20 and char not in "\t\n\r" or 0x7F <= code <= 0x9F
        assert (decoded is None) == refused, (hex(code), text)
        if refused:
            assert f"control character U+{code:04X}" in problems.sorted()[0].message
