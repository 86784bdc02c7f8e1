"""Sharing in a real browser: the embed page, alone and framed, and the claim page's share controls.

The embed page is checked with axe-core at 300 px and wider, light and dark, with no request
leaving the site and no script but its inline one; then framed the way the embed code frames it
(tests/test_browser_wordpress.py frames it as WordPress does). On the claim
page, the keyboard reaches every share link and the copy button, which copies the address and
says so. Same Chromium, server and watch as tests/test_browser.py (skips the same way).
"""

from __future__ import annotations

import json

from conftest import BuiltSite
from test_browser import base_url, browser, load, open_page, serious_violations, shot, tabs  # noqa: F401 - fixtures

CLAIM = "claims/ruritania-has-42-tanks/"


def test_the_embed_page_is_accessible_small_and_self_contained(tabs, base_url: str) -> None:  # noqa: F811
    for width in (300, 550):
        for scheme in ("light", "dark"):
            page, watch = tabs(base_url, "phone", scheme)
            requests: list[str] = []

            def record(request, seen=requests) -> None:
                seen.append(request.url)

            page.on("request", record)
            try:
                page.set_viewport_size({"width": width, "height": 360})
                load(page, base_url + CLAIM + "embed/")
                assert serious_violations(page) == []
                shot(page, f"embed-{width}-{scheme}")
                assert requests == [base_url + CLAIM + "embed/"]  # the page itself, nothing else
                # Its one script, inline, speaks WordPress's embed protocol only when framed with a secret.
                assert page.evaluate("[...document.scripts].map(s => s.src)") == [""]
                size = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
                assert size[0] <= size[1], f"{size[0]} px wide at {width} px"
                assert page.locator(".verdict").inner_text().strip().endswith("Misleading")
                assert watch.errors == [] and watch.outside == []
            finally:
                page.remove_listener("request", record)


def test_the_embed_code_frames_the_card(browser, base_url: str, basic_site: BuiltSite) -> None:  # noqa: F811
    """The oEmbed html, put on a page of ours as another site would: the frame shows the card."""
    data = json.loads((basic_site.site / CLAIM / "oembed.json").read_text(encoding="utf-8"))
    local = data["html"].replace("https://factcheck-microsite.github.io/factcheck/", base_url)
    page, watch = open_page(browser, base_url)
    try:
        load(page, base_url)
        page.set_content(f"<!doctype html><html lang=en><title>host</title><main>{local}</main></html>")
        frame = page.frame_locator("iframe")
        assert frame.locator("blockquote").inner_text().strip() == "“Ruritania has 42 tanks”"
        box = page.locator("iframe").bounding_box()
        assert (round(box["width"]), round(box["height"])) == (data["width"], data["height"])
        # Everything fits in the frame: no scrolling needed to reach the link back.
        inner = frame.locator("main").bounding_box()
        assert inner["height"] <= data["height"] + 1
        assert watch.outside == []
    finally:
        page.context.close()


def test_share_controls_work_by_keyboard_and_the_copy_button_says_what_it_did(
    browser,  # noqa: F811
    base_url: str,  # noqa: F811
    basic_site: BuiltSite,
) -> None:
    page, watch = open_page(browser, base_url)
    try:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.split("/factcheck/")[0])
        load(page, base_url + CLAIM)
        button = page.locator('button[data-fc-copy="fc-share-url"]')
        assert button.is_visible()  # the script shows it
        page.locator("#share").scroll_into_view_if_needed()
        # Tab from the heading's permalink through the share links to the field and the button.
        page.locator("#share a.headerlink").focus()
        reached = []
        for _ in range(8):
            page.keyboard.press("Tab")
            reached.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
            if reached[-1] == "Copy link":
                break
        assert [r.split(" (")[0] for r in reached[:5]] == ["X", "Facebook", "WhatsApp", "Telegram", "Email"]
        assert reached[-2:] == ["fc-share-url", "Copy link"]
        page.keyboard.press("Enter")
        status = page.locator("#fc-share-url ~ .fc-copy__status")
        status.wait_for(state="visible")
        assert status.inner_text() == "Link copied"
        assert page.evaluate("navigator.clipboard.readText()") == (
            "https://factcheck-microsite.github.io/factcheck/" + CLAIM
        )
        # The embed code's button copies the code as text: the oEmbed document's iframe.
        page.locator("details.fc-embed summary").click()
        page.locator('button[data-fc-copy="fc-embed-frame"]').click()
        page.locator("#fc-embed-frame").locator("xpath=../..").locator(".fc-copy__status").wait_for(state="visible")
        oembed = json.loads((basic_site.site / CLAIM / "oembed.json").read_text(encoding="utf-8"))
        assert page.evaluate("navigator.clipboard.readText()") == oembed["html"]
        assert watch.errors == [] and watch.outside == []
    finally:
        page.context.close()


def test_the_share_section_with_its_embed_code_open_is_accessible(tabs, base_url: str) -> None:  # noqa: F811
    for viewport in ("desktop", "phone"):
        for scheme in ("light", "dark"):
            page, watch = tabs(base_url, viewport, scheme)
            load(page, base_url + CLAIM)
            page.locator("details.fc-embed summary").click()
            page.locator("#fc-embed-quote").wait_for(state="visible")
            # The script shows a copy button beside each piece of code, and it copies that code.
            assert page.locator('button[data-fc-copy="fc-embed-quote"]').is_visible()
            assert serious_violations(page) == []
            size = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert size[0] <= size[1], f"{size[0]} px wide on a {size[1]} px screen"
            page.locator("section.fc-sharing").screenshot(path=str(_artifact(f"share-{viewport}-{scheme}")))
            assert watch.errors == [] and watch.outside == []


def _artifact(name: str):
    from test_browser import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"


def test_the_theme_icons_are_drawn_from_the_shared_file(browser, base_url: str) -> None:  # noqa: F811
    """The header's icons (menu, search, scheme toggle, repository) and the edit button draw from icons.svg, coloured as text."""
    for scheme in ("light", "dark"):
        page, watch = open_page(browser, base_url, "desktop", scheme)
        try:
            requests: list[str] = []
            page.on("request", lambda r, seen=requests: seen.append(r.url))
            load(page, base_url + CLAIM)
            page.wait_for_load_state("networkidle")
            assert requests.count(base_url + "assets/factcheck/icons.svg") == 1  # once for every icon on the page
            drawn = page.evaluate(
                """() => [...document.querySelectorAll('svg > use')].filter(u => u.getClientRects().length)
                    .map(u => { const b = u.getBBox(), svg = u.ownerSVGElement;
                                return [b.width, b.height, getComputedStyle(svg).fill, getComputedStyle(svg.parentElement).color]; })"""
            )
            assert len(drawn) >= 4, drawn  # the visible ones at this width
            for width, height, fill, colour in drawn:
                assert width > 0 and height > 0  # the drawing was found in the shared file
                assert fill == colour  # fill: currentcolor, as when the drawing was inline
            assert watch.errors == [] and watch.outside == []
        finally:
            page.context.close()
