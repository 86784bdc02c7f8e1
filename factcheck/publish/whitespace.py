"""Pages without their indentation: every line break with the whitespace after it becomes one line break.

The theme's templates indent their HTML deeply (about a tenth of a claim page's bytes). In
HTML's normal flow a run of spaces and line breaks between words or tags shows as one space,
or as nothing, whatever its length, so a line break and the whitespace after it (the next
line's indentation, blank lines) become a single line break: the page looks and reads the same, and its source still has one tag a line where
it had. Left exactly as they are: the contents of <pre>, <textarea>, <script> and <style>
(where whitespace is kept or is code), of <code> and <kbd> (the theme styles them
`white-space: pre-wrap`, inline too), and a quoted attribute value that holds a line break,
so no value changes. Whitespace between a tag's attributes is tightened like any other.
"""

from __future__ import annotations

import re

# Kept whole: the elements whose contents keep every character (their end tag included), and
# an attribute value (`="..."`, `='...'`) that holds a line break. Text escapes its quotes
# (`&quot;`), so `="` starts a value; where it does not, more is kept than need be, never less.
# Two patterns rather than one alternation: each runs about three times faster alone.
_KEPT_ELEMENTS = re.compile(
    r"<(pre|textarea|script|style|code|kbd)\b.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)
_KEPT_VALUES = re.compile(r"=[\"'][^\"'\n]*+\n[^\"']*[\"']")
_BREAK = re.compile(r"\n\s+")


def _kept(html: str) -> list[tuple[int, int]]:
    """The spans kept as they are, in order, overlaps merged."""
    spans = sorted(m.span() for pattern in (_KEPT_ELEMENTS, _KEPT_VALUES) for m in pattern.finditer(html))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def tighten(html: str) -> str:
    """Return html with each run of whitespace that starts with a line break as one line break (see the module)."""
    out = []
    last = 0
    for start, end in _kept(html):
        out.append(_BREAK.sub("\n", html[last:start]))
        out.append(html[start:end])
        last = end
    out.append(_BREAK.sub("\n", html[last:]))
    return "".join(out)
