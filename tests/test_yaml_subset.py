"""The loader's own reader of common claim files gives exactly what PyYAML gives, or gives up.

`yamlio._subset_load` reads block mappings and lists of one-line scalars, `[a, b]` lists and `|`
blocks without PyYAML, because PyYAML's constructor is most of the check's time. Whatever it
accepts must read as PyYAML's `_FastLoader` reads it (same keys, values and types); whatever
else it meets, it returns None and PyYAML reads the file. These tests compare the two on every
YAML file in the repository, on hand-written edge cases, and on generated documents.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.model import yamlio
from factcheck.model.problems import Problems

ROOT = Path(__file__).resolve().parent.parent


def pyyaml(text: str):
    return yamlio._fast_load(text)


def subset(text: str):
    return yamlio._subset_load(text)


def same(a, b) -> bool:
    """Equal values of the same types all the way down (1 == True and 1 == 1.0 are not enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def agrees(text: str) -> bool:
    ours = subset(text)
    return ours is None or same(ours, pyyaml(text))


REPOSITORY_YAML = sorted(
    [*ROOT.glob("claims/*.yaml"), *ROOT.glob("tests/**/*.yaml"), *ROOT.glob("*.yml"), *ROOT.glob(".github/**/*.yml")]
)


def test_every_yaml_file_in_the_repository_reads_the_same() -> None:
    read = 0
    for path in REPOSITORY_YAML:
        text = path.read_bytes().decode("utf-8", "replace")
        assert agrees(text), path
        read += subset(text) is not None
    # The point of the reader: the real claims take it (a change that makes it give up on them
    # would pass the comparison above and silently slow the check down).
    claims = [p for p in REPOSITORY_YAML if p.parent == ROOT / "claims"]
    assert claims and all(subset(p.read_text()) is not None for p in claims)
    assert read >= len(claims)


EDGE_CASES = [
    "a: 1\nb: -1\nc: +1\nd: 01\ne: 0\nf: 1.5\ng: 1_000\n",
    "a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: nulls\n",
    "a: yes\nb: no\nc: true\nd: 2024-10-18\ne: 1:20\nf: 0x1f\n",
    "a: 'it''s'\nb: \"quoted # not a comment\"\nc: plain # a comment\nd: C#sharp\n",
    "a: x: y\n",
    "a: x:\n",
    'a: [x, y ,  z]\nb: []\nc: [ ]\nd: [1, ~, null]\ne: [a b,  c]\nf: [x,]\ng: ["q"]\n',
    "a: {}\n",
    "a: |\n  one\n  two\n\n  three\n\n\nb: x\n",
    "a: |-\n  one\n  two\n\nb: x\n",
    "a: |\n    indented\n  less\n",
    "a: |\n  x\n    more\n  back\n",
    "a: |\n\n  after blank\n",
    "a: |\n    \n  x\n",
    "a: |\n  x\n     \n  y\n",
    "a: |\nb: x\n",
    "a: |+\n  x\n\n",
    "a: >\n  folded\n  text\n",
    "a: | # comment\n  x\n",
    "a: |2\n   x\n",
    "list:\n  - one\n  - two\nnext: 3\n",
    "list:\n- one\n- two\nnext: 3\n",
    "list:\n  - k: v\n    m: w\n  - k: v2\nnext: 3\n",
    "list:\n- k: v\n  m: w\n- k: v2\n  nested:\n    deep: 1\n  inner:\n  - a\n  - b\n",
    "list:\n  - k: v\n     m: w\n",
    "list:\n  - - a\n",
    "list:\n  -\n    k: v\n",
    "list:\n  - \n",
    "list:\n  - |\n    text\n  - plain\n",
    "list:\n  - 'q'\n  - \"d\"\n  - [a]\n",
    "a:\n  b:\n    c: 1\n  d: 2\ne: 3\n",
    "a:\n  b: 1\n   c: 2\n",
    "a: text\n  continued\n",
    "a: text\n\n  continued after blank\n",
    "a: text\n# comment\n  # indented comment\nb: 1\n",
    "# only a comment\n",
    "",
    "---\na: 1\n",
    "a: 1\n...\n",
    "  a: 1\n  b: 2\n",
    "a: 1\na: 2\n",
    "null: 1\n",
    "1: x\n",
    "a : 1\n",
    "a:1\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: -x\nb: - x\nc: -\nd: [-x, -1]\n",
    "a: ?x\nc: :x\nd: @x\ne: `x\nf: %x\n",
    'a: "unterminated\n  rest"\n',
    "a: 'multi\n  line'\n",
    "a: trailing spaces   \nb: [x]   \n",
    "a: \u00e9t\u00e9 \u2014 \u043f\u0440\u0438\u0432\u0435\u0442\n",
    "a: x\n- y\n",
    'a: "say \\"hi\\" \\\\ done"\nb: "\\n"\nc: plain \\ back\nd: "\\x07"\ne: "\\t"\n',
    'a: "say \\"hi\\""\nb: |\n  back\\slash \\"\n',
    "a:\n  - x\n  b: y\n",
    # plain scalars the line pattern takes whole, and near misses it leaves to the general path
    'a: https://x.org/p?q=1#frag\nb: a:b:c\nc: a::b\nd: it\'s "so"\ne: x [y] {z}, w\nf: n\ng: Null\n',
    "a: x :\nb: x: \nc: ~x\nd: .5\ne: a # b: c\nf: a#b:c\ng: Ünïcødé — ok\nh: x ]\n",
    "- a\n",
    "list:\n  - https://x.org/a\n  - plain text\n  - null\n  - title: t:u\n    url: x\n",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_read_the_same_or_go_to_pyyaml(text: str) -> None:
    assert agrees(text)


def test_the_common_shapes_are_read() -> None:
    """The reader is used, not merely safe: the usual shapes do not fall back."""
    common = [
        "a: 1\nb: -1\nc: +1\nd: 01\ne: 0\nf: 1.5\ng: -x\n",
        "a: ~\nb: null\nc:\nd: no\ne: 2024-10-18\n",
        'a: \'it\'\'s\'\nb: "quoted # not a comment"\nc: plain # a comment\nd: C#sharp\ne: "say \\"hi\\""\n',
        "a: [x, y ,  z]\nb: []\nc: [1, ~, -2]\n",
        "a: |\n  one\n  two\n\n  three\n\n\nb: |-\n  x\n",
        "list:\n  - one\n  - two\nnext: 3\nitems:\n- k: v\n  m: w\n- k: v2\n  inner:\n  - a\n",
    ]
    for text in common:
        assert subset(text) is not None, text
        assert agrees(text), text


def test_positions_are_still_found_for_a_file_read_by_the_subset() -> None:
    text = "statement: x\nevidence:\n  - title: t\n    url: u\n"
    doc = yamlio.load_mapping(text, "c.yaml", Problems())
    assert doc is not None and doc.data["evidence"][0]["url"] == "u"
    assert doc.where(("evidence", 0, "url")) == (4, 10)
    assert doc.where_key(("evidence",)) == (2, 1)


# Generated documents: lines drawn from the pieces of YAML syntax the reader has to get right.
_scalar = st.sampled_from(
    [
        "x",
        "a b",
        "1",
        '"a \\"q\\""',
        '"\\\\"',
        '"\\n"',
        "-1",
        "01",
        "~",
        "null",
        "no",
        "'q'",
        "'it''s'",
        '"d"',
        '"a # b"',
        "a #c",
        "a:b",
        "a: b",
        "[x, y]",
        "[]",
        "[a, 1, ~]",
        "|",
        "|-",
        ">",
        "&a x",
        "*a",
        "!t x",
        "#c",
        "",
        "x:",
        "C#",
        "é",
        "https://a.b/c#d",
        "a::b",
        "x y:",
        "n",
        "Null",
        "a{b}",
        "x ]",
        ".x",
        "x  ",
        "u:v w",
    ]
)
_line = st.builds(
    lambda indent, kind, key, value: (
        " " * indent
        + {
            "key": f"{key}: {value}",
            "bare": f"{key}:",
            "dash": f"- {value}",
            "dashkey": f"- {key}: {value}",
            "text": value,
            "comment": "# note",
            "blank": "",
        }[kind]
    ),
    st.sampled_from([0, 0, 0, 1, 2, 2, 4, 4, 6]),
    st.sampled_from(["key", "key", "bare", "dash", "dashkey", "text", "comment", "blank"]),
    st.sampled_from(["a", "b", "c", "title", "url", "a", "null"]),
    _scalar,
)


@settings(max_examples=int(os.environ.get("SUBSET_EXAMPLES", "400")), derandomize=True, database=None, deadline=None)
@given(st.lists(_line, min_size=1, max_size=14))
def test_generated_documents_read_the_same_or_go_to_pyyaml(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    assert agrees(text), text
