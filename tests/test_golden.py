"""Golden files: whole generated pages, and what the real site gives readers and machines.

Refresh the page snapshots with `python tests/golden_pages.py`; the real-site record with
`python build.py build --site-dir /tmp/site && python tests/site_summary.py /tmp/site tests/golden/real-site.json`
(only when the content or the output changes on purpose: review the diff).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import REPO, BuiltSite, run_build_py  # noqa: F401
from golden_pages import GOLDEN, snapshots
from site_summary import summarize

REAL = Path(__file__).resolve().parent / "golden" / "real-site.json"


@pytest.mark.parametrize("name", ["claim.html", "entity.html", "claims-index.html"])
def test_generated_page_matches_its_snapshot(basic_site: BuiltSite, name: str) -> None:
    assert snapshots(basic_site.site)[name] == (GOLDEN / name).read_text(encoding="utf-8"), (
        "a generated page changed: review it, then run `python tests/golden_pages.py`"
    )


def _sitemap_entries(text: str) -> list[str]:
    return sorted(re.findall(r"<url>.*?</url>", " ".join(text.split())))


@pytest.fixture(scope="module")
def real_site_in_place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site built from the checkout itself (its git history dates the claim pages)."""
    site = tmp_path_factory.mktemp("real-site") / "site"
    result = run_build_py(REPO, "build", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    return site


def test_real_site_matches_its_record(real_site_in_place: Path) -> None:
    """Same pages, titles, headings, links, metadata, JSON-LD, feeds and exports as recorded.

    The record was made from the hook-based build before the pipeline change (commit 5cd15ec),
    and this test passed against it with the new pipeline (commit 303ae25), with the two
    differences the README lists: the home page, now a hand-written page with the generated
    lists after it, has the theme's edit link to content/index.md, and the sitemap lists the
    same pages and dates in another order. It was refreshed when the sourcing corrections of
    issue 15 changed the content, when api/claims.json put each claim on one line and the
    corrections feed's subtitle said it holds the latest 50 (the same data otherwise), and when
    issue 16 added sharing: the share card in every claim, entity and home page's metadata
    (og:image and its size, type and alt; twitter:card summary_large_image), and on claim pages
    the oEmbed link and the "Share this fact-check" section; each claim's embed page and oEmbed
    document are new files (nothing else changed).
    """
    before = json.loads(REAL.read_text(encoding="utf-8"))
    after = summarize(real_site_in_place)
    assert sorted(after["pages"]) == sorted(before["pages"])
    assert sorted(after["files"]) == sorted(before["files"])
    home_edit = "https://github.com/factcheck-microsite/factcheck/edit/main/content/index.md"
    for path, page in before["pages"].items():
        now, then = dict(after["pages"][path]), dict(page)
        if path == "index.html":
            now["links"] = [link for link in now["links"] if link != home_edit]
            then["links"] = [link for link in then["links"] if link != home_edit]
        assert now == then, path
    for path, text in before["files"].items():
        if path == "sitemap.xml":
            assert _sitemap_entries(after["files"][path]) == _sitemap_entries(text)
        else:
            assert after["files"][path] == text, path
