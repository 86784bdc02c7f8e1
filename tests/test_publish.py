"""Machine-readable output of a real build: JSON-LD, feeds, exports, corrections, head metadata, sitemap.

Everything is read back with the tools a consumer would use (extruct, feedparser, csv,
jsonschema, an XML parser) and compared with what the built HTML pages show.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import posixpath
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import extruct
import feedparser
import lxml.html
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import BuiltSite, build, make_project, run_build_py
from jsonschema import Draft202012Validator

from factcheck.settings import load_settings

LD_JSON = 'script[type="application/ld+json"]'


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build(make_project(tmp_path_factory.mktemp("publish"), "publish"))


@pytest.fixture(scope="module")
def settings(site: BuiltSite):
    return load_settings(site.project / "mkdocs.yml")


# -- helpers -----------------------------------------------------------------------------------


def text(el) -> str:
    return " ".join(el.get_text().split())


def html_of(site: BuiltSite, url_path: str) -> str:
    return (site.site / url_path.strip("/") / "index.html").read_text(encoding="utf-8")


def json_ld(site: BuiltSite, url_path: str) -> list[dict]:
    """Extract every JSON-LD item of a page with extruct, as a crawler would."""
    return extruct.extract(
        html_of(site, url_path), base_url="https://example.invalid/", syntaxes=["json-ld"], uniform=False
    )["json-ld"]


def of_type(items: list[dict], kind: str) -> list[dict]:
    return [item for item in items if item.get("@type") == kind]


def local(settings, url: str) -> str:
    """Map an absolute URL of the site to its site path ('' for the home page)."""
    assert url.startswith(settings.site_url), url
    return url[len(settings.site_url) :].strip("/")


def resolve(from_url: str, href: str) -> str:
    path = posixpath.normpath(posixpath.join(from_url, urlsplit(href).path))
    return "" if path == "." else path.strip("/")


def meta(page: BeautifulSoup, key: str) -> str | None:
    el = page.select_one(f'meta[property="{key}"], meta[name="{key}"]')
    return el["content"] if el else None


def feed_links(page: BeautifulSoup) -> list[str]:
    return [a["href"] for a in page.select('head link[rel~="alternate"][type="application/atom+xml"]')]


def read_feed(site: BuiltSite, path: str):
    parsed = feedparser.parse((site.site / path).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def claim_paths(site: BuiltSite) -> list[str]:
    """Claim pages in the order the claims index shows them (newest first)."""
    index = site.page("claims/")
    return [resolve("claims/", a["href"]) for a in index.select("article .fc-claim-list a")]


def page_dates(page: BeautifulSoup) -> tuple[str, str]:
    """(published, last changed) as the claim page's provenance line shows them."""
    times = [t["datetime"] for t in page.select(".fc-provenance time")]
    return times[0], times[-1]


def exported(site: BuiltSite, name: str) -> dict:
    return json.loads((site.site / "api" / name).read_text(encoding="utf-8"))


# -- ClaimReview -------------------------------------------------------------------------------


def test_fixture_has_the_claims_the_tests_need(site: BuiltSite) -> None:
    assert claim_paths(site) == [
        "claims/ruritania-has-42-tanks",
        "claims/agency-counted-11000-soldiers",
        "claims/bob-says-the-moon-is-near",
        "claims/video-shows-tanks",
    ]


def test_every_claim_page_has_one_claim_review_matching_the_page(site: BuiltSite, settings) -> None:
    scale = {v.key: v for v in settings.scale}
    for path in claim_paths(site):
        page = site.page(path + "/")
        items = json_ld(site, path)
        reviews = of_type(items, "ClaimReview")
        assert len(reviews) == 1, path
        assert len(page.select(LD_JSON)) == len(items)
        review = reviews[0]
        canonical = page.select_one('link[rel="canonical"]')["href"]
        assert review["url"] == canonical and local(settings, canonical) == path
        assert review["claimReviewed"] == text(page.select_one(".fc-claim-box__statement"))
        assert review["reviewBody"] == text(page.select_one(".fc-summary"))
        published, changed = page_dates(page)
        assert (review["datePublished"], review["dateModified"]) == (published, changed)
        assert review["author"] == {
            "@type": "NewsMediaOrganization",
            "name": settings.publisher_name,
            "url": settings.site_url,
        }
        assert review["inLanguage"] == page.select_one("html")["lang"]

        rating = review["reviewRating"]
        label = text(page.select_one(".fc-verdict .fc-badge__label"))
        verdict = scale[page.select_one(".fc-claim")["data-verdict"]]
        assert rating["alternateName"] == rating["name"] == label == verdict.label
        if verdict.rating is not None:
            assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (verdict.rating, 5, 1)

        claim = review["itemReviewed"]
        assert claim["@type"] == "Claim"
        box = page.select_one(".fc-claim-box")
        assert claim["datePublished"] == box.select_one("time")["datetime"]
        claimant_link = box.select_one(".fc-claim-box__meta a")
        assert claim["author"]["name"] == text(claimant_link)
        entity_path = resolve(path + "/", claimant_link["href"])
        entity_page = site.page(entity_path + "/")
        assert claim["author"]["url"] == entity_page.select_one('link[rel="canonical"]')["href"]
        wikidata = entity_page.select_one(".fc-entity__wikidata a")
        assert claim["author"].get("sameAs") == (wikidata["href"] if wikidata else None)
        assert claim["author"]["@type"] == (
            "Person" if text(entity_page.select_one(".fc-entity__type")) == "Person" else "Organization"
        )

        appearance = claim["appearance"]
        assert claim["firstAppearance"] == appearance
        where = box.select(".fc-claim-box__meta a")[1]
        if where["href"].startswith("http"):  # an outside page, linked directly
            assert appearance["url"] == where["href"] and appearance["headline"] == text(where)
        else:  # one of our source pages, which links to the original
            source = site.page(resolve(path + "/", where["href"]) + "/")
            assert appearance["url"] == source.select_one(".fc-source dd a")["href"]
            assert appearance["headline"] == text(where)
            assert appearance["publisher"]["name"] == text(source.select(".fc-source dd")[1])


def test_a_verdict_off_the_scale_has_its_label_and_no_number(site: BuiltSite) -> None:
    rating = of_type(json_ld(site, "claims/video-shows-tanks"), "ClaimReview")[0]["reviewRating"]
    assert rating["alternateName"] == "Unproven"
    assert not {"ratingValue", "bestRating", "worstRating"} & set(rating)


def test_a_claim_about_a_video_has_a_linked_media_review(site: BuiltSite, settings) -> None:
    items = json_ld(site, "claims/video-shows-tanks")
    (claim_review,) = of_type(items, "ClaimReview")
    (media_review,) = of_type(items, "MediaReview")
    assert claim_review["associatedMediaReview"] == {"@id": media_review["@id"]}
    assert media_review["associatedClaimReview"] == {"@id": claim_review["@id"]}
    assert media_review["url"] == claim_review["url"]
    assert media_review["mediaAuthenticityCategory"] == "DecontextualizedContent"
    data = yaml.safe_load((site.project / "claims/video-shows-tanks.yaml").read_text(encoding="utf-8"))["media"]
    (shown,) = media_review["itemReviewed"]["mediaItemAppearance"]
    assert shown == {"@type": "VideoObject", "contentUrl": data["url"]}
    assert media_review["originalMediaLink"] == data["original_url"]
    assert media_review["originalMediaContextDescription"] == data["original_context"]
    for path in claim_paths(site):
        if path != "claims/video-shows-tanks":
            assert not of_type(json_ld(site, path), "MediaReview"), path
            assert "associatedMediaReview" not in of_type(json_ld(site, path), "ClaimReview")[0]


def test_json_ld_text_cannot_end_its_script_element(site: BuiltSite) -> None:
    path = "claims/video-shows-tanks"
    raw = html_of(site, path)
    page = BeautifulSoup(raw, "html.parser")
    blocks = page.select(LD_JSON)
    assert len(blocks) == 2
    for block in blocks:
        assert not {"<", ">", "&"} & set(block.string)  # nothing that could end the element or a comment
    # The fixture puts '</script>' into every contributor field the JSON-LD carries; all come back intact.
    review, media = (json.loads(b.string) for b in blocks)
    data = yaml.safe_load((site.project / f"{path}.yaml").read_text(encoding="utf-8"))
    fields = [
        review["claimReviewed"],
        review["headline"],
        review["reviewBody"],
        review["itemReviewed"]["author"]["name"],
        review["itemReviewed"]["appearance"]["headline"],
        review["itemReviewed"]["appearance"]["publisher"]["name"],
        review["creator"][0]["name"],
        media["itemReviewed"]["creator"]["name"],
        media["originalMediaContextDescription"],
    ]
    assert all("</script>" in value for value in fields)
    assert review["claimReviewed"] == data["statement"]
    assert review["creator"][0]["name"] == data["authors"][0]
    assert media["originalMediaContextDescription"] == data["media"]["original_context"]
    # No script element anywhere on the page runs contributor text.
    scripts = page.select("script")
    assert all("alert(" not in (s.string or "") for s in scripts if s.get("type") != "application/ld+json")
    # A second, browser-like parser agrees: the only scripts with contributor text are the two data blocks.
    tree = lxml.html.fromstring(raw)
    with_text = [s.get("type") for s in tree.iter("script") if "alert(" in (s.text or "")]
    assert with_text == ["application/ld+json", "application/ld+json"]
    assert len(list(tree.iter("script"))) == len(scripts)


# -- publisher ---------------------------------------------------------------------------------


def test_home_page_describes_the_publisher_and_its_policies(site: BuiltSite, settings) -> None:
    items = json_ld(site, "")
    graph = items[0]["@graph"]
    (org,) = of_type(graph, "NewsMediaOrganization")  # schema.org defines the policies on this type
    (website,) = of_type(graph, "WebSite")
    assert org["name"] == settings.publisher_name and org["url"] == settings.site_url
    assert website["publisher"] == {"@id": org["@id"]} and website["url"] == settings.site_url
    expected = {
        "publishingPrinciples": "methodology",
        "correctionsPolicy": "corrections-policy",
        "verificationFactCheckingPolicy": "methodology",
        "ownershipFundingInfo": "about",
    }
    for prop, page in expected.items():
        assert local(settings, org[prop]) == page
        assert site.exists(page), prop  # the link leads to a built page
    home = site.page("")
    assert [resolve("", href) for href in feed_links(home)] == ["feed.xml"]
    assert not of_type(items, "ClaimReview")


# -- feeds ---------------------------------------------------------------------------------------


def test_site_feed_lists_the_fact_checks_as_the_pages_show_them(site: BuiltSite, settings) -> None:
    feed = read_feed(site, "feed.xml")
    assert feed.feed.title == settings.site_name
    assert feed.feed.language == settings.language
    paths = [local(settings, e.link) for e in feed.entries]
    assert paths == claim_paths(site)  # newest first; the draft is not there
    for entry, path in zip(feed.entries, paths, strict=True):
        page = site.page(path + "/")
        assert entry.id == page.select_one('link[rel="canonical"]')["href"]
        assert entry.title == text(page.select_one(".fc-claim-box__statement"))
        label = text(page.select_one(".fc-verdict .fc-badge__label"))
        assert entry.summary == f"{label}. {text(page.select_one('.fc-summary'))}"
        assert [t.term for t in entry.tags] == [page.select_one(".fc-claim")["data-verdict"]]
        published, changed = page_dates(page)
        assert entry.published_parsed[:3] == dt.date.fromisoformat(published).timetuple()[:3]
        assert entry.updated_parsed[:3] == dt.date.fromisoformat(changed).timetuple()[:3]
    assert feed.feed.updated_parsed[:3] == max(e.updated_parsed for e in feed.entries)[:3]


def test_every_entity_page_advertises_a_feed_of_its_claims(site: BuiltSite, settings) -> None:
    index = site.page("entities/")
    entities = [
        resolve("entities/", a["href"])
        for a in index.select("article a[href]")
        if "entities/" in resolve("entities/", a["href"])
    ]
    assert len(entities) == 5
    for path in entities:
        page = site.page(path + "/")
        links = [resolve(path + "/", href) for href in feed_links(page)]
        assert links == ["feed.xml", f"{path}/feed.xml"]
        feed = read_feed(site, f"{path}/feed.xml")
        listed = {resolve(path + "/", a["href"]) for a in page.select("article .fc-claim-list a")}
        assert {local(settings, e.link) for e in feed.entries} == listed, path
    alice = read_feed(site, "entities/alice-example/feed.xml")
    assert [e.title for e in alice.entries] == ["Ruritania has 42 tanks", "The agency counted 11,000 soldiers"]


# -- corrections -------------------------------------------------------------------------------


def test_corrections_page_lists_every_update_newest_first_with_its_feed(site: BuiltSite, settings) -> None:
    page = site.page("corrections/")
    items = page.select("article .fc-correction")
    shown = [
        (li["data-date"], li["data-claim"], li.get("data-old-verdict"), li.get("data-new-verdict")) for li in items
    ]
    assert shown == [
        ("2024-11-02", "ruritania-has-42-tanks", "misleading", "false"),
        ("2024-10-30", "video-shows-tanks", None, None),
        ("2024-10-29", "ruritania-has-42-tanks", None, None),
        ("2024-10-28", "ruritania-has-42-tanks", "true", "misleading"),
    ]
    first = items[0]
    assert text(first.select_one(".fc-correction__note")) == "New census; rating changed again."
    assert [text(b) for b in first.select(".fc-badge__label")] == ["Misleading", "False"]
    assert (
        resolve("corrections/", first.select_one("a.fc-correction__claim")["href"]) == "claims/ruritania-has-42-tanks"
    )
    # The note with '</script>' is shown as text.
    assert "</script>" in text(items[1].select_one(".fc-correction__note"))

    assert [resolve("corrections/", h) for h in feed_links(page)] == ["feed.xml", "corrections/feed.xml"]
    feed = read_feed(site, "corrections/feed.xml")
    assert len(feed.entries) == len(items)
    for entry, li in zip(feed.entries, items, strict=True):
        assert local(settings, entry.link.split("#")[0]) == f"claims/{li['data-claim']}"
        assert entry.updated_parsed[:3] == dt.date.fromisoformat(li["data-date"]).timetuple()[:3]
        assert text(li.select_one(".fc-correction__note")) in entry.summary
    assert feed.entries[0].summary.endswith("Verdict changed from Misleading to False.")
    # The page is in the navigation and linked from every page.
    about = site.page("about/")
    assert "corrections" in {resolve("about/", a["href"]) for a in about.select("nav a[href]")}


# -- exports -----------------------------------------------------------------------------------


def validated(site: BuiltSite, name: str, schema_name: str) -> dict:
    schema = exported(site, schema_name)
    Draft202012Validator.check_schema(schema)
    data = exported(site, name)
    errors = list(Draft202012Validator(schema).iter_errors(data))
    assert not errors, [e.message for e in errors]
    return data


def test_claims_json_validates_and_agrees_with_the_pages(site: BuiltSite, settings) -> None:
    data = validated(site, "claims.json", "claims.schema.json")
    assert data["$schema"] == settings.site_url + "api/claims.schema.json"
    records = data["claims"]
    assert [local(settings, r["url"]) for r in records] == claim_paths(site)
    assert data["count"] == len(records)
    for r in records:
        page = site.page(local(settings, r["url"]) + "/")
        assert r["statement"] == text(page.select_one(".fc-claim-box__statement"))
        assert r["verdict"]["key"] == page.select_one(".fc-claim")["data-verdict"]
        assert r["verdict"]["label"] == text(page.select_one(".fc-verdict .fc-badge__label"))
        assert r["summary_text"] == text(page.select_one(".fc-summary"))
        published, changed = page_dates(page)
        assert (r["published"], r["updated"] or r["published"]) == (published, changed)
        assert r["claim_date"] == page.select_one(".fc-claim-box time")["datetime"]
        assert r["claimant"]["name"] == text(page.select_one(".fc-claim-box__meta a"))
        assert [e["url"] for e in r["evidence"]] == [a["href"] for a in page.select(".fc-evidence__item > a")]
        chips = {resolve(local(settings, r["url"]) + "/", a["href"]) for a in page.select(".fc-chips a")}
        assert {local(settings, e["url"]) for e in [r["claimant"], *r["entities"], *r["mentioned"]]} == chips
        assert r["verdict_history"][-1]["verdict"] == r["verdict"]
        assert len(r["updates"]) == len(page.select(".fc-updates .fc-update"))
    tanks = next(r for r in records if r["id"] == "ruritania-has-42-tanks")
    history = [(s["date"], s["verdict"]["key"]) for s in tanks["verdict_history"]]
    assert history == [("2024-10-26", "true"), ("2024-10-28", "misleading"), ("2024-11-02", "false")]
    assert [(u["previous_verdict"], u["new_verdict"]) for u in tanks["updates"]] == [
        ("true", "misleading"),
        (None, None),
        ("misleading", "false"),
    ]
    unproven = next(r for r in records if r["id"] == "video-shows-tanks")
    assert unproven["verdict"]["rating"] is None and unproven["media"]["type"] == "video"


def test_each_claim_pages_corrections_agree_with_the_export(site: BuiltSite, settings) -> None:
    scale = {v.key: v.label for v in settings.scale}
    for r in exported(site, "claims.json")["claims"]:
        page = site.page(local(settings, r["url"]) + "/")
        shown = [
            (li.select_one("time")["datetime"], [text(b) for b in li.select(".fc-badge__label")])
            for li in page.select(".fc-updates .fc-update")
        ]
        expected = [
            (u["date"], [scale[u["previous_verdict"]], scale[u["new_verdict"]]] if u["previous_verdict"] else [])
            for u in reversed(r["updates"])
        ]
        assert shown == expected, r["id"]
    assert any(len(r["updates"]) == 3 for r in exported(site, "claims.json")["claims"])


def test_the_published_schema_rejects_wrong_data(site: BuiltSite) -> None:
    schema = exported(site, "claims.schema.json")
    data = exported(site, "claims.json")
    data["claims"][0]["verdict"]["key"] = "maybe"
    del data["claims"][1]["evidence"]
    messages = [e.message for e in Draft202012Validator(schema).iter_errors(data)]
    assert any("'maybe' is not one of" in m for m in messages) and any("'evidence'" in m for m in messages)


def test_claims_csv_has_one_row_per_claim_matching_the_json(site: BuiltSite) -> None:
    records = {r["id"]: r for r in exported(site, "claims.json")["claims"]}
    with open(site.site / "api/claims.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [row["id"] for row in rows] == list(records)
    for row in rows:
        r = records[row["id"]]
        assert (row["url"], row["verdict"], row["verdict_label"], row["claim_date"], row["published"]) == (
            r["url"],
            r["verdict"]["key"],
            r["verdict"]["label"],
            r["claim_date"],
            r["published"],
        )
        assert row["statement"] == r["statement"] and row["claimant"] == r["claimant"]["id"]
        assert row["rating"] == ("" if r["verdict"]["rating"] is None else str(r["verdict"]["rating"]))
        assert row["evidence_urls"].split(" ") == [e["url"] for e in r["evidence"]]
        assert row["tags"].split("; ") == r["tags"] or (row["tags"] == "" and r["tags"] == [])
        assert int(row["verdict_changes"]) == len(r["verdict_history"]) - 1
    # Text a spreadsheet would run as a formula is defused.
    assert rows[0]["summary"] == "'" + records["ruritania-has-42-tanks"]["summary_text"]


def test_entities_json_validates_and_matches_the_scorecards(site: BuiltSite, settings) -> None:
    data = validated(site, "entities.json", "entities.schema.json")
    assert [e["id"] for e in data["entities"]] == [
        "alice-example",
        "bob-quiet",
        "evil-corp",
        "example-agency",
        "ruritania",
    ]
    for entity in data["entities"]:
        page = site.page(local(settings, entity["url"]) + "/")
        for row in page.select(".fc-scorecard tbody tr"):
            key = row["data-verdict"]
            assert int(text(row.select_one('[data-role="claimant"]'))) == entity["scorecard"]["as_claimant"].get(key, 0)
        assert set(entity["scorecard"]) == {"as_claimant"}  # only the claims it made are its record
        assert (site.site / local(settings, entity["feed_url"])).is_file()
    bob = next(e for e in data["entities"] if e["id"] == "bob-quiet")
    assert bob["claims_as_claimant"] == ["bob-says-the-moon-is-near"]  # the draft is not exported


# -- page metadata and sitemap ---------------------------------------------------------------


def test_claim_pages_carry_description_canonical_opengraph_and_language(site: BuiltSite) -> None:
    for path in claim_paths(site):
        page = site.page(path + "/")
        canonical = page.select_one('link[rel="canonical"]')["href"]
        summary = text(page.select_one(".fc-summary"))
        statement = text(page.select_one(".fc-claim-box__statement"))
        assert meta(page, "description") == summary
        assert meta(page, "og:description") == meta(page, "twitter:description") == summary
        assert meta(page, "og:title") == meta(page, "twitter:title") == statement
        assert meta(page, "og:url") == canonical
        assert meta(page, "og:type") == "article"
        assert meta(page, "twitter:card") == "summary_large_image"  # the share card (tests/test_share.py)
        published, changed = page_dates(page)
        assert (meta(page, "article:published_time"), meta(page, "article:modified_time")) == (published, changed)
        assert page.select_one("html")["lang"] == "en"
        assert meta(page, "og:locale") == "en_GB"  # OpenGraph's language_TERRITORY; the generator's English is British
        assert [resolve(path + "/", href) for href in feed_links(page)] == ["feed.xml"]


def test_other_pages_have_opengraph_tags_too(site: BuiltSite) -> None:
    about = site.page("about/")
    assert meta(about, "og:title") == "about" and meta(about, "og:type") == "website"
    assert meta(about, "og:url") == about.select_one('link[rel="canonical"]')["href"]
    alice = site.page("entities/alice-example/")
    assert meta(alice, "og:title") == "Alice Example" and meta(alice, "og:type") == "profile"
    assert meta(alice, "description") == "A spokesperson used in fixtures."


def test_every_page_has_opengraph_tags_that_match_it(site: BuiltSite) -> None:
    # Every page of the theme; the embed pages are written apart (tests/test_share.py checks them), and
    # so is the web editor's page (admin/, tests/test_editor.py).
    pages = [p for p in site.site.rglob("index.html") if p.parent.name not in ("embed", "admin")]
    assert len(pages) > 25
    for path in pages:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        h1 = page.select_one("article h1")
        canonical = page.select_one('link[rel="canonical"]')["href"]
        assert meta(page, "og:url") == canonical, path
        if path.parent != site.site:  # the home page is titled with the site's name
            assert meta(page, "og:title") == text(h1).rstrip("¶").strip(), path
        assert meta(page, "og:description") == meta(page, "description"), path
    source = site.page("sources/evil-video/")
    assert meta(source, "og:title") == "Video </script><script>alert('source')</script>"


def test_sitemap_lists_every_claim_and_entity_page_dated_from_the_data(site: BuiltSite, settings) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.parse(site.site / "sitemap.xml").getroot()  # noqa: S314 - our own output
    lastmod = {
        u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns) for u in root.findall("s:url", ns)
    }
    claims = exported(site, "claims.json")["claims"]
    entities = exported(site, "entities.json")["entities"]
    for r in claims:
        assert lastmod[r["url"]] == (r["updated"] or r["published"])
    assert all(e["url"] in lastmod for e in entities)
    assert not any("the-sky-is-green" in url for url in lastmod)
    assert lastmod[settings.site_url + "about/"] is None  # a hand-written page has no date in the data
    assert lastmod[settings.site_url] == max(r["updated"] or r["published"] for r in claims)
    assert lastmod[settings.site_url + "corrections/"] == "2024-11-02"


def test_outputs_take_their_dates_from_the_data_only(site: BuiltSite) -> None:
    today = dt.datetime.now(dt.UTC).date().isoformat()  # the fixture's dates are all in 2024
    for path in [
        "sitemap.xml",
        "feed.xml",
        "corrections/feed.xml",
        "entities/ruritania/feed.xml",
        "api/claims.json",
        "api/claims.csv",
        "api/entities.json",
    ]:
        assert today not in (site.site / path).read_text(encoding="utf-8"), path


def test_publisher_settings_override_the_defaults(tmp_path: Path) -> None:
    from factcheck.publish.publisher import publisher_for

    project = make_project(tmp_path / "p", "publish")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace(
        "    publisher:\n",
        "    publisher:\n      logo: assets/logo.png\n"
        "      ownership_funding: https://example.org/funding\n"
        "      same_as: [https://github.com/example]\n",
        1,
    )
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    settings = load_settings(project / "mkdocs.yml")
    publisher = publisher_for(settings)
    assert publisher.logo == settings.site_url + "assets/logo.png"
    assert dict(publisher.policies)["ownershipFundingInfo"] == "https://example.org/funding"
    assert publisher.same_as == ("https://github.com/example",)


def test_previews_never_publish_drafts_to_machines(tmp_path: Path) -> None:
    preview = build(make_project(tmp_path / "p", "publish"), "--drafts")
    assert preview.exists("claims/the-sky-is-green")  # the preview shows the draft page ...
    assert not json_ld(preview, "claims/the-sky-is-green")  # ... without structured data for crawlers
    for path in ["feed.xml", "entities/bob-quiet/feed.xml", "api/claims.json", "api/claims.csv", "api/entities.json"]:
        assert "the-sky-is-green" not in (preview.site / path).read_text(encoding="utf-8"), path


def test_a_wrong_media_field_is_reported_with_its_place(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", "publish")
    path = project / "claims/video-shows-tanks.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("authenticity: decontextualized", "authenticity: fake"),
        encoding="utf-8",
    )
    result = run_build_py(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        "claims/video-shows-tanks.yaml:28:17: media.authenticity: 'fake' is not allowed; use one of: original, "
        "decontextualized, edited-or-cropped, transformed, staged, satire-or-parody"
    ) in result.stderr


def test_the_docs_document_every_exported_field() -> None:
    from conftest import REPO

    from factcheck.publish.exports import CSV_COLUMNS, claims_export_schema, entities_export_schema

    section = (REPO / "docs" / "data.md").read_text(encoding="utf-8")
    claim = claims_export_schema("x", ["true"])["properties"]["claims"]["items"]["properties"]
    entity = entities_export_schema("x", ["true"])["properties"]["entities"]["items"]["properties"]
    nested = [
        *claim["appearance"]["properties"],
        *claim["evidence"]["items"]["properties"],
        *claim["updates"]["items"]["properties"],
        *claim["media"]["oneOf"][1]["properties"],
        *claim["verdict"]["properties"],
        *claim["claimant"]["properties"],
    ]
    missing = [
        name
        for name in [*claim, *entity, *nested, *CSV_COLUMNS]
        if f"`{name}`" not in section and name not in section.split("columns:", 1)[1].split("`.", 1)[0]
    ]
    assert not missing, missing


class _HeadLinks(HTMLParser):
    """Every <link> of a page as its raw attributes, as a feed finder's HTML parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "link":
            self.links.append({k: v or "" for k, v in attrs})


def test_feed_links_are_found_by_feed_readers_but_not_by_the_themes_sitemap_lookup(basic_site: BuiltSite) -> None:
    """Feed readers and browsers split rel into words (HTML: a set of space-separated tokens) and
    take an `alternate` link of a feed type; Material's script matches rel exactly "alternate"
    (`link[rel=alternate]`) and fetches sitemap.xml beside each: it must find none of ours."""
    for path, feeds in (("entities/alice-example/", {"../../feed.xml", "feed.xml"}), ("claims/", {"../feed.xml"})):
        parser = _HeadLinks()
        parser.feed((basic_site.site / path / "index.html").read_text(encoding="utf-8"))
        found = {
            link["href"]
            for link in parser.links
            if "alternate" in link.get("rel", "").lower().split() and link.get("type") == "application/atom+xml"
        }
        assert found == feeds, path
        assert not [link for link in parser.links if link.get("rel") == "alternate"], path
        for href in found:  # and they lead to feeds
            read_feed(basic_site, posixpath.normpath(posixpath.join(path, href)))
