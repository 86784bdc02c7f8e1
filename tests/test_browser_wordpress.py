"""The embed inside WordPress: framed as WordPress frames an oEmbed from another site, in Chromium.

WordPress (wp-includes/embed.php, `wp_filter_oembed_result`) keeps only the <iframe> of a
provider's oEmbed html with a few attributes, adds `sandbox="allow-scripts"`, puts a secret in
the address's hash (`#?secret=...`) and in `data-secret`; its host script (wp-embed.js) resizes
the frame and navigates the page when the framed page posts `{message, value, secret}`. Both
are re-created here after WordPress's code: the sandbox blocks the card's link, so it works only
through the protocol. The site and the host page are served by Playwright's routing from their
own origins (the site's real address, from the fixture's site_url), nothing leaves the machine.
"""

from __future__ import annotations

import json
import mimetypes
import re
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import BuiltSite
from test_browser import browser  # noqa: F401 - fixture

SITE_URL = "https://factcheck-microsite.github.io/factcheck/"  # the fixtures' site_url
HOST_URL = "https://wordpress.example/2024/10/a-post/"
CLAIM = "claims/ruritania-has-42-tanks/"
SECRET = "k3Jd9QmZp2"  # wp_generate_password(10, false): ten letters and digits

# The attributes WordPress keeps on a provider's iframe (wp_filter_oembed_result's kses list).
KEPT = ("src", "width", "height", "frameborder", "marginwidth", "marginheight", "scrolling", "title", "class")

# The host page's script: what wp-embed.js does with the framed page's messages.
HOST_SCRIPT = """
window.received = [];
window.addEventListener("message", function (event) {
  var data = event.data;
  if (!data || !(data.secret || data.message || data.value)) return;
  if (/[^a-zA-Z0-9]/.test(data.secret)) return;
  window.received.push(data);
  document.querySelectorAll('iframe[data-secret="' + data.secret + '"]').forEach(function (frame) {
    if (event.source !== frame.contentWindow) return;
    frame.removeAttribute("style");
    if (data.message === "height") {
      frame.height = Math.min(1000, Math.max(200, parseInt(data.value, 10) || 0));
    }
    if (data.message === "link") {
      var source = new URL(frame.getAttribute("src"), location.href);
      var target = new URL(data.value, location.href);
      if (target.host === source.host && document.activeElement === frame) window.top.location.href = data.value;
    }
  });
});
"""


def wordpress_iframe(oembed_html: str, secret: str = SECRET) -> str:
    """The provider's html as WordPress puts it in a post: the iframe alone, sandboxed, with the secret."""
    frame = BeautifulSoup(oembed_html, "html.parser").iframe
    frame.attrs = {name: value for name, value in frame.attrs.items() if name in KEPT}
    frame.attrs.update(sandbox="allow-scripts", security="restricted")
    frame["src"] += f"#?secret={secret}"
    frame["data-secret"] = secret
    return str(frame)


def host_page(iframe: str) -> str:
    return (
        # The embed block's wrapper and its one rule (wp-includes/blocks/embed): the frame fits the column.
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A WordPress post</title>'
        "<style>.wp-block-embed { margin: 0 0 1em; } .wp-block-embed iframe { max-width: 100%; }</style></head>"
        f'<body><main id="post" style="width: 600px"><p>A post that embeds a fact-check.</p>'
        f'<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">{iframe}</div></figure>'
        f"<p>The end of the post.</p></main><script>{HOST_SCRIPT}</script></body></html>"
    )


@pytest.fixture
def wordpress(browser, basic_site: BuiltSite):  # noqa: F811
    """Open a page at HOST_URL showing the given html; the site answers at its real address."""
    opened = []

    def open_host(html: str):
        context = browser.new_context(viewport={"width": 800, "height": 900}, service_workers="block")
        errors: list[str] = []
        outside: list[str] = []

        def route(route) -> None:
            url = route.request.url.split("#")[0]
            if url == HOST_URL:
                route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
            elif url.startswith(SITE_URL):
                path = basic_site.site / unquote(urlsplit(url).path[len(urlsplit(SITE_URL).path) :])
                path = path / "index.html" if url.endswith("/") else path
                if path.is_file():
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    route.fulfill(status=200, content_type=kind, body=path.read_bytes())
                else:
                    errors.append(f"404: {url}")
                    route.fulfill(status=404, body="")
            else:
                outside.append(url)
                route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
        page.on("popup", lambda p: errors.append(f"popup: {p.url}"))
        page.goto(HOST_URL)
        opened.append(context)
        return page, errors, outside

    yield open_host
    for context in opened:
        context.close()


def oembed_html(basic_site: BuiltSite) -> str:
    return json.loads((basic_site.site / CLAIM / "oembed.json").read_text(encoding="utf-8"))["html"]


def frame_height(page) -> int:
    return int(page.locator("iframe").get_attribute("height"))


def card_height(page) -> int:
    frame = page.frame_locator("iframe")
    return round(frame.locator("main").evaluate("m => Math.ceil(m.getBoundingClientRect().height)"))


def test_in_wordpress_the_frame_takes_the_cards_height_and_follows_it(wordpress, basic_site: BuiltSite) -> None:
    page, errors, outside = wordpress(host_page(wordpress_iframe(oembed_html(basic_site))))
    frame = page.frame_locator("iframe")
    frame.locator("blockquote").wait_for()
    assert frame.locator("blockquote").inner_text().strip() == "“Ruritania has 42 tanks”"
    page.wait_for_function("() => window.received.some((d) => d.message === 'height')")
    height = card_height(page)
    page.wait_for_function(f"() => document.querySelector('iframe').height == {max(200, height)}")
    assert 200 <= height < 550  # the card's own height, not the embed code's guess
    # The post's column narrows (a phone, a sidebar): the card wraps taller, and the frame follows.
    page.evaluate("document.getElementById('post').style.width = '300px'")
    page.wait_for_function(f"() => document.querySelector('iframe').height > {max(200, height)}")
    taller = card_height(page)
    assert taller > height
    page.wait_for_function(f"() => document.querySelector('iframe').height == {taller}")
    # The whole card is in the frame: nothing to scroll to reach the link.
    assert frame.locator("html").evaluate("h => h.scrollHeight <= h.clientHeight")
    assert all(d["secret"] == SECRET for d in page.evaluate("window.received"))
    assert errors == [] and outside == []


def test_in_wordpress_clicking_the_link_opens_the_fact_check(wordpress, basic_site: BuiltSite) -> None:
    page, errors, outside = wordpress(host_page(wordpress_iframe(oembed_html(basic_site))))
    frame = page.frame_locator("iframe")
    link = frame.get_by_role("link")
    assert link.inner_text().strip() == "Read the fact-check"  # no "(opens in a new tab)": it opens here
    with page.expect_navigation(url=SITE_URL + CLAIM):
        link.click()
    assert page.url == SITE_URL + CLAIM
    assert " ".join(page.locator("article h1").inner_text().split()) == "Ruritania has 42 tanks"
    assert errors == [] and outside == []


def test_in_wordpress_the_link_works_by_keyboard(wordpress, basic_site: BuiltSite) -> None:
    page, errors, outside = wordpress(host_page(wordpress_iframe(oembed_html(basic_site))))
    frame = page.frame_locator("iframe")
    frame.get_by_role("link").focus()
    with page.expect_navigation(url=SITE_URL + CLAIM):
        page.keyboard.press("Enter")
    assert errors == [] and outside == []


def test_framed_without_a_secret_the_card_posts_nothing_and_keeps_its_new_tab_link(
    wordpress, basic_site: BuiltSite
) -> None:
    """The embed code's own frame (no scripts) and a host that speaks no protocol: the link is as written."""
    iframe = re.sub(r"#\?secret=\w+", "", wordpress_iframe(oembed_html(basic_site)))
    page, errors, outside = wordpress(host_page(iframe))
    frame = page.frame_locator("iframe")
    frame.locator("blockquote").wait_for()
    link = frame.get_by_role("link")
    assert link.get_attribute("target") == "_blank"
    assert "(opens in a new tab)" in link.inner_text()
    assert page.evaluate("window.received") == []
    assert errors == [] and outside == []


def test_the_embed_pages_one_script_is_allowed_by_its_hash_and_nothing_else(basic_site: BuiltSite) -> None:
    import base64
    import hashlib

    page = BeautifulSoup((basic_site.site / CLAIM / "embed" / "index.html").read_text(encoding="utf-8"), "html.parser")
    (script,) = page.find_all("script")
    assert not script.get("src")
    digest = base64.b64encode(hashlib.sha256(script.string.encode("utf-8")).digest()).decode()
    policy = page.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
    assert f"script-src 'sha256-{digest}';" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert policy.startswith("default-src 'none';")
    assert len(script.string) < 1000  # the smallest script that does it
