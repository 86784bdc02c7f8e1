"""Split a list that grows with the archive into numbered pages with stable addresses.

The first page keeps the list's own name (claims/index.md is /claims/); page N of it is
`<folder>/page/N.md`, published at /claims/page/N/ (or claims/page/N.html without directory
URLs). A list page named like a page rather than a folder (entities/x.md, /entities/x/)
continues below its own address: entities/x/page/2.md, /entities/x/page/2/.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from factcheck.render.i18n import Interface

T = TypeVar("T")


def page_uri(first: str, number: int) -> str:
    """The src_uri of page `number` of the list whose first page is `first`."""
    if number == 1:
        return first
    if first == "index.md":
        folder = ""
    elif first.endswith("/index.md"):
        folder = first[: -len("index.md")]
    else:
        folder = first[: -len(".md")] + "/"
    return f"{folder}page/{number}.md"


def page_count(total: int, size: int) -> int:
    """How many pages `total` items fill, `size` to a page (an empty list still has its first page)."""
    return max(1, -(-total // size))


def chunk(items: Sequence[T], size: int, number: int) -> Sequence[T]:
    """The items on page `number` (1-based)."""
    return items[(number - 1) * size : number * size]


@dataclass(frozen=True)
class Pager:
    """Where one page sits in its list: its number, how many pages, and the names of the others."""

    first: str  # src_uri of page 1
    number: int
    count: int
    size: int

    def uri(self, number: int) -> str:
        return page_uri(self.first, number)

    @property
    def src_uri(self) -> str:
        return self.uri(self.number)

    @property
    def start(self) -> int:
        """The position in the whole list of this page's first item (1-based)."""
        return (self.number - 1) * self.size + 1

    @property
    def prev_uri(self) -> str | None:
        return self.uri(self.number - 1) if self.number > 1 else None

    @property
    def next_uri(self) -> str | None:
        return self.uri(self.number + 1) if self.number < self.count else None

    def numbers(self, around: int = 2) -> list[int | None]:
        """The page numbers to link: the first, the last, and those near this one; None for a gap."""
        keep = {1, self.count, *range(self.number - around, self.number + around + 1)}
        shown = sorted(n for n in keep if 1 <= n <= self.count)
        out: list[int | None] = []
        for n in shown:
            if out and n - (out[-1] or 0) > 1:
                out.append(n - 1 if n - (out[-1] or 0) == 2 else None)  # a gap of one page: link it
            out.append(n)
        return out

    def title(self, title: str, interface: Interface | None = None) -> str:
        """The page's title: the list's own on the first page, with "page N of M" on the others."""
        if self.number == 1:
            return title
        if interface is None:
            from factcheck.render.i18n import english

            interface = english()
        return interface.gettext(
            "%(title)s (page %(number)s of %(count)s)",
            title=title,
            number=interface.number(self.number),
            count=interface.number(self.count),
        )


def pagers(first: str, total: int, size: int) -> list[Pager]:
    """One Pager per page of a list of `total` items."""
    count = page_count(total, size)
    return [Pager(first, n, count, size) for n in range(1, count + 1)]
