"""Everything machines read: feeds, data exports and page head metadata, from one model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .exports import exports
from .feeds import feeds
from .metadata import Heads
from .publisher import publisher_for

if TYPE_CHECKING:
    from .model import Site


@dataclass
class Published:
    files: dict[str, str]  # site path -> text (feeds, exports, schemas)
    heads: Heads


def machine_readable(site: Site) -> Published:
    """Build the feeds, exports and head metadata of a site."""
    publisher = publisher_for(site.settings)
    files = {**feeds(site, publisher), **exports(site, publisher)}
    return Published(files, Heads(site, publisher))
