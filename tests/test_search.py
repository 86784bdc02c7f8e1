"""Site search: Pagefind in Material's search box, tested in headless Chromium on a real build."""

# ruff: noqa: F811 - the tests take the browser fixture imported from tests/test_browser.py

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import BuiltSite, build, make_project, run_build_py, serve_folder
from test_browser import browser  # noqa: F401 - the file's one Chromium (a module fixture)


@contextlib.contextmanager
def browser_page(browser, site: Path) -> Iterator[tuple[object, str, list[str], list[str]]]:
    """Yield (page, base URL, requested URLs, page errors) for a site served on loopback, in a fresh context."""
    requested: list[str] = []
    errors: list[str] = []
    with serve_folder(site) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.on("request", lambda request: requested.append(request.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            yield page, base, requested, errors
        finally:
            page.context.close()


def search(page, query: str) -> list[tuple[str, str]]:  # noqa: ANN001
    """Open search with the keyboard, type query, return (title, href) of each result."""
    page.keyboard.press("/")
    box = page.locator(".md-search__input")
    box.press_sequentially(query, delay=10)
    page.locator(".md-search-result__item").first.wait_for(timeout=30_000)
    return [
        (item.locator("h1").inner_text(), item.locator("a").get_attribute("href"))
        for item in page.locator(".md-search-result__item").all()
    ]


def test_search_finds_an_entity_by_its_alias_and_the_result_opens(browser, basic_site: BuiltSite) -> None:
    with browser_page(browser, basic_site.site) as (page, base, requested, errors):
        page.goto(base + "claims/", wait_until="load")
        assert not [url for url in requested if "/pagefind/" in url], "nothing is fetched before searching"
        results = search(page, "EXA")
        titles = [title for title, _ in results]
        assert "Example Agency" in titles  # the entity page, found by its alias only
        assert "The agency counted 11,000 soldiers" in titles  # "EXA confirmed it" in the analysis
        href = dict(results)["Example Agency"]
        page.locator(".md-search-result__link", has_text="Example Agency").first.click()
        page.wait_for_load_state("load")
        assert page.url.rstrip("/").endswith("entities/example-agency"), (href, page.url)
        assert page.locator("h1").first.inner_text() == "Example Agency"
        assert not errors


def test_search_keeps_materials_look_and_fetches_no_whole_site_index(browser, basic_site: BuiltSite) -> None:
    with browser_page(browser, basic_site.site) as (page, base, requested, errors):
        page.goto(base, wait_until="load")
        search(page, "Ruritania")
        # Material's own search dialog, open, with its result styles applied.
        assert page.locator("#__search").is_checked()
        dialog = page.locator(".md-search__inner")
        assert dialog.is_visible() and dialog.bounding_box()["width"] > 300
        meta = page.locator(".md-search-result__meta").inner_text()
        assert meta.endswith("matching documents") or meta == "1 matching document"
        article = page.locator(".md-search-result__article").first
        assert article.evaluate("e => getComputedStyle(e).paddingLeft") != "0px"  # Material's stylesheet
        page.keyboard.press("Escape")
        assert not page.locator("#__search").is_checked()
        # Pagefind's chunks only: Material's lunr index is neither built nor requested.
        assert any("/pagefind/" in url for url in requested)
        assert not any("search_index.json" in url or "/workers/search" in url for url in requested)
        assert not errors
    assert not (basic_site.site / "search" / "search_index.json").exists()


def test_search_results_show_claim_text_as_text(browser, tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    claim = project / "claims" / "ruritania-has-42-tanks.yaml"
    text = claim.read_text(encoding="utf-8")
    text = text.replace(
        "summary: The count leaves out reserves.",
        'summary: "Zebracorn <img src=x onerror=document.title=/pwned/.source> zebracorn"',
    )
    claim.write_text(text, encoding="utf-8")
    built = build(project)
    with browser_page(browser, built.site) as (page, base, _, errors):
        page.goto(base, wait_until="load")
        results = search(page, "zebracorn")
        assert results, "the claim is found"
        assert page.locator(".md-search-result img").count() == 0
        assert "<img" in page.locator(".md-search-result").inner_text()  # shown as the text it is
        assert page.title() != "pwned" and not errors


def test_search_by_alias_finds_claims_whose_text_never_uses_it(browser, tmp_path: Path) -> None:
    # "Wobblecorp" is an alias of the claimant Alice Example and appears in no claim's text:
    # a claim is found by it through its claimant chip, where the aliases are the tooltip.
    project = make_project(tmp_path / "project")
    entity = project / "content" / "entities" / "alice-example.md"
    entity.write_text(
        entity.read_text(encoding="utf-8").replace(
            "aliases: [Alice, A. Example]", "aliases: [Alice, A. Example, Wobblecorp]"
        ),
        encoding="utf-8",
    )
    site = build(project)
    with browser_page(browser, site.site) as (page, base, requested, errors):
        page.goto(base, wait_until="load")
        titles = [title for title, _ in search(page, "Wobblecorp")]
        assert "Ruritania has 42 tanks" in titles
        assert not errors


def test_search_across_several_index_bundles(browser, tmp_path: Path) -> None:
    # A large site's index comes in bundles of the plugin's `search_bundle_pages` documents
    # (2,500 by default), indexed one after another to bound the indexer's memory and
    # merged in the browser. Here bundles of 4 documents: the entity and the claims that an
    # alias finds live in different bundles, and one search still finds them all.
    project = make_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - factcheck\n", "  - factcheck:\n      search_bundle_pages: 4\n"),
        encoding="utf-8",
    )
    result = run_build_py(project, "build", "--site-dir", str(project / "site"))
    assert result.returncode == 0, result.stderr
    site = project / "site"
    bundles = sorted(p.name for p in site.glob("pagefind*") if (p / "pagefind.js").is_file())
    assert len(bundles) > 3, bundles
    # The search box names exactly the bundles written (none more: a missing one is a 404).
    named = BeautifulSoup((site / "claims/index.html").read_text(encoding="utf-8"), "html.parser")
    assert sorted(n.rstrip("/") for n in named.select_one(".fc-search")["data-bundles"].split()) == bundles
    with browser_page(browser, site) as (page, base, requested, errors):
        page.goto(base + "claims/", wait_until="load")
        titles = [title for title, _ in search(page, "EXA")]
        assert "Example Agency" in titles
        assert "The agency counted 11,000 soldiers" in titles
        fetched = {url.split("/")[3] for url in requested if "/pagefind" in url}
        assert fetched == set(bundles), fetched  # every bundle was searched
        assert not errors


def test_the_search_form_has_a_submit_button_that_opens_the_first_result(browser, basic_site: BuiltSite) -> None:
    """WCAG technique H32 (pa11y): a form has a submit button; Enter in the box is the keyboard's way to it."""
    form = basic_site.page("").select_one("form.md-search__form")
    (button,) = form.select('button[type="submit"]')
    assert button.get_text(strip=True) == "Search" and button["tabindex"] == "-1"
    with browser_page(browser, basic_site.site) as (page, base, requested, errors):
        page.goto(base, wait_until="load")
        first_title, _ = search(page, "Ruritania")[0]
        with page.expect_navigation():
            page.locator(".md-search__input").press("Enter")
        assert page.locator("h1").first.inner_text() == first_title
        assert not errors
