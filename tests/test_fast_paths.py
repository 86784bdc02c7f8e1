"""The build's quick ways of doing what a slower standard function does give the same answers.

Each fast path (issue 31's build speed) stands in for a call whose result the pages carry, so
each is compared with that call on many inputs, the unusual ones included: the link addresses
markdown-it normalizes and the pages allow, the attribute values the link check and the
table of contents read, the JSON-LD text, the repository's edit links.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markupsafe import Markup

from factcheck.render import markup
from factcheck.render.format import attribute_values
from factcheck.render.repo import RepoLinks

_STOCK = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def _addresses(count: int, seed: int) -> list[str]:
    """Link addresses near and far from the usual shape: odd hosts, ports, escapes, user parts, schemes."""
    rng = random.Random(seed)  # noqa: S311 - test data
    near = "abcXYZ019;/?:@&=+$,-_.!~*'()#%"  # the characters of the usual shape, and %
    far = near + '[]\\ é\t<>"`{}|^'
    hosts = ["a.com", "Example.COM", "x", "a-b.c", "1.2.3.4", "h.com:80", "h.com:", "h..com", "-a.com", "a.com."]
    hosts += ["xn--p1ai", "a_b.com", "[::1]", "user@h.com", "@h.com", "h.com:99999", "пример.рф", "a.com:8a"]
    schemes = ["http://", "https://", "HTTP://", "Https://", "mailto:", "ftp://", "javascript:", "//", "http:", ""]
    out = [
        "",
        "#",
        "#top",
        "#a b",
        "https://evidence.example.org/12/report",
        "https://a.com/path%20with%2Fescapes?q=1&r=2#frag",
        "https://a.com/%zz",
        "https://a.com/%2",
        "http://user:pw@h.com:8080/x",
        "https://a.com/(x)",
        "https://a.com:80",
        "http://[::1]/",
    ]
    while len(out) < count:
        alphabet = rng.choice((near, far))
        if rng.random() < 0.6:
            tail = rng.choice(["", "/", "?", "#"]) + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
            out.append(rng.choice(schemes) + rng.choice(hosts) + tail)
        else:
            out.append(rng.choice(["#", *schemes]) + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))))
    return out


def test_link_fast_path_is_what_markdown_it_and_the_allow_list_say() -> None:
    normalize = _STOCK.normalizeLink
    fast = 0
    for url in _addresses(60_000, seed=31):
        if markup._PLAIN_LINK.fullmatch(url):
            fast += 1
            assert normalize(url) == url, url  # markdown-it leaves it as it is
            assert markup._checked_url(url), url
        assert markup.safe_url(url) == markup._checked_url(url), url
    assert fast > 1_000  # the fast path was taken often enough to mean something


@pytest.mark.parametrize("as_written", [False, True])
def test_parsers_with_the_fast_path_render_links_as_before(as_written: bool) -> None:
    """The whole parser, page and sourcing flavours, against one built without the fast path."""
    fast = markup.markdown_parser(addresses_as_written=as_written)
    slow = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    slow.disable(["image", "html_block", "html_inline"])
    slow.enable("table")
    slow.enable("strikethrough")
    if as_written:
        stock = slow.normalizeLink
        slow.normalizeLink = lambda url: url  # type: ignore[method-assign]
        slow.validateLink = lambda url: markup._checked_url(stock(url))  # type: ignore[method-assign]
    else:
        slow.validateLink = markup._checked_url  # type: ignore[method-assign]
    for url in _addresses(4_000, seed=32):
        for text in (f"see [the report]({url}) now", f"<{url}>", f"[a][r]\n\n[r]: {url}\n"):
            assert fast.render(text) == slow.render(text), text


def test_attribute_values_find_what_the_regular_expression_finds() -> None:
    rng = random.Random(33)  # noqa: S311
    pieces = [' href="', ' id="', 'href="', 'id="', '-id="', "x", '"', " ", "\n", "\t", "\u00a0", "<a", ">", "a", "="]
    pieces += ['data-id="', ' id=""', ' href=""', "\u2003"]
    for _ in range(20_000):
        html = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        assert attribute_values(html, "href") == re.findall(r'\shref="([^"]*)"', html), html
        assert [v for v in attribute_values(html, "id") if v] == re.findall(r'\sid="([^"]+)"', html), html


def _json_values(rng: random.Random, depth: int = 0) -> object:
    kind = rng.randrange(12 if depth < 4 else 7)
    if kind == 0:
        return rng.choice(
            ["", "text", 'quote " and \\ backslash', "<script>&</script>", "\u2028\u2029", "é ü 中", "\x00\x1f"]
        )
    if kind == 1:
        return rng.choice([0, -1, 10**20, True, False])
    if kind == 2:
        return rng.choice([0.0, -0.0, 1.5, 1e100, 1e-7, 3.0])
    if kind == 3:
        return None
    if kind == 4:
        return Markup("<b>marked</b>")
    if kind == 5:
        return rng.choice([float("nan"), float("inf"), {1, 2}, b"bytes"])  # json.dumps's own answer (or error)
    if kind == 6:
        return rng.choice([[], {}, ()])
    if kind in (7, 8):
        return [_json_values(rng, depth + 1) for _ in range(rng.randint(1, 4))]
    if kind == 9:
        return tuple(_json_values(rng, depth + 1) for _ in range(rng.randint(1, 3)))
    keys = ["@type", "name", "é", "", Markup("k"), 1, None, 2.5, True]
    return {rng.choice(keys): _json_values(rng, depth + 1) for _ in range(rng.randint(1, 5))}


def test_edit_links_are_the_same_when_asked_again(tmp_path: Path) -> None:
    links = RepoLinks.make("https://github.com/o/r", "edit/main/content/", tmp_path, tmp_path / "content")
    assert links is not None
    for path in ("claims/a.yaml", "content/entities/b.md", "claims/a b#?.yaml", "claims/a.yaml"):
        first = links.edit(path)
        assert links.edit(path) == first
        assert links.view(path) == first.replace("/edit/", "/blob/", 1)
    assert links == RepoLinks.make("https://github.com/o/r", "edit/main/content/", tmp_path, tmp_path / "content")
    assert links.edit("claims/a.yaml") == "https://github.com/o/r/edit/main/claims/a.yaml"


def _flat_pattern(names: list[str]) -> re.Pattern[str]:
    """The mention pattern before the trie checked its look-behind after the first character: (?<!\\w)(names)(?!\\w)."""
    longest_first = sorted(names, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in longest_first) + r")(?!\w)")


def test_entity_mentions_are_found_where_the_look_behind_pattern_finds_them() -> None:
    rng = random.Random(35)  # noqa: S311
    names = ["Kim", "Kim Jong Un", "Kim Yo Jong", "(ABC)", "ABC", "A.B.", "Ü-Bahn", "x1", "_under", "C++", "Él", "日本"]

    class Named:
        def __init__(self, name: str) -> None:
            self.id, self.name, self.aliases = name, name, ()

    matcher = markup.EntityMatcher([Named(n) for n in names])  # type: ignore[list-item]
    flat = _flat_pattern(names)
    glue = [" ", "", "\n", "a", "_", "-", ".", "(", ")", "é", "9", ", ", "日"]
    for _ in range(20_000):
        text = "".join(rng.choice(names) if rng.random() < 0.4 else rng.choice(glue) for _ in range(rng.randint(0, 12)))
        got = [(start, end) for start, end, _ in matcher.find(text)]
        assert got == [m.span() for m in flat.finditer(text)], text


def test_top_level_key_positions_are_those_pyyaml_gives(tmp_path: Path) -> None:
    """where_key of a file the line reader read finds the key's line itself; PyYAML's positions agree."""
    import sys

    from conftest import REPO

    from factcheck.model.problems import Problems
    from factcheck.model.yamlio import Document, load_mapping

    sys.path.insert(0, str(REPO / "bench"))
    try:
        import corpus
    finally:
        sys.path.remove(str(REPO / "bench"))
    project = corpus.write_project(tmp_path / "p", 60, real_content=False, shape="wide")
    files = [*REPO.glob("claims/*.yaml"), *REPO.glob("tests/fixtures/**/*.yaml"), *project.glob("claims/*.yaml")]
    extra = tmp_path / "odd.yaml"
    extra.write_text(
        '# a comment\nstatement:\n  "on its own line"\nanalysis: |\n  statement: inside a block\n\n'
        "  more\nsummary: x\nstatements: y\nentities: [a, b]\n",
        encoding="utf-8",
    )
    files.append(extra)
    compared = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        for offset in (0, 3):
            doc = load_mapping(text, str(path), Problems(), offset)
            if doc is None or not doc.line_reader:
                continue
            full = Document(doc.data, source=text, line_offset=offset)  # positions from PyYAML
            for key in [*doc.data, "not-there"]:
                assert doc.where_key((key,)) == full.where_key((key,)), (path, key)
                compared += 1
    assert compared > 500
