"""Plain text from contributor Markdown, for places that take no markup (meta tags, feeds, JSON-LD)."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark", {"html": False})


@lru_cache(maxsize=65536)  # a summary is asked for by its page, feeds, exports and search
def plain_text(markdown: str) -> str:
    """Return the words of inline or block Markdown without its markup, on one line."""
    words: list[str] = []
    for block in _MD.parse(markdown or ""):
        if block.type == "inline" and block.children:
            for token in block.children:
                if token.type in ("text", "code_inline"):
                    words.append(token.content)
                elif token.type in ("softbreak", "hardbreak"):
                    words.append(" ")
            words.append(" ")
    return " ".join("".join(words).split())
