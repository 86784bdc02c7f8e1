"""Entity mentions: the trie-shaped pattern finds exactly what a plain alternation of names finds."""

from __future__ import annotations

import random
import re

import pytest

from factcheck.render.markup import _trie_pattern

NAMES = [
    "Kim",
    "Kim Jong Un",
    "Kim Jong",
    "DIU",
    "HUR",
    "GUR",
    "Ukraine",
    "UK",
    "U.S.",
    "Russia",
    "Russian Federation",
    "A. Example",
    "9th Brigade",
    "C++",
    "Південна Корея",
    "Ким",
]


def _flat(names: list[str]) -> re.Pattern[str]:
    """The obvious pattern: every name, longest first, between word boundaries."""
    ordered = sorted(names, key=lambda n: (-len(n), n))
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in ordered) + r")(?!\w)")


def test_trie_pattern_matches_like_a_flat_alternation() -> None:
    flat, trie = _flat(NAMES), re.compile(r"(?<!\w)" + _trie_pattern(NAMES) + r"(?!\w)")
    rng = random.Random(7)
    words = [
        *NAMES,
        "Kimmy",
        "UKR",
        "the",
        "Russian",
        "Federation",
        "Jong",
        "Un",
        "Unx",
        "U.S",
        "C+",
        "A.",
        "Example",
        "9th",
        "Brigadier",
        "Південна",
        "Кимчи",
    ]
    found = 0
    for _ in range(5000):
        text = rng.choice([" ", "", ", ", "-", "\n"]).join(rng.choice(words) for _ in range(rng.randint(1, 10)))
        expected = [(m.start(), m.end()) for m in flat.finditer(text)]
        assert [(m.start(), m.end()) for m in trie.finditer(text)] == expected, text
        found += len(expected)
    assert found > 5000  # the texts did contain names


def test_longest_name_wins_and_word_boundaries_hold() -> None:
    trie = re.compile(r"(?<!\w)" + _trie_pattern(NAMES) + r"(?!\w)")
    assert [m.group() for m in trie.finditer("Kim Jong Un met Kim Jong Unx and Kimmy in the UK.")] == [
        "Kim Jong Un",
        "Kim Jong",
        "UK",
    ]


def _markdown_it_prose(text: str) -> str:
    """The running text as markdown-it parses it: text tokens outside links, line breaks as spaces."""
    from markdown_it import MarkdownIt

    parts: list[str] = []
    for block in MarkdownIt("commonmark", {"html": False}).parse(text or ""):
        depth = 0
        for tok in block.children or []:
            if tok.type == "link_open":
                depth += 1
            elif tok.type == "link_close":
                depth -= 1
            elif tok.type == "text" and depth == 0:
                parts.append(tok.content)
            elif tok.type in ("softbreak", "hardbreak"):
                parts.append(" ")
        parts.append("\n")
    return "".join(parts)


@pytest.mark.parametrize("fixture", ["real", "basic", "hostile", "publish"])
def test_fast_prose_finds_the_mentions_a_markdown_parser_finds(tmp_path, fixture: str) -> None:
    from conftest import REPO, make_project

    from factcheck.model.loader import load_site
    from factcheck.render.markup import EntityMatcher, prose
    from factcheck.settings import load_settings

    config = REPO / "mkdocs.yml" if fixture == "real" else make_project(tmp_path / "p", fixture) / "mkdocs.yml"
    site = load_site(load_settings(config), linked=False)
    matcher = EntityMatcher(site.entities.values())
    assert site.claims
    for claim in site.claims:
        fast = matcher.entities_in(prose(claim.summary), prose(claim.analysis))
        parsed = matcher.entities_in(_markdown_it_prose(claim.summary), _markdown_it_prose(claim.analysis))
        assert [e.id for e in fast] == [e.id for e in parsed], claim.id
