"""The preview in a real browser: an open page reloads itself when a save has been taken in.

The page holds a request to the server (`/.factcheck-preview/state?wait=N`) that the server
answers when a build or update ends; it does not poll on a timer. Nothing here measures time.
"""

from __future__ import annotations

from pathlib import Path

from conftest import launch_chromium, make_project, playwright_or_skip
from test_serve import LIMIT, edit, serving


def test_an_open_page_reloads_when_its_held_request_is_answered_not_on_a_timer(tmp_path: Path) -> None:
    sync_playwright = playwright_or_skip()
    project = make_project(tmp_path / "project")
    claim = project / "claims" / "ruritania-has-42-tanks.yaml"
    with serving(project) as server, sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page()
            seen: list[tuple[str, str]] = []  # what the page did, in order
            page.on("request", lambda r: seen.append(("request", r.url)))
            page.on("framenavigated", lambda f: seen.append(("navigated", f.url)) if f == page.main_frame else None)
            with page.expect_request(lambda r: "/.factcheck-preview/state?wait=" in r.url, timeout=LIMIT * 1000):
                page.goto(server.url + "claims/ruritania-has-42-tanks/")
            assert page.locator("h1").inner_text() == "Ruritania has 42 tanks"
            seen.append(("save", ""))
            edit(claim, "statement: Ruritania has 42 tanks", "statement: Ruritania has 43 tanks")
            page.wait_for_function(
                "() => document.querySelector('h1') && document.querySelector('h1').textContent.includes('43')",
                timeout=LIMIT * 1000,
            )
            after = seen[seen.index(("save", "")) + 1 :]
            reload = next(i for i, (kind, _) in enumerate(after) if kind == "navigated")
            asked = [url for kind, url in after[:reload] if kind == "request" and "/.factcheck-preview/" in url]
            assert asked == [], f"the page asked again before it reloaded (a timer, not the held request): {asked}"
            held = [url for kind, url in seen[: seen.index(("save", ""))] if "/.factcheck-preview/" in url]
            assert held and all("state?wait=" in url for url in held), held
        finally:
            browser.close()
