"""Entity mentions: the trie-shaped pattern finds exactly what a plain alternation of names finds."""

from __future__ import annotations

import random
import re

from factcheck.markup import _trie_pattern

NAMES = ["Kim", "Kim Jong Un", "Kim Jong", "DIU", "HUR", "GUR", "Ukraine", "UK", "U.S.", "Russia",
         "Russian Federation", "A. Example", "9th Brigade", "C++", "Південна Корея", "Ким"]


def _flat(names: list[str]) -> re.Pattern[str]:
    """The obvious pattern: every name, longest first, between word boundaries."""
    ordered = sorted(names, key=lambda n: (-len(n), n))
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in ordered) + r")(?!\w)")


def test_trie_pattern_matches_like_a_flat_alternation() -> None:
    flat, trie = _flat(NAMES), re.compile(r"(?<!\w)" + _trie_pattern(NAMES) + r"(?!\w)")
    rng = random.Random(7)
    words = [*NAMES, "Kimmy", "UKR", "the", "Russian", "Federation", "Jong", "Un", "Unx", "U.S", "C+", "A.",
             "Example", "9th", "Brigadier", "Південна", "Кимчи"]
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
        "Kim Jong Un", "Kim Jong", "UK"]
