"""The sourcing check: warnings with their place (file:line, field), never errors unless --strict-sources."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO, make_project, run_build_py

from factcheck.model import sourcing
from factcheck.model.sourcing import (
    DEFAULT_MIRROR_DOMAINS,
    SourcingConfig,
    check_sources,
    mirror_domain,
    publisher_key,
    sourcing_config,
)

DEFAULT = SourcingConfig(DEFAULT_MIRROR_DOMAINS)


def claim(evidence: str, analysis: str = "  Nothing more.\n", summary: str = "It has three.") -> str:
    """A valid published claim; the analysis starts on line 12 and evidence follows it."""
    return (
        "statement: Ruritania has 12 ships\n"  # 1
        "claimant: alice-example\n"  # 2
        "appearance:\n"  # 3
        "  url: https://example.org/ships-post\n"  # 4
        "  title: A post\n"  # 5
        "  publisher: Example Blog\n"  # 6
        "  date: 2024-10-01\n"  # 7
        "  quote: Ruritania has 12 ships\n"  # 8
        "claim_date: 2024-10-01\n"  # 9
        'verdict: "false"\n'  # 10
        f"summary: {summary}\n"  # 11
        "analysis: |\n"  # 12
        f"{analysis}"
        "evidence:\n"
        f"{evidence}"
        "authors: [Test Author]\n"
        "published: 2024-10-20\n"
    )


def item(publisher: str, url: str, extra: str = "") -> str:
    return (
        f"  - title: A report\n    publisher: {publisher}\n    url: {url}\n"
        f"{extra}    date: 2024-10-01\n    stance: contradicts\n"
    )


TWO_PUBLISHERS = item("Example Agency", "https://example.org/a") + item("Wire service", "https://example.net/b")

# One claim file for each warning; the line of every warning is written out.
MIRROR = claim(
    item("Newsweek (via NewsBreak)", "https://www.newsbreak.com/newsweek/123-video")
    + item("Wire service", "https://example.net/b"),
    analysis=(
        "  The first paragraph says nothing\n"  # 13
        "  about sources at all.\n"  # 14
        "\n"  # 15
        "  - A list item that wraps onto a second line and\n"  # 16
        "    then links to a [copy](https://original.newsbreak.com/x) and to\n"  # 17
        "    [a page on another site](https://notnewsbreak.com/y).\n"
    ),  # 18
)
ONE_PUBLISHER = claim(
    item("BBC (via Style Pass)", "https://example.org/bbc-copy") + item("bbc", "https://example.org/bbc")
)
TWICE = claim(
    item("Example Agency", "https://example.org/report") + item("Wire service", "https://EXAMPLE.org/report/"),
    analysis="  As the [agency said](https://example.org/report/), and more.\n",
)
MANGLED = claim(
    item("Dawn", "https://dawn.com/news/1770955/code.jquery.com") + item("Wire service", "https://example.net/b")
)
CLEAN = claim(
    item(
        "BBC (via Style Pass)",
        "https://example.org/bbc-copy",
        "    archive_url: https://web.archive.org/web/2024/https://example.org/bbc-copy\n",
    )
    + item("Reuters", "https://example.net/reuters"),
    analysis="  The [BBC](https://example.org/bbc-copy) and [Reuters](https://example.net/reuters) agree.\n",
    summary="It has three, says the [BBC](https://example.org/bbc-copy).",
)

EXPECTED = [
    "warning: claims/mirror.yaml:17:28: analysis: original.newsbreak.com is a known mirror/content farm "
    "(a subdomain of newsbreak.com, on the sourcing check's list); cite the original publisher's page, "
    "or a copy elsewhere labelled 'Publisher (via Copy)' if no original exists",
    "warning: claims/mirror.yaml:22:10: evidence[0].url: www.newsbreak.com is a known mirror/content farm "
    "(a subdomain of newsbreak.com, on the sourcing check's list); cite the original publisher's page, "
    "or a copy elsewhere labelled 'Publisher (via Copy)' if no original exists",
    "warning: claims/one-publisher.yaml:14:1: evidence: the evidence comes from 1 independent publisher "
    "(BBC (via Style Pass)); cite at least 2: add a report from another publisher that checked the facts "
    "itself (a copy labelled 'Publisher (via Copy)' counts as Publisher)",
    "warning: claims/mangled.yaml:17:10: evidence[0].url: the path repeats the host name 'code.jquery.com': "
    "this looks like a mangled copy of the address; open the page and cite its clean address "
    "(probably https://dawn.com/news/1770955)",
    "warning: claims/twice.yaml:13:24: analysis: https://example.org/report/ is the same page as "
    "https://example.org/report (evidence[0].url, line 17) written differently; write the address the same way everywhere",
    "warning: claims/twice.yaml:22:10: evidence[1].url: the same page as evidence[0].url (line 17): one page is "
    "one evidence item; merge the two, or cite the other page you meant",
]


def clean_project(tmp_path: Path) -> Path:
    """The basic fixture, with a second publisher for its two one-publisher claims: no warnings."""
    project = make_project(tmp_path / "project")
    for name in ("ruritania-has-42-tanks.yaml", "the-sky-is-green.yaml"):
        path = project / "claims" / name
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                "evidence:\n", "evidence:\n" + item("Second Publisher", f"https://example.com/{name}"), 1
            ),
            encoding="utf-8",
        )
    return project


def write_claims(project: Path, **claims: str) -> None:
    for name, text in claims.items():
        (project / "claims" / f"{name.replace('_', '-')}.yaml").write_text(text, encoding="utf-8")


def warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("warning:")]


@pytest.fixture
def warned(tmp_path: Path) -> Path:
    project = clean_project(tmp_path)
    write_claims(project, mirror=MIRROR, one_publisher=ONE_PUBLISHER, twice=TWICE, mangled=MANGLED, clean=CLEAN)
    return project


def test_each_warning_is_reported_at_its_place_and_the_check_still_passes(warned: Path) -> None:
    result = run_build_py(warned, "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: 7 claims")
    assert sorted(warnings(result.stderr)) == sorted(EXPECTED)
    assert result.stderr.rstrip().endswith(
        "6 sourcing warnings in 4 files (not errors: fix them before publishing; CI runs with --strict-sources)."
    )


def test_strict_sources_fails_on_any_warning_with_a_one_line_summary(warned: Path, tmp_path: Path) -> None:
    result = run_build_py(warned, "check", "--strict-sources")
    assert result.returncode == 1
    assert sorted(warnings(result.stderr)) == sorted(EXPECTED)
    assert (
        result.stderr.rstrip().splitlines()[-1]
        == "6 sourcing warnings in 4 files; --strict-sources makes them fail the check."
    )

    clean = clean_project(tmp_path / "clean")
    write_claims(clean, clean=CLEAN)
    for args in (("check",), ("check", "--strict-sources")):
        result = run_build_py(clean, *args)
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""


def test_warnings_are_github_annotations_under_actions(warned: Path) -> None:
    result = run_build_py(warned, "check", env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 0
    annotations = re.findall(r"^::warning file=([^,]+),line=(\d+),col=(\d+)::([^:]+): ", result.stdout, re.M)
    assert ("claims/mangled.yaml", "17", "10", "evidence[0].url") in annotations
    assert len(annotations) == len(EXPECTED)
    assert "::error" not in result.stdout


def test_the_basic_fixture_warns_about_its_one_publisher_claims(project: Path) -> None:
    """The unmodified basic fixture has two claims resting on one publisher (one is a draft)."""
    result = run_build_py(project, "check")
    assert result.returncode == 0
    assert [line.split(": evidence: ")[0] for line in warnings(result.stderr)] == [
        "warning: claims/ruritania-has-42-tanks.yaml:11:1",
        "warning: claims/the-sky-is-green.yaml:13:1",
    ]


def test_the_list_is_extended_and_trimmed_in_mkdocs_yml(tmp_path: Path) -> None:
    project = clean_project(tmp_path)
    write_claims(project, mirror=MIRROR)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    head = "\nextra:\n  factcheck:\n"
    assert head in text
    config.write_text(
        text.replace(
            head, head + "    sourcing:\n      mirror_domains: [example.org]\n      allow_domains: [newsbreak.com]\n", 1
        ),
        encoding="utf-8",
    )
    result = run_build_py(project, "check")
    assert result.returncode == 0, result.stderr
    found = warnings(result.stderr)
    assert not any("newsbreak" in line for line in found), found
    assert "warning: claims/mirror.yaml:4:8: appearance.url: example.org is a known mirror/content farm" in "\n".join(
        found
    )

    config.write_text(
        text.replace(head, head + "    sourcing:\n      mirror_domains: https://bad.example/\n", 1), encoding="utf-8"
    )
    result = run_build_py(project, "check")
    assert result.returncode == 1
    assert (
        "error: extra.factcheck.sourcing.mirror_domains in mkdocs.yml must be a list of domain names" in result.stderr
    )


# --- Units -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "listed"),
    [
        ("https://newsbreak.com/a", "newsbreak.com"),
        ("https://www.newsbreak.com/a", "newsbreak.com"),
        ("http://original.NewsBreak.com:8080/a", "newsbreak.com"),
        ("https://newsbreak.com./a", "newsbreak.com"),
        ("https://notnewsbreak.com/a", None),
        ("https://newsbreak.com.example.org/a", None),
        ("https://example.org/newsbreak.com", None),
        ("https://1-e8259.azureedge.net/news/x", "1-e8259.azureedge.net"),
        ("https://other.azureedge.net/news/x", None),
        ("https://www.menafn.com/1107534939/x", None),
        ("mailto:someone@newsbreak.com", None),
    ],
)
def test_a_domain_matches_itself_and_its_subdomains_never_a_suffix(url: str, listed: str | None) -> None:
    assert mirror_domain(url, DEFAULT) == listed


def test_the_default_list_has_every_domain_the_audit_found() -> None:
    assert {
        "1-e8259.azureedge.net",
        "vuink.com",
        "russialist.org",
        "thelabradorian.ca",
        "devdiscourse.com",
        "supadupanews.xyz",
        "korean-vibe.com",
        "defence.pk",
        "uawire.org",
        "newsbreak.com",
        "urdupoint.com",
        "larouchepub.com",
        "pledgetimes.com",
        "time.news",
        "world-today-journal.com",
        "essanews.com",
    } <= DEFAULT_MIRROR_DOMAINS
    assert not {"menafn.com", "gazeta.ru", "dawn.com", "reuters.com"} & DEFAULT_MIRROR_DOMAINS


@pytest.mark.parametrize(
    ("labels", "count"),
    [
        (["BBC (via Style Pass)", "BBC"], 1),
        (["BBC (via A)", "bbc  (VIA B)"], 1),
        (["The New York Times (via Johnson's Russia List)", "the new york times"], 1),
        (["BBC (via Style Pass)", "Reuters"], 2),
        (["Spotlight Nepal (agencies)", "Spotlight Nepal"], 2),
        (["CNN (via KSL)", "KSL"], 2),
    ],
)
def test_publishers_are_their_originals_compared_without_case(labels: list[str], count: int) -> None:
    assert len({publisher_key(label) for label in labels}) == count


def test_configuration_adds_removes_and_validates() -> None:
    assert sourcing_config({}) == DEFAULT
    config = sourcing_config(
        {"sourcing": {"mirror_domains": ["Farm.Example."], "allow_domains": ["vuink.com"], "min_publishers": 3}}
    )
    assert "farm.example" in config.mirror_domains and "vuink.com" not in config.mirror_domains
    assert config.min_publishers == 3
    assert mirror_domain("https://www.farm.example/x", config) == "farm.example"
    for bad, message in [
        ({"sourcing": ["vuink.com"]}, "must be a mapping"),
        ({"sourcing": {"mirrors": []}}, "extra.factcheck.sourcing.mirrors in mkdocs.yml is not a setting"),
        ({"sourcing": {"mirror_domains": "vuink.com"}}, "must be a list of domain names"),
        ({"sourcing": {"mirror_domains": ["https://vuink.com/"]}}, "is not a domain name"),
        ({"sourcing": {"mirror_domains": ["*.vuink.com"]}}, "is not a domain name"),
        ({"sourcing": {"allow_domains": ["www.newsbreak.com"]}}, "allow 'newsbreak.com' itself"),
        ({"sourcing": {"min_publishers": "two"}}, "must be a whole number"),
        ({"sourcing": {"min_publishers": True}}, "must be a whole number"),
    ]:
        with pytest.raises(ValueError, match=re.escape(message)):
            sourcing_config(bad)
    assert sourcing_config({"sourcing": {"min_publishers": 0}}).min_publishers == 0


DEEP_ANALYSIS = (
    "  Paragraph one [first](https://example.org/one) has a `code\n"  # 13
    "  span` and then [later](https://www.uawire.org/z).\n"  # 14
    "\n"  # 15
    "  > A quote that links [here](https://example.org/two)\n"  # 16
    "  > and [again](https://example.org/two/).\n"  # 17
    "\n"  # 18
    "  | table | row |\n"  # 19
    "  | --- | --- |\n"  # 20
    "  | cell | [farm](https://www.vuink.com/p) |\n"  # 21
    "\n"  # 22
    "  1. first\n"  # 23
    "  2. second, with [a link][ref]\n"  # 24
    "\n"  # 25
    "  [ref]: https://devdiscourse.com/r\n"  # 26
)


def test_a_link_deep_inside_analysis_is_reported_on_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "claims" / "deep.yaml"
    path.parent.mkdir()
    path.write_text(claim(TWO_PUBLISHERS, analysis=DEEP_ANALYSIS), encoding="utf-8")
    found = [(p.line, p.column, p.field, p.message.split(" ")[0]) for p in check_sources([path], tmp_path, DEFAULT)]
    assert found == [
        (14, 26, "analysis", "www.uawire.org"),  # after a code span that hides a line break from the parser
        (17, 17, "analysis", "https://example.org/two/"),  # written differently from line 16's link
        (21, 19, "analysis", "www.vuink.com"),  # in a table cell
        (26, 10, "analysis", "devdiscourse.com"),  # a reference link: where its address is written
    ]
    assert all(p.path == "claims/deep.yaml" for p in check_sources([path], tmp_path, DEFAULT))


def test_summary_links_media_and_appearance_are_checked_and_unproven_needs_one_publisher(tmp_path: Path) -> None:
    text = claim(item("Only One", "https://example.org/a"), summary="See [this](https://time.news/x).")
    text = text.replace('verdict: "false"', "verdict: unproven").replace(
        "https://example.org/ships-post", "https://pledgetimes.com/post"
    )
    text += "media:\n  type: video\n  url: https://vuink.com/v\n  authenticity: original\n"
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    found = {(p.line, p.field) for p in check_sources([path], tmp_path, DEFAULT)}
    assert found == {(4, "appearance.url"), (11, "summary"), (len(text.splitlines()) - 1, "media.url")}


def test_unreadable_or_invalid_files_are_left_to_the_check(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("statement: [unclosed\n", encoding="utf-8")
    (tmp_path / "bom.yaml").write_bytes(b"\xef\xbb\xbf" + claim(item("A", "https://vuink.com/a")).encode())
    assert (
        check_sources([tmp_path / "bad.yaml", tmp_path / "bom.yaml", tmp_path / "missing.yaml"], tmp_path, DEFAULT)
        == []
    )


def _variants() -> list[str]:
    """Claims written in many ways, each with and without something to warn about."""
    base = [CLEAN, MIRROR, ONE_PUBLISHER, TWICE, MANGLED, claim(TWO_PUBLISHERS, analysis=DEEP_ANALYSIS)]
    base += [p.read_text(encoding="utf-8") for p in sorted((REPO / "claims").glob("*.yaml"))]
    changes = [
        lambda t: t.replace("](https://", "](HTTPS://", 1),
        lambda t: re.sub(r"(url: https://\S+[^/])\n", r"\1/\n", t, count=1),
        lambda t: re.sub(r"\]\((https://[^)\s]+?)/?\)", r"](\1/)", t, count=1),
        lambda t: re.sub(r"url: https://(\w)", lambda m: "url: https://" + m.group(1).upper(), t, count=1),
        lambda t: re.sub(r"(url: )(https://\S+)", r'\1"\2"', t),
        lambda t: re.sub(r"publisher: [^\n]+", "publisher: Same", t),
        lambda t: re.sub(r"publisher: ([^\n]+)", r"publisher: Same (via \1)", t),
        lambda t: re.sub(r"publisher: ([^\n]+)", r"publisher: '\1'", t.replace("'", "")),
        lambda t: re.sub(r"publisher: ([^\n]+)", r"publisher: \1\n      continued", t, count=1),
        lambda t: re.sub(r"publisher: ([^\n]+)", r"publisher: \1 # a comment", t),
        lambda t: t.replace("/news/", "/news/cdn.example.com/", 1),
        lambda t: t.replace("url: https://", "url: https://web.archive.org/web/2024/https://", 1),
        lambda t: t.replace("url: https://", "url:\n      https://", 1),
        lambda t: t.replace("    stance:", "    archive_url: https://example.org/same\n    stance:", 2),
        lambda t: t.replace("analysis: |", "analysis: >", 1),
        lambda t: t.replace(
            "\n  - title:",
            "\n  - {title: x, publisher: A, url: 'https://e.org/a', date: 2024-01-01, stance: context}\n  - title:",
            1,
        ),
        lambda t: t.replace("summary: ", 'summary: "A \\"quote\\" [x](https://example.org/a/)\\"" #', 1),
        lambda t: t.replace("](https://", "](https://www.newsbreak.com/x?u=https://", 1),
    ]
    out = []
    for i, text in enumerate(base):
        out.append(text)
        for j, change in enumerate(changes):
            out.append(change(text))
            out.append(changes[(i + j) % len(changes)](change(text)))
    return out


def test_the_text_screen_never_hides_a_warning(tmp_path: Path) -> None:
    """With or without the screen (which is only for speed), every file gets the same warnings."""
    screen = sourcing._Screen(DEFAULT)
    skipped = links_skipped = 0
    for n, text in enumerate(_variants()):
        path = tmp_path / f"v{n}.yaml"
        path.write_text(text, encoding="utf-8")
        screened, parsed = sourcing.Problems(), sourcing.Problems()
        sourcing._check_file(path, tmp_path, DEFAULT, screen, screened)
        sourcing._check_file(path, tmp_path, DEFAULT, None, parsed)
        assert screened.sorted() == parsed.sorted(), text
        addresses, publishers = screen.scan(path.read_bytes())
        skipped += addresses and publishers
        links_skipped += addresses and not publishers
    assert skipped > 20 and links_skipped > 20  # the screen does spare the parser work, or it would be no faster


def test_ordinary_clean_claims_are_never_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What keeps the check fast: on clean files of the usual shape only the text screen runs."""
    parsed: list[str] = []
    monkeypatch.setattr(sourcing, "load_mapping", lambda text, rel, problems: parsed.append(rel))
    texts = [
        CLEAN,
        claim(TWO_PUBLISHERS),
        claim(TWO_PUBLISHERS, analysis="  See [x](https://example.org/a).\n"),
        (REPO / "tests/fixtures/basic/claims/agency-counted-11000-soldiers.yaml").read_text(encoding="utf-8"),
    ]
    paths = []
    for n in range(400):
        paths.append(tmp_path / f"c{n}.yaml")
        paths[-1].write_text(texts[n % len(texts)], encoding="utf-8")
    assert check_sources(paths, tmp_path, DEFAULT) == []
    assert parsed == []


def test_the_guide_lists_the_default_domains_and_ci_runs_strict() -> None:
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = guide[guide.index("### The sourcing check") : guide.index("\n## ", guide.index("### The sourcing check"))]
    missing = sorted(domain for domain in DEFAULT_MIRROR_DOMAINS if domain not in section)
    assert missing == [], f"CONTRIBUTING.md does not list {missing}"
    for key in ("mirror_domains", "allow_domains", "min_publishers", "--strict-sources"):
        assert key in section
    workflow = (REPO / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf-8")
    assert re.search(r"^\s*run: \S*python build\.py check --strict-sources$", workflow, re.M)


LINK_SAMPLES = [
    "See [a](https://example.org/a) and [b](<https://example.org/a b>), [t](https://example.org/t 'title').",
    "[[x](mailto:a@example.org)](https://vuink.com/a) and [[y](#top)](https://vuink.com/b)",
    "[[z](https://example.org/in)](https://vuink.com/c)",
    '<https://example.org/auto> <a href="https://vuink.com/raw">raw</a> <b>bold</b>',
    "[js](javascript:alert(1)) ![img](https://vuink.com/i.png) [rel](/local) [port](http://:80/)",
    "[r][1] and [HTTPS](HTTPS://Example.org/Caps)\n\n[1]: https://example.org/ref",
    "[idn](https://例え.jp/パス?q=ä) and [space](<https://example.org/a b>)",
    "[esc](https:\\/\\/example.org/e) [ent](https&#58;//example.org/n)",
    "| a | [cell](https://example.org/cell) |\n| --- | --- |\n| ~~[s](https://example.org/s)~~ | `[c](https://x.org)` |",
]


@pytest.mark.parametrize("markdown", LINK_SAMPLES)
def test_the_check_reads_exactly_the_links_the_page_renders(markdown: str) -> None:
    """One Markdown configuration (markup.markdown_parser): the check's links are the page's http(s) links."""
    from bs4 import BeautifulSoup

    from factcheck.render.markup import EntityMatcher, Renderer, markdown_parser

    normalize = markdown_parser().normalizeLink
    page = BeautifulSoup(Renderer(EntityMatcher([])).block(markdown), "html.parser")
    rendered = [str(a["href"]) for a in page.find_all("a") if sourcing._host(str(a["href"]))]
    checked = [href for href, _ in sourcing._markdown_links(markdown) if sourcing._host(href)]
    assert [normalize(href) for href in checked] == rendered
    if "\\" not in markdown and "&" not in markdown:
        assert all(href in markdown for href in checked)  # each address as written, to find it in the file
