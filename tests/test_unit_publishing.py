"""Unit tests of what machines read: head metadata, JSON-LD, Atom feeds and the data exports.

Plain function calls on the model of a fixture site (factcheck.loader.load_site), no build.
The fixture `publish` has four published claims and a draft:

    ruritania-has-42-tanks         published 2024-10-26, updated 2024-11-03, two verdict changes
    agency-counted-11000-soldiers  published 2024-10-25, appears in the source fixture-article
    bob-says-the-moon-is-near      published 2024-10-25, appears on an outside page
    video-shows-tanks              published 2024-10-21, updated 2024-10-30, about a video (media)
    the-sky-is-green               a draft
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import load_model
from jsonschema import Draft202012Validator

from factcheck.model.objects import Claim, Site, Update
from factcheck.publish import jsonld
from factcheck.publish.exports import (
    CLAIMS_CSV,
    CLAIMS_JSON,
    CLAIMS_SCHEMA,
    CSV_COLUMNS,
    ENTITIES_JSON,
    ENTITIES_SCHEMA,
    claim_record,
    entity_record,
    export_paths,
    exports,
)
from factcheck.publish.feeds import CORRECTIONS_FEED, SITE_FEED, entity_feed_path, feed_paths, feeds, iter_feeds
from factcheck.publish.metadata import Heads
from factcheck.publish.published import Published
from factcheck.publish.publisher import publisher_for
from factcheck.settings import Verdict

BASE = "https://factcheck-microsite.github.io/factcheck/"
PUBLISHER = "North Korea–Russia Fact Check"
ORG = {"@type": "NewsMediaOrganization", "name": PUBLISHER, "url": BASE}
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LD_JSON = 'script[type="application/ld+json"]'
PUBLISHED_IDS = [
    "ruritania-has-42-tanks",
    "agency-counted-11000-soldiers",
    "bob-says-the-moon-is-near",
    "video-shows-tanks",
]
DRAFT = "the-sky-is-green"


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("unit-publishing")


@pytest.fixture(scope="module")
def model(projects: Path):
    """model(fixture="publish", **settings changes) -> the loaded Site."""

    def load(fixture: str = "publish", **changes) -> Site:
        return load_model(projects / fixture, fixture, **changes)

    return load


@pytest.fixture(scope="module")
def site(model) -> Site:
    """The publish fixture in a preview: drafts shown on pages (they must still stay out of feeds and data)."""
    return model(include_drafts=True)


def claim(site: Site, claim_id: str) -> Claim:
    return next(c for c in site.claims if c.id == claim_id)


def heads(site: Site) -> Heads:
    return Heads(site, publisher_for(site.settings))


def soup_of(markup: object) -> BeautifulSoup:
    return BeautifulSoup(str(markup), "html.parser")


def meta(soup: BeautifulSoup, key: str) -> str | None:
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    return None if tag is None else tag["content"]


def feed_links(soup: BeautifulSoup) -> list[tuple[str, str]]:
    return [(a["title"], a["href"]) for a in soup.select('link[rel~="alternate"][type="application/atom+xml"]')]


def ld_json(soup: BeautifulSoup) -> list[dict]:
    return [json.loads(s.string) for s in soup.select(LD_JSON)]


def parse_feed(text: str) -> ET.Element:
    root = ET.fromstring(text)  # noqa: S314 - our own output
    assert root.tag == ATOM + "feed"
    return root


def entry_ids(root: ET.Element) -> list[str]:
    return [e.find(ATOM + "id").text for e in root.findall(ATOM + "entry")]


def claim_urls(settings, *ids: str) -> list[str]:
    return [settings.address(f"claims/{i}.md") for i in ids]


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


# == metadata: generated heads ======================================================================


def test_the_model_is_what_the_tests_expect(site: Site) -> None:
    assert [c.id for c in site.claims] == [*PUBLISHED_IDS, DRAFT]
    assert [c.id for c in site.published] == PUBLISHED_IDS


def test_claim_head(site: Site) -> None:
    head = heads(site).generated_head("claims/ruritania-has-42-tanks.md")
    assert head is not None
    assert head.title == "Ruritania has 42 tanks"
    assert head.description == "=SUM(1+1) The count leaves out reserves."
    assert head.url == BASE + "claims/ruritania-has-42-tanks/"
    assert head.type == "article"
    assert head.published == dt.date(2024, 10, 26)
    assert head.modified == dt.date(2024, 11, 3)
    assert head.tags == ["figures", "tanks"]
    assert head.feeds == [(f"{PUBLISHER} (Atom)", "feed.xml")]
    assert [d["@type"] for d in head.jsonld] == ["ClaimReview"]


def test_claim_head_of_a_claim_about_a_video_carries_a_media_review(site: Site) -> None:
    head = heads(site).generated_head("claims/video-shows-tanks.md")
    assert [d["@type"] for d in head.jsonld] == ["ClaimReview", "MediaReview"]
    assert head.description == "We could not confirm </script><script>alert('summary')</script> the location."


def test_entity_heads(site: Site) -> None:
    h = heads(site)
    alice = h.generated_head("entities/alice-example.md")
    assert (alice.title, alice.description, alice.type) == (
        "Alice Example",
        "A spokesperson used in fixtures.",
        "profile",
    )
    assert alice.url == BASE + "entities/alice-example/"
    assert alice.feeds == [
        (f"{PUBLISHER} (Atom)", "feed.xml"),
        ("Alice Example (Atom)", "entities/alice-example/feed.xml"),
    ]
    assert alice.jsonld == []
    agency = h.generated_head("entities/example-agency.md")
    assert agency.type == "website"  # only people have profiles
    bob = h.generated_head("entities/bob-quiet.md")
    assert bob.description == "Fact-checks by and about Bob Quiet."  # no description of its own


def test_home_head(model) -> None:
    site = model(language="de")
    head = heads(site).generated_head("index.md")
    assert head.title == PUBLISHER
    assert head.description == "Fact-checks of statements about North Korean troops in Russia's war against Ukraine."
    assert head.url == BASE
    assert head.feeds == [(f"{PUBLISHER} (Atom)", "feed.xml")]
    (graph,) = head.jsonld
    org, website = graph["@graph"]
    assert org["@type"] == "NewsMediaOrganization"
    assert org["@id"] == BASE + "#organization"
    assert org["correctionsPolicy"] == BASE + "corrections-policy/"
    assert org["publishingPrinciples"] == BASE + "methodology/"
    assert website["@type"] == "WebSite"
    assert website["inLanguage"] == "de"
    assert website["publisher"] == {"@id": BASE + "#organization"}


def test_corrections_head(site: Site) -> None:
    head = heads(site).generated_head("corrections/index.md")
    assert head.title == "Corrections and updates"
    assert head.description == f"Every correction, update and verdict change by {PUBLISHER}."
    assert head.url == BASE + "corrections/"
    assert head.feeds == [(f"{PUBLISHER} (Atom)", "feed.xml"), ("Corrections (Atom)", "corrections/feed.xml")]


def test_head_of_a_hand_written_page(site: Site) -> None:
    h = heads(site)
    assert h.generated_head("about.md") is None
    head = h.head("about.md", "About us", "Who we are.")
    assert (head.title, head.description, head.url, head.type) == (
        "About us",
        "Who we are.",
        BASE + "about/",
        "website",
    )
    assert head.feeds == [(f"{PUBLISHER} (Atom)", "feed.xml")]
    assert head.jsonld == []
    fallback = h.head("methodology.md", None, None)
    assert fallback.title == PUBLISHER
    assert fallback.description == site.settings.site_description
    assert fallback.url == BASE + "methodology/"


def test_head_of_a_generated_page_ignores_the_given_title(site: Site) -> None:
    head = heads(site).head("claims/agency-counted-11000-soldiers.md", "Something else", "Other text")
    assert head.title == "The agency counted 11,000 soldiers"
    assert head.description == "Example Agency did publish that figure."


def test_pages_are_dated_from_the_data(site: Site) -> None:
    dates = heads(site).dates
    assert dates["index.md"] == dt.date(2024, 11, 3)
    assert dates["claims/ruritania-has-42-tanks.md"] == dt.date(2024, 11, 3)
    assert dates["claims/video-shows-tanks.md"] == dt.date(2024, 10, 30)
    assert dates["entities/bob-quiet.md"] == dt.date(2024, 10, 25)  # the draft of 2024-10-20 does not count
    assert dates["sources/fixture-article.md"] == dt.date(2024, 11, 3)
    assert dates["corrections/index.md"] == dt.date(2024, 11, 2)
    assert dates["tags/video.md"] == dt.date(2024, 10, 30)
    assert f"claims/{DRAFT}.md" not in dates
    assert "verdicts/mostly-true.md" not in dates  # no claim has that verdict


# == metadata: html() ==============================================================================


def test_html_of_a_claim_page(site: Site) -> None:
    h = heads(site)
    uri = "claims/ruritania-has-42-tanks.md"
    soup = soup_of(h.html(uri, h.head(uri, None, None)))
    assert meta(soup, "og:site_name") == PUBLISHER
    assert meta(soup, "og:type") == "article"
    assert meta(soup, "og:title") == "Ruritania has 42 tanks"
    assert meta(soup, "twitter:title") == "Ruritania has 42 tanks"
    assert meta(soup, "og:description") == "=SUM(1+1) The count leaves out reserves."
    assert meta(soup, "og:url") == BASE + "claims/ruritania-has-42-tanks/"
    assert meta(soup, "og:locale") == "en_GB"
    assert meta(soup, "article:published_time") == "2024-10-26"
    assert meta(soup, "article:modified_time") == "2024-11-03"
    assert [t["content"] for t in soup.find_all("meta", attrs={"property": "article:tag"})] == ["figures", "tanks"]
    assert feed_links(soup) == [(f"{PUBLISHER} (Atom)", "../../feed.xml")]
    (review,) = ld_json(soup)
    assert review == jsonld.claim_review(claim(site, "ruritania-has-42-tanks"), site.settings, h.publisher)


def test_html_escapes_what_contributors_wrote(site: Site) -> None:
    h = heads(site)
    uri = "claims/video-shows-tanks.md"
    markup = str(h.html(uri, h.head(uri, None, None)))
    soup = soup_of(markup)
    statement = claim(site, "video-shows-tanks").statement
    assert meta(soup, "og:title") == statement  # the text survives, escaped in the attribute
    assert "<script>alert" not in markup
    assert [s.get("type") for s in soup.find_all("script")] == ["application/ld+json", "application/ld+json"]


def test_og_locale_follows_the_language(model) -> None:
    site = model(language="de")
    h = heads(site)
    for uri in ("index.md", "about.md", "claims/agency-counted-11000-soldiers.md", "entities/ruritania.md"):
        soup = soup_of(h.html(uri, h.head(uri, "Titel", None)))
        assert meta(soup, "og:locale") == "de_DE", uri
    review = ld_json(
        soup_of(
            h.html(
                "claims/agency-counted-11000-soldiers.md", h.head("claims/agency-counted-11000-soldiers.md", None, None)
            )
        )
    )
    assert review[0]["inLanguage"] == "de"


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("index.md", ["feed.xml"]),
        ("about.md", ["feed.xml"]),
        ("claims/agency-counted-11000-soldiers.md", ["../feed.xml"]),
        ("entities/alice-example.md", ["../feed.xml", "alice-example/feed.xml"]),
        ("corrections/index.md", ["../feed.xml", "feed.xml"]),
    ],
)
def test_feed_links_without_directory_urls(model, uri: str, expected: list[str]) -> None:
    site = model(directory_urls=False)
    h = heads(site)
    head = h.head(uri, "T", None)
    soup = soup_of(h.html(uri, head))
    assert [href for _, href in feed_links(soup)] == expected
    assert meta(soup, "og:url") == site.settings.address(uri)
    assert meta(soup, "og:url").endswith(".html")
    # each link, resolved against the page's own URL, is the feed's URL
    for (_, href), (_, path) in zip(feed_links(soup), head.feeds, strict=True):
        assert urljoin(site.settings.address(uri), href) == site.settings.address(path)


@pytest.mark.parametrize("directory_urls", [True, False])
def test_feed_links_resolve_to_the_feeds(model, directory_urls: bool) -> None:
    site = model(directory_urls=directory_urls)
    h = heads(site)
    pages = ["index.md", "about.md", "corrections/index.md", "claims/index.md"]
    pages += [c.src_uri for c in site.claims] + [e.src_uri for e in site.entities.values()]
    for uri in pages:
        head = h.head(uri, "T", None)
        links = feed_links(soup_of(h.html(uri, head)))
        assert len(links) == len(head.feeds) >= 1
        for (_, href), (_, path) in zip(links, head.feeds, strict=True):
            assert not href.startswith(("/", "http"))
            assert urljoin(site.settings.address(uri), href) == BASE + path, (uri, href)


def test_a_draft_in_a_preview_has_no_json_ld(site: Site) -> None:
    h = heads(site)
    uri = f"claims/{DRAFT}.md"
    head = h.generated_head(uri)
    assert head is not None and head.title == "The sky is green"
    assert head.jsonld == []
    soup = soup_of(h.html(uri, head))
    assert soup.select(LD_JSON) == []
    assert meta(soup, "og:title") == "The sky is green"
    # the published claims next to it keep theirs
    assert (
        len(
            soup_of(
                h.html("claims/bob-says-the-moon-is-near.md", h.head("claims/bob-says-the-moon-is-near.md", None, None))
            ).select(LD_JSON)
        )
        == 1
    )


def test_a_draft_outside_previews_has_no_generated_head(model) -> None:
    site = model()
    assert heads(site).generated_head(f"claims/{DRAFT}.md") is None


def test_a_publisher_logo_becomes_og_image(model) -> None:
    base = model()
    settings = dataclasses.replace(base.settings, extra={"publisher": {"logo": "assets/logo.png"}})
    site = dataclasses.replace(base, settings=settings)
    h = heads(site)
    soup = soup_of(h.html("about.md", h.head("about.md", "About", None)))
    assert meta(soup, "og:image") == BASE + "assets/logo.png"
    assert meta(soup_of(heads(base).html("about.md", heads(base).head("about.md", "About", None))), "og:image") is None


def test_head_of_a_readme_page(site: Site) -> None:
    h = heads(site)
    uri = "guides/README.md"  # MkDocs publishes it as guides/ (guides/index.html)
    soup = soup_of(h.html(uri, h.head(uri, "Guides", None)))
    (_, href), *_ = feed_links(soup)
    assert urljoin(BASE + "guides/", href) == BASE + "feed.xml"
    assert meta(soup, "og:url") == BASE + "guides/"


# == JSON-LD =======================================================================================


def test_claim_review(model) -> None:
    site = model(language="de")
    publisher = publisher_for(site.settings)
    review = jsonld.claim_review(claim(site, "agency-counted-11000-soldiers"), site.settings, publisher)
    url = BASE + "claims/agency-counted-11000-soldiers/"
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["@id"] == url + "#claimreview"
    assert review["url"] == url
    assert review["claimReviewed"] == "The agency counted 11,000 soldiers"
    assert review["headline"] == "The agency counted 11,000 soldiers"
    assert review["reviewBody"] == "Example Agency did publish that figure."
    assert review["datePublished"] == "2024-10-25"
    assert review["dateModified"] == "2024-10-25"
    assert review["inLanguage"] == "de"
    assert review["author"] == ORG
    assert review["publisher"] == ORG
    assert review["creator"] == [{"@type": "Person", "name": "Test Author"}]
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "True",
        "name": "True",
        "ratingValue": 5,
        "bestRating": 5,
        "worstRating": 1,
        "ratingExplanation": "The statement is accurate and nothing significant is missing.",
    }
    article = {
        "@type": "NewsArticle",
        "url": "https://example.org/article",
        "headline": "Fixture article about Ruritania",
        "publisher": {"@type": "Organization", "name": "Fixture Times"},
        "datePublished": "2024-10-19",
    }
    assert review["itemReviewed"] == {
        "@type": "Claim",
        "author": {
            "@type": "Person",
            "name": "Alice Example",
            "url": BASE + "entities/alice-example/",
            "sameAs": "https://www.wikidata.org/wiki/Q42",
        },
        "datePublished": "2024-10-18",
        "appearance": article,
        "firstAppearance": article,
    }
    assert "associatedMediaReview" not in review


def test_claim_review_of_a_claim_made_on_an_outside_page(site: Site) -> None:
    review = jsonld.claim_review(claim(site, "bob-says-the-moon-is-near"), site.settings, publisher_for(site.settings))
    assert review["itemReviewed"]["appearance"] == {
        "@type": "CreativeWork",
        "url": "https://example.org/moon-post",
        "headline": "Moon post",
        "publisher": {"@type": "Organization", "name": "Example Blog"},
        "datePublished": "2024-09-01",
    }
    assert review["itemReviewed"]["author"] == {
        "@type": "Person",
        "name": "Bob Quiet",
        "url": BASE + "entities/bob-quiet/",
    }
    assert review["reviewRating"]["ratingValue"] == 1


def test_claim_review_of_a_verdict_off_the_scale(site: Site) -> None:
    review = jsonld.claim_review(claim(site, "video-shows-tanks"), site.settings, publisher_for(site.settings))
    rating = review["reviewRating"]
    assert rating["alternateName"] == "Unproven"
    assert not {"ratingValue", "bestRating", "worstRating"} & set(rating)
    assert review["dateModified"] == "2024-10-30"
    assert review["itemReviewed"]["appearance"]["@type"] == "VideoObject"
    assert review["associatedMediaReview"] == {"@id": BASE + "claims/video-shows-tanks/#mediareview"}


def test_claim_review_rating_bounds_come_from_the_scale(model) -> None:
    scale = (
        Verdict("true", "Correct", "Right.", "", "#000000", 10),
        Verdict("misleading", "Half right", "", "", "#000000", 6),
        Verdict("false", "Wrong", "", "", "#000000", 3),
        Verdict("pants-on-fire", "Pants on fire", "", "", "#000000", 0),
        Verdict("unproven", "Open", "", "", "#000000", None),
    )
    site = model("basic", scale=scale)
    review = jsonld.claim_review(claim(site, "ruritania-has-42-tanks"), site.settings, publisher_for(site.settings))
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Half right",
        "name": "Half right",
        "ratingValue": 6,
        "bestRating": 10,
        "worstRating": 0,
    }  # no ratingExplanation: the verdict has no definition


def test_claim_review_without_directory_urls(model) -> None:
    site = model(directory_urls=False)
    review = jsonld.claim_review(
        claim(site, "agency-counted-11000-soldiers"), site.settings, publisher_for(site.settings)
    )
    assert review["url"] == BASE + "claims/agency-counted-11000-soldiers.html"
    assert review["@id"] == BASE + "claims/agency-counted-11000-soldiers.html#claimreview"
    assert review["itemReviewed"]["author"]["url"] == BASE + "entities/alice-example.html"


def test_media_review_only_when_the_claim_is_about_media(site: Site) -> None:
    publisher = publisher_for(site.settings)
    for claim_id in ("ruritania-has-42-tanks", "agency-counted-11000-soldiers", "bob-says-the-moon-is-near"):
        assert jsonld.media_review(claim(site, claim_id), site.settings, publisher) is None
    video = claim(site, "video-shows-tanks")
    review = jsonld.media_review(video, site.settings, publisher)
    url = BASE + "claims/video-shows-tanks/"
    assert review["@type"] == "MediaReview"
    assert review["@id"] == url + "#mediareview"
    assert review["url"] == url
    assert review["mediaAuthenticityCategory"] == "DecontextualizedContent"
    assert review["itemReviewed"]["@type"] == "MediaReviewItem"
    assert review["itemReviewed"]["mediaItemAppearance"] == [
        {"@type": "VideoObject", "contentUrl": "https://example.org/video?a=1&b=2"}
    ]
    # Its creator is who first published it, not the claimant (Evil Corp) who shared it.
    assert review["itemReviewed"]["creator"] == {
        "@type": "Organization",
        "name": "Parade Channel </script><script>alert('publisher')</script>",
    }
    assert review["originalMediaLink"] == "https://example.org/original"
    assert review["originalMediaContextDescription"].startswith("Filmed in 2019 ")
    assert review["associatedClaimReview"] == {"@id": url + "#claimreview"}
    assert review["author"] == ORG
    assert (review["datePublished"], review["dateModified"]) == ("2024-10-21", "2024-10-30")


def test_media_review_of_an_image_without_an_original(site: Site) -> None:
    video = claim(site, "video-shows-tanks")
    image = dataclasses.replace(
        video,
        media=dataclasses.replace(
            video.media, type="image", authenticity="transformed", original_url=None, original_context=None
        ),
    )
    review = jsonld.media_review(image, site.settings, publisher_for(site.settings))
    assert review["itemReviewed"]["mediaItemAppearance"][0]["@type"] == "ImageObject"
    assert review["mediaAuthenticityCategory"] == "TransformedContent"
    assert "originalMediaLink" not in review and "originalMediaContextDescription" not in review


def test_script_escapes_what_could_end_the_element() -> None:
    data = {
        "name": "Evil </script><script>alert(1)</script> & <!-- co -->",
        "lines": "one\u2028two\u2029three",
        "nested": [{"x": "</SCRIPT >"}],
    }
    markup = str(jsonld.script(data))
    assert markup.startswith('<script type="application/ld+json">\n')
    assert markup.endswith("\n</script>")
    body = markup[len('<script type="application/ld+json">') : -len("</script>")]
    for char in ("<", ">", "&", "\u2028", "\u2029"):
        assert char not in body, repr(char)
    assert "\\u003c/script\\u003e" in body
    assert "\\u2028" in body and "\\u2029" in body
    assert json.loads(body) == data  # the escapes parse back to the same data
    scripts = soup_of(markup).find_all("script")
    assert len(scripts) == 1
    assert json.loads(scripts[0].string) == data


def test_script_keeps_other_text_readable() -> None:
    body = str(jsonld.script({"name": "Ruritania – Sörensen"}))
    assert "Ruritania – Sörensen" in body  # not \\u-escaped: ensure_ascii is off


# == feeds =========================================================================================


def test_every_feed_is_written_and_named(site: Site) -> None:
    written = dict(iter_feeds(site, publisher_for(site.settings)))
    assert list(written) == feed_paths(site)
    assert list(written) == [
        "feed.xml",
        "corrections/feed.xml",
        *(f"entities/{e}/feed.xml" for e in ("alice-example", "bob-quiet", "evil-corp", "example-agency", "ruritania")),
    ]
    assert entity_feed_path(site.entities["ruritania"]) == "entities/ruritania/feed.xml"
    for text in written.values():
        parse_feed(text)
        assert not feedparser.parse(text).bozo


def test_feeds_follow_the_language(model) -> None:
    site = model(language="de")
    for path, text in iter_feeds(site, publisher_for(site.settings)):
        assert parse_feed(text).get(XML_LANG) == "de", path
        assert feedparser.parse(text).feed.language == "de"
    english = model()
    assert parse_feed(feeds(english, publisher_for(english.settings))[SITE_FEED]).get(XML_LANG) == "en"


def test_site_feed(site: Site) -> None:
    root = parse_feed(feeds(site, publisher_for(site.settings))[SITE_FEED])
    assert root.find(ATOM + "title").text == PUBLISHER
    assert root.find(ATOM + "id").text == BASE + "feed.xml"
    links = {link.get("rel"): link.get("href") for link in root.findall(ATOM + "link")}
    assert links == {"self": BASE + "feed.xml", "alternate": BASE}
    assert root.find(ATOM + "updated").text == "2024-11-03T00:00:00Z"  # the newest change in the data
    assert entry_ids(root) == claim_urls(site.settings, *PUBLISHED_IDS)  # newest first, no draft
    published = [e.find(ATOM + "published").text for e in root.findall(ATOM + "entry")]
    assert published == sorted(published, reverse=True)
    first = root.find(ATOM + "entry")
    assert first.find(ATOM + "title").text == "Ruritania has 42 tanks"
    assert first.find(ATOM + "updated").text == "2024-11-03T00:00:00Z"
    assert first.find(ATOM + "summary").text == "False. =SUM(1+1) The count leaves out reserves."
    assert [(c.get("term"), c.get("label")) for c in first.findall(ATOM + "category")] == [("false", "False")]
    assert [a.find(ATOM + "name").text for a in first.findall(ATOM + "author")] == ["Test Author"]


@pytest.mark.parametrize(
    ("entity", "claim_ids"),
    [
        ("alice-example", ["ruritania-has-42-tanks", "agency-counted-11000-soldiers"]),  # by
        ("example-agency", ["agency-counted-11000-soldiers"]),  # about (listed)
        # about (named in the statement), mentioning (in the analysis only), about (listed)
        ("ruritania", ["ruritania-has-42-tanks", "agency-counted-11000-soldiers", "video-shows-tanks"]),
        ("bob-quiet", ["bob-says-the-moon-is-near"]),  # his draft stays out
        ("evil-corp", ["video-shows-tanks"]),
    ],
)
def test_entity_feeds_list_claims_by_about_and_mentioning(site: Site, entity: str, claim_ids: list[str]) -> None:
    path = f"entities/{entity}/feed.xml"
    root = parse_feed(feeds(site, publisher_for(site.settings))[path])
    assert entry_ids(root) == claim_urls(site.settings, *claim_ids)
    assert root.find(ATOM + "id").text == BASE + path
    links = {link.get("rel"): link.get("href") for link in root.findall(ATOM + "link")}
    assert links == {"self": BASE + path, "alternate": BASE + f"entities/{entity}/"}


def test_the_entity_index_behind_the_ruritania_feed(site: Site) -> None:
    ruritania = site.entities["ruritania"]
    assert [c.id for c in site.claims_about(ruritania)] == ["ruritania-has-42-tanks", "video-shows-tanks"]
    assert [c.id for c in site.mentioning(ruritania)] == ["agency-counted-11000-soldiers"]


def test_drafts_never_appear_in_a_feed(site: Site) -> None:
    assert DRAFT in {c.id for c in site.claims}  # shown in the preview ...
    for path, text in iter_feeds(site, publisher_for(site.settings)):
        assert DRAFT not in text, path  # ... but in no feed
        assert "The sky is green" not in text, path


def test_a_draft_with_updates_stays_out_of_the_corrections(site: Site) -> None:
    """Even a draft that lists updates (one that was unpublished again) is no correction."""
    note = Update(dt.date(2024, 12, 1), "Draft note.", site.settings.verdict("true"), site.settings.verdict("false"))
    draft = dataclasses.replace(claim(site, DRAFT), updates=(note,))
    changed = dataclasses.replace(site, claims=tuple(draft if c.id == DRAFT else c for c in site.claims))
    root = parse_feed(feeds(changed, publisher_for(changed.settings))[CORRECTIONS_FEED])
    assert len(entry_ids(root)) == 4
    assert all(DRAFT not in i for i in entry_ids(root))
    assert root.find(ATOM + "updated").text == "2024-11-02T00:00:00Z"
    assert heads(changed).dates["corrections/index.md"] == dt.date(2024, 11, 2)


def test_an_empty_entity_feed_is_dated_from_the_data(model) -> None:
    site = model("basic")  # Bob Quiet's only claim is a draft
    root = parse_feed(feeds(site, publisher_for(site.settings))["entities/bob-quiet/feed.xml"])
    assert entry_ids(root) == []
    assert root.find(ATOM + "updated").text == "2024-10-28T00:00:00Z"


def test_corrections_feed(site: Site) -> None:
    root = parse_feed(feeds(site, publisher_for(site.settings))[CORRECTIONS_FEED])
    tanks = BASE + "claims/ruritania-has-42-tanks/"
    video = BASE + "claims/video-shows-tanks/"
    assert entry_ids(root) == [tanks + "#update-3", video + "#update-1", tanks + "#update-2", tanks + "#update-1"]
    assert root.find(ATOM + "updated").text == "2024-11-02T00:00:00Z"
    change, _, typo, first = root.findall(ATOM + "entry")
    assert change.find(ATOM + "title").text == "Verdict changed to False: Ruritania has 42 tanks"
    assert (
        change.find(ATOM + "summary").text
        == "New census; rating changed again. Verdict changed from Misleading to False."
    )
    assert [(c.get("term"), c.get("label")) for c in change.findall(ATOM + "category")] == [
        ("verdict-change", "Verdict change"),
        ("false", "False"),
    ]
    assert change.find(ATOM + "link").get("href") == tanks + "#updates-and-corrections"
    assert change.find(ATOM + "published").text == "2024-11-02T00:00:00Z"
    assert first.find(ATOM + "title").text == "Verdict changed to Misleading: Ruritania has 42 tanks"
    assert (
        first.find(ATOM + "summary").text == "Reserves added; rating changed. Verdict changed from True to Misleading."
    )
    assert typo.find(ATOM + "title").text == "Updated: Ruritania has 42 tanks"
    assert typo.find(ATOM + "summary").text == "Typo fixed."
    assert [c.get("term") for c in typo.findall(ATOM + "category")] == ["update"]


def test_feeds_without_directory_urls(model) -> None:
    site = model(directory_urls=False)
    written = feeds(site, publisher_for(site.settings))
    parsed = feedparser.parse(written[SITE_FEED])
    assert parsed.feed.link == BASE + "index.html"
    assert [e.link for e in parsed.entries] == [BASE + f"claims/{i}.html" for i in PUBLISHED_IDS]
    corrections = feedparser.parse(written[CORRECTIONS_FEED])
    assert corrections.feed.link == BASE + "corrections/index.html"
    assert corrections.entries[0].link == BASE + "claims/ruritania-has-42-tanks.html#updates-and-corrections"
    entity = feedparser.parse(written["entities/alice-example/feed.xml"])
    assert entity.feed.link == BASE + "entities/alice-example.html"


# == exports: records ==============================================================================


def test_claim_record(site: Site) -> None:
    ref = lambda i, name, kind: {"id": i, "name": name, "type": kind, "url": BASE + f"entities/{i}/"}  # noqa: E731
    assert claim_record(claim(site, "agency-counted-11000-soldiers"), site.settings) == {
        "id": "agency-counted-11000-soldiers",
        "url": BASE + "claims/agency-counted-11000-soldiers/",
        "source_file": "claims/agency-counted-11000-soldiers.yaml",
        "statement": "The agency counted 11,000 soldiers",
        "short_statement": None,
        "verdict": {"key": "true", "label": "True", "rating": 5},
        "summary": "Example Agency did publish that figure.",
        "summary_text": "Example Agency did publish that figure.",
        "analysis": "Alice said it, and EXA confirmed it in a [briefing](https://example.org/briefing).\n\nRuritania disputes it.\n",
        "claim_date": "2024-10-18",
        "published": "2024-10-25",
        "updated": None,
        "claimant": {**ref("alice-example", "Alice Example", "person"), "wikidata": "Q42", "unnamed_sources": None},
        "appearance": {
            "source": "fixture-article",
            "title": "Fixture article about Ruritania",
            "publisher": "Fixture Times",
            "url": "https://example.org/article",
            "date": "2024-10-19",
            "type": "article",
            "page_url": BASE + "sources/fixture-article/",
            "quote": "the agency counted 11,000 soldiers",
            "archive_url": None,
            "link_status": None,
        },
        "entities": [ref("example-agency", "Example Agency", "government-agency")],
        "mentioned": [ref("ruritania", "Ruritania", "country")],
        "tags": ["soldiers", "figures"],
        "authors": ["Test Author"],
        "evidence": [
            {
                "title": "Briefing on soldiers",
                "publisher": "Example Agency",
                "url": "https://example.org/briefing",
                "date": "2024-10-18",
                "stance": "supports",
                "excerpt": "About 11,000 soldiers.",
                "archive_url": None,
                "link_status": None,
            },
            {
                "title": "Ruritania denies",
                "publisher": "Wire service",
                "url": "https://example.org/denial",
                "date": "2024-10-19",
                "stance": "contradicts",
                "excerpt": None,
                "archive_url": None,
                "link_status": None,
            },
        ],
        "verdict_history": [
            {"date": "2024-10-25", "verdict": {"key": "true", "label": "True", "rating": 5}, "note": None}
        ],
        "updates": [],
        "media": None,
    }


def test_claim_record_of_a_claim_with_verdict_changes(site: Site) -> None:
    record = claim_record(claim(site, "ruritania-has-42-tanks"), site.settings)
    assert record["updated"] == "2024-11-03"
    assert record["verdict"] == {"key": "false", "label": "False", "rating": 1}
    assert record["verdict_history"] == [
        {"date": "2024-10-26", "verdict": {"key": "true", "label": "True", "rating": 5}, "note": None},
        {
            "date": "2024-10-28",
            "verdict": {"key": "misleading", "label": "Misleading", "rating": 2},
            "note": "Reserves added; rating changed.",
        },
        {
            "date": "2024-11-02",
            "verdict": {"key": "false", "label": "False", "rating": 1},
            "note": "New census; rating changed again.",
        },
    ]
    assert record["updates"] == [
        {
            "date": "2024-10-28",
            "note": "Reserves added; rating changed.",
            "previous_verdict": "true",
            "new_verdict": "misleading",
        },
        {"date": "2024-10-29", "note": "Typo fixed.", "previous_verdict": None, "new_verdict": None},
        {
            "date": "2024-11-02",
            "note": "New census; rating changed again.",
            "previous_verdict": "misleading",
            "new_verdict": "false",
        },
    ]
    assert [e["id"] for e in record["entities"]] == ["ruritania"]  # named in the statement
    assert record["mentioned"] == []


def test_claim_record_of_an_outside_appearance_and_of_media(site: Site) -> None:
    moon = claim_record(claim(site, "bob-says-the-moon-is-near"), site.settings)
    assert moon["appearance"] == {
        "source": None,
        "title": "Moon post",
        "publisher": "Example Blog",
        "url": "https://example.org/moon-post",
        "date": "2024-09-01",
        "type": None,
        "page_url": None,
        "quote": "the moon is 1,000 km away",
        "archive_url": None,
        "link_status": None,
    }
    assert moon["claimant"]["wikidata"] is None
    video = claim_record(claim(site, "video-shows-tanks"), site.settings)
    assert video["media"] == {
        "type": "video",
        "url": "https://example.org/video?a=1&b=2",
        "authenticity": "decontextualized",
        "schema_org": "DecontextualizedContent",
        "original_url": "https://example.org/original",
        "original_context": "Filmed in 2019 </script><script>alert('context')</script> at a parade.",
        "publisher": "Parade Channel </script><script>alert('publisher')</script>",
    }
    assert video["verdict"] == {"key": "unproven", "label": "Unproven", "rating": None}
    assert video["summary_text"] == "We could not confirm </script><script>alert('summary')</script> the location."
    assert video["summary"] != video["summary_text"]  # the Markdown (*location*) is kept in `summary`


def test_entity_record(site: Site) -> None:
    assert entity_record(site.entities["alice-example"], site) == {
        "id": "alice-example",
        "name": "Alice Example",
        "type": "person",
        "aliases": ["Alice", "A. Example"],
        "description": "A spokesperson used in fixtures.",
        "wikidata": "Q42",
        "wikidata_url": "https://www.wikidata.org/wiki/Q42",
        "url": BASE + "entities/alice-example/",
        "feed_url": BASE + "entities/alice-example/feed.xml",
        "related": ["example-agency"],
        "claims_as_claimant": ["ruritania-has-42-tanks", "agency-counted-11000-soldiers"],
        "claims_as_subject": [],
        "mentioned_in": [],
        "scorecard": {"as_claimant": {"false": 1, "true": 1}},
    }


def test_entity_records_leave_drafts_out(site: Site) -> None:
    bob = entity_record(site.entities["bob-quiet"], site)
    assert [c.id for c in site.claims_by(site.entities["bob-quiet"])] == ["bob-says-the-moon-is-near", DRAFT]
    assert bob["claims_as_claimant"] == ["bob-says-the-moon-is-near"]
    assert bob["scorecard"] == {"as_claimant": {"false": 1}}
    assert (bob["description"], bob["wikidata"], bob["wikidata_url"], bob["aliases"]) == (None, None, None, [])
    ruritania = entity_record(site.entities["ruritania"], site)
    assert ruritania["claims_as_subject"] == ["ruritania-has-42-tanks", "video-shows-tanks"]
    assert ruritania["mentioned_in"] == ["agency-counted-11000-soldiers"]
    # Claims about Ruritania are listed, never tallied as its record (it made none).
    assert ruritania["scorecard"] == {"as_claimant": {}}
    agency = entity_record(site.entities["example-agency"], site)
    assert agency["related"] == ["alice-example"]  # relations go both ways


# == exports: files ================================================================================


@pytest.fixture(scope="module")
def exported(site: Site) -> dict[str, str]:
    return exports(site, publisher_for(site.settings))


def test_export_paths(site: Site, exported: dict[str, str]) -> None:
    assert list(exported) == export_paths()
    assert export_paths() == [CLAIMS_JSON, CLAIMS_CSV, ENTITIES_JSON, CLAIMS_SCHEMA, ENTITIES_SCHEMA]
    published = Published(site)
    assert set(published.paths()) == set(published.files)


@pytest.mark.parametrize(("data", "schema"), [(CLAIMS_JSON, CLAIMS_SCHEMA), (ENTITIES_JSON, ENTITIES_SCHEMA)])
def test_exports_validate_against_their_schemas(exported: dict[str, str], data: str, schema: str) -> None:
    document, schema_doc = json.loads(exported[data]), json.loads(exported[schema])
    Draft202012Validator.check_schema(schema_doc)
    assert schema_doc["$id"] == BASE + schema
    assert document["$schema"] == BASE + schema
    validator = Draft202012Validator(schema_doc)
    assert [e.message for e in validator.iter_errors(document)] == []
    # ... and the schema is not vacuous: a wrong verdict key, a missing field fail
    broken = json.loads(exported[data])
    if data == CLAIMS_JSON:
        broken["claims"][0]["verdict"]["key"] = "no-such-verdict"
        del broken["claims"][1]["url"]
    else:
        broken["entities"][0]["scorecard"]["as_claimant"] = {"no-such-verdict": 1}
        del broken["entities"][1]["url"]
    assert len(list(validator.iter_errors(broken))) == 2


def test_schema_verdicts_follow_the_scale(model) -> None:
    scale = (
        Verdict("true", "Correct", "", "", "#000000", 3),
        Verdict("misleading", "Half", "", "", "#000000", 2),
        Verdict("false", "Wrong", "", "", "#000000", 1),
        Verdict("unproven", "Open", "", "", "#000000", None),
    )
    site = model("basic", scale=scale)
    files = exports(site, publisher_for(site.settings))
    schema = json.loads(files[CLAIMS_SCHEMA])
    keys = schema["properties"]["claims"]["items"]["properties"]["verdict"]["properties"]["key"]["enum"]
    assert keys == ["true", "misleading", "false", "unproven"]
    validator = Draft202012Validator(schema)
    document = json.loads(files[CLAIMS_JSON])
    assert list(validator.iter_errors(document)) == []
    document["claims"][0]["verdict"]["key"] = "mostly-true"  # in the default scale, not in this one
    assert len(list(validator.iter_errors(document))) == 1


def test_claims_json_holds_every_published_record(site: Site, exported: dict[str, str]) -> None:
    document = json.loads(exported[CLAIMS_JSON])
    assert document["count"] == 4
    assert document["site"] == {"name": PUBLISHER, "url": BASE, "publisher": PUBLISHER}
    assert document["last_modified"] == "2024-11-03"
    assert document["claims"] == [claim_record(c, site.settings) for c in site.published]
    # written record by record: the envelope as indent=1 writes it, each claim on one line
    lines = exported[CLAIMS_JSON].split("\n")
    records = [line.removeprefix("  ").removesuffix(",") for line in lines if line.startswith("  {")]
    assert [json.loads(line) for line in records] == document["claims"]
    envelope = json.dumps({**document, "claims": ["*"]}, ensure_ascii=False, indent=1) + "\n"
    before, after = envelope.split('  "*"')
    assert exported[CLAIMS_JSON] == before + ",\n".join("  " + r for r in records) + after
    entities = json.loads(exported[ENTITIES_JSON])
    assert entities["count"] == 5
    assert entities["entities"] == [entity_record(e, site) for e in site.entities.values()]


def test_drafts_are_never_exported(site: Site, exported: dict[str, str]) -> None:
    assert [c["id"] for c in json.loads(exported[CLAIMS_JSON])["claims"]] == PUBLISHED_IDS
    assert [r["id"] for r in csv_rows(exported[CLAIMS_CSV])] == PUBLISHED_IDS
    for path in (CLAIMS_JSON, CLAIMS_CSV, ENTITIES_JSON):
        assert DRAFT not in exported[path], path


def test_claims_csv(exported: dict[str, str]) -> None:
    text = exported[CLAIMS_CSV]
    assert text.startswith(",".join(CSV_COLUMNS) + "\r\n")
    rows = {r["id"]: r for r in csv_rows(text)}
    tanks = rows["ruritania-has-42-tanks"]
    assert tanks["summary"] == "'=SUM(1+1) The count leaves out reserves."  # would run as a formula
    assert tanks["statement"] == "Ruritania has 42 tanks"  # ordinary text is left alone
    assert tanks["url"] == BASE + "claims/ruritania-has-42-tanks/"
    assert (tanks["verdict"], tanks["verdict_label"], tanks["rating"]) == ("false", "False", "1")
    assert (tanks["updated"], tanks["verdict_changes"]) == ("2024-11-03", "2")
    assert (tanks["entities"], tanks["tags"]) == ("ruritania", "figures; tanks")
    agency = rows["agency-counted-11000-soldiers"]
    assert agency["evidence_urls"] == "https://example.org/briefing https://example.org/denial"
    assert agency["appearance_url"] == "https://example.org/article"
    assert (agency["updated"], agency["verdict_changes"]) == ("", "0")
    assert rows["video-shows-tanks"]["rating"] == ""  # off the scale
    assert rows["bob-says-the-moon-is-near"]["appearance_title"] == "Moon post"


def test_csv_cells_that_a_spreadsheet_would_run_are_prefixed(site: Site) -> None:
    agency = claim(site, "agency-counted-11000-soldiers")
    source = dataclasses.replace(agency.appearance.source, title="\tTabbed title", publisher="\rReturn publisher")
    hostile = dataclasses.replace(
        agency,
        statement='=HYPERLINK("https://evil.example","x")',
        summary="+1+cmd",
        claimant=dataclasses.replace(agency.claimant, name="-2+3"),
        authors=("@SUM(A1)", "Test Author"),
        appearance=dataclasses.replace(agency.appearance, source=source),
    )
    changed = dataclasses.replace(site, claims=(hostile,))
    (row,) = csv_rows(exports(changed, publisher_for(changed.settings))[CLAIMS_CSV])
    assert row["statement"] == '\'=HYPERLINK("https://evil.example","x")'
    assert row["summary"] == "'+1+cmd"
    assert row["claimant_name"] == "'-2+3"
    assert row["authors"] == "'@SUM(A1); Test Author"
    assert row["appearance_title"] == "'\tTabbed title"
    assert row["appearance_publisher"] == "'\rReturn publisher"
    assert row["claimant"] == "alice-example"
    assert row["id"] == "agency-counted-11000-soldiers"


def test_exports_without_directory_urls_are_absolute_html_urls(model) -> None:
    site = model(directory_urls=False, include_drafts=True)
    files = exports(site, publisher_for(site.settings))
    claims = json.loads(files[CLAIMS_JSON])
    assert claims["site"]["url"] == BASE + "index.html"
    assert claims["$schema"] == BASE + CLAIMS_SCHEMA
    for record in claims["claims"]:
        assert record["url"] == BASE + f"claims/{record['id']}.html"
        assert record["claimant"]["url"] == BASE + f"entities/{record['claimant']['id']}.html"
        for ref in (*record["entities"], *record["mentioned"]):
            assert ref["url"] == BASE + f"entities/{ref['id']}.html"
        if record["appearance"]["source"]:
            assert record["appearance"]["page_url"] == BASE + f"sources/{record['appearance']['source']}.html"
    assert [r["url"] for r in csv_rows(files[CLAIMS_CSV])] == [BASE + f"claims/{i}.html" for i in PUBLISHED_IDS]
    for entity in json.loads(files[ENTITIES_JSON])["entities"]:
        assert entity["url"] == BASE + f"entities/{entity['id']}.html"
        assert entity["feed_url"] == BASE + f"entities/{entity['id']}/feed.xml"


def test_exports_without_a_site_url_are_root_relative(model) -> None:
    site = model(site_url="", publisher_url="")
    files = exports(site, publisher_for(site.settings))
    claims = json.loads(files[CLAIMS_JSON])
    assert claims["site"]["url"] == "/"
    assert claims["claims"][0]["url"] == "/claims/ruritania-has-42-tanks/"
    assert list(Draft202012Validator(json.loads(files[CLAIMS_SCHEMA])).iter_errors(claims)) == []


def test_every_feed_carries_the_newest_feed_length_entries_only(tmp_path: Path) -> None:
    """Feeds announce: the site and corrections feeds hold the newest FEED_LENGTH entries, an entity's ENTITY_FEED_LENGTH."""
    from conftest import make_project

    from factcheck.model.loader import load_site
    from factcheck.publish.feeds import ENTITY_FEED_LENGTH, FEED_LENGTH
    from factcheck.settings import load_settings

    project = make_project(tmp_path / "p", "publish")
    template = (project / "claims" / "agency-counted-11000-soldiers.yaml").read_text(encoding="utf-8")
    extra = FEED_LENGTH + 7
    for n in range(extra):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=n)  # newer than every fixture claim
        text = template.replace("published: 2024-10-25", f"published: {day.isoformat()}")
        text = text.replace("claim_date: 2024-10-18", "claim_date: 2023-12-01")
        text = text.replace(
            "authors: [Test Author]",
            f"authors: [Test Author]\nupdates:\n  - date: {day.isoformat()}\n    note: Checked again.",
        )
        (project / "claims" / f"bulk-claim-{n:03d}.yaml").write_text(text, encoding="utf-8")
    site = load_site(load_settings(project / "mkdocs.yml"))
    written = dict(iter_feeds(site, publisher_for(site.settings)))

    def titles_and_days(path: str) -> list[tuple[str, str]]:
        entries = ET.fromstring(written[path].encode()).findall(f"{ATOM}entry")
        return [(e.findtext(f"{ATOM}id"), e.findtext(f"{ATOM}updated")) for e in entries]

    agency = titles_and_days(entity_feed_path(site.entities["example-agency"]))
    assert ENTITY_FEED_LENGTH < FEED_LENGTH
    assert len(agency) == ENTITY_FEED_LENGTH
    newest = [f"bulk-claim-{n:03d}" for n in range(extra - 1, extra - 1 - ENTITY_FEED_LENGTH, -1)]
    assert [entry_id.rstrip("/").rsplit("/", 1)[-1] for entry_id, _ in agency] == newest
    assert len(titles_and_days(SITE_FEED)) == FEED_LENGTH
    corrections = titles_and_days(CORRECTIONS_FEED)
    assert len(corrections) == FEED_LENGTH
    assert corrections == sorted(corrections, key=lambda e: e[1], reverse=True)


def test_csv_numbers_are_not_taken_for_formulas(site: Site) -> None:
    """A scale may rate below zero (say -2 to 2): the rating column keeps the number as it is."""
    agency = claim(site, "agency-counted-11000-soldiers")
    below_zero = dataclasses.replace(agency, verdict=dataclasses.replace(agency.verdict, rating=-2))
    changed = dataclasses.replace(site, claims=(below_zero,))
    (row,) = csv_rows(exports(changed, publisher_for(changed.settings))[CLAIMS_CSV])
    assert row["rating"] == "-2"
