"""Golden snapshots of whole generated pages, and their one-command refresh.

    python tests/golden_pages.py        # rebuild the basic fixture and rewrite tests/golden/pages/

A snapshot is the article of a built page (what the generator wrote, inside the theme's
<article>), one element per line. Review a changed snapshot like code.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from bs4 import BeautifulSoup

GOLDEN = Path(__file__).resolve().parent / "golden" / "pages"
PAGES = {  # snapshot name -> page of the basic fixture
    "claim.html": "claims/agency-counted-11000-soldiers/",
    "entity.html": "entities/example-agency/",
    "claims-index.html": "claims/",
}


def snapshot(html: str) -> str:
    """The page's article, without the theme's edit button, one tag per line."""
    article = BeautifulSoup(html, "html.parser").select_one("article")
    assert article is not None
    for button in article.select("a.md-content__button"):
        button.decompose()
    text = re.sub(r">\s*<", ">\n<", str(article))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip()) + "\n"


def snapshots(site: Path) -> dict[str, str]:
    return {name: snapshot((site / url / "index.html").read_text(encoding="utf-8")) for name, url in PAGES.items()}


def refresh() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from conftest import build, make_project

    with tempfile.TemporaryDirectory() as tmp:
        built = build(make_project(Path(tmp) / "p"))
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for name, text in snapshots(built.site).items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
            print(f"wrote {GOLDEN / name}")


if __name__ == "__main__":
    refresh()
