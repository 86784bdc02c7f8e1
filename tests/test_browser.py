"""The built site in a real browser: Debian's Chromium driven by Playwright, checked with axe-core.

Every page type is loaded at desktop and phone widths in the light and the dark scheme, with
zero serious or critical axe violations, no console errors, no request leaving the site and
nothing wider than the screen. Then what a reader does: follow a claim to an entity and back,
filter the claims index (and share the filter's address), use the keyboard, read without
JavaScript, print a claim. Screenshots and the printed PDF are kept under
test-artifacts/browser/ (or $BROWSER_ARTIFACTS).

Skips with the reason when Chromium, Playwright or axe-playwright-python is missing, except
under CI=true, where that is a failure. Never downloads a browser.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import REPO, BuiltSite, launch_chromium, playwright_or_skip, serve_folder

PREFIX = "/factcheck/"  # the site's path on GitHub Pages (site_url): relative links must work under it
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", REPO / "test-artifacts" / "browser"))

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}
PAGES = {  # page type -> URL path in the basic fixture
    "home": "",
    "claims-index": "claims/",
    "claim": "claims/ruritania-has-42-tanks/",
    "entity": "entities/alice-example/",
    "entities-index": "entities/",
    "source": "sources/fixture-article/",
    "sources-index": "sources/",
    "verdicts-index": "verdicts/",
    "verdict": "verdicts/misleading/",
    "tags-index": "tags/",
    "tag": "tags/figures/",
    "corrections": "corrections/",
    "methodology": "methodology/",
}


@pytest.fixture(scope="module")
def browser() -> Iterator:
    sync_playwright = playwright_or_skip("axe_playwright_python")
    with sync_playwright() as p:
        chromium = launch_chromium(p)
        yield chromium
        chromium.close()


class _Handler(http.server.SimpleHTTPRequestHandler):
    def translate_path(self, path: str) -> str:
        # Serve the site only under PREFIX, like GitHub Pages: anything else is a 404.
        path = urlsplit(path).path
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path[len(PREFIX) :])

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(directory: Path) -> contextlib.AbstractContextManager[str]:
    """Serve a built site on a free local port, as GitHub Pages would under PREFIX; yield its address."""
    return serve_folder(directory, _Handler, PREFIX)


@pytest.fixture(scope="module")
def base_url(basic_site: BuiltSite) -> Iterator[str]:
    with serve(basic_site.site) as url:
        yield url


@dataclass
class Watch:
    """What a page did that a reader should never see: console errors, requests off the site."""

    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


def open_page(
    browser, base_url: str, viewport: str = "desktop", scheme: str = "light", javascript: bool = True
) -> tuple:
    """Return (page, watch): a fresh context whose requests off the site are blocked and recorded."""
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], color_scheme=scheme, java_script_enabled=javascript, service_workers="block"
    )
    watch = Watch()

    # Requests off the site fail (launch_chromium's browser reaches loopback only) and are recorded.
    context.on(
        "request",
        lambda request: None if request.url.startswith((base_url, "data:")) else watch.outside.append(request.url),
    )
    page = context.new_page()

    def console(message) -> None:
        if message.type != "error":
            return
        source = message.location.get("url", "")
        watch.errors.append(f"{message.text} ({source})")

    def failed(response) -> None:
        if response.status >= 400:
            watch.errors.append(f"HTTP {response.status}: {response.url}")

    page.on("console", console)
    page.on("response", failed)
    page.on(
        "requestfailed",
        lambda request: (
            watch.errors.append(f"request failed: {request.url}") if request.url.startswith(base_url) else None
        ),
    )
    page.on("pageerror", lambda error: watch.errors.append(f"uncaught: {error}"))
    return page, watch


@pytest.fixture(scope="module")
def tabs(browser) -> Iterator[Callable[..., tuple]]:
    """Open pages, one per site, width and scheme, that the tests which only load and read pages take in turn.

    Chromium spends about a second of CPU on a new page (a renderer process and its first load) and
    a fifth of that on a navigation in an open one. `tabs(base_url, viewport, scheme)` returns
    (page, watch) on a blank page with an empty watch; tests that change a page's settings (routes,
    scripts, permissions, listeners) open their own with open_page.
    """
    opened: dict[tuple[str, str, str], tuple] = {}

    def tab(base_url: str, viewport: str = "desktop", scheme: str = "light") -> tuple:
        key = (base_url, viewport, scheme)
        if key not in opened:
            opened[key] = open_page(browser, base_url, viewport, scheme)
        page, watch = opened[key]
        page.goto("about:blank")  # what the last test left loading ends here, before the watch is emptied
        page.set_viewport_size(VIEWPORTS[viewport])
        watch.errors.clear()
        watch.outside.clear()
        return page, watch

    yield tab
    for page, _ in opened.values():
        page.context.close()


def load(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    # Let the theme's fade-ins finish: axe measures colours as they are at that moment.
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:5]]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("kind", list(PAGES))
def test_page_types_are_accessible_at_both_widths_in_both_schemes(
    tabs, base_url: str, kind: str, viewport: str, scheme: str
) -> None:
    page, watch = tabs(base_url, viewport, scheme)
    load(page, base_url + PAGES[kind])
    assert page.title()
    # The scheme really is the one asked for (Material follows prefers-color-scheme).
    assert page.locator("body").get_attribute("data-md-color-scheme") == ("slate" if scheme == "dark" else "default")
    violations = serious_violations(page)
    # After axe: a full-page screenshot resizes the viewport, which restarts the theme's transitions.
    shot(page, f"{kind}-{viewport}-{scheme}")
    assert violations == []
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"page is {width[0]} px wide on a {width[1]} px screen"
    assert watch.errors == []
    assert watch.outside == []


def test_a_reader_follows_a_claim_to_an_entity_and_back(tabs, base_url: str) -> None:
    page, watch = tabs(base_url, "phone")
    claim = base_url + "claims/agency-counted-11000-soldiers/"
    load(page, claim)
    page.locator(".fc-claim-box__meta a", has_text="Alice Example").click()
    page.wait_for_load_state("networkidle")
    assert page.url == base_url + "entities/alice-example/"
    assert page.locator("article h1").inner_text() == "Alice Example"
    back_link = page.locator(".fc-entity__claims a", has_text="The agency counted 11,000 soldiers")
    assert back_link.is_visible()
    page.go_back()
    page.wait_for_load_state("networkidle")
    assert page.url == claim
    back_link_target = page.locator(".fc-verdict .fc-badge__label").inner_text()
    assert back_link_target == "True"
    assert watch.errors == [] and watch.outside == []


def visible_statements(page) -> list[str]:
    return [link.inner_text() for link in page.locator(".fc-claim-item:visible .fc-claim-item__link").all()]


def settled(page) -> None:
    """Wait until the filter script has what it fetched in place (it marks the form busy until then)."""
    page.wait_for_function("!document.querySelector('form.fc-filter[aria-busy]')")


def shown(page) -> list[str]:
    settled(page)
    return visible_statements(page)


def test_filtering_the_claims_index(browser, base_url: str) -> None:
    page, watch = open_page(browser, base_url)
    try:
        index = base_url + "claims/"
        load(page, index)
        both = ["Ruritania has 42 tanks", "The agency counted 11,000 soldiers"]
        assert page.locator("form.fc-filter").is_visible()
        assert not page.locator("nav.fc-filter-links").is_visible()  # the form replaces the links
        assert shown(page) == both
        status = page.locator(".fc-filter__status")
        assert status.inner_text() == "Showing all 2 fact-checks."

        page.select_option('select[name="verdict"]', "misleading")
        assert shown(page) == ["Ruritania has 42 tanks"]
        assert page.url == index + "?verdict=misleading"
        assert status.inner_text() == "Showing 1 of 2 fact-checks."

        page.select_option('select[name="tag"]', "soldiers")
        assert shown(page) == []
        assert page.locator(".fc-filter__empty").is_visible()
        assert page.url == index + "?verdict=misleading&tag=soldiers"

        page.get_by_role("button", name="Clear filters").click()
        page.wait_for_function("!location.search")
        assert shown(page) == both
        assert not page.locator(".fc-filter__empty").is_visible()

        page.select_option('select[name="sort"]', "oldest")
        assert shown(page) == list(reversed(both))
        page.select_option('select[name="entity"]', "ruritania")  # a subject of one, mentioned in the other
        assert shown(page) == ["Ruritania has 42 tanks"]
        shared = page.url
        assert shared == index + "?entity=ruritania&sort=oldest"
        shot(page, "claims-index-filtered")

        # The address is the filter: opening it elsewhere shows the same rows and controls.
        other, other_watch = open_page(browser, base_url, "phone")
        try:
            load(other, shared)
            assert shown(other) == ["Ruritania has 42 tanks"]
            assert other.locator('select[name="entity"]').input_value() == "ruritania"
            assert other.locator('select[name="sort"]').input_value() == "oldest"
            load(other, index + "?verdict=no-such-rating&tag=figures")
            assert other.locator('select[name="verdict"]').input_value() == ""
            assert shown(other) == both  # both claims are tagged "figures"
            assert other_watch.errors == []
        finally:
            other.context.close()
        assert watch.errors == [] and watch.outside == []
    finally:
        page.context.close()


def test_the_claims_index_works_without_javascript(browser, base_url: str) -> None:
    page, watch = open_page(browser, base_url, "phone", javascript=False)
    try:
        load(page, base_url + "claims/")
        assert visible_statements(page) == ["Ruritania has 42 tanks", "The agency counted 11,000 soldiers"]
        assert not page.locator("form.fc-filter").is_visible()
        page.locator("nav.fc-filter-links a", has_text="Misleading").click()
        page.wait_for_load_state()
        assert page.url == base_url + "verdicts/misleading/"
        assert visible_statements(page) == ["Ruritania has 42 tanks"]
        shot(page, "claims-index-no-javascript")
        assert watch.outside == []
    finally:
        page.context.close()


def test_the_filter_form_moves_nothing_when_the_script_runs(browser, base_url: str) -> None:
    """The form is laid out from the first paint: no layout shift (Lighthouse's CLS was 0.148 here)."""
    page, watch = open_page(browser, base_url, "phone")
    try:
        page.add_init_script("""
            window.__shifts = [];
            new PerformanceObserver((list) => {
              for (const entry of list.getEntries()) {
                if (entry.hadRecentInput) continue;
                const moved = entry.sources.map((s) => {
                  const n = s.node, r = (b) => [b.x, b.y, b.width, b.height].map(Math.round).join(",");
                  const name = n ? n.nodeName + (n.id ? "#" + n.id : "") + (n.className ? "." + n.className : "") : "?";
                  return name + " " + r(s.previousRect) + " -> " + r(s.currentRect);
                });
                window.__shifts.push(entry.value.toFixed(4) + " at " + Math.round(entry.startTime) + " ms: " + moved.join("; "));
              }
            }).observe({type: "layout-shift", buffered: true});
        """)
        load(page, base_url + "claims/")
        settled(page)
        page.wait_for_timeout(500)  # let a late shift be reported (no assertion on time)
        assert page.evaluate("window.__shifts") == []  # each: its score, when, and what moved from where to where
        assert watch.errors == []
    finally:
        page.context.close()


def test_when_the_filters_cannot_load_the_links_come_back(browser, base_url: str) -> None:
    page, _ = open_page(browser, base_url)
    try:
        page.route("**/claims/filters/**", lambda route: route.abort())
        load(page, base_url + "claims/")
        assert not page.locator("nav.fc-filter-links").is_visible()
        page.select_option('select[name="verdict"]', "misleading")
        status = page.locator(".fc-filter__status")
        status.filter(has_text="could not be loaded").wait_for()
        assert status.inner_text() == (
            "The filters could not be loaded. The links to each rating, tag and entity still work."
        )
        assert page.locator("nav.fc-filter-links").is_visible()
    finally:
        page.context.close()


def test_keyboard_reaches_and_operates_the_filters_with_a_visible_focus(tabs, base_url: str) -> None:
    page, _ = tabs(base_url)
    load(page, base_url + "claims/")
    seen = []
    for _ in range(80):
        page.keyboard.press("Tab")
        name = page.evaluate("document.activeElement.getAttribute('name')")
        seen.append(name or page.evaluate("document.activeElement.tagName"))
        if name == "verdict":
            break
    assert seen[-1] == "verdict", seen
    focused = page.locator('select[name="verdict"]')
    outline = focused.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline not in ("", "none")
    page.keyboard.press("ArrowDown")  # a closed <select> steps to the next option
    assert focused.input_value() == "true"
    assert shown(page) == ["The agency counted 11,000 soldiers"]
    # Tab onwards reaches the claim links in order, after the other controls.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('fc-claim-item__link')"):
            break
    assert page.evaluate("document.activeElement.textContent") == "The agency counted 11,000 soldiers"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == base_url + "claims/agency-counted-11000-soldiers/"


def test_a_claim_page_prints_as_one_clean_page(browser, base_url: str) -> None:
    page, watch = open_page(browser, base_url)
    try:
        load(page, base_url + "claims/ruritania-has-42-tanks/")
        page.emulate_media(media="print")
        for furniture in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer"):
            assert not page.locator(furniture).first.is_visible(), furniture
        for content in (".fc-verdict .fc-badge", ".fc-claim-box", ".fc-summary", ".fc-evidence", ".fc-updated-note"):
            assert page.locator(content).is_visible(), content
        # Evidence keeps its address on paper.
        after = page.locator(".fc-evidence__item > a").first.evaluate("el => getComputedStyle(el, '::after').content")
        assert "example.org/tanks" in after
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pdf = page.pdf(format="A4", print_background=True)
        (ARTIFACTS / "claim-print.pdf").write_bytes(pdf)
        pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
        assert pages == 1
        assert watch.errors == []
    finally:
        page.context.close()
