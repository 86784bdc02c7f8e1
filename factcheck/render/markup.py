"""Contributor Markdown made safe, and links from entity names in claim text to entity pages.

Contributor text is data. Markdown fields go through markdown-it-py with raw HTML off,
images off, and only http(s), mailto and in-page links allowed (`markdown_parser`, which the
sourcing check uses too, to read the same links). The HTML it gives is placed in the generated
pages as it is: no other Markdown converter reads it again.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

if TYPE_CHECKING:
    from factcheck.model.objects import Entity

ALLOWED_SCHEMES = ("http", "https", "mailto")
_WS_OR_CTRL = re.compile(r"[\x00-\x20\x7f]")


# A link address in its usual shape: http(s) with a plain host name (or an in-page anchor),
# then only characters that markdown-it's normalizeLink leaves as they are (the reserved and
# unreserved ones, and %XX escapes). Such an address is its own normalized form and is safe,
# so both checks are skipped for it (urlsplit and mdurl's parse, format and encode cost a few
# tenths of a second a build); tests/test_markup_fast_path.py compares the two on many addresses.
_LINK_CHAR = r"(?:[A-Za-z0-9;/?:@&=+$,\-_.!~*'()#]|%[0-9A-Fa-f]{2})"
_PLAIN_LINK = re.compile(
    r"https?://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?(?:[/?#]" + _LINK_CHAR + r"*)?"
    r"|#[A-Za-z0-9_-]*"
)


def safe_url(url: str) -> bool:
    """Return True for http(s) and mailto URLs and in-page anchors; False for anything else."""
    return _PLAIN_LINK.fullmatch(url) is not None or _checked_url(url)


def _checked_url(url: str) -> bool:
    """safe_url's answer by every check (the plain-link pattern only answers the usual shape sooner)."""
    if not url or _WS_OR_CTRL.search(url):
        return False
    if url.startswith("#"):
        return re.fullmatch(r"#[A-Za-z0-9_-]*", url) is not None
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        return False
    return not (parts.scheme.lower() in ("http", "https") and not parts.netloc)


def markdown_parser(*, addresses_as_written: bool = False) -> MarkdownIt:
    """The one markdown-it configuration for contributor Markdown: the pages' and the sourcing check's.

    Raw HTML and images off, tables and strikethrough on, and a link only where safe_url
    allows its address. With addresses_as_written (the sourcing check, which finds each link
    in the file), a link's address is kept as the text writes it instead of percent-encoded;
    whether it is a link at all is decided on the encoded address, exactly as for the page.
    """
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_block", "html_inline"])
    md.enable("table")
    md.enable("strikethrough")
    full_normalize = md.normalizeLink

    def normalize(url: str) -> str:
        return url if _PLAIN_LINK.fullmatch(url) else full_normalize(url)

    if addresses_as_written:
        md.normalizeLink = lambda url: url  # type: ignore[method-assign]
        md.validateLink = lambda url: safe_url(normalize(url))  # type: ignore[method-assign]
    else:
        md.normalizeLink = normalize  # type: ignore[method-assign]
        md.validateLink = safe_url  # type: ignore[method-assign]
    return md


def _make_parser() -> MarkdownIt:
    md = markdown_parser()

    def link_open(renderer, tokens: list[Token], idx: int, options, env) -> str:  # type: ignore[no-untyped-def]
        token = tokens[idx]
        href = str(token.attrGet("href") or "")
        if not href.startswith("#") and token.attrGet("class") != "fc-entity-link":
            token.attrSet("rel", "nofollow ugc noopener")
        return renderer.renderToken(tokens, idx, options, env)

    md.add_render_rule("link_open", link_open)
    return md


_MD = _make_parser()


def _trie_pattern(names: Iterable[str]) -> str:
    """One regular expression for many names, factored by common prefix (a trie).

    A flat alternation ("Kim Jong Un|Kim Yo Jong|...") makes the regex engine try every
    name at every position of the text; the trie tries only the names that continue what
    has matched so far. The longest name that ends at a word boundary wins, as before.
    """
    trie: dict = {}
    for name in names:
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}  # a name ends here

    def build(node: dict, first: bool = False) -> str:
        ends = "" in node
        # After a name's first character, no word character before it: the (?<!\w) that a
        # mention needs, checked one character later, so that the pattern starts with its
        # names' first characters and the regex engine skips ahead to where one is (twice as
        # fast as a pattern that starts with the look-behind). A name never starts with a newline.
        after = r"(?<!\w.)" if first else ""
        branches = [re.escape(char) + after + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # Where a name ends here, the longer names are tried first (greedy "?"); if none of
        # them ends at a word boundary, the engine backtracks to the shorter one.
        return f"(?:{body})?" if ends else body

    return "(?:" + build(trie, first=True) + ")"


@functools.lru_cache(maxsize=4)  # a build makes two matchers of the same names; a preview one per update
def _compiled(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(_trie_pattern(names) + r"(?!\w)")


class EntityMatcher:
    """Find entity names and aliases in text with one compiled pattern."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.by_name: dict[str, Entity] = {}
        for entity in entities:
            for name in [entity.name, *entity.aliases]:
                name = name.strip()
                if len(name) >= 2:
                    self.by_name.setdefault(name, entity)
        self.pattern = _compiled(tuple(sorted(self.by_name))) if self.by_name else None
        self.by_id: dict[str, Entity] = {entity.id: entity for entity in self.by_name.values()}

    def find(self, text: str) -> list[tuple[int, int, Entity]]:
        """Return (start, end, entity) for every mention in text."""
        if self.pattern is None or not text:
            return []
        return [(m.start(), m.end(), self.by_name[m.group()]) for m in self.pattern.finditer(text)]

    def entities_in(self, *texts: str) -> list[Entity]:
        """Return the entities mentioned in the texts, in order of first mention."""
        seen: dict[str, Entity] = {}
        for text in texts:
            for _, _, entity in self.find(text):
                seen.setdefault(entity.id, entity)
        return list(seen.values())


def _link_first_mentions(
    tokens: list[Token], matcher: EntityMatcher, linked: set[str], href_for: Callable[[Entity], str]
) -> None:
    for block in tokens:
        if block.type != "inline" or not block.children:
            continue
        out: list[Token] = []
        depth = 0
        for tok in block.children:
            if tok.type == "link_open":
                depth += 1
            elif tok.type == "link_close":
                depth -= 1
            if tok.type != "text" or depth > 0:
                out.append(tok)
                continue
            pos = 0
            text = tok.content
            for start, end, entity in matcher.find(text):
                if entity.id in linked:
                    continue
                linked.add(entity.id)
                if start > pos:
                    out.append(_text(text[pos:start]))
                opener = Token("link_open", "a", 1)
                opener.attrSet("href", href_for(entity))
                opener.attrSet("class", "fc-entity-link")
                out.extend([opener, _text(text[start:end]), Token("link_close", "a", -1)])
                pos = end
            if pos == 0:
                out.append(tok)
            elif pos < len(text):
                out.append(_text(text[pos:]))
        block.children = out


_FENCE = re.compile(r"(?ms)^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[`~]*[ \t]*$|\Z)")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
_LINK = re.compile(r"\[(?:[^\[\]\\]|\\.)*\](?:\((?:[^()\\\s]|\\.)*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)|\[[^\[\]]*\])")
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*|[^<>\s@]+@[^<>\s@]+)>")
_LINK_DEFINITION = re.compile(r"(?m)^ {0,3}\[[^\]]+\]:[ \t]*\S+.*$")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_UNDERSCORES = re.compile(r"(?<![^\W_])_+|_+(?![^\W_])")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_EMPHASIS_MARKS = str.maketrans("", "", "*~")


def prose(text: str) -> str:
    """Return the running text of Markdown, for finding mentions: no link text, URLs or code.

    Mentions are counted in what the page says in its own words, so "The China Post" in the
    text of a citation link does not make a claim mention China. Paragraphs are kept apart by
    a newline; a name that runs across a line break inside one still counts. Emphasis marks
    are dropped, so "**Kim** Jong Un" is still the name. This reads the text with a few
    regular expressions instead of parsing it (it runs on every claim of every build); the
    result matches markdown-it's text for the mentions it finds (tests/test_build.py).
    """
    text = text or ""
    if "```" in text or "~~~" in text:
        text = _FENCE.sub("\n", text)
    if "]:" in text:
        text = _LINK_DEFINITION.sub("", text)
    if "`" in text:
        text = _CODE_SPAN.sub(" ", text)
    if "[" in text:
        text = _LINK.sub(" ", text)
    if "<" in text:
        text = _AUTOLINK.sub(" ", text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    text = text.translate(_EMPHASIS_MARKS)
    if "_" in text:
        text = _UNDERSCORES.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return "\n".join(" ".join(line.strip() for line in block.split("\n")) for block in _BLANK_LINE.split(text))


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


class Renderer:
    """Render contributor Markdown to safe HTML, linking first mentions of entities."""

    def __init__(self, matcher: EntityMatcher) -> None:
        self.matcher = matcher

    def block(self, text: str, linked: set[str] | None = None, href_for: Callable[[Entity], str] | None = None) -> str:
        """Render block Markdown (paragraphs, lists ...)."""
        env: dict = {}
        tokens = _MD.parse(text or "", env)
        if href_for is not None and linked is not None:
            _link_first_mentions(tokens, self.matcher, linked, href_for)
        return str(_MD.renderer.render(tokens, _MD.options, env))

    def inline(self, text: str, linked: set[str] | None = None, href_for: Callable[[Entity], str] | None = None) -> str:
        """Render inline Markdown (no paragraphs), e.g. a summary."""
        env: dict = {}
        tokens = _MD.parseInline(text or "", env)
        if href_for is not None and linked is not None:
            _link_first_mentions(tokens, self.matcher, linked, href_for)
        return str(_MD.renderer.render(tokens, _MD.options, env))
