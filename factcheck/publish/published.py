"""Everything machines read: feeds, data exports and page head metadata, from one model."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING

from factcheck.publish.exports import export_paths, exports, write_exports
from factcheck.publish.feeds import feed_paths, feeds, iter_feeds
from factcheck.publish.metadata import Heads
from factcheck.publish.publisher import publisher_for

if TYPE_CHECKING:
    from factcheck.model.objects import Site
    from factcheck.share.cards import Card


class Published:
    """Feeds, exports and schemas (made on first use), and every page's <head> metadata."""

    def __init__(self, site: Site, cards: Mapping[str, Card] | None = None) -> None:
        self.site = site
        self.publisher = publisher_for(site.settings)
        self.heads = Heads(site, self.publisher, cards)  # cards: each page's share card, by src_uri
        self._files: dict[str, str] | None = None

    @property
    def files(self) -> dict[str, str]:
        """site path -> text of every feed, export and schema."""
        if self._files is None:
            self._files = {**feeds(self.site, self.publisher), **exports(self.site, self.publisher)}
        return self._files

    def write(self, site_dir: Path) -> None:
        """Write every feed, export and schema into site_dir, one at a time (little memory)."""

        def open_text(path: str) -> IO[str]:
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            return target.open("w", encoding="utf-8", newline="")

        for path, text in iter_feeds(self.site, self.publisher):
            with open_text(path) as out:
                out.write(text)
        write_exports(self.site, self.publisher, open_text)

    def paths(self) -> list[str]:
        """The site paths of the feeds, exports and schemas, without making them."""
        return [*feed_paths(self.site), *export_paths()]


def machine_readable(site: Site) -> Published:
    """Build the head metadata of a site; feeds and exports follow on first use."""
    return Published(site)
