"""Hostile claim files: every payload is refused (URLs, ids, tags) or rendered inert (all text).

The hostile fixture (tests/fixtures/hostile/, written by tests/hostile_payloads.py) puts each
payload in every contributor text field. Its real build is parsed here: no script, event
handler or dangerous URL from content, text shown literally, JSON-LD, feeds, exports and the
search index holding exactly the input. test_hostile_browser.py runs the same site in Chromium.
"""

from __future__ import annotations

import base64
import csv
import gzip
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import BuiltSite, make_project, run_build_py
from hostile_payloads import BAD_URLS, BASIC, FIXTURE, PAYLOADS, write_fixture

from factcheck.settings import load_settings

URL_ATTRS = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "srcdoc",
    "poster",
    "background",
    "cite",
    "longdesc",
    "ping",
    "manifest",
    "codebase",
    "srcset",
}
ALLOWED_SCHEMES = {"", "http", "https", "mailto"}
INERT_ATTRS = {"title", "content", "alt", "aria-label", "value", "label", "placeholder", "datetime"}
FORBIDDEN_ELEMENTS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "form",
    "base",
    "input",
    "button",
    "textarea",
    "select",
    "math",
    "video",
    "audio",
    "source",
    "details",
}


def _text(value: str) -> str:
    return " ".join(value.split())


def url_scheme(value: str) -> str:
    """The scheme a browser would see: WHATWG strips C0/space at the ends and tabs/newlines anywhere."""
    cleaned = re.sub(r"[\t\n\r]", "", value).strip("".join(chr(c) for c in range(0x21)))
    m = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return m.group(1).lower() if m else ""


def active_content(soup: BeautifulSoup | Tag, where: str) -> list[str]:
    """Return every script, handler, dangerous URL or embedding element that came from content."""
    found = []
    for el in soup.find_all(True):
        for name, value in el.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                found.append(f"{where}: <{el.name} {name}={value[:60]!r}>")
            trusted = el.name == "form" and "md-search__form" in el.get("class", []) and value == "javascript:void(0)"
            if name.lower() in URL_ATTRS and url_scheme(value) not in ALLOWED_SCHEMES and not trusted:
                found.append(f"{where}: <{el.name} {name}={value[:60]!r}>: scheme {url_scheme(value)!r}")
            if name.lower() == "style" and "pwned" in value:
                found.append(f"{where}: <{el.name} style={value[:60]!r}>")
        if el.name == "script":
            body = el.string or ""
            if "pwned" in body and el.get("type") != "application/ld+json":
                found.append(f"{where}: script with content text: {body[:60]!r}")
            src = urlsplit(el.get("src") or "")
            if el.get("src") and (src.scheme or src.netloc or "assets/" not in src.path):
                found.append(f"{where}: script from {el['src']!r}")
        if el.name == "style" and "pwned" in el.get_text():
            found.append(f"{where}: <style> from content")
        if el.name == "meta" and el.get("http-equiv") and "pwned" in str(el):
            found.append(f"{where}: <meta http-equiv> from content")
        if el.name in FORBIDDEN_ELEMENTS and el.name not in ("input", "button", "form", "details", "select"):
            found.append(f"{where}: <{el.name}>")
        # Inert attributes (escaped text) may quote a payload; any other attribute may not.
        for name, value in el.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if "pwned" in value and name not in INERT_ATTRS and not name.startswith("data-") and name not in URL_ATTRS:
                found.append(f"{where}: <{el.name} {name}={value[:60]!r}>")
    return found


def pages(site: BuiltSite) -> list[Path]:
    """Every page a reader can reach; the web editor's admin/index.html (its own two scripts, no
    contributor text) is held by tests/test_editor.py and tests/test_editor_browser.py."""
    return sorted(p for p in site.site.rglob("*.html") if not p.relative_to(site.site).as_posix().startswith("admin/"))


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# -- the corpus and the fixture ----------------------------------------------------------------


def test_corpus_has_at_least_30_payloads_each_calling_the_watched_function() -> None:
    assert len(PAYLOADS) >= 30
    for pid, text in PAYLOADS.items():
        if pid == "p19":
            text = base64.b64decode(text.split("base64,")[1].rstrip(")")).decode()
        assert f"'{pid}'" in text or f'"{pid}"' in text, pid


def test_committed_fixture_is_what_the_corpus_writes(tmp_path: Path) -> None:
    """Refresh with `python tests/hostile_payloads.py`."""
    fresh = tmp_path / "hostile"
    write_fixture(fresh, BASIC)
    committed = {p.relative_to(FIXTURE).as_posix(): p.read_bytes() for p in FIXTURE.rglob("*") if p.is_file()}
    written = {p.relative_to(fresh).as_posix(): p.read_bytes() for p in fresh.rglob("*") if p.is_file()}
    assert committed == written


def test_every_payload_reaches_every_contributor_field(tmp_path: Path) -> None:
    from factcheck.model.loader import load_site

    project = make_project(tmp_path / "p", "hostile")
    site = load_site(load_settings(project / "mkdocs.yml"))
    assert len(site.claims) == len(PAYLOADS)
    for claim in site.claims:
        pid = claim.id.split("-")[0]
        payload = PAYLOADS[pid]
        app = claim.appearance
        fields = {
            "statement": claim.statement,
            "summary": claim.summary,
            "analysis": claim.analysis,
            "appearance": app.quote if app.source else app.title,
            "evidence.title": claim.evidence[0].title,
            "evidence.excerpt": claim.evidence[0].excerpt,
            "update.note": claim.updates[0].note,
        }
        for name, value in fields.items():
            assert value is not None and payload.strip() in value, (pid, name)
        assert claim.evidence[0].publisher == payload[:200].strip() or claim.evidence[0].publisher == payload[:200]
        assert payload[:100] in claim.authors
        entity = site.entities[f"entity-{pid}"]
        assert payload.strip() in entity.name and payload in entity.aliases[0]
        assert entity.description == payload and payload in entity.body
        if app.source is not None:
            assert payload.strip() in app.source.title and payload in app.source.body


# -- the built site --------------------------------------------------------------------------------


def test_no_page_holds_active_content(hostile_site: BuiltSite) -> None:
    problems = []
    files = pages(hostile_site)
    assert len(files) > 3 * len(PAYLOADS)
    for path in files:
        problems += active_content(soup_of(path), path.relative_to(hostile_site.site).as_posix())
    assert problems == []


def test_the_scan_finds_what_it_is_meant_to_find() -> None:
    """The checker above is not vacuous: raw payloads, parsed as HTML, are caught."""
    caught = [pid for pid, text in PAYLOADS.items() if active_content(BeautifulSoup(text, "html.parser"), pid)]
    for pid in ("p01", "p02", "p03", "p05", "p06", "p32", "p34", "p39", "p40", "p45", "p47", "p52", "p54", "p56"):
        assert pid in caught
    assert url_scheme(" java\tscript:x") == "javascript" and url_scheme("JaVaScRiPt:x") == "javascript"


@pytest.mark.parametrize("pid", sorted(PAYLOADS))
def test_claim_page_shows_the_text_literally(hostile_site: BuiltSite, pid: str) -> None:
    payload = PAYLOADS[pid]
    raw = (hostile_site.site / "claims" / f"{pid}-hostile" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(raw, "html.parser")
    statement = soup.select_one(".fc-claim-box__statement")
    assert statement is not None and _text(statement.get_text()) == _text(f"Statement {pid}: {payload}")
    assert statement.find(lambda t: t.name not in ("p",)) is None  # no element made from the text
    evidence = soup.select_one(".fc-evidence__item")
    assert evidence is not None
    assert _text(evidence.select_one("a").get_text()) == _text(payload)
    assert _text(evidence.select_one(".fc-evidence__excerpt").get_text()) == _text(payload)
    # The <title> holds no markup, whatever the statement says.
    title = re.search(r"<title>(.*?)</title>", raw, re.S)
    assert title and "<" not in title.group(1)
    assert _text(soup.title.get_text()).startswith(_text(f"Statement {pid}: {payload}"))


def test_template_syntax_is_never_evaluated(hostile_site: BuiltSite) -> None:
    for pid, literal in (
        ("p30", "{{ 7*7 }}"),
        ("p31", "{% for x in range(3) %}{{ __pwned('p31') }}{% endfor %}{% raw %}"),
    ):
        soup = hostile_site.page(f"claims/{pid}-hostile/")
        assert literal in soup.select_one(".fc-claim-box__statement").get_text()
        assert literal in soup.select_one(".fc-evidence__excerpt").get_text()
        assert literal in hostile_site.page(f"entities/entity-{pid}/").select_one(".fc-entity__description").get_text()


def test_attr_list_and_md_in_html_never_see_claim_text(hostile_site: BuiltSite) -> None:
    for pid in ("p27", "p28"):
        soup = hostile_site.page(f"claims/{pid}-hostile/")
        for selector in (".fc-summary", ".fc-analysis", ".fc-evidence__excerpt", ".fc-claim-box__statement"):
            assert "{: on" in soup.select_one(selector).get_text(), (pid, selector)
        assert (
            "{: onclick"
            in hostile_site.page(f"entities/entity-{pid}/").select_one(".fc-entity__description").get_text()
        )
    summary = hostile_site.page("claims/p29-hostile/").select_one(".fc-summary")
    assert 'markdown="1"' in summary.get_text() and summary.find("div") is None


def test_markdown_links_keep_only_safe_schemes(hostile_site: BuiltSite) -> None:
    for pid in (
        "p12",
        "p13",
        "p14",
        "p15",
        "p16",
        "p17",
        "p18",
        "p19",
        "p20",
        "p21",
        "p22",
        "p23",
        "p25",
        "p26",
        "p57",
        "p58",
    ):
        soup = hostile_site.page(f"claims/{pid}-hostile/")
        for selector in (".fc-summary", ".fc-analysis"):
            for a in soup.select_one(selector).find_all("a"):
                assert url_scheme(a["href"]) in ALLOWED_SCHEMES, (pid, a)
        assert soup.select_one(".fc-analysis").find("img") is None


def test_json_ld_parses_back_to_exactly_the_input(hostile_site: BuiltSite) -> None:
    seen = 0
    for path in pages(hostile_site):
        for soup_script in soup_of(path).find_all("script", type="application/ld+json"):
            text = soup_script.string or ""
            assert "<" not in text and ">" not in text, path
            json.loads(text)
            seen += 1
    assert seen > 0
    for pid, payload in PAYLOADS.items():
        soup = hostile_site.page(f"claims/{pid}-hostile/")
        blocks = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
        reviews = [b for b in blocks if b.get("@type") == "ClaimReview"]
        assert len(reviews) == 1, pid
        assert reviews[0]["claimReviewed"] == f"Statement {pid}: {payload}".strip()
        assert f"Author of {pid}" in [c["name"] for c in reviews[0]["creator"]]
        assert payload[:100] in [c["name"] for c in reviews[0]["creator"]]


def test_feeds_are_well_formed_and_hold_the_text(hostile_site: BuiltSite) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    feeds = sorted(hostile_site.site.rglob("*.xml"))
    assert any(f.name == "feed.xml" for f in feeds)
    titles = set()
    for path in feeds:
        root = ET.parse(path).getroot()  # raises on anything not well-formed
        for entry in root.iter(f"{atom}entry"):
            titles.add(entry.findtext(f"{atom}title"))
            for content in list(entry.iter(f"{atom}content")) + list(entry.iter(f"{atom}summary")):
                if content.get("type") == "html":
                    assert active_content(BeautifulSoup(content.text or "", "html.parser"), str(path)) == []
            for link in entry.iter(f"{atom}link"):
                assert url_scheme(link.get("href", "")) in ("http", "https"), link.attrib
    for pid, payload in PAYLOADS.items():
        assert f"Statement {pid}: {payload}".strip() in titles, pid


def test_exports_hold_exactly_the_input(hostile_site: BuiltSite) -> None:
    api = hostile_site.site / "api"
    claims = {c["id"]: c for c in json.loads((api / "claims.json").read_text(encoding="utf-8"))["claims"]}
    rows = list(csv.DictReader(io.StringIO((api / "claims.csv").read_text(encoding="utf-8"))))
    by_id = {r["id"]: r for r in rows}
    for pid, payload in PAYLOADS.items():
        assert claims[f"{pid}-hostile"]["statement"] == f"Statement {pid}: {payload}".strip()
        cell = by_id[f"{pid}-hostile"]["statement"]
        assert cell.lstrip("'") == f"Statement {pid}: {payload}".strip()
    for row in rows:
        for value in row.values():
            assert (value or " ")[0] not in "=+-@\t\r", value  # no spreadsheet formula


def test_search_index_holds_the_text_as_text(hostile_site: BuiltSite) -> None:
    """Pagefind stores page text unescaped; the browser test proves the search UI shows it as text."""
    fragments = {}
    for path in sorted((hostile_site.site / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd")
        doc = json.loads(raw[len(b"pagefind_dcd") :])
        fragments["/" + doc["meta"]["url"]] = doc  # the page's URL (factcheck/publish/search.py)
    for pid, payload in PAYLOADS.items():
        doc = next(d for url, d in fragments.items() if url.rstrip("/").endswith(f"/claims/{pid}-hostile"))
        assert _text(f"Statement {pid}: {payload}") in _text(doc["content"]), pid


def test_sitemap_lists_only_site_urls(hostile_site: BuiltSite) -> None:
    root = ET.parse(hostile_site.site / "sitemap.xml").getroot()
    locs = [el.text or "" for el in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and all(urlsplit(loc).scheme == "https" for loc in locs)


def test_every_written_file_is_inside_the_site_folder(hostile_site: BuiltSite) -> None:
    root = hostile_site.site.resolve()
    for path in hostile_site.site.rglob("*"):
        assert path.resolve().is_relative_to(root), path
        assert not path.is_symlink(), path
    assert {p.name for p in hostile_site.project.iterdir()} <= {
        "claims",
        "content",
        "mkdocs.yml",
        "templates",
        "site",
        ".cache",
    }
    # Outside the site, the build writes only its card cache: PNG files named by their content's hash.
    cached = [p for p in (hostile_site.project / ".cache").rglob("*") if p.is_file()]
    assert cached and all(re.fullmatch(r"[0-9a-f]{64}\.png", p.name) for p in cached)
    assert {p.parent for p in cached} == {hostile_site.project / ".cache" / "factcheck" / "cards"}


# -- what is refused ---------------------------------------------------------------------------------


def _claim_with(url_field: str, value: str) -> str:
    lines = {
        "evidence.url": ("url: https://example.org/e", f"url: {json.dumps(value)}"),
        "evidence.archive_url": ("stance: supports", f"stance: supports\n    archive_url: {json.dumps(value)}"),
        "appearance.url": ("  url: https://example.org/a", f"  url: {json.dumps(value)}"),
        "appearance.archive_url": ("  title: T", f"  title: T\n  archive_url: {json.dumps(value)}"),
    }
    template = (
        "statement: A claim\nclaimant: alice-example\nappearance:\n  url: https://example.org/a\n  title: T\n"
        '  publisher: P\n  date: 2024-10-01\nclaim_date: 2024-10-18\nverdict: "true"\nsummary: S.\nanalysis: A.\n'
        "evidence:\n  - title: E\n    publisher: P\n    url: https://example.org/e\n    date: 2024-10-18\n"
        "    stance: supports\nauthors: [X]\npublished: 2024-10-25\n"
    )
    old, new = lines[url_field]
    return template.replace(old, new, 1)


def test_bad_urls_ids_and_tags_are_refused_with_located_errors(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    expected: dict[str, str] = {}
    for i, bad in enumerate(BAD_URLS):
        for field in ("evidence.url", "evidence.archive_url", "appearance.url", "appearance.archive_url"):
            name = f"bad-url-{i}-{field.replace('.', '-').replace('_', '-')}"
            (project / "claims" / f"{name}.yaml").write_text(_claim_with(field, bad), encoding="utf-8")
            expected[f"claims/{name}.yaml"] = "is not an http(s) URL"
    (project / "content" / "sources" / "bad-source.md").write_text(
        f"---\ntitle: T\nurl: {json.dumps(BAD_URLS[0])}\narchive_url: {json.dumps(BAD_URLS[6])}\n---\n",
        encoding="utf-8",
    )
    expected["content/sources/bad-source.md"] = "is not an http(s) URL"
    (project / "claims" / "bad-link-status.yaml").write_text(
        _claim_with("evidence.archive_url", "https://web.archive.org/web/1/https://example.org/e").replace(
            "    stance: supports\n", '    stance: supports\n    link_status: "<script>alert(1)</script>"\n', 1
        ),
        encoding="utf-8",
    )
    expected["claims/bad-link-status.yaml"] = (
        "evidence[0].link_status: '<script>alert(1)</script>' is not allowed; use one of: dead"
    )
    (project / "content" / "entities" / "bad-entity.md").write_text(
        '---\nname: Bad\ntype: person\nwikidata: "Q1<script>"\n---\n', encoding="utf-8"
    )
    expected["content/entities/bad-entity.md"] = "is not a Wikidata id"
    for i, tag in enumerate(["<script>", "javascript:x", "Tag", "../up", "x y", "index", "tag\n"]):
        name = f"bad-tag-{i}"
        (project / "claims" / f"{name}.yaml").write_text(
            _claim_with("evidence.url", "https://example.org/e") + f"tags: [{json.dumps(tag)}]\n", encoding="utf-8"
        )
        expected[f"claims/{name}.yaml"] = "tags[0]: "
    result = run_build_py(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    for path, fragment in expected.items():
        assert any(re.match(rf"^{re.escape(path)}:\d+:\d+: .*{re.escape(fragment)}", line) for line in lines), (
            path,
            fragment,
        )
    # Each problem is one line: no value can start a line of its own (e.g. a fake CI command).
    assert all(re.match(r"^(claims|content)/[^:]+:\d+:\d+: ", line) for line in lines[:-1]), lines


BAD_NAMES = {
    "P01.yaml": "is not a valid id",
    "p01-\u0131.yaml": "is not a valid id",  # dotless i
    "\uff50\uff10\uff11.yaml": "is not a valid id",  # fullwidth p01
    "caf\u00e9.yaml": "is not a valid id",
    "x" * 81 + ".yaml": "at most 80 characters",
    "a--b.yaml": "is not a valid id",
    "-a.yaml": "is not a valid id",
    "tab\tname.yaml": "is not a valid id",
    "new\nline.yaml": "is not a valid id",
    "trailing\n.yaml": "is not a valid id",
    "index.yaml": "is reserved",
    "feed.yaml": "is reserved",
    "search.yaml": "is reserved",
    "assets.yaml": "is reserved",
    "api.yaml": "is reserved",
}


@pytest.fixture(scope="module")
def bad_names_run(tmp_path_factory: pytest.TempPathFactory):
    project = make_project(tmp_path_factory.mktemp("names"))
    text = (project / "claims" / "ruritania-has-42-tanks.yaml").read_text(encoding="utf-8")
    for name in BAD_NAMES:
        (project / "claims" / name).write_text(text, encoding="utf-8")
    return run_build_py(project, "check")


@pytest.mark.parametrize("name", sorted(BAD_NAMES))
def test_file_names_are_ids(bad_names_run, name: str) -> None:
    result = bad_names_run
    assert result.returncode == 1 and "Traceback" not in result.stderr
    shown = name.translate({9: "\\t", 10: "\\n"})
    assert any(
        line.startswith(f"claims/{shown}:1:1: ") and BAD_NAMES[name] in line for line in result.stderr.splitlines()
    ), result.stderr


def test_names_differing_only_in_case_or_normalisation_are_refused(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    text = (project / "claims" / "ruritania-has-42-tanks.yaml").read_text(encoding="utf-8")
    (project / "claims" / "Ruritania-Has-42-Tanks.yaml").write_text(text, encoding="utf-8")
    (project / "claims" / "ruritania-has-\uff14\uff12-tanks.yaml").write_text(text, encoding="utf-8")  # fullwidth 42
    (project / "content" / "entities" / "Ruritania.md").write_text(
        "---\nname: R2\ntype: country\n---\n", encoding="utf-8"
    )
    result = run_build_py(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    for name, other in (
        ("claims/Ruritania-Has-42-Tanks.yaml", "ruritania-has-42-tanks.yaml"),
        ("claims/ruritania-has-\uff14\uff12-tanks.yaml", "ruritania-has-42-tanks.yaml"),
        ("content/entities/Ruritania.md", "ruritania.md"),
    ):
        assert any(line.startswith(f"{name}:1:1: ") and f"'{other}'" in line for line in result.stderr.splitlines()), (
            result.stderr
        )


@pytest.mark.parametrize("uri", ["../x.md", "/etc/passwd", "a//b.md", "a/./b.md", "a\\b.md", "C:x.md", "x\n.md", ""])
def test_output_paths_outside_the_site_are_refused(uri: str) -> None:
    from factcheck.pipeline import check_output_paths

    with pytest.raises(ValueError, match="must stay inside the site folder"):
        check_output_paths(["claims/fine.md", uri])


def test_every_generated_path_passes_the_output_check(tmp_path: Path) -> None:
    from factcheck import pipeline

    project = make_project(tmp_path / "p", "hostile")
    run = pipeline.build(load_settings(project / "mkdocs.yml"), tmp_path / "site")  # raises if a path would escape
    handoff = next(run)
    run.close()
    assert handoff is not None
    assert len(handoff.plan.pages) > 3 * len(PAYLOADS) and handoff.plan.published.paths()
    assert not (tmp_path / "site").exists() and not list(tmp_path.glob(".site-building-*"))


def test_security_md_holds_the_payload_table() -> None:
    """Refresh with `python tests/hostile_payloads.py`.

    The table says what each payload becomes in Markdown fields. How many payloads and
    hostile URLs there are is not held here: what SECURITY.md says of them is asserted as
    behaviour (test_every_payload_reaches_every_contributor_field, the page and browser
    tests on the hostile site, test_bad_urls_ids_and_tags_are_refused_with_located_errors).
    """
    from hostile_payloads import SECURITY_MD, TABLE_END, TABLE_START, security_table

    text = SECURITY_MD.read_text(encoding="utf-8")
    assert TABLE_START + security_table() + TABLE_END in text


def test_filter_data_holds_exactly_the_input(hostile_site: BuiltSite) -> None:
    """The claims index's filter rows (factcheck/publish/filters.py) are JSON strings of the text as written."""
    filters = hostile_site.site / "claims" / "filters"
    files = sorted(filters.rglob("*.json"))
    assert len(files) > 10
    rows = {}
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))  # every file parses
        if path.parent.name == "all" and path.name.startswith("newest-"):
            rows.update({row[0]: row for row in data})
    for pid, payload in PAYLOADS.items():
        row = rows[f"{pid}-hostile/"]
        assert row[1] == f"Statement {pid}: {payload}".strip(), pid
    for link in rows:  # the script links only to claim pages beside the index
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*/", link), link
