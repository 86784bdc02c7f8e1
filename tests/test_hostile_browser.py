"""The hostile fixture site in real headless Chromium: no payload ever runs.

Every payload calls `__pwned('<id>')` if it runs. The test exposes that function to every
page and frame, loads every generated page of the hostile site, fires the events inline
handlers listen for, opens search and types into it, and asserts the function was never
called and no dialog opened. A positive control shows the watch catches a payload that runs.

Skips with the reason when Chromium or Playwright is missing, except under CI=true, where
that is a failure. Never downloads a browser.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import pytest
from conftest import BuiltSite, launch_chromium, playwright_or_skip, serve_folder
from hostile_payloads import PAYLOADS

# Fire every event an injected inline handler might wait for, on every element. Clicks go
# only to elements without a default action, so the page stays where it is; links are
# judged by the scheme the browser itself parsed.
PROVOKE = """() => {
  const kinds = ["mouseover", "mouseenter", "pointerover", "focus", "focusin", "blur", "toggle", "error",
                 "load", "animationstart", "transitionend", "input", "change", "keydown"];
  const inert = new Set(["A", "AREA", "BUTTON", "INPUT", "LABEL", "SELECT", "TEXTAREA", "SUMMARY", "FORM", "OPTION"]);
  for (const el of document.querySelectorAll("*")) {
    for (const kind of kinds) el.dispatchEvent(new Event(kind));
    if (!inert.has(el.tagName) && !el.closest("a, button, label, form, summary")) el.dispatchEvent(new MouseEvent("click", {bubbles: false}));
  }
  for (const d of document.querySelectorAll("details")) d.open = true;
  const bad = [];
  for (const a of document.querySelectorAll("a[href], area[href]")) {
    if (!["http:", "https:", "mailto:"].includes(a.protocol)) bad.push(a.getAttribute("href"));
  }
  for (const f of document.querySelectorAll("iframe, frame, object, embed")) bad.push(f.outerHTML.slice(0, 80));
  return bad;
}"""


@pytest.fixture(scope="module")
def sync_playwright():
    return playwright_or_skip()


@pytest.fixture(scope="module")
def served(hostile_site: BuiltSite) -> Iterator[str]:
    with serve_folder(hostile_site.site) as url:
        yield url


class Watch:
    """Calls of the watched function, dialogs, and links or frames with a bad scheme."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.dialogs: list[str] = []
        self.bad: list[tuple[str, list[str]]] = []
        self.outside: list[str] = []  # requests for anything but the served site (they fail: launch_chromium)


@pytest.fixture(scope="module")
def browser_context(sync_playwright, served: str) -> Iterator[tuple[object, Watch]]:
    watch = Watch()
    with sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(service_workers="block")
        # Every frame of every page gets the watched function (before any page script runs).
        context.expose_binding("__pwned", lambda source, pid=None: watch.calls.append((str(pid), source["frame"].url)))
        context.add_init_script("window.alert = window.confirm = window.prompt = (m) => window.__pwned('dialog:' + m);")
        context.on("request", lambda r: None if r.url.startswith(served) else watch.outside.append(r.url))
        try:
            yield context, watch
        finally:
            context.close()
            browser.close()


def _on_dialog(watch: Watch, dialog) -> None:  # noqa: ANN001
    watch.dialogs.append(dialog.message)
    dialog.dismiss()


def test_the_watch_catches_a_payload_that_runs(browser_context) -> None:
    context, watch = browser_context
    page = context.new_page()
    before = len(watch.calls)
    page.set_content(
        "<p id=x onmouseover=\"__pwned('control-1')\">x</p><img src=nope onerror=\"__pwned('control-2')\">"
    )
    page.wait_for_function("document.images[0].complete")
    page.evaluate(PROVOKE)
    page.wait_for_function("true")
    assert {pid for pid, _ in watch.calls[before:]} >= {"control-1", "control-2"}
    del watch.calls[before:]
    page.close()


def test_the_browser_reaches_nothing_off_this_machine(browser_context, served: str) -> None:
    """A payload that slipped through could not send anything out: only the served site answers."""
    context, watch = browser_context
    page = context.new_page()
    page.goto(served, wait_until="load")
    outside = ["http://example.com/", "http://203.0.113.7/beacon", "https://1.1.1.1/"]
    answered = page.evaluate(
        """async (urls) => {
            const out = {};
            for (const url of urls) {
                try { await fetch(url, {mode: "no-cors", cache: "no-store"}); out[url] = "answered"; }
                catch (e) { out[url] = "failed"; }
            }
            return out;
        }""",
        [*outside, served],
    )
    assert answered == {**dict.fromkeys(outside, "failed"), served: "answered"}
    assert watch.outside == outside
    del watch.outside[:]
    page.close()


def test_no_payload_runs_on_any_page(browser_context, served: str, hostile_site: BuiltSite) -> None:
    context, watch = browser_context
    page = context.new_page()
    page.on("dialog", functools.partial(_on_dialog, watch))
    urls = sorted(p.relative_to(hostile_site.site).as_posix() for p in hostile_site.site.rglob("*.html"))
    assert len(urls) > 3 * 50
    for rel in urls:
        page.goto(served + rel, wait_until="load")
        bad = page.evaluate(PROVOKE)
        if bad:
            watch.bad.append((rel, bad))
    # One more round trip, so calls queued by the last page's handlers have arrived.
    page.goto(served, wait_until="load")
    assert watch.calls == []
    assert watch.dialogs == []
    assert watch.bad == []
    assert watch.outside == []
    page.close()


def test_no_payload_runs_in_the_filtered_claims_index(browser_context, served: str, hostile_site: BuiltSite) -> None:
    """Every filter value's matches, page by page, built by the script from the filter data."""
    context, watch = browser_context
    page = context.new_page()
    page.on("dialog", functools.partial(_on_dialog, watch))
    filters = hostile_site.site / "claims" / "filters"
    # Every claim (all of them, by claim date), and one value of each filter.
    queries = [
        "?sort=claim-oldest",
        *(f"?{facet}={sorted((filters / facet).glob('*.json'))[0].stem}" for facet in ("verdict", "tag", "entity")),
    ]
    seen: set[str] = set()
    for query in queries:
        number, count = 1, 1
        while number <= count:
            # Each page of matches by its address (the events below may open the search overlay
            # over the page links), once the script says it shows that page: "Page 2 of 3."
            page.goto(served + "claims/" + query + (f"&page={number}" if number > 1 else ""), wait_until="load")
            page.wait_for_function(
                """(number) => {
                    const form = document.querySelector("form.fc-filter");
                    const status = document.querySelector(".fc-filter__status").textContent;
                    return !form.hasAttribute("aria-busy") && status !== ""
                        && (number === 1 || status.includes(`Page ${number} of `));
                }""",
                arg=number,
            )
            shown = re.search(r"Page \d+ of (\d+)\.", page.locator(".fc-filter__status").inner_text())
            count = int(shown.group(1)) if shown else 1
            seen.update(page.locator(".fc-filter__results .fc-claim-item__link").all_text_contents())
            bad = page.evaluate(PROVOKE)
            if bad:
                watch.bad.append((f"{query} page {number}", bad))
            number += 1
    page.goto(served, wait_until="load")
    for pid, payload in PAYLOADS.items():  # shown as the text it is
        assert f"Statement {pid}: {payload}".strip() in seen, pid
    assert watch.calls == []
    assert watch.dialogs == []
    assert watch.bad == []
    assert watch.outside == []
    page.close()


@pytest.mark.parametrize("query", ["pwned", "script", "onerror", "javascript", "Entity p0", "Source p1"])
def test_no_payload_runs_in_search_results(browser_context, served: str, query: str) -> None:
    context, watch = browser_context
    page = context.new_page()
    page.on("dialog", functools.partial(_on_dialog, watch))
    page.goto(served, wait_until="load")
    page.keyboard.press("/")
    page.locator(".md-search__input").press_sequentially(query, delay=5)
    page.locator(".md-search-result__item").first.wait_for(timeout=30_000)
    assert page.locator(".md-search-result__item").count() > 0
    for item in page.locator(".md-search-result__item").all()[:10]:
        item.hover()
    assert page.evaluate(PROVOKE) == []
    page.goto(served, wait_until="load")
    assert watch.calls == [] and watch.dialogs == []
    page.close()
