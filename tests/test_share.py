"""Fact-checks that travel: share cards, the embeddable card, oEmbed and share links, on real builds.

Each check starts from what a consumer reads: a page's own metadata (og:image and its size,
type and text alternative; the oEmbed discovery link), then the file it names (the PNG, read
with Pillow and with Tesseract's OCR; the oEmbed JSON, checked against the oEmbed rules; the
embed page, parsed). The card cache is checked by editing a statement and rebuilding.
"""

from __future__ import annotations

import io
import json
import os
import posixpath
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import BuiltSite, build, make_project, run_build_py, set_config
from hostile_payloads import PAYLOADS
from PIL import Image

from factcheck.resources import TEMPLATES_DIR
from factcheck.settings import load_settings
from factcheck.share.cards import CardLayoutError, Painter, card_path, clean, plan_cards, read_layout, wrap
from factcheck.share.embeds import EMBED_SCRIPT

MAX_CARD_BYTES = 50_000  # the limit; the cards are about 15 kB
SITE_URL = "https://factcheck-microsite.github.io/factcheck/"  # the repository's mkdocs.yml, which fixtures use


def meta(page: BeautifulSoup, key: str) -> str | None:
    el = page.select_one(f'meta[property="{key}"], meta[name="{key}"]')
    return el["content"] if el else None


def local(site: BuiltSite, url: str) -> Path:
    """The file an absolute URL of the site names."""
    assert url.startswith(SITE_URL), url
    path = site.site / unquote(url[len(SITE_URL) :])
    return path / "index.html" if url.endswith("/") else path


def published_claims(site: BuiltSite) -> list[dict]:
    return json.loads((site.site / "api" / "claims.json").read_text(encoding="utf-8"))["claims"]


def ocr(image: Path, lang: str = "eng") -> str:
    """Read a card's text with Tesseract (Debian's tesseract-ocr, installed by .ci/install)."""
    if shutil.which("tesseract") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("tesseract is not installed (.ci/install installs tesseract-ocr)")
        pytest.skip("tesseract is not installed (Debian: apt-get install tesseract-ocr tesseract-ocr-rus)")
    listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=60)
    have = set((listed.stdout + listed.stderr).split())
    missing = [code for code in lang.split("+") if code not in have]
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"tesseract has no {'+'.join(missing)} data (.ci/install installs tesseract-ocr-{missing[0]})")
        pytest.skip(f"tesseract has no {'+'.join(missing)} data (Debian: apt-get install tesseract-ocr-{missing[0]})")
    out = subprocess.run(["tesseract", str(image), "stdout", "-l", lang], capture_output=True, check=True, timeout=60)
    return " ".join(out.stdout.decode("utf-8").split())


# -- share cards -----------------------------------------------------------------------------------


def test_every_claim_entity_and_the_home_page_advertise_a_card_that_exists(basic_site: BuiltSite) -> None:
    claims = published_claims(basic_site)
    pages = [c["url"] for c in claims]
    pages += [e["url"] for e in json.loads((basic_site.site / "api" / "entities.json").read_text())["entities"]]
    pages.append(SITE_URL)
    assert len(claims) == 2 and len(pages) > 5
    for url in pages:
        page = BeautifulSoup(local(basic_site, url).read_text(encoding="utf-8"), "html.parser")
        image = meta(page, "og:image")
        assert image and image.startswith(SITE_URL) and image.endswith("/card.png"), url
        assert meta(page, "twitter:image") == image
        assert meta(page, "twitter:card") == "summary_large_image"
        assert (meta(page, "og:image:width"), meta(page, "og:image:height")) == ("1200", "630")
        assert meta(page, "og:image:type") == "image/png"
        assert meta(page, "og:image:alt") and meta(page, "twitter:image:alt") == meta(page, "og:image:alt")
        card = local(basic_site, image)
        assert 0 < card.stat().st_size <= MAX_CARD_BYTES, (card, card.stat().st_size)
        with Image.open(card) as png:
            assert png.format == "PNG" and png.size == (1200, 630)
    # The alternative text says the verdict and the statement.
    for claim in claims:
        page = BeautifulSoup(local(basic_site, claim["url"]).read_text(encoding="utf-8"), "html.parser")
        alt = meta(page, "og:image:alt")
        assert alt.startswith(f"{claim['verdict']['label']}: “{claim['statement']}”"), alt


def test_every_page_with_opengraph_tags_has_an_image_its_own_card_or_the_sites(basic_site: BuiltSite) -> None:
    """ogp.me requires og:image: lists, tags and hand-written pages show the home page's card."""
    home_card = meta(
        BeautifulSoup((basic_site.site / "index.html").read_text(encoding="utf-8"), "html.parser"), "og:image"
    )
    assert home_card == SITE_URL + "card.png"
    fallback = 0
    for html in sorted(basic_site.site.rglob("*.html")):
        rel = html.relative_to(basic_site.site).as_posix()
        page = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        if meta(page, "og:title") is None:
            # Only the error page and the embeds (noindex, for frames) carry no OpenGraph tags.
            # The editor at admin/ is an application, not a page to share.
            assert rel in ("404.html", "admin/index.html") or rel.endswith("/embed/index.html"), rel
            continue
        image = meta(page, "og:image")
        assert image is not None, rel
        own = SITE_URL + posixpath.dirname(rel) + "/card.png"
        assert image in (own, home_card), (rel, image)
        assert local(basic_site, image).is_file()
        assert meta(page, "og:image:alt") and meta(page, "twitter:card") == "summary_large_image", rel
        fallback += image == home_card and rel != "index.html"
    assert fallback > 10  # tags, ratings, sources, the lists and the hand-written pages


def test_a_card_shows_its_verdict_statement_claimant_and_the_site(basic_site: BuiltSite) -> None:
    """OCR reads the verdict label (never colour alone) and the words around it."""
    for claim in published_claims(basic_site):
        text = ocr(local(basic_site, claim["url"] + "card.png"))
        assert claim["verdict"]["label"] in text, text
        assert claim["statement"] in text.replace("’", "'"), text
        assert f"Claimed by {claim['claimant']['name']}" in text, text
        assert "North Korea" in text and "Fact Check" in text, text


def test_cards_draw_contributor_text_as_characters(hostile_site: BuiltSite) -> None:
    """A statement of markup or template syntax is drawn as those characters, never read."""
    from factcheck.model.loader import load_site

    site = load_site(load_settings(hostile_site.project / "mkdocs.yml"))
    cards = plan_cards(site)
    for claim in site.claims:  # the statement as written, on one line (whitespace of any kind is a space)
        assert clean(f"“{claim.statement}”") == " ".join(f"“{claim.statement}”".split())
        assert clean(f"“{claim.statement}”") in cards[claim.src_uri].texts
    # The template payload stays as written: the layout's expressions see it as a value.
    p30 = next(c for c in site.claims if c.id == "p30-hostile")
    assert "{{ 7*7 }}" in cards[p30.src_uri].texts[1] and "49" not in cards[p30.src_uri].texts[1]
    # And on the image: OCR of the script payload's card reads its characters.
    text = ocr(hostile_site.site / "claims" / "p01-hostile" / "card.png")
    assert "<script>" in text and "pwned" in text, text
    # The alternative text is an attribute value: parsed, it is the text itself.
    page = hostile_site.page("claims/p01-hostile/")
    assert meta(page, "og:image:alt").startswith(f"{site.claims[0].verdict.label}: “Statement p01: <script>")


def test_long_text_is_shortened_at_a_word_with_an_ellipsis() -> None:
    measure = len  # one unit a character
    lines, complete = wrap("one two three four five six seven", measure, 9, 2)
    assert (lines, complete) == (["one two", "three…"], False)
    assert wrap("short text", measure, 20, 2) == (["short text"], True)
    lines, complete = wrap("a" * 25, measure, 10, 2)  # one word wider than a line is broken
    assert lines == ["a" * 10, "a" * 9 + "…"] and not complete
    # With real fonts: a 300-character statement fits its lines, ending in an ellipsis.
    painter = Painter()
    font = painter.font("regular", 34)
    lines, complete = wrap(" ".join(["Ukraine"] * 60), font.getlength, 1072, 5)
    assert not complete and len(lines) == 5 and lines[-1].endswith("…")
    assert all(font.getlength(line) <= 1072 for line in lines)


def test_the_layout_is_the_sites_to_change(tmp_path: Path) -> None:
    """templates/card.yml decides the colours and texts; a bad value is refused with the place and the fix."""
    from factcheck.model.loader import load_site

    project = make_project(tmp_path / "p")
    (project / "templates").mkdir()
    shutil.copy(TEMPLATES_DIR / "card.yml", project / "templates")
    layout = project / "templates" / "card.yml"
    layout.write_text(
        layout.read_text(encoding="utf-8").replace('background: "#f6f6f2"', 'background: "#102030"'), encoding="utf-8"
    )
    site = load_site(load_settings(project / "mkdocs.yml"))
    card = plan_cards(site)["index.md"]
    with Image.open(io.BytesIO(Painter().draw(card))) as png:
        assert png.convert("RGB").getpixel((600, 300)) == (0x10, 0x20, 0x30)
    layout.write_text(layout.read_text(encoding="utf-8").replace("size: [68, 52]", "size: big"), encoding="utf-8")
    with pytest.raises(
        CardLayoutError, match=r"templates/card.yml: kinds.claim.elements\[1\].size: 'big' is not allowed"
    ):
        read_layout(project / "templates")
    result = run_build_py(project, "build", "--site-dir", str(project / "site"))
    assert result.returncode == 1
    assert (
        "templates/card.yml: kinds.claim.elements[1].size: 'big' is not allowed: give a whole number" in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()


def test_an_edited_statement_changes_its_card_and_nothing_else(project: Path) -> None:
    """The cache is keyed by what a card shows: one edit draws one card; every other card is reused."""
    first = build(project)
    cache = project / ".cache" / "factcheck" / "cards"
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cache.glob("*.png")}
    cards_before = {p.relative_to(first.site).as_posix(): p.read_bytes() for p in first.site.rglob("card.png")}
    claim = project / "claims" / "ruritania-has-42-tanks.yaml"
    text = claim.read_text(encoding="utf-8")
    # Cyrillic too: the committed font draws it, and OCR reads it back.
    claim.write_text(
        text.replace("statement: Ruritania has 42 tanks", "statement: Ruritania has 42 tanks (В Руритании 42 танка)"),
        encoding="utf-8",
    )
    second = build(project)
    after = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cache.glob("*.png")}
    cards_after = {p.relative_to(second.site).as_posix(): p.read_bytes() for p in second.site.rglob("card.png")}
    assert len(set(after) - set(before)) == 1  # one card drawn
    assert len(set(before) - set(after)) == 1  # the old one no page uses is gone from the cache
    assert all(after[name] == before[name] for name in set(after) & set(before))  # the rest untouched
    assert sorted(cards_after) == sorted(cards_before)
    changed = [path for path in cards_after if cards_after[path] != cards_before[path]]
    assert changed == ["claims/ruritania-has-42-tanks/card.png"]
    text = ocr(second.site / changed[0], "rus+eng")
    assert "Руритании" in text and "Misleading" in text, text


def test_without_cards_pages_keep_a_summary_card_and_the_embed_keeps_working(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    set_config(project, "    page_size: 50\n", "    page_size: 50\n    share_cards: false\n")
    kept = project / ".cache" / "factcheck" / "cards" / f"{'0' * 64}.png"  # a card drawn by an earlier build
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"png")
    site = build(project)
    assert not list(site.site.rglob("card.png"))
    assert [p.name for p in kept.parent.iterdir()] == [kept.name]  # the cache is left alone
    page = site.page("claims/ruritania-has-42-tanks/")
    assert meta(page, "og:image") is None and meta(page, "twitter:card") == "summary"
    oembed = json.loads((site.site / "claims" / "ruritania-has-42-tanks" / "oembed.json").read_text())
    assert "thumbnail_url" not in oembed and oembed["type"] == "rich"
    assert (site.site / "claims" / "ruritania-has-42-tanks" / "embed" / "index.html").is_file()


def test_without_a_site_url_nothing_offers_a_relative_address(tmp_path: Path) -> None:
    """og:image, oEmbed, share links and embed code need absolute URLs: without site_url there are none."""
    import dataclasses

    from factcheck.model.loader import load_site
    from factcheck.publish.published import Published
    from factcheck.render.pages import SiteRenderer

    project = make_project(tmp_path / "p")
    settings = dataclasses.replace(load_settings(project / "mkdocs.yml"), site_url="")
    site = load_site(settings)
    published = Published(site, plan_cards(site))
    head = published.heads.head("claims/ruritania-has-42-tanks.md", None, None)
    html = str(published.heads.html("claims/ruritania-has-42-tanks.md", head))
    assert "og:image" not in html and "oembed" not in html and 'content="summary"' in html
    page = next(p for p in SiteRenderer(site).plan() if p.src_uri == "claims/ruritania-has-42-tanks.md")
    rendered = page.render().html
    assert "fc-sharing" not in rendered and "https://x.com" not in rendered


def test_card_paths() -> None:
    assert card_path("claims/x.md") == "claims/x/card.png"
    assert card_path("entities/y.md") == "entities/y/card.png"
    assert card_path("index.md") == "card.png"


# -- the embeddable card and oEmbed ------------------------------------------------------------------


def test_every_published_claim_has_an_embed_page_and_an_oembed_document(basic_site: BuiltSite) -> None:
    claims = published_claims(basic_site)
    assert not (basic_site.site / "claims" / "the-sky-is-green" / "embed").exists()  # drafts are not embedded
    for claim in claims:
        page = BeautifulSoup(local(basic_site, claim["url"]).read_text(encoding="utf-8"), "html.parser")
        # Discovery: the claim page names its oEmbed document.
        link = page.select_one('head link[type="application/json+oembed"]')
        assert link is not None and "alternate" in link["rel"] and link["title"] == claim["statement"]
        data = json.loads(local(basic_site, link["href"]).read_text(encoding="utf-8"))
        # The oEmbed rules (oembed.com, 2.3.4 and 2.3.4.4): version 1.0; type rich with html,
        # width and height; the thumbnail's url, width and height all three or none.
        assert data["version"] == "1.0" and data["type"] == "rich"
        assert isinstance(data["html"], str) and data["html"]
        assert all(isinstance(data[k], int) and data[k] > 0 for k in ("width", "height"))
        assert data["title"] == claim["statement"] and data["provider_url"] == SITE_URL
        thumbnail = {k for k in data if k.startswith("thumbnail_")}
        assert thumbnail == {"thumbnail_url", "thumbnail_width", "thumbnail_height"}
        assert local(basic_site, data["thumbnail_url"]).is_file()
        frame = BeautifulSoup(data["html"], "html.parser").select_one("iframe")
        assert frame is not None and frame["title"] == f"Fact-check: {claim['statement']}"
        assert (int(frame["width"]), int(frame["height"])) == (data["width"], data["height"])
        assert "allow-scripts" not in frame["sandbox"]
        # The embed page it frames: the verdict, statement, claimant, date and a link back.
        embed_file = local(basic_site, frame["src"])
        embed = BeautifulSoup(embed_file.read_text(encoding="utf-8"), "html.parser")
        assert embed.select_one(".verdict").get_text(" ", strip=True).endswith(claim["verdict"]["label"])
        assert embed.select_one("blockquote").get_text(strip=True) == f"“{claim['statement']}”"
        meta_text = " ".join(embed.select_one(".meta").get_text().split())
        assert claim["claimant"]["name"] in meta_text and "2024" in meta_text
        back = embed.select_one("main a")
        assert back["href"] == claim["url"] and back["target"] == "_blank" and "noopener" in back["rel"]
        # One script, the package's own (WordPress's embed protocol), inline: nothing to fetch.
        assert [s.string for s in embed.find_all("script")] == [str(EMBED_SCRIPT)]
        assert embed.find("link", rel="stylesheet") is None
        assert embed.select("[src]") == []  # nothing to fetch
        assert "default-src 'none'" in embed.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
        # The claim page offers the same frame to copy, and a plain-HTML fallback.
        code = page.select_one("#fc-embed-frame").get_text()
        assert code == data["html"]
        quote = BeautifulSoup(page.select_one("#fc-embed-quote").get_text(), "html.parser").select_one("blockquote")
        assert quote["cite"] == claim["url"] and claim["statement"] in quote.get_text()
        assert quote.select_one("a")["href"] == claim["url"]
    assert embed_file.stat().st_size < 4000


def test_hostile_text_in_embeds_and_oembed_is_text(hostile_site: BuiltSite) -> None:
    for pid, payload in sorted(PAYLOADS.items()):
        folder = hostile_site.site / "claims" / f"{pid}-hostile"
        statement = f"Statement {pid}: {payload}"
        embed = BeautifulSoup((folder / "embed" / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert [s.string for s in embed.find_all("script")] == [str(EMBED_SCRIPT)] and embed.find("iframe") is None
        assert " ".join(embed.select_one("blockquote").get_text().split()) == " ".join(f"“{statement}”".split())
        data = json.loads((folder / "oembed.json").read_text(encoding="utf-8"))
        frames = BeautifulSoup(data["html"], "html.parser").find_all(True)
        assert [el.name for el in frames] == ["iframe"]  # the statement made no element
        assert " ".join(frames[0]["title"].split()) == " ".join(f"Fact-check: {statement}".split())
        page = hostile_site.page(f"claims/{pid}-hostile/")
        code = BeautifulSoup(page.select_one("#fc-embed-quote").get_text(), "html.parser")
        assert [el.name for el in code.find_all(True)] == ["blockquote", "p", "strong", "p", "a"]


# -- share links ------------------------------------------------------------------------------------


def test_share_links_are_plain_prefilled_and_named(basic_site: BuiltSite) -> None:
    claim = next(c for c in published_claims(basic_site) if c["id"] == "ruritania-has-42-tanks")
    page = basic_site.page("claims/ruritania-has-42-tanks/")
    section = page.select_one("section.fc-sharing")
    assert section["aria-labelledby"] == "share" and section.select_one("h2#share")
    links = {urlsplit(a["href"]).netloc or urlsplit(a["href"]).scheme: a for a in section.select("a.fc-share__link")}
    assert sorted(links) == ["mailto", "t.me", "wa.me", "www.facebook.com", "x.com"]
    text = f"{claim['verdict']['label']}: “{claim['statement']}”"
    query = {host: parse_qs(urlsplit(a["href"]).query) for host, a in links.items()}
    assert query["x.com"] == {"text": [text], "url": [claim["url"]]}
    assert query["www.facebook.com"] == {"u": [claim["url"]]}
    assert query["wa.me"] == {"text": [f"{text} {claim['url']}"]}
    assert query["t.me"] == {"url": [claim["url"]], "text": [text]}
    assert query["mailto"]["body"] == [f"{text}\n\n{claim['url']}"]
    for host, a in links.items():
        # A screen reader hears where the link goes; nothing runs, nothing tracks.
        name = " ".join(a.get_text().split())
        assert "share" in name.lower() and (host == "mailto" or "new tab" in name), name
        if host != "mailto":
            assert a["target"] == "_blank" and set(a["rel"]) >= {"noopener", "noreferrer"}
        assert not any(attr.startswith("on") for attr in a.attrs)
    # The address to copy is there as text without the script; the copy button comes with it.
    field = section.select_one("#fc-share-url")
    assert field["value"] == claim["url"] and field.has_attr("readonly")
    assert section.select_one(f'label[for="{field["id"]}"]').get_text(strip=True)
    assert all(b.has_attr("hidden") for b in section.select("button[data-fc-copy]"))


def test_sharing_settings_are_checked_and_named_in_the_error(tmp_path: Path) -> None:
    from factcheck.settings import SettingsError, settings_from_config

    config = tmp_path / "mkdocs.yml"
    settings = settings_from_config({}, config)
    assert settings.share_cards and settings.card_cache_dir == tmp_path.resolve() / ".cache" / "factcheck" / "cards"
    settings = settings_from_config(
        {"extra": {"factcheck": {"share_cards": False, "card_cache": "cache/cards"}}}, config
    )
    assert not settings.share_cards and settings.card_cache_dir == tmp_path.resolve() / "cache" / "cards"
    with pytest.raises(
        SettingsError, match=r"^mkdocs.yml: extra.factcheck.share_cards: 'no' is not allowed: give true or false"
    ):
        settings_from_config({"extra": {"factcheck": {"share_cards": "no"}}}, config)
    with pytest.raises(
        SettingsError, match=r"^mkdocs.yml: extra.factcheck.card_cache: 3 is not allowed: give a folder"
    ):
        settings_from_config({"extra": {"factcheck": {"card_cache": 3}}}, config)
