"""The interface in another language: German and Ukrainian sites with no English left, an Arabic one right to left.

The German and Ukrainian sites are the publish fixture (updates, a verdict change, a video,
a draft) built with `--drafts`, two items to a list page (so every list has later pages),
the example rating scale of the README for the language, and navigation titles taken from
the pages. Every generated page, the feeds and the filter data are parsed; the English
strings looked for are the message ids of the catalogue itself, so a string added to a
template is looked for too. The catalogue test extracts the messages from the templates and
the code as `pybabel extract` does and fails on any without a German or Ukrainian translation.
"""

# ruff: noqa: F811 - the browser test takes the fixture imported from tests/test_browser.py

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml
from babel.dates import format_date
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from conftest import REPO, BuiltSite, build, load_model, make_project
from markupsafe import Markup
from test_browser import browser, load, open_page, serve, shot  # noqa: F401 - browser is a fixture

from factcheck.publish.search import documents
from factcheck.render.i18n import LOCALE_DIR, Interface, catalogue_path

LANGUAGES = ("de", "uk")
TERRITORY = {"de": "de_DE", "uk": "uk_UA", "ar": "ar_EG", "en": "en_GB"}
README_SCALE = {"de": "# German (theme.language: de)", "uk": "# Ukrainian (theme.language: uk)"}
HAND_WRITTEN = {"about", "methodology", "corrections-policy", "propose-a-claim"}
NAV_TITLES = {  # the site's own navigation titles of its hand-written pages, in its language
    "de": {
        "index.md": "Startseite",
        "methodology.md": "Methodik",
        "about.md": "Über uns",
        "corrections-policy.md": "Korrekturrichtlinie",
        "propose-a-claim.md": "Behauptung vorschlagen",
    },
    "uk": {
        "index.md": "Головна",
        "methodology.md": "Методологія",
        "about.md": "Про нас",
        "corrections-policy.md": "Політика виправлень",
        "propose-a-claim.md": "Запропонувати заяву",
    },
}
HEAD_TEXT = {
    "description",
    "og:title",
    "og:description",
    "og:site_name",
    "twitter:title",
    "twitter:description",
    "og:image:alt",
    "twitter:image:alt",
}
PLACEHOLDER = re.compile(r"%\((\w+)\)s|\{(\w+)\}")
TAG = re.compile(r"<[^>]+>")


def example_scale(language: str) -> list[dict]:
    """docs/languages.md's example rating scale for a language (the documentation is what is tested)."""
    readme = (REPO / "docs" / "languages.md").read_text(encoding="utf-8")
    for block in re.findall(r"```yaml\n(.*?)```", readme, re.S):
        if block.startswith(README_SCALE[language]):
            return yaml.safe_load(block)["extra"]["factcheck"]["scale"]
    raise AssertionError(f"docs/languages.md has no example scale for {language}")


def localised_project(dest: Path, language: str, fixture: str = "publish", page_size: int = 2) -> Path:
    """A fixture project whose mkdocs.yml is set to a language, as a site in that language would be."""
    project = make_project(dest, fixture)
    config_file = project / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["theme"]["language"] = language
    factcheck = config["extra"]["factcheck"]
    factcheck["page_size"] = page_size
    if language in README_SCALE:
        factcheck["scale"] = example_scale(language)
    # The site's own words: its navigation titles (the generated pages' come from their titles)
    # and the permalink title of its Markdown.
    nav = [entry if isinstance(entry, str) else next(iter(entry.values())) for entry in config["nav"]]
    titles = NAV_TITLES.get(language, {})
    config["nav"] = [
        {titles[item]: item} if item in titles else item
        for entry in nav
        for item in (entry if isinstance(entry, list) else [entry])
    ]
    permalink = Interface.load(language).gettext("Permanent link")
    config["markdown_extensions"] = [
        {"toc": {"permalink": True, "permalink_title": permalink}} if ext == {"toc": {"permalink": True}} else ext
        for ext in config["markdown_extensions"]
    ]
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return project


@pytest.fixture(scope="module", params=LANGUAGES)
def localised(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, BuiltSite]:
    """(language, the publish fixture built in it with drafts), once per language."""
    language = request.param
    return language, build(localised_project(tmp_path_factory.mktemp(f"i18n-{language}") / "p", language), "--drafts")


# -- the catalogue ----------------------------------------------------------------------------------


def catalogue(language: str):
    with catalogue_path(language).open("rb") as po:
        return read_po(po, locale=language)


def extracted() -> set[str | tuple[str, str]]:
    """Every message of the templates and the code, found as `pybabel extract -F babel.cfg -k N_ -k t` finds them."""
    keywords = {**DEFAULT_KEYWORDS, "N_": None, "t": None}
    method_map = [
        ("factcheck/**.py", "python"),
        ("factcheck/templates/**.j2", "jinja2"),
        ("factcheck/templates/card.yml", "jinja2"),
    ]
    options = {
        "factcheck/templates/**.j2": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"},
        "factcheck/templates/card.yml": {"extensions": "jinja2.ext.i18n"},
    }
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(REPO), method_map, options, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else tuple(message[:2]))
    return found


def test_babel_cfg_is_the_extraction_the_tests_use() -> None:
    text = (REPO / "babel.cfg").read_text(encoding="utf-8")
    assert "[python: factcheck/**.py]" in text and "[jinja2: factcheck/templates/**.j2]" in text
    assert "[jinja2: factcheck/templates/card.yml]" in text
    assert "extensions = jinja2.ext.i18n" in text


CATALOGUES = sorted(p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/messages.po"))


def test_german_and_ukrainian_are_shipped() -> None:
    assert set(LANGUAGES) <= set(CATALOGUES)


@pytest.mark.parametrize("language", CATALOGUES)
def test_every_message_has_a_translation(language: str) -> None:
    """A message added to a template or the code, and not translated, fails here (see CONTRIBUTING.md)."""
    messages = extracted()
    assert len(messages) > 150, "the extraction found the interface's messages"
    cat = catalogue(language)
    ids = {m.id for m in cat if m.id}
    assert messages - ids == set(), f"messages without a {language} entry: run the update command in CONTRIBUTING.md"
    assert ids - messages == set(), f"{language} catalogue has entries no template or code uses any more"
    template = read_po((LOCALE_DIR / "messages.pot").open("rb"))
    assert {m.id for m in template if m.id} == messages, "messages.pot is out of date: run the extract command"
    plurals = cat.num_plurals
    for message in cat:
        if not message.id:
            continue
        forms = list(message.string) if isinstance(message.string, tuple) else [message.string]
        assert not message.fuzzy, f"{language}: fuzzy (unchecked) translation of {message.id!r}"
        assert all(forms) and len(forms) == (plurals if isinstance(message.id, tuple) else 1), (
            f"{language}: {message.id!r} is not translated"
        )
        source = message.id if isinstance(message.id, str) else message.id[1]
        wanted = {m.group(0) for m in PLACEHOLDER.finditer(source)}
        for form in forms:
            # A translation may leave %(num)s out of a form (the count is then said in words), nothing else.
            have = {m.group(0) for m in PLACEHOLDER.finditer(form)}
            assert have <= wanted and wanted - have <= {"%(num)s"}, f"{language}: {message.id!r} -> {form!r}"
            assert TAG.findall(form) == TAG.findall(source) or _same_tags(form, source), (
                f"{language}: the markup of {message.id!r} changed in {form!r}"
            )


def _same_tags(form: str, source: str) -> bool:
    """Translations may move the markup around a message, never change it."""
    return sorted(TAG.findall(form)) == sorted(TAG.findall(source))


# -- no English left ----------------------------------------------------------------------------------


def english_fragments(language: str) -> dict[str, str]:
    """The words of every English message, between its placeholders and tags, that its translation does not share."""
    out: dict[str, str] = {}
    for message in catalogue(language):
        if not message.id:
            continue
        sources = [message.id] if isinstance(message.id, str) else list(message.id)
        forms = list(message.string) if isinstance(message.string, tuple) else [message.string]
        translated = " ".join(TAG.sub(" ", f) for f in forms)
        for source in sources:
            for piece in PLACEHOLDER.split(TAG.sub("\0", source)):
                for part in (piece or "").split("\0"):
                    fragment = part.strip(" .,:;()·–“”\"'")
                    if re.search(r"[A-Za-z]{2}", fragment) and fragment not in translated:
                        out[fragment] = source
    return out


def texts_of(soup: BeautifulSoup) -> list[str]:
    """What a reader (or a screen reader, or a crawler) gets from a page: its text and its labels.

    Tags are left out: they are contributors' words (the fixture has a tag `video`).
    """
    for tag in soup.select(".fc-tag"):
        tag.decompose()
    texts = [s.strip() for s in soup.find_all(string=True) if s.parent.name not in ("script", "style")]
    for el in soup.find_all(True):
        for name, value in el.attrs.items():
            if name in ("title", "aria-label", "placeholder", "alt", "data-unavailable") or name.startswith(
                "data-msg-"
            ):
                texts.append(str(value).strip())
        if el.name == "meta" and (el.get("name") or el.get("property")) in HEAD_TEXT:
            texts.append(el.get("content", "").strip())
    texts += [t.split(":")[0].strip() for t in texts if ":" in t]  # a label before its value: "Source: x"
    return [t for t in texts if t]


def english_left(texts: list[str], fragments: dict[str, str]) -> set[str]:
    found = set()
    for fragment in fragments:
        several_words = " " in fragment
        for text in texts:
            if text == fragment or (several_words and fragment in text):
                found.add(fragment)
                break
    return found


def generated_pages(site: Path) -> list[Path]:
    pages = []
    for html in sorted(site.rglob("index.html")):
        rel = html.relative_to(site).as_posix()
        if rel.split("/")[0] not in HAND_WRITTEN:
            pages.append(html)
    return pages


def test_no_english_interface_string_is_left_on_any_page_type(localised: tuple[str, BuiltSite]) -> None:
    language, site = localised
    fragments = english_fragments(language)
    assert {"What we found", "Evidence", "Claimed by", "Supports"} <= set(fragments)
    pages = generated_pages(site.site)
    kinds = {p.relative_to(site.site).parts[0] if len(p.relative_to(site.site).parts) > 1 else "home" for p in pages}
    assert kinds >= {"home", "claims", "entities", "sources", "verdicts", "tags", "corrections"}
    later = [p for p in pages if "page" in p.relative_to(site.site).parts]
    assert later, "the fixture has later pages of lists"
    left: dict[str, set[str]] = {}
    for page in pages:
        found = english_left(texts_of(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")), fragments)
        if found:
            left[page.relative_to(site.site).as_posix()] = found
    # The feeds' human text: titles, subtitles, summaries, category labels.
    for feed in [
        site.site / "feed.xml",
        site.site / "corrections" / "feed.xml",
        *site.site.glob("entities/*/feed.xml"),
    ]:
        xml = BeautifulSoup(feed.read_text(encoding="utf-8"), "xml")
        texts = [t.strip() for t in xml.find_all(string=True) if t.strip()]
        texts += [c["label"] for c in xml.find_all("category")]
        found = english_left(texts, fragments)
        if found:
            left[feed.relative_to(site.site).as_posix()] = found
    assert left == {}, f"English interface strings left in the {language} site"
    # The pages really are in the language: the draft banner, the pagination, a verdict change.
    t = Interface.load(language).gettext
    claim = site.page("claims/ruritania-has-42-tanks/")
    assert claim.select_one("h2#what-we-found").get_text().startswith(t("What we found"))
    assert (
        claim.select_one(".fc-update__verdict")
        .get_text(" ", strip=True)
        .startswith(TAG.sub("", t("Verdict changed from %(old)s to %(new)s").split("%(old)s")[0]).strip())
    )
    banner = site.page("claims/the-sky-is-green/").select_one(".fc-draft-banner").get_text()
    assert banner.startswith({"de": "Entwurf: Dieser Faktencheck", "uk": "Чернетка: цей фактчек"}[language])
    count = 1 + len(list((site.site / "claims" / "page").iterdir()))
    status = site.page("claims/page/2/").select_one(".fc-pages__status").get_text()
    assert status == t("Page %(number)s of %(count)s", number=2, count=count)


@pytest.mark.parametrize("language", LANGUAGES)
def test_share_cards_are_in_the_language(tmp_path: Path, language: str) -> None:
    """Every text a card draws and its text alternative: no English interface string, the locale's dates."""
    from factcheck.model.loader import load_site
    from factcheck.settings import load_settings
    from factcheck.share.cards import plan_cards

    project = localised_project(tmp_path / "p", language)
    site = load_site(load_settings(project / "mkdocs.yml", include_drafts=True))
    cards = plan_cards(site)
    assert {c.kind for c in cards.values()} == {"claim", "entity", "home"}
    fragments = english_fragments(language)
    left = {path: found for path, card in cards.items() if (found := english_left([*card.texts, card.alt], fragments))}
    assert left == {}, f"English interface strings left on the {language} cards"
    claim = next(c for c in site.claims if c.id == "ruritania-has-42-tanks")
    texts = cards[claim.src_uri].texts
    day = " ".join(format_date(claim.claim_date, format="long", locale=language).split())  # cards draw plain spaces
    assert any(day in " ".join(text.split()) for text in texts), texts
    # The same values in another language are another card: the cache must not hand out the English one.
    english = plan_cards(load_site(load_settings(make_project(tmp_path / "en", "publish") / "mkdocs.yml")))
    assert english[claim.src_uri].key != cards[claim.src_uri].key


def test_search_documents_are_in_the_language(tmp_path: Path) -> None:
    for language in LANGUAGES:
        site = load_model(tmp_path / language, "basic", language=language)
        docs = dict(documents(site))
        index = BeautifulSoup(docs["claims/"], "html.parser")
        assert index.html["lang"] == language
        assert index.title.get_text() == Interface.load(language).gettext("Fact-checks") != "Fact-checks"
        tag = BeautifulSoup(docs["tags/figures/"], "html.parser")
        assert tag.p.get_text() == Interface.load(language).gettext("Fact-checks tagged %(tag)s.", tag="figures")


# -- dates, numbers and metadata ----------------------------------------------------------------------


def test_dates_are_written_for_the_locale_everywhere(localised: tuple[str, BuiltSite]) -> None:
    language, site = localised
    expected = {"de": "18. Oktober 2024", "uk": "18 жовтня 2024\u202fр."}[language]  # Babel: a narrow no-break space
    checked = 0
    for page in generated_pages(site.site):
        for time in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("article time[datetime]"):
            day = dt.date.fromisoformat(time["datetime"])
            assert time.get_text() == format_date(day, "long", locale=language), page
            checked += 1
    assert checked > 20
    assert expected in site.page("claims/agency-counted-11000-soldiers/").get_text()
    # The filter script's rows carry the date as the pages write it.
    rows = json.loads((site.site / "claims" / "filters" / "all" / "all" / "newest-0.json").read_text(encoding="utf-8"))
    assert rows and all(row[5] == format_date(dt.date.fromisoformat(row[4]), "long", locale=language) for row in rows)
    # The filter script's messages are the language's, with the places the script fills in.
    form = site.page("claims/").select_one("form.fc-filter")
    t = Interface.load(language)
    assert form["data-msg-page"] == t.gettext("Page %(number)s of %(count)s", number="{number}", count="{count}")
    assert "{shown}" in form["data-msg-some"] and form["data-msg-draft"] == t.gettext("draft") != "draft"


def test_the_metadata_carries_the_language(localised: tuple[str, BuiltSite]) -> None:
    language, site = localised
    for path in ("", "claims/", "claims/agency-counted-11000-soldiers/", "entities/alice-example/", "about/"):
        page = site.page(path)
        assert page.html["lang"] == language, path
        assert page.select_one('meta[property="og:locale"]')["content"] == TERRITORY[language], path
        assert page.body["dir"] == "ltr"
    claim = site.page("claims/agency-counted-11000-soldiers/")
    ld = [json.loads(s.string) for s in claim.select('script[type="application/ld+json"]')]
    assert [d["inLanguage"] for d in ld if d.get("@type") == "ClaimReview"] == [language]
    home = [json.loads(s.string) for s in site.page("").select('script[type="application/ld+json"]')]
    graph = [n for d in home for n in d.get("@graph", [d])]
    assert [n["inLanguage"] for n in graph if n.get("@type") == "WebSite"] == [language]
    # The rating is the site's own words: the example scale's label.
    label = next(v["label"] for v in example_scale(language) if v["key"] == "true")
    review = next(d for d in ld if d.get("@type") == "ClaimReview")
    assert review["reviewRating"]["alternateName"] == label
    t = Interface.load(language).gettext
    publisher = yaml.safe_load((site.project / "mkdocs.yml").read_text(encoding="utf-8"))["extra"]["factcheck"]
    feed = BeautifulSoup((site.site / "feed.xml").read_text(encoding="utf-8"), "xml")
    assert feed.find("feed")["xml:lang"] == language
    assert feed.find("subtitle").get_text() == t(
        "The latest fact-checks by %(publisher)s", publisher=publisher["publisher"]["name"]
    )
    corrections = BeautifulSoup((site.site / "corrections" / "feed.xml").read_text(encoding="utf-8"), "xml")
    assert corrections.find("feed")["xml:lang"] == language
    assert corrections.find("title").get_text().startswith(t("Corrections and updates"))
    # Pagefind indexed the documents in the site's language (its stemming and the browser's index).
    entry = json.loads((site.site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry["languages"]) == {language}


def test_interface_formats_and_locales() -> None:
    day = dt.date(2024, 10, 18)
    assert Interface.load("en").date(day) == "18 October 2024" and Interface.load("en").og_locale == "en_GB"
    assert Interface.load("de").date(day) == "18. Oktober 2024"
    assert Interface.load("uk").date(day) == "18 жовтня 2024\u202fр."
    assert Interface.load("de").number(12345) == "12.345" and Interface.load("en").number(12345) == "12,345"
    assert Interface.load("uk").ngettext("%(num)s fact-check", "%(num)s fact-checks", 22) == "22 фактчеки"
    assert Interface.load("uk").ngettext("%(num)s fact-check", "%(num)s fact-checks", 25) == "25 фактчеків"
    assert Interface.load("uk").ngettext("%(num)s fact-check", "%(num)s fact-checks", 21) == "21 фактчек"
    # A language without a catalogue: English strings, its own formats; a regional variant finds its language's.
    arabic = Interface.load("ar")
    assert not arabic.translated and arabic.gettext("Evidence") == "Evidence"
    assert arabic.direction == "rtl" and arabic.og_locale == "ar_EG"
    assert Interface.load("de-AT").catalogue == "de" and Interface.load("de-AT").og_locale == "de_AT"
    assert Interface.load("pt-BR").og_locale == "pt_BR" and not Interface.load("pt-BR").translated


# -- right to left ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def arabic_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build(localised_project(tmp_path_factory.mktemp("i18n-ar") / "p", "ar", fixture="basic", page_size=1))


def test_a_right_to_left_site_is_marked_so_with_the_english_interface(arabic_site: BuiltSite) -> None:
    page = arabic_site.page("claims/agency-counted-11000-soldiers/")
    assert page.html["lang"] == "ar" and page.body["dir"] == "rtl"
    assert page.select_one('meta[property="og:locale"]')["content"] == "ar_EG"
    assert page.select_one("h2#what-we-found").get_text().startswith("What we found")  # no Arabic catalogue


def test_a_right_to_left_page_mirrors_in_chromium(browser, arabic_site: BuiltSite) -> None:
    with serve(arabic_site.site) as base_url:
        page, watch = open_page(browser, base_url)
        load(page, base_url + "claims/agency-counted-11000-soldiers/")
        shot(page, "rtl-claim")
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        box = page.evaluate("""() => {
            const s = getComputedStyle(document.querySelector('.fc-claim-box'));
            return [s.direction, s.borderRightWidth, s.borderLeftWidth];
        }""")
        assert box[0] == "rtl" and box[1] != "0px" and box[2] == "0px", box  # the bar is on the starting side: right
        badge, verdict = page.evaluate("""() => [document.querySelector('.fc-verdict .fc-badge'),
                                                 document.querySelector('.fc-verdict')]
            .map(e => { const r = e.getBoundingClientRect(); return [r.left, r.right]; })""")
        assert abs(badge[1] - verdict[1]) < 2 and badge[0] > verdict[0] + 50, (badge, verdict)  # starts at the right
        load(page, base_url + "claims/")
        arrow = page.evaluate("""() => getComputedStyle(document.querySelector(
            '.fc-filter__pages-of-all .fc-pages__step span[aria-hidden]')).transform""")
        assert arrow.startswith("matrix(-1"), arrow  # "next" points left, the way the pages turn
        assert watch.errors == [] and watch.outside == []
        page.context.close()


def test_the_default_scale_is_shown_in_the_language(tmp_path: Path) -> None:
    """A site that keeps the generator's scale gets it translated; one that writes its own keeps its words."""
    from factcheck.settings import DEFAULT_SCALE, Settings

    german = Settings(root=tmp_path, docs_dir=tmp_path, language="de")
    assert [v.label for v in german.scale] == [
        "Richtig",
        "Größtenteils richtig",
        "Fehlender Kontext",
        "Irreführend",
        "Falsch",
        "Unbelegt",
    ]
    assert [v.key for v in german.scale] == [v.key for v in DEFAULT_SCALE]
    assert german.scale[4].definition == "Die Aussage ist falsch."
    assert Settings(root=tmp_path, docs_dir=tmp_path).scale is DEFAULT_SCALE
    for language in LANGUAGES:  # the README's examples are the default scale, translated
        translated = Settings(root=tmp_path, docs_dir=tmp_path, language=language).scale
        example = example_scale(language)
        assert [(v.key, v.label, v.definition, v.icon, v.colour, v.rating) for v in translated] == [
            (e["key"], e["label"], e["definition"], e["icon"], e["colour"], e.get("rating")) for e in example
        ]
    own = DEFAULT_SCALE[:2]
    assert Settings(root=tmp_path, docs_dir=tmp_path, language="uk", scale=own).scale is own


def test_values_in_translated_messages_are_escaped_and_markup_is_kept(tmp_path: Path) -> None:
    from factcheck.render.pages import make_environment

    env = make_environment(tmp_path, interface=Interface.load("de"))
    template = env.from_string(
        '{{ _("Claimed by %(claimant)s", claimant=who) }}|{{ _("Tag: %(tag)s", tag=tag) }}|'
        '{{ ngettext("%(num)s fact-check", "%(num)s fact-checks", 3) }}|{{ _("Evidence") }}'
    )
    html = template.render(who=Markup("<a href='x'>A &amp; B</a>"), tag="<script>alert(1)</script>")
    assert html == (
        "Behauptet von <a href='x'>A &amp; B</a>|Schlagwort: &lt;script&gt;alert(1)&lt;/script&gt;|"
        "3 Faktenchecks|Belege"
    )
