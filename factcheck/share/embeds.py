"""Fact-checks that travel: the embeddable card, oEmbed, and what a claim page needs to share itself.

For each published claim the generator writes a small self-contained page,
`claims/<id>/embed/index.html` (templates/embed.html.j2: no request off the page, styles
inline, and one inline script allowed by its hash, static/embed.js, that speaks WordPress's
embed protocol when a WordPress page frames the card), and an oEmbed document, `claims/<id>/oembed.json`, whose `html` is the
same `<iframe>` the claim page offers to copy (templates/_embed_code.html.j2). Both are
written by the generator directly, not through the theme, so each costs a few kB.

Embedding and share links need the site's own address (`site_url`): an embed code, an oEmbed
document or a share link with a relative URL would not work anywhere else. Without one the
embed pages are still written, and claim pages offer neither embed code nor share links.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from factcheck.model.objects import Claim, Site
from factcheck.publish.assets import minify
from factcheck.publish.publisher import Publisher
from factcheck.render.format import absolute
from factcheck.resources import STATIC_DIR
from factcheck.settings import Settings
from factcheck.share.cards import HEIGHT, WIDTH, Card

EMBED_WIDTH = 550  # the iframe's width in the embed code: it shrinks to its container, down to 300 px
OEMBED_VERSION = "1.0"

# The embed page's one script (WordPress's embed protocol), inline, and its hash for the page's CSP.
# Safe: a file of the package, with no "</script"; contributor text never reaches it.
EMBED_SCRIPT = Markup(minify((STATIC_DIR / "embed.js").read_text(encoding="utf-8"), ".js"))  # noqa: S704
# Its styles, inline too (the policy allows inline styles), minified: a tenth of the page.
EMBED_STYLE = Markup(minify((STATIC_DIR / "embed.css").read_text(encoding="utf-8"), ".css"))  # noqa: S704
EMBED_SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(str(EMBED_SCRIPT).encode("utf-8")).digest()).decode()


def embed_path(claim: Claim) -> str:
    """The site path of a claim's embed page (a folder's index, with or without directory URLs)."""
    return f"claims/{claim.id}/embed/index.html"


def embed_url_path(settings: Settings, claim: Claim) -> str:
    """The embed page's address as the site's links are written: its folder, or its index.html without directory URLs."""
    path = embed_path(claim)
    return path.removesuffix("index.html") if settings.directory_urls else path


def oembed_path(claim: Claim) -> str:
    return f"claims/{claim.id}/oembed.json"


def embed_height(claim: Claim) -> int:
    """The iframe's height: the embed page's furniture and the statement's lines at 300 px wide."""
    lines = math.ceil(len(claim.statement) / 32)  # about 32 characters a line at 300 px
    return 250 + 26 * lines


@dataclass(frozen=True)
class ClaimShare:
    """The absolute addresses a claim page shares: itself, its embed page, its oEmbed document."""

    url: str
    embed_url: str
    oembed_url: str
    width: int
    height: int


def claim_share(settings: Settings, claim: Claim) -> ClaimShare | None:
    """What a claim page offers for sharing; None without a site_url (or for a draft)."""
    if not settings.site_url or claim.is_draft:
        return None
    return ClaimShare(
        settings.address(claim.src_uri),
        absolute(settings.site_url, embed_url_path(settings, claim)),
        absolute(settings.site_url, oembed_path(claim)),
        EMBED_WIDTH,
        embed_height(claim),
    )


def _link_from_file(file_path: str, settings: Settings, src_uri: str) -> str:
    """The relative link from a file the generator writes (not a page) to a page, by its Markdown name."""
    target = settings.page_path(src_uri)
    depth = file_path.count("/")
    link = "../" * depth + target
    if settings.directory_urls and (target.endswith("/") or not target):
        return link or "./"
    return link


class Embeds:
    """The embed page and oEmbed document of every published claim."""

    def __init__(self, site: Site, env: Environment, publisher: Publisher, cards: dict[str, Card]) -> None:
        self.site = site
        self.settings = site.settings
        self.env = env
        self.publisher = publisher
        self.cards = cards
        self.claims = site.published

    def paths(self) -> list[str]:
        paths = [embed_path(c) for c in self.claims]
        if self.settings.site_url:
            paths += [oembed_path(c) for c in self.claims]
        return paths

    def _embed_pages(self) -> Iterator[tuple[str, str]]:
        template = self.env.get_template("embed.html.j2")
        settings = self.settings
        for claim in self.claims:
            path = embed_path(claim)
            yield (
                path,
                template.render(
                    claim=claim,
                    settings=settings,
                    page_uri=claim.src_uri,
                    claim_link=settings.address(claim.src_uri)
                    if settings.site_url
                    else _link_from_file(path, settings, claim.src_uri),
                    publisher=self.publisher,
                    embed_script=EMBED_SCRIPT,
                    embed_style=EMBED_STYLE,
                    embed_script_hash=EMBED_SCRIPT_HASH,
                ),
            )

    def oembed(self, claim: Claim, code: Any) -> dict[str, Any]:
        """The oEmbed document of a claim (type rich: the iframe of its embed page)."""
        settings = self.settings
        share = claim_share(settings, claim)
        assert share is not None
        data: dict[str, Any] = {
            "version": OEMBED_VERSION,
            "type": "rich",
            "title": claim.headline,
            "provider_name": settings.site_name,
            "provider_url": settings.site_url,
            "author_name": self.publisher.name,
            "author_url": self.publisher.url or settings.site_url,
            "html": str(code.iframe(claim, share)),
            "width": share.width,
            "height": share.height,
        }
        card = self.cards.get(claim.src_uri)
        if card is not None:
            data.update(
                thumbnail_url=absolute(settings.site_url, card.path), thumbnail_width=WIDTH, thumbnail_height=HEIGHT
            )
        return data

    def write(self, site_dir: Path, between: Callable[[], None] | None = None) -> None:
        """Write every embed page and oEmbed document into site_dir (calling `between` before each: a preview's pause)."""
        for path, html in self._embed_pages():
            if between is not None:
                between()
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8", newline="")
        if not self.settings.site_url:
            return
        code = self.env.globals["embed_code"]  # render.SiteRenderer made it, for the claim pages too
        for claim in self.claims:
            if between is not None:
                between()
            text = json.dumps(self.oembed(claim, code), ensure_ascii=False, indent=1) + "\n"
            (site_dir / oembed_path(claim)).write_text(text, encoding="utf-8", newline="")
