"""A real strict build of the basic fixture, checked by parsing the HTML and following links."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import BuiltSite, build, follow_links, make_project

from factcheck.model.loader import load_site
from factcheck.render.pages import make_environment
from factcheck.resources import TEMPLATES_DIR
from factcheck.settings import DEFAULT_SCALE, load_settings

CLAIMS = ["agency-counted-11000-soldiers", "ruritania-has-42-tanks"]
ENTITIES = ["alice-example", "bob-quiet", "example-agency", "ruritania"]


def article(page: BeautifulSoup) -> BeautifulSoup:
    return page.select_one("article.md-content__inner")


def resolve(from_url: str, href: str) -> str:
    """Resolve a relative href against a page URL path like 'claims/x/' to a site path."""
    path = posixpath.normpath(posixpath.join(from_url, urlsplit(href).path))
    return "" if path == "." else path.strip("/")


def test_every_page_type_is_built(basic_site: BuiltSite) -> None:
    for url in [
        "",
        "claims",
        "entities",
        "sources",
        "verdicts",
        "tags",
        "methodology",
        "about",
        *(f"claims/{c}" for c in CLAIMS),
        *(f"entities/{e}" for e in ENTITIES),
        "sources/fixture-article",
        "verdicts/true",
        "verdicts/unproven",
        "tags/figures",
    ]:
        assert basic_site.exists(url), url


def test_claim_page_has_badge_claim_box_and_sections(basic_site: BuiltSite) -> None:
    page = basic_site.page("claims/agency-counted-11000-soldiers/")
    body = article(page)
    assert page.title.get_text().startswith("The agency counted 11,000 soldiers")
    badge = body.select_one(".fc-verdict .fc-badge")
    assert badge.select_one(".fc-badge__label").get_text() == "True"
    assert badge.select_one(".fc-badge__icon")["aria-hidden"] == "true"
    box = body.select_one(".fc-claim-box")
    assert box.select_one(".fc-claim-box__statement").get_text(strip=True) == "The agency counted 11,000 soldiers"
    claimant = box.select_one(".fc-claim-box__meta a")
    assert claimant.get_text() == "Alice Example"
    assert resolve("claims/agency-counted-11000-soldiers/", claimant["href"]) == "entities/alice-example"
    assert box.select_one("time")["datetime"] == "2024-10-18"
    assert box.select_one(".fc-claim-box__quote").get_text(strip=True) == "“the agency counted 11,000 soldiers”"
    headings = [h.get_text(strip=True).rstrip("¶") for h in body.select("h2")]
    assert headings == ["What we found", "Analysis", "Evidence", "Who and what this is about", "Share this fact-check"]
    stances = [li.select_one(".fc-stance").get_text() for li in body.select(".fc-evidence__item")]
    assert stances == ["Supports", "Contradicts"]
    links = [a["href"] for a in body.select(".fc-evidence__item > a")]
    assert links == ["https://example.org/briefing", "https://example.org/denial"]
    assert [a.get_text() for a in body.select(".fc-tags a")] == ["soldiers", "figures"]
    assert "By Test Author" in body.select_one(".fc-provenance").get_text()


def test_corrections_are_shown_with_the_previous_verdict(basic_site: BuiltSite) -> None:
    body = article(basic_site.page("claims/ruritania-has-42-tanks/"))
    assert body.select_one(".fc-updated-note") is not None
    update = body.select_one(".fc-updates .fc-update")
    assert "Reserves added; rating changed." in update.get_text()
    labels = [b.get_text(strip=True) for b in update.select(".fc-badge__label")]
    assert labels == ["True", "Misleading"]


def test_first_mentions_of_names_and_aliases_link_to_entity_pages(basic_site: BuiltSite) -> None:
    body = article(basic_site.page("claims/agency-counted-11000-soldiers/"))
    here = "claims/agency-counted-11000-soldiers/"
    summary_links = [(a.get_text(), resolve(here, a["href"])) for a in body.select(".fc-summary a.fc-entity-link")]
    analysis_links = [(a.get_text(), resolve(here, a["href"])) for a in body.select(".fc-analysis a.fc-entity-link")]
    assert summary_links == [("Example Agency", "entities/example-agency")]
    # "Alice" is an alias; "EXA" is not linked again because its entity was linked in the summary.
    assert analysis_links == [("Alice", "entities/alice-example"), ("Ruritania", "entities/ruritania")]
    assert "EXA confirmed" in body.select_one(".fc-analysis").get_text()


def test_claims_and_entities_link_to_each_other(basic_site: BuiltSite) -> None:
    pairs = 0
    for claim in CLAIMS:
        here = f"claims/{claim}/"
        body = article(basic_site.page(here))
        targets = {resolve(here, a["href"]) for a in body.select("a[href]") if "entities/" in a["href"]}
        assert targets, claim
        for target in targets:
            entity_url = target + "/"
            back = article(basic_site.page(entity_url))
            claim_links = {resolve(entity_url, a["href"]) for a in back.select(".fc-claim-list a")}
            assert f"claims/{claim}" in claim_links, (claim, target)
            pairs += 1
    assert pairs >= 5


def scorecard(site: BuiltSite, entity: str) -> dict[str, int] | None:
    """An entity page's scorecard by verdict, or None when the page shows no tally."""
    body = article(site.page(f"entities/{entity}/"))
    assert not body.select('[data-role="subject"]')  # claims about it are never tallied
    rows = body.select(".fc-scorecard tbody tr")
    return {row["data-verdict"]: int(row.select_one('[data-role="claimant"]').get_text()) for row in rows} or None


def test_scorecards_count_only_the_claims_an_entity_made(basic_site: BuiltSite) -> None:
    alice = scorecard(basic_site, "alice-example")
    assert alice is not None and alice["true"] == 1 and alice["misleading"] == 1 and alice["false"] == 0
    # Named in one statement (a subject) and only in the analysis of the other (a mention): it
    # made no claim, so its page lists those claims with their verdicts and tallies none.
    assert scorecard(basic_site, "ruritania") is None
    body = article(basic_site.page("entities/ruritania/"))
    assert body.select_one(".fc-chart") is None
    assert "no record to show" in body.select_one(".fc-scorecard__none").get_text()
    assert [li["data-verdict"] for li in body.select(".fc-entity__claims .fc-claim-item")] == ["misleading"]
    mentions = body.select(".fc-entity__mentions a")
    assert [a.get_text() for a in mentions] == ["The agency counted 11,000 soldiers"]
    assert scorecard(basic_site, "example-agency") is None
    assert scorecard(basic_site, "bob-quiet") is None  # his only claim is a draft


def test_entity_page_details(basic_site: BuiltSite) -> None:
    body = article(basic_site.page("entities/alice-example/"))
    assert body.select_one(".fc-entity__type").get_text() == "Person"  # one person: the singular
    assert body.select_one(".fc-entity__description").get_text() == "A spokesperson used in fixtures."
    assert body.select_one(".fc-entity__wikidata a")["href"] == "https://www.wikidata.org/wiki/Q42"
    related = [a.get_text() for a in body.select(".fc-related a")]
    assert related == ["Example Agency"]
    # Relations go both ways.
    assert [a.get_text() for a in article(basic_site.page("entities/example-agency/")).select(".fc-related a")] == [
        "Alice Example"
    ]


def test_source_page_lists_claims_in_source_order(basic_site: BuiltSite) -> None:
    body = article(basic_site.page("sources/fixture-article/"))
    statements = [a.get_text() for a in body.select(".fc-source__claims a")]
    assert statements == ["The agency counted 11,000 soldiers", "Ruritania has 42 tanks"]
    assert "Fixture Times" in body.select_one(".fc-source").get_text()


def test_indexes_and_home(basic_site: BuiltSite) -> None:
    index = article(basic_site.page("claims/"))
    assert [a.get_text() for a in index.select(".fc-claim-list a")] == [
        "Ruritania has 42 tanks",
        "The agency counted 11,000 soldiers",
    ]
    home = article(basic_site.page(""))
    assert [a.get_text() for a in home.select(".fc-claim-list a")] == [
        "Ruritania has 42 tanks",
        "The agency counted 11,000 soldiers",
    ]
    counts = {li["data-verdict"]: li.select_one("a").get_text() for li in home.select(".fc-distribution li")}
    assert counts == {
        "true": "1",
        "mostly-true": "0",
        "needs-context": "0",
        "misleading": "1",
        "false": "0",
        "unproven": "0",
    }
    verdict = article(basic_site.page("verdicts/misleading/"))
    assert [a.get_text() for a in verdict.select(".fc-claim-list a")] == ["Ruritania has 42 tanks"]
    tag = article(basic_site.page("tags/soldiers/"))
    assert [a.get_text() for a in tag.select(".fc-claim-list a")] == ["The agency counted 11,000 soldiers"]
    groups = [h.get_text(strip=True).rstrip("¶") for h in article(basic_site.page("entities/")).select("h2")]
    assert groups == ["Countries", "Government agencies", "People"]


def test_drafts_are_not_published(basic_site: BuiltSite) -> None:
    assert not basic_site.exists("claims/the-sky-is-green")
    all_text = "".join(p.read_text(encoding="utf-8") for p in basic_site.site.rglob("*.html"))
    assert "The sky is green" not in all_text
    assert "the-sky-is-green" not in (basic_site.site / "sitemap.xml").read_text()


def test_drafts_appear_in_previews_with_a_banner(tmp_path: Path) -> None:
    preview = build(make_project(tmp_path / "p"), "--drafts")
    body = article(preview.page("claims/the-sky-is-green/"))
    assert "Draft" in body.select_one(".fc-draft-banner").get_text()


def test_navigation_stays_short(basic_site: BuiltSite) -> None:
    page = basic_site.page("claims/agency-counted-11000-soldiers/")
    nav_links = [a.get("href") for a in page.select("nav.md-nav--primary a.md-nav__link[href]")]
    assert not any("claims/agency" in href or "entities/alice" in href for href in nav_links)
    assert len(nav_links) < 15


def test_every_internal_link_and_anchor_resolves(basic_site: BuiltSite) -> None:
    checked, broken = follow_links(basic_site.site)
    assert broken == []
    assert checked > 100


def test_every_template_is_autoescaped() -> None:
    env = make_environment(TEMPLATES_DIR)
    names = env.list_templates()
    assert "claim.html.j2" in names and "_macros.html.j2" in names
    for name in names:
        escaping = env.autoescape(name) if callable(env.autoescape) else env.autoescape
        assert escaping is True, name
    probe = env.from_string("{{ value }}").render(value="<b>&</b>")
    assert probe == "&lt;b&gt;&amp;&lt;/b&gt;"


@pytest.fixture(scope="module")
def markup_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    project = make_project(tmp_path_factory.mktemp("markup"))
    path = project / "claims" / "agency-counted-11000-soldiers.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "statement: The agency counted 11,000 soldiers",
        'statement: "{{ 7*7 }} {% raw %} <b>bold</b> *star* [x](javascript:alert(1))"',
    )
    text = text.replace(
        "summary: Example Agency did publish that figure.",
        'summary: "`code` {{ 7*7 }} <i>it</i> [link](javascript:alert(1))"',
    )
    text = text.replace("    excerpt: About 11,000 soldiers.", '    excerpt: "<script>alert(1)</script> {{ 7*7 }}"')
    path.write_text(text, encoding="utf-8")
    return build(project)


def test_contributor_text_is_never_markup_or_template(markup_site: BuiltSite) -> None:
    page = markup_site.page("claims/agency-counted-11000-soldiers/")
    body = article(page)
    statement = body.select_one(".fc-claim-box__statement").get_text(strip=True)
    assert statement == "{{ 7*7 }} {% raw %} <b>bold</b> *star* [x](javascript:alert(1))"
    assert page.title.get_text().startswith("{{ 7*7 }} {% raw %} <b>bold</b>")
    assert body.select_one(".fc-claim-box b") is None and body.select_one(".fc-claim-box em") is None
    summary = body.select_one(".fc-summary")
    assert summary.select_one("i") is None and summary.select_one("code").get_text() == "code"
    assert "{{ 7*7 }}" in summary.get_text() and "<i>it</i>" in summary.get_text()
    assert not any(a["href"].lower().startswith("javascript") for a in page.select("a[href]"))
    excerpt = body.select_one(".fc-evidence__excerpt")
    assert excerpt.get_text(strip=True) == "<script>alert(1)</script> {{ 7*7 }}"
    # JSON-LD blocks are data, not code (their escaping is tested in test_publish.py).
    assert all("alert" not in (s.string or "") for s in page.select("script:not([type='application/ld+json'])"))


def test_names_inside_link_text_are_not_counted_as_mentions(project: Path) -> None:
    claim = project / "claims" / "agency-counted-11000-soldiers.yaml"
    text = claim.read_text(encoding="utf-8")
    text = text.replace(
        "Ruritania disputes it.",
        "As the [Ruritania Gazette](https://example.org/gazette) reported, Bob Quiet disputes it.",
    )
    claim.write_text(text, encoding="utf-8")
    site = load_site(load_settings(project / "mkdocs.yml"))
    (loaded,) = [c for c in site.claims if c.id == "agency-counted-11000-soldiers"]
    assert "ruritania" not in {e.id for e in loaded.also_mentioned}
    assert "bob-quiet" in {e.id for e in loaded.also_mentioned}


def test_a_name_broken_across_lines_is_still_a_mention(project: Path) -> None:
    claim = project / "claims" / "agency-counted-11000-soldiers.yaml"
    text = claim.read_text(encoding="utf-8")
    text = text.replace("Ruritania disputes it.", "Ruritania disputes it, and so does\n  Bob\n  Quiet.")
    claim.write_text(text, encoding="utf-8")
    site = load_site(load_settings(project / "mkdocs.yml"))
    (loaded,) = [c for c in site.claims if c.id == "agency-counted-11000-soldiers"]
    assert "bob-quiet" in {e.id for e in loaded.also_mentioned}


def test_an_entity_that_made_no_claim_has_no_verdict_tally_anywhere(basic_site: BuiltSite) -> None:
    """Fairness: an entity's record is only the claims it made: on its page, its share card and in the export."""
    export = json.loads((basic_site.site / "api" / "entities.json").read_text(encoding="utf-8"))
    labels = [verdict.label for verdict in DEFAULT_SCALE]
    checked = 0
    for entity in export["entities"]:
        page = basic_site.page(f"entities/{entity['id']}/")
        body = article(page)
        card_alt = page.select_one('meta[property="og:image:alt"]')["content"]
        assert set(entity["scorecard"]) == {"as_claimant"}
        if entity["claims_as_claimant"]:
            assert sum(entity["scorecard"]["as_claimant"].values()) == len(entity["claims_as_claimant"])
            assert "checked on" in card_alt
            continue
        checked += 1
        assert entity["scorecard"]["as_claimant"] == {}
        assert body.select_one(".fc-scorecard") is None and body.select_one(".fc-chart") is None
        assert body.select_one(".fc-scorecard__none") is not None
        assert "named in" in card_alt and not any(label in card_alt for label in labels)
    assert checked >= 2  # Ruritania and the agency are only named in claims


def test_a_claim_from_unnamed_sources_and_an_unverified_video(tmp_path: Path) -> None:
    """The reporter is the claimant, the unnamed sources are said; an unverified video gets no MediaReview."""
    project = make_project(tmp_path / "p")
    (project / "claims" / "outlet-says-unnamed-officials-counted.yaml").write_text(
        """statement: Unnamed officials counted 500 soldiers in a video
claimant: example-agency
unnamed_sources: "two officials <b>who asked</b> not to be named"
appearance:
  url: https://example.org/report
  title: A report
  publisher: Example Outlet
  date: 2024-10-01
claim_date: 2024-10-01
verdict: unproven
summary: Nobody could check it.
analysis: Only unnamed officials said so.
evidence:
  - {title: Report, publisher: Example Outlet, url: "https://example.org/report", date: 2024-10-01, stance: context}
authors: [Test Author]
published: 2024-10-20
media:
  type: video
  url: https://example.org/video
  authenticity: unverified
  publisher: A channel
""",
        encoding="utf-8",
    )
    site = build(project)
    page = site.page("claims/outlet-says-unnamed-officials-counted/")
    meta = article(page).select_one(".fc-claim-box__meta").get_text()
    assert (
        "Reported by Example Agency, citing unnamed sources (“two officials <b>who asked</b> not to be named”)" in meta
    )
    assert "Claimed by" not in meta
    alt = page.select_one('meta[property="og:image:alt"]')["content"]
    assert alt.endswith("reported by Example Agency citing unnamed sources")
    blocks = [json.loads(b.string) for b in page.select('script[type="application/ld+json"]')]
    assert [b["@type"] for b in blocks] == ["ClaimReview"]  # no MediaReview for what nobody verified
    assert "associatedMediaReview" not in blocks[0]
    exported = json.loads((site.site / "api" / "claims.json").read_text(encoding="utf-8"))
    record = next(c for c in exported["claims"] if c["id"] == "outlet-says-unnamed-officials-counted")
    assert record["claimant"]["unnamed_sources"] == "two officials <b>who asked</b> not to be named"
    assert record["media"]["authenticity"] == "unverified" and record["media"]["schema_org"] is None
