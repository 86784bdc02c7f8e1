"""Paginated lists and the filter data, on real builds: 20 synthetic claims, 3 to a page.

Every published claim is reached from the claims index by following page links (no
JavaScript); every later page names its place (title, heading, rel=prev/next, its own
canonical URL) and stays out of the nav; scorecards still count every claim; the filter
files hold exactly the claims each filter matches.
"""

from __future__ import annotations

import itertools
import json
import posixpath
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import PAGED_SIZE, BuiltSite, build, make_paged_project, run_build_py, set_config

from factcheck.render.paging import Pager, page_uri


def published_claims(project: Path) -> dict[str, dict]:
    claims = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (project / "claims").glob("*.yaml")}
    return {cid: data for cid, data in claims.items() if data.get("status", "published") == "published"}


def soup_of(site: Path, rel: str) -> BeautifulSoup:
    path = site / rel
    if rel.endswith("/") or not rel:
        path = path / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def crawl_list(site: Path, start: str, item_selector: str) -> tuple[list[str], list[str]]:
    """Follow a list's page links from its first page; return (pages in order of discovery, item links)."""
    seen, queue, items = [start], [start], []
    while queue:
        rel = queue.pop(0)
        soup = soup_of(site, rel)
        items += [posixpath.normpath(urljoin("/" + rel, a["href"])).lstrip("/") for a in soup.select(item_selector)]
        for a in soup.select("nav.fc-pages a[href]"):
            target = urldefrag(urljoin("/" + rel, a["href"]))[0].lstrip("/")
            if target not in seen:
                seen.append(target)
                queue.append(target)
    return seen, items


def test_page_names_and_page_numbers() -> None:
    assert page_uri("claims/index.md", 1) == "claims/index.md"
    assert page_uri("claims/index.md", 2) == "claims/page/2.md"
    assert page_uri("entities/x.md", 3) == "entities/x/page/3.md"
    assert page_uri("index.md", 2) == "page/2.md"
    assert Pager("claims/index.md", 1, 1, 50).numbers() == [1]
    assert Pager("claims/index.md", 1, 9, 50).numbers() == [1, 2, 3, None, 9]
    assert Pager("claims/index.md", 5, 9, 50).numbers() == [1, 2, 3, 4, 5, 6, 7, 8, 9]  # gaps of one are linked
    assert Pager("claims/index.md", 6, 20, 50).numbers() == [1, None, 4, 5, 6, 7, 8, None, 20]
    assert Pager("claims/index.md", 2, 3, 50).title("All") == "All (page 2 of 3)"
    assert Pager("claims/index.md", 1, 3, 50).title("All") == "All"


def test_every_published_claim_is_reached_from_the_claims_index_by_page_links(paged_site: BuiltSite) -> None:
    claims = published_claims(paged_site.project)
    pages, items = crawl_list(paged_site.site, "claims/", ".fc-claim-list .fc-claim-item__link")
    assert set(pages) == {"claims/", *(f"claims/page/{n}/" for n in range(2, len(pages) + 1))}
    assert len(pages) == -(-len(claims) // PAGED_SIZE)
    assert sorted(items) == sorted(f"claims/{cid}" for cid in claims)  # each once
    for rel in pages:
        assert len(soup_of(paged_site.site, rel).select(".fc-claim-list .fc-claim-item")) <= PAGED_SIZE


@pytest.mark.parametrize(
    ("first", "selector", "expected"),
    [
        ("verdicts/true/", ".fc-claim-item__link", lambda c: {k for k, d in c.items() if d["verdict"] == "true"}),
        ("tags/north-korean-troops/", ".fc-claim-item__link", lambda c: set(c)),
        (
            "sources/source-0/",
            ".fc-source__claims .fc-claim-item__link",
            lambda c: {k for k, d in c.items() if d["appearance"].get("source") == "source-0"},
        ),
        (
            "entities/entity-0/",
            ".fc-entity__claims .fc-claim-item__link",
            lambda c: {k for k, d in c.items() if d["claimant"] == "entity-0" or "entity-0" in d["entities"]},
        ),
    ],
)
def test_each_list_continues_on_its_later_pages(paged_site: BuiltSite, first: str, selector: str, expected) -> None:
    pages, items = crawl_list(paged_site.site, first, selector)
    want = expected(published_claims(paged_site.project))
    assert len(pages) > 1, "the fixture must spread this list over several pages"
    assert first + "page/2/" in pages
    claimed = {posixpath.basename(i) for i in items}
    if first.startswith("entities/"):
        assert want <= claimed  # and those naming it in the statement only
    else:
        assert claimed == want
    assert len(items) == len(set(items))


def test_later_pages_name_their_place_and_stay_out_of_the_nav(paged_site: BuiltSite) -> None:
    site = paged_site.site
    claims = published_claims(paged_site.project)
    count = -(-len(claims) // PAGED_SIZE)
    first, second, last = (soup_of(site, p) for p in ("claims/", "claims/page/2/", f"claims/page/{count}/"))
    assert second.title.string.startswith(f"All fact-checks (page 2 of {count})")
    assert second.h1.get_text().startswith(f"All fact-checks, page 2 of {count}")
    assert first.title.string.startswith("All fact-checks -")
    canonical = second.select_one("link[rel=canonical]")["href"]
    assert canonical.endswith("/claims/page/2/")
    head = second.head
    assert head.select_one("link[rel=prev]")["href"] == "../../"
    assert head.select_one("link[rel=next]")["href"] == "../3/"
    assert first.head.select_one("link[rel=next]")["href"] == "page/2/"
    assert first.head.select_one("link[rel=prev]") is None
    assert last.head.select_one("link[rel=next]") is None
    nav = second.select_one("nav.fc-pages")
    assert nav["aria-label"] == "Pages of all fact-checks"
    [current] = nav.select('[aria-current="page"]')
    assert current.get_text() == "Page 2"
    # Material renders the nav into every page: no later page may be in it.
    for page in (first, second, soup_of(site, "")):
        assert not [a["href"] for a in page.select(".md-nav a[href]") if "page/" in a["href"]]


def test_scorecards_and_counts_cover_every_claim_not_one_page(paged_site: BuiltSite) -> None:
    claims = published_claims(paged_site.project)
    about = {k for k, d in claims.items() if "entity-0" in d["entities"]}
    soup = soup_of(paged_site.site, "entities/entity-0/")
    total = soup.select_one(".fc-entity__claims p").get_text().split()[0]
    assert int(total.replace(",", "")) >= len(about) > PAGED_SIZE
    index = soup_of(paged_site.site, "claims/")
    assert index.select_one("form.fc-filter")["data-total"] == str(len(claims))
    false = sum(1 for d in claims.values() if d["verdict"] == "false")
    [link] = [a for a in index.select("nav.fc-filter-links a") if a.get_text().startswith("False")]
    assert link.get_text() == f"False ({false})"


def test_filter_files_hold_exactly_what_each_filter_matches(paged_site: BuiltSite) -> None:
    site = paged_site.site
    claims = published_claims(paged_site.project)
    pages, _ = crawl_list(site, "claims/", ".fc-claim-list .fc-claim-item__link")
    order = [  # claim ids, as the index lists them
        a["href"].rsplit("/", 2)[-2]
        for n in range(1, len(pages) + 1)
        for a in soup_of(site, "claims/" if n == 1 else f"claims/page/{n}/").select(
            ".fc-claim-list .fc-claim-item__link"
        )
    ]

    def matches(facet: str, value: str, sort: str) -> list[str]:
        data = json.loads((site / "claims/filters" / facet / f"{value}.json").read_text(encoding="utf-8"))
        numbers, n = [], 0
        for d in data[sort]:
            n += d
            numbers.append(n)
        assert data["count"] == len(numbers)
        if "rows" in data:  # one page of matches: the rows are in the list file, newest first
            assert len(numbers) <= PAGED_SIZE and not (site / "claims/filters" / facet / value).exists()
            at = {number: i for i, number in enumerate(itertools.accumulate(data["newest"]))}
            rows = [data["rows"][at[number]] for number in numbers]
        else:
            rows = []
            for k in range(-(-len(numbers) // PAGED_SIZE)):
                path = site / "claims/filters" / facet / value / f"{sort}-{k}.json"
                rows += json.loads(path.read_text("utf-8"))
        assert [r[0] for r in rows] == [order[i] + "/" for i in numbers]  # rows and numbers agree
        for row in rows:
            data = claims[row[0].rstrip("/")]
            assert row[1] == data["statement"] and row[2] == data["verdict"]
        return [order[i] for i in numbers]

    false = matches("verdict", "false", "newest")
    assert false == [cid for cid in order if claims[cid]["verdict"] == "false"]
    assert sorted(matches("verdict", "false", "claim")) == sorted(false)
    tagged = matches("tag", "topic-1", "newest") if (site / "claims/filters/tag/topic-1.json").exists() else []
    assert tagged == [cid for cid in order if "topic-1" in claims[cid]["tags"]]
    assert matches("all", "all", "newest") == order
    by_claim = matches("all", "all", "claim")
    assert sorted(by_claim) == sorted(order)
    dates = [str(claims[cid]["claim_date"]) for cid in by_claim]
    assert dates == sorted(dates, reverse=True)


def test_pagination_without_directory_urls(tmp_path: Path) -> None:
    project = make_paged_project(tmp_path / "p", n=8)
    set_config(project, "use_directory_urls: true", "use_directory_urls: false")
    built = build(project)
    site = built.site
    assert (site / "claims/page/2.html").is_file()
    pages, items = crawl_list(site, "claims/index.html", ".fc-claim-list .fc-claim-item__link")
    assert {"claims/index.html", "claims/page/2.html"} <= set(pages)
    assert sorted(items) == sorted(f"claims/{cid}.html" for cid in published_claims(project))
    second = soup_of(site, "claims/page/2.html")
    assert second.head.select_one("link[rel=prev]")["href"] == "../index.html"
    row = json.loads((site / "claims/filters/all/all/newest-0.json").read_text(encoding="utf-8"))[0]
    assert row[0].endswith(".html") and (site / "claims" / row[0]).is_file()


@pytest.mark.parametrize("value", ["0", "-3", "fifty", "true", "2.5", "100000"])
def test_a_bad_page_size_is_refused_with_a_clear_error(project: Path, value: str) -> None:
    set_config(project, "    page_size: 50\n", f"    page_size: {value}\n")
    for command in (("check",), ("build", "--site-dir", str(project / "site"))):
        result = run_build_py(project, *command)
        assert result.returncode != 0
        out = result.stdout + result.stderr
        assert "mkdocs.yml: extra.factcheck.page_size:" in out, out
        assert "give a whole number from 1 to 1000" in out
        assert "Traceback" not in out
    assert not (project / "site").exists()


def test_every_setting_is_documented() -> None:
    """Each key settings.py reads from extra.factcheck has a row in docs/settings.md's table."""
    import re

    from conftest import REPO

    keys = set(re.findall(r'extra\.get\("(\w+)"', (REPO / "factcheck" / "settings.py").read_text(encoding="utf-8")))
    table = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    assert keys >= {"page_size", "latest_count", "scale", "publisher"}
    for key in keys:
        assert f"| `{key}` |" in table, key


def test_the_search_box_names_as_many_index_bundles_as_there_are_documents(tmp_path: Path) -> None:
    """Later pages of lists are not searched: the bundles follow the documents, not the pages."""
    from factcheck.model.loader import load_site
    from factcheck.pipeline import hand_written_pages
    from factcheck.publish.search import document_count, documents, hand_written_page
    from factcheck.settings import load_settings

    project = make_paged_project(tmp_path / "p")
    settings = load_settings(project / "mkdocs.yml")
    site = load_site(settings)
    hand = [
        hand_written_page(u, (settings.docs_dir / u).read_text(encoding="utf-8")) for u in hand_written_pages(settings)
    ]
    assert document_count(site, len(hand)) == len(list(documents(site, hand)))
    set_config(project, "  - factcheck\n", "  - factcheck:\n      search_bundle_pages: 10\n")
    built = build(project)
    written = sorted(p.name for p in built.site.glob("pagefind*") if (p / "pagefind.js").is_file())
    named = built.page("claims/").select_one(".fc-search")["data-bundles"].split()
    assert sorted(n.rstrip("/") for n in named) == written
    assert len([p for p in built.site.rglob("index.html") if "/page/" in p.as_posix()]) > 10  # many later pages


def test_later_pages_are_in_the_sitemap_with_their_lists_date(paged_site: BuiltSite) -> None:
    import xml.etree.ElementTree as ET

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.fromstring((paged_site.site / "sitemap.xml").read_bytes())
    dates = {
        u.findtext("s:loc", namespaces=ns).split("/factcheck/", 1)[1]: u.findtext("s:lastmod", namespaces=ns)
        for u in root.findall("s:url", ns)
    }
    assert dates["claims/page/2/"] == dates["claims/"] is not None
    assert dates["entities/entity-0/page/2/"] == dates["entities/entity-0/"] is not None
