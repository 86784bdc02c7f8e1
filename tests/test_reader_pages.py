"""What readers get, checked on the built HTML of the basic fixture (no browser needed).

The browser tests (test_browser.py) drive the same pages in Chromium; these pin the markup that
makes them work without JavaScript: order of a claim page, filter links and controls, scorecard
charts that agree with their tables, no third-party requests, page weight.
"""

from __future__ import annotations

import json
import posixpath
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag
from conftest import BuiltSite

CLAIM = "claims/agency-counted-11000-soldiers/"
UPDATED_CLAIM = "claims/ruritania-has-42-tanks/"
CLAIM_HTML_BUDGET = 40_000  # bytes of a claim page's own HTML (issue 8)
CHROME_BUDGET = 28_000  # the same page without its article: theme, header, navigation, <head>


def article(page: BeautifulSoup) -> Tag:
    body = page.select_one("article.md-content__inner")
    assert body is not None
    return body


def resolve(from_url: str, href: str) -> str:
    path = posixpath.normpath(posixpath.join(from_url, urlsplit(href).path))
    return "" if path == "." else path.strip("/")


def position(root: Tag, element: Tag | None) -> int:
    assert element is not None
    return list(root.descendants).index(element)


def test_claim_page_puts_the_verdict_first_and_the_findings_before_the_analysis(basic_site: BuiltSite) -> None:
    body = article(basic_site.page(CLAIM))
    order = [
        body.select_one(sel)
        for sel in (
            ".fc-verdict .fc-badge",
            ".fc-verdict__definition",
            ".fc-claim-box",
            ".fc-summary",
            ".fc-analysis",
            ".fc-evidence",
        )
    ]
    positions = [position(body, el) for el in order]
    assert positions == sorted(positions)
    definition = body.select_one(".fc-verdict__definition")
    assert "nothing significant is missing" in definition.get_text()
    assert resolve(CLAIM, definition.select_one("a")["href"]) == "verdicts"
    # The badge says its verdict in words and carries its definition as a tooltip.
    badge = body.select_one(".fc-verdict .fc-badge")
    assert badge.select_one(".fc-badge__label").get_text() == "True"
    assert badge["title"] == "The statement is accurate and nothing significant is missing."


def test_corrections_are_announced_at_the_top_of_a_claim_page(basic_site: BuiltSite) -> None:
    body = article(basic_site.page(UPDATED_CLAIM))
    note = body.select_one(".fc-updated-note")
    assert position(body, note) < position(body, body.select_one(".fc-claim-box"))
    text = " ".join(note.get_text().split())
    assert text.startswith("Updated 28 October 2024: Reserves added; rating changed. (previously rated True)")
    assert note.select_one("a")["href"] == "#updates-and-corrections"
    assert body.select_one("#updates-and-corrections") is not None
    # A claim without updates has no note.
    assert article(basic_site.page(CLAIM)).select_one(".fc-updated-note") is None


def test_claims_index_filters_are_plain_links_without_javascript(basic_site: BuiltSite) -> None:
    body = article(basic_site.page("claims/"))
    links = body.select("nav.fc-filter-links a")
    targets = {resolve("claims/", a["href"]) for a in links}
    assert {
        "verdicts/true",
        "verdicts/misleading",
        "tags/figures",
        "tags/soldiers",
        "entities/alice-example",
        "entities/ruritania",
        "entities/example-agency",
    } <= targets
    # Ratings nobody has yet are not offered as dead ends.
    assert "verdicts/false" not in targets
    for target in targets:
        assert basic_site.exists(target), target
    # Each link's count is the number of claims on the page it leads to.
    for a in links:
        count = int(a.get_text().rsplit("(", 1)[1].rstrip(")"))
        target = article(basic_site.page(resolve("claims/", a["href"]) + "/"))
        listed = target.select_one(".fc-claim-list").select(".fc-claim-item")  # not "also mentioned in"
        assert len(listed) == count, a.get_text()


def test_claims_index_filter_form_matches_the_rows(basic_site: BuiltSite) -> None:
    body = article(basic_site.page("claims/"))
    form = body.select_one("form.fc-filter")
    # Laid out from the first paint (the script moves nothing); hidden without JavaScript by <noscript>.
    assert not form.has_attr("hidden")
    assert "fc-filter-links--shown" not in body.select_one("nav.fc-filter-links")["class"]
    assert form.select_one(".fc-filter__status").get_text() == "Showing all 2 fact-checks."
    noscript = basic_site.page("claims/").head.select_one("noscript style").get_text()
    assert ".fc-filter { display: none !important; }" in noscript and ".fc-filter-links { display: block" in noscript
    rows = body.select(".fc-claim-list .fc-claim-item")
    assert len(rows) == 2
    # The script makes each select's options from the links (the filters without JavaScript).
    # Each is a filter the script can run: its data file (factcheck/publish/filters.py) holds as many
    # claims as the link's label says, and there is no data file without its link.
    for name in ("verdict", "entity", "tag"):
        assert [o["value"] for o in form.select(f'select[name="{name}"] option')] == [""], name
        group = body.select_one(f'nav.fc-filter-links [data-filter="{name}"]')
        options = {a["data-value"]: a.get_text() for a in group.select("a[data-value]")}
        assert options, name
        files = {p.stem for p in (basic_site.site / "claims/filters" / name).glob("*.json")}
        assert set(options) == files, name
        for value, label in options.items():
            data = json.loads((basic_site.site / "claims/filters" / name / f"{value}.json").read_text("utf-8"))
            assert label.endswith(f"({data['count']})"), (name, value, label)
    sorts = [o["value"] for o in form.select('select[name="sort"] option')]
    assert sorts == ["newest", "oldest", "claim-newest", "claim-oldest"]
    # Every control has a visible label.
    for select in form.select("select"):
        assert select.find_parent("label") is not None
    assert form.select_one('[role="status"]') is not None


def chart(body: Tag, chart_id: str) -> dict[str, int]:
    svg = body.select_one(f'svg[aria-labelledby="{chart_id}-title"]')
    assert svg is not None and svg["role"] == "img"
    assert svg.select_one(f"title#{chart_id}-title") is not None
    return {g["data-verdict"]: int(g.select_one(".fc-chart__count").get_text()) for g in svg.select(".fc-chart__row")}


def test_entity_scorecard_chart_agrees_with_its_table(basic_site: BuiltSite) -> None:
    body = article(basic_site.page("entities/alice-example/"))
    made = chart(body, "fc-chart-claimant")
    table = {
        row["data-verdict"]: int(row.select_one('[data-role="claimant"]').get_text())
        for row in body.select(".fc-scorecard tbody tr")
    }
    assert made == table
    assert made["true"] == 1 and made["misleading"] == 1
    title = body.select_one("#fc-chart-claimant-title").get_text()
    assert title == "Ratings of claims made by Alice Example: 2 fact-checks (1 True, 1 Misleading)."
    # Each bar is labelled in words, not by colour alone.
    labels = [t.get_text() for t in body.select("#fc-chart-claimant-title ~ g .fc-chart__label")]
    assert "✔ True" in labels and "⚠ Misleading" in labels
    # No claims about her, so no chart of them; Bob's only claim is a draft: no chart at all.
    assert body.select_one("#fc-chart-subject-title") is None
    assert article(basic_site.page("entities/bob-quiet/")).select_one(".fc-chart") is None
    # Ruritania made no claim: the claims about it are listed, never charted as its record.
    assert article(basic_site.page("entities/ruritania/")).select_one(".fc-chart") is None


def test_source_page_has_a_scorecard(basic_site: BuiltSite) -> None:
    body = article(basic_site.page("sources/fixture-article/"))
    counts = chart(body, "fc-chart-source")
    assert counts["true"] == 1 and counts["misleading"] == 1 and sum(counts.values()) == 2


def test_pages_request_nothing_from_third_parties(basic_site: BuiltSite) -> None:
    pages = sorted(basic_site.site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        loaded = [el.get("src") for el in page.select("script[src], img[src], iframe[src], source[src], video[src]")]
        loaded += [
            el.get("href")
            for el in page.select("link[href]")
            if set(el.get("rel", [])) & {"stylesheet", "icon", "preload", "preconnect", "dns-prefetch", "modulepreload"}
        ]
        for url in loaded:
            assert not urlsplit(url).netloc and not url.startswith("//"), (path, url)
        # Material's repository widget calls the GitHub API from every page; ours is a plain link.
        assert page.select_one('[data-md-component="source"]') is None, path
    home = basic_site.page("")
    repo = home.select_one("a.md-source")
    assert repo["href"] == "https://github.com/factcheck-microsite/factcheck"
    assert "fonts.googleapis" not in (basic_site.site / "index.html").read_text(encoding="utf-8")


def test_claim_page_weight_is_within_budget(basic_site: BuiltSite) -> None:
    path = basic_site.site / CLAIM / "index.html"
    html = path.read_bytes()
    assert len(html) < CLAIM_HTML_BUDGET
    body = str(article(basic_site.page(CLAIM))).encode()
    assert len(html) - len(body) < CHROME_BUDGET


def test_script_and_print_styles_are_published(basic_site: BuiltSite) -> None:
    page = basic_site.page("claims/")
    scripts = [s["src"] for s in page.select("script[src]") if "factcheck" in s["src"]]
    assert len(scripts) == 1 and page.select_one(f'script[src="{scripts[0]}"]').has_attr("defer")
    assert (basic_site.site / "assets/factcheck/factcheck.js").is_file()
    css = (basic_site.site / "assets/factcheck/factcheck.css").read_text(encoding="utf-8")
    assert "@media print" in css


def test_no_script_holds_up_the_first_paint(basic_site: BuiltSite) -> None:
    """Every script with a src is deferred or a module, the theme's bundle too (overrides/main.html)."""
    for url_path in ("", "claims/", "claims/ruritania-has-42-tanks/", "methodology/"):
        scripts = basic_site.page(url_path).select("script[src]")
        assert any("assets/javascripts/bundle." in s["src"] for s in scripts), url_path
        blocking = [s["src"] for s in scripts if not s.has_attr("defer") and s.get("type") != "module"]
        assert blocking == [], (url_path, blocking)


def test_styles_and_scripts_are_shipped_minified_and_still_parse(basic_site: BuiltSite) -> None:
    """The site gets factcheck/static/ without comments and needless whitespace; the sources keep theirs."""
    import gzip
    import shutil
    import subprocess

    from factcheck.pipeline import ASSETS
    from factcheck.publish.assets import minify

    saved = {}
    for path, source in ASSETS.items():
        text = source.read_text(encoding="utf-8")
        shipped = (basic_site.site / path).read_text(encoding="utf-8")
        assert shipped == minify(text, source.suffix), path
        assert "/*" not in shipped and "\n  " not in shipped, path
        saved[path] = 1 - len(gzip.compress(shipped.encode())) / len(gzip.compress(text.encode()))
        assert saved[path] > 0.15, (path, saved[path])  # at least 15 % less to download, compressed
    css = (basic_site.site / "assets/factcheck/factcheck.css").read_text(encoding="utf-8")
    assert "@media print" in css and ".fc-visually-hidden{" in css
    node = shutil.which("node")
    if node:  # JavaScript's own parser reads every minified script (the browser tests run them)
        for path in ASSETS:
            if path.endswith(".js"):
                module = ["--input-type=module"] if path.endswith("search/search.js") else []
                result = subprocess.run(
                    [node, *module, "--check"],
                    input=(basic_site.site / path).read_text(),
                    capture_output=True,
                    text=True,
                    timeout=60,
                )
                assert result.returncode == 0, (path, result.stderr)
