"""Paginated lists and filters across every page, in Debian's Chromium (Playwright), with axe-core.

The paged fixture (conftest.paged_site): 20 synthetic claims, 3 to a list page. A reader
follows the claims index's pages to the last and back; filters whose matches lie on
different pages show every match and nothing else, page by page; the filtered address,
shared and reloaded, shows the same view; without JavaScript the page links and the rating
pages do the work. Every page type loads with no console error and no failed request, and
the paginated pages have no serious or critical axe violation at 1280 and 360 px.

Skips like tests/test_browser.py when Chromium or Playwright is missing (fails under CI=true).
"""

# ruff: noqa: F811 - the tests take the browser fixture imported from tests/test_browser.py

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import PAGED_SIZE, BuiltSite
from test_browser import (  # noqa: F401 - browser is the fixture the tests below take
    browser,
    load,
    open_page,
    serious_violations,
    serve,
    shot,
    shown,
    tabs,
    visible_statements,
)


@pytest.fixture(scope="module")
def paged_url(paged_site: BuiltSite) -> Iterator[str]:
    with serve(paged_site.site) as url:
        yield url


def claims_of(site: BuiltSite) -> dict[str, dict]:
    """The fixture's published claims by id, in the claims index's order (the filter data's "all" list)."""
    data = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (site.project / "claims").glob("*.yaml")}
    rows = []
    for k in range(-(-len(data) // PAGED_SIZE)):
        rows += json.loads((site.site / f"claims/filters/all/all/newest-{k}.json").read_text(encoding="utf-8"))
    return {row[0].rstrip("/"): data[row[0].rstrip("/")] for row in rows}


def index_page_of(site: BuiltSite) -> dict[str, int]:
    """The claims index page (1-based) on which each claim is listed."""
    return {cid: i // PAGED_SIZE + 1 for i, cid in enumerate(claims_of(site))}


def statements(site: BuiltSite, keep) -> list[str]:
    return [d["statement"] for cid, d in claims_of(site).items() if keep(cid, d)]


def all_pages_of_matches(page) -> list[str]:
    """Every claim the filter shows, following its page links to the last page."""
    seen = shown(page)
    while page.locator(".fc-filter__pages a[rel=next]").count():
        page.locator(".fc-filter__pages a[rel=next]").click()
        seen += shown(page)
    return seen


PAGE_TYPES = {  # every page type of the paged fixture, and filtered views of the claims index
    "home": "",
    "claims index": "claims/",
    "claims index, page 2": "claims/page/2/",
    "claims index, last page": "claims/page/7/",
    "claim": "claims/claim-00003/",
    "entity": "entities/entity-0/",
    "entity, page 2": "entities/entity-0/page/2/",
    "entities index": "entities/",
    "entities index, page 2": "entities/page/2/",
    "source": "sources/source-0/",
    "source, page 2": "sources/source-0/page/2/",
    "sources index": "sources/",
    "ratings index": "verdicts/",
    "rating": "verdicts/true/",
    "rating, page 2": "verdicts/true/page/2/",
    "tags index": "tags/",
    "tags index, page 2": "tags/page/2/",
    "tag": "tags/north-korean-troops/",
    "tag, page 3": "tags/north-korean-troops/page/3/",
    "corrections": "corrections/",
    "methodology": "methodology/",
    "filtered by rating": "claims/?verdict=false",
    "filtered by entity, oldest first, page 2": "claims/?entity=entity-0&sort=oldest&page=2",
    "filtered by tag and rating, by claim date": "claims/?verdict=true&tag=north-korean-troops&sort=claim-oldest",
}
PAGINATED = [k for k in PAGE_TYPES if "page" in k or k.startswith("filtered")]


def test_every_page_type_loads_without_a_console_error_or_a_failed_request(
    browser, paged_url: str, paged_site: BuiltSite
) -> None:
    for path in PAGE_TYPES.values():
        if "?" not in path:
            assert (paged_site.site / path / "index.html").is_file(), path
    page, watch = open_page(browser, paged_url)
    try:
        for kind, path in PAGE_TYPES.items():
            load(page, paged_url + path)
            if path.startswith("claims/?"):
                assert shown(page), kind
            assert watch.errors == [], kind
            assert watch.outside == [], kind
    finally:
        page.context.close()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("kind", PAGINATED)
def test_paginated_pages_are_accessible(tabs, paged_url: str, kind: str, viewport: str) -> None:
    page, watch = tabs(paged_url, viewport)
    load(page, paged_url + PAGE_TYPES[kind])
    if kind.startswith("filtered"):
        shown(page)
    violations = serious_violations(page)
    shot(page, f"paged-{kind.replace(',', '').replace(' ', '-')}-{viewport}")
    assert violations == []
    assert page.locator("nav.fc-pages:visible").count() >= 1 or kind == "filtered by rating"
    if viewport == "desktop":  # the page links sit in one row, not one under another
        tops = {round(box["y"]) for box in (li.bounding_box() for li in page.locator("nav.fc-pages:visible li").all())}
        assert len(tops) <= 1, tops
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"page is {width[0]} px wide on a {width[1]} px screen"
    assert watch.errors == [] and watch.outside == []


def test_following_the_pages_to_the_last_and_back(browser, paged_url: str, paged_site: BuiltSite) -> None:
    everything = statements(paged_site, lambda cid, d: True)
    count = -(-len(everything) // PAGED_SIZE)
    page, watch = open_page(browser, paged_url, "phone")
    try:
        load(page, paged_url + "claims/")
        seen = [visible_statements(page)]
        while page.locator("nav.fc-pages a[rel=next]:visible").count():
            with page.expect_navigation():
                page.locator("nav.fc-pages a[rel=next]:visible").click()
            seen.append(visible_statements(page))
            current = page.locator('nav.fc-pages [aria-current="page"]:visible').inner_text()
            assert current.replace("\n", " ").endswith(str(len(seen)))
        assert page.url == paged_url + f"claims/page/{count}/"
        assert [s for one in seen for s in one] == everything  # every claim once, in order
        assert all(len(one) <= PAGED_SIZE for one in seen)
        assert page.title().startswith(f"All fact-checks (page {count} of {count})")
        back = 0
        while page.locator("nav.fc-pages a[rel=prev]:visible").count():
            with page.expect_navigation():
                page.locator("nav.fc-pages a[rel=prev]:visible").click()
            back += 1
            assert visible_statements(page) == seen[count - 1 - back]
        assert back == count - 1
        assert page.url == paged_url + "claims/"
        assert watch.errors == [] and watch.outside == []
    finally:
        page.context.close()


def entity_list(site: BuiltSite, entity: str) -> list[str]:
    """The statements on the entity's own pages (its "Fact-checks" list, page by page): the no-JS filter."""
    out, n = [], 1
    while True:
        rel = f"entities/{entity}/" if n == 1 else f"entities/{entity}/page/{n}/"
        if not site.exists(rel):
            return out
        out += [a.get_text() for a in site.page(rel).select(".fc-entity__claims .fc-claim-item__link")]
        n += 1


def test_a_filter_shows_every_match_across_the_pages_and_nothing_else(
    browser, paged_url: str, paged_site: BuiltSite
) -> None:
    on_page = index_page_of(paged_site)
    claims = claims_of(paged_site)
    false = statements(paged_site, lambda cid, d: d["verdict"] == "false")
    assert len({on_page[cid] for cid, d in claims.items() if d["verdict"] == "false"}) > 1  # spread over pages
    naming = entity_list(paged_site, "entity-0")
    assert len(naming) > 2 * PAGED_SIZE  # several pages of matches in the script's own page links too
    assert set(naming) >= set(statements(paged_site, lambda cid, d: "entity-0" in (d["claimant"], *d["entities"])))
    page, watch = open_page(browser, paged_url)
    try:
        index = paged_url + "claims/"
        load(page, index)
        page.select_option('select[name="verdict"]', "false")
        assert shown(page) == false
        assert page.url == index + "?verdict=false"
        assert page.locator(".fc-filter__status").inner_text() == f"Showing {len(false)} of {len(claims)} fact-checks."
        assert not page.locator(".fc-filter__pages-of-all").is_visible()

        page.select_option('select[name="verdict"]', "")
        page.select_option('select[name="entity"]', "entity-0")
        assert all_pages_of_matches(page) == naming  # every match once, newest first, and nothing else
        assert page.url == index + f"?entity=entity-0&page={-(-len(naming) // PAGED_SIZE)}"

        page.select_option('select[name="sort"]', "oldest")  # a change of filter starts at page 1
        assert all_pages_of_matches(page) == list(reversed(naming))

        page.select_option('select[name="verdict"]', "true")
        true = set(statements(paged_site, lambda cid, d: d["verdict"] == "true"))
        both = [s for s in reversed(naming) if s in true]
        assert both and all_pages_of_matches(page) == both
        assert watch.errors == [] and watch.outside == []
    finally:
        page.context.close()


def test_a_shared_filtered_address_shows_the_same_view_after_a_reload(browser, paged_url: str) -> None:
    page, watch = open_page(browser, paged_url)
    try:
        load(page, paged_url + "claims/")
        page.select_option('select[name="entity"]', "entity-0")
        page.select_option('select[name="sort"]', "claim-oldest")
        shown(page)
        page.locator(".fc-filter__pages a[rel=next]").click()
        view = shown(page)
        address = page.url
        assert address == paged_url + "claims/?entity=entity-0&sort=claim-oldest&page=2"
        status = page.locator(".fc-filter__status").inner_text()
        assert "Page 2 of" in status

        other, other_watch = open_page(browser, paged_url, "phone")
        try:
            load(other, address)
            assert shown(other) == view
            assert other.locator('select[name="entity"]').input_value() == "entity-0"
            assert other.locator('select[name="sort"]').input_value() == "claim-oldest"
            assert other.locator(".fc-filter__status").inner_text() == status
            other.reload()
            other.wait_for_load_state("networkidle")
            assert shown(other) == view
            assert other.url == address
            assert other_watch.errors == []
        finally:
            other.context.close()
        assert watch.errors == [] and watch.outside == []
    finally:
        page.context.close()


def test_without_javascript_the_pages_and_the_rating_pages_are_the_filters(
    browser, paged_url: str, paged_site: BuiltSite
) -> None:
    page, watch = open_page(browser, paged_url, "phone", javascript=False)
    try:
        load(page, paged_url + "claims/")
        assert not page.locator("form.fc-filter").is_visible()
        assert len(visible_statements(page)) == PAGED_SIZE
        with page.expect_navigation():
            page.locator("nav.fc-pages a", has_text="7").click()
        assert page.url == paged_url + "claims/page/7/"
        assert visible_statements(page)
        with page.expect_navigation():
            page.locator("nav.fc-pages a[rel=prev]").click()
        assert page.url == paged_url + "claims/page/6/"
        load(page, paged_url + "claims/")
        with page.expect_navigation():
            page.locator('nav.fc-filter-links a[href$="verdicts/true/"]').click()
        assert page.url == paged_url + "verdicts/true/"
        seen = visible_statements(page)
        with page.expect_navigation():
            page.locator("nav.fc-pages a[rel=next]").click()
        seen += visible_statements(page)
        assert seen == statements(paged_site, lambda cid, d: d["verdict"] == "true")
        shot(page, "paged-rating-no-javascript")
        assert watch.outside == []
    finally:
        page.context.close()


def test_the_fixture_is_what_these_tests_assume(paged_site: BuiltSite) -> None:
    assert len(claims_of(paged_site)) == 20
    assert Path(paged_site.site / "claims/page/7/index.html").is_file()
    assert not Path(paged_site.site / "claims/page/8/index.html").exists()
