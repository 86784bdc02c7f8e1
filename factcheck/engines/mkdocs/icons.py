"""The theme's icons in one shared file instead of inline in every page.

Material writes each icon as an inline SVG, the same dozen on every page (menu, search, the
colour scheme toggles, the repository's logo twice, edit, back to top): about 4.7 kB of a
claim page. Each is replaced by a short reference to the same drawing in
`assets/factcheck/icons.svg` (`<svg viewBox=...><use href=".../icons.svg#i..."/></svg>`),
which a reader's browser fetches once for the whole site. The outer <svg> stays where it was,
with its viewBox, so the theme's CSS sizes and colours it as before (the drawing inherits
`fill: currentcolor` through <use>); what labels an icon for assistive technology was never
in the drawing but on the button or link around it, and stays there.

Only the theme's icon shape is shared: `<svg xmlns=... viewBox=...>` holding paths (and a
licence comment, kept in the shared file). Any other SVG, such as the scorecard's charts with
their titles, is left inline. A page that is served at any address (404.html) keeps its icons
inline, as a relative reference would not resolve there.
"""

from __future__ import annotations

import hashlib
import re
from html import escape

SPRITE = "assets/factcheck/icons.svg"  # the site path of the shared file

_ICON = re.compile(
    r'<svg xmlns="http://www\.w3\.org/2000/svg" viewBox="([0-9. -]+)">'
    r'((?:<!--(?:(?!-->)[^<>])*-->)?(?:<path d="[^"<>]*"/>)+)</svg>'
)


class IconSprite:
    """Collects the theme's icons as pages are written, and makes the shared file."""

    def __init__(self) -> None:
        self.icons: dict[str, tuple[str, str]] = {}  # id -> (viewBox, drawing)

    def share(self, html: str, depth: int) -> str:
        """Return html with each theme icon as a reference into the shared file; depth: the page's folders below the site's root."""
        href = "../" * depth + SPRITE

        def reference(match: re.Match[str]) -> str:
            view_box, drawing = match.group(1), match.group(2)
            key = "i" + hashlib.sha256(f"{view_box}\n{drawing}".encode()).hexdigest()[:12]
            self.icons[key] = (view_box, drawing)
            return f'<svg viewBox="{view_box}"><use href="{href}#{key}"/></svg>'

        return _ICON.sub(reference, html)

    def document(self) -> str:
        """The shared file: one <symbol> per icon, by id (the same icons give the same bytes)."""
        symbols = "".join(
            f'<symbol id="{key}" viewBox="{escape(view_box)}">{drawing}</symbol>\n'
            for key, (view_box, drawing) in sorted(self.icons.items())
        )
        return f'<svg xmlns="http://www.w3.org/2000/svg">\n{symbols}</svg>\n'
