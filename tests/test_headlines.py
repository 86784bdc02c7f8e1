"""A claim's short statement: the title, card, share texts and claimReviewed use it; the claim box keeps the whole one."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import extruct
import pytest
from bs4 import BeautifulSoup
from conftest import BuiltSite, build, make_project, run_build_py

LONG = (
    "The agency counted 11,000 soldiers in the region by the end of October, "
    "more than twice the figure it gave a month earlier"
)
SHORT = "The agency counted 11,000 soldiers"
CLAIM = "claims/agency-counted-11000-soldiers.yaml"
WARNING = (
    f"warning: {CLAIM}:1:1: statement: the statement has {len(LONG)} characters; add `short_statement`, the claim "
    "in at most 75, for the page title, the share card and texts, and search engines (ClaimReview's claimReviewed)"
)


def set_statement(project: Path, statement: str, short: str | None = None) -> None:
    path = project / CLAIM
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[0].startswith("statement: ")
    lines[0] = f"statement: {statement}\n" + (f"short_statement: {short}\n" if short else "")
    path.write_text("".join(lines), encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    project = make_project(tmp_path_factory.mktemp("headlines") / "project")
    set_statement(project, LONG, SHORT)
    return build(project)


def words(el) -> str:
    return " ".join(el.get_text().split())


def test_the_claim_page_titles_with_the_short_form_and_shows_the_whole_statement_once(site: BuiltSite) -> None:
    page = site.page("claims/agency-counted-11000-soldiers/")
    assert words(page.select_one("article h1")) == SHORT
    assert page.title.get_text().startswith(SHORT + " - ")
    assert words(page.select_one(".fc-claim-box__statement")) == LONG
    article = page.select_one("article")
    article.select_one("details.fc-embed").decompose()  # the code to copy quotes it again
    assert words(article).count(LONG) == 1
    assert page.select_one('meta[property="og:title"]')["content"] == SHORT
    assert SHORT in page.select_one('meta[property="og:image:alt"]')["content"]
    assert LONG not in page.select_one('meta[property="og:image:alt"]')["content"]


def test_claim_reviewed_is_the_short_form(site: BuiltSite) -> None:
    html = (site.site / "claims/agency-counted-11000-soldiers/index.html").read_text(encoding="utf-8")
    items = extruct.extract(html, base_url="https://example.invalid/", syntaxes=["json-ld"], uniform=False)["json-ld"]
    (review,) = [item for item in items if item.get("@type") == "ClaimReview"]
    assert review["claimReviewed"] == SHORT
    assert review["headline"] == SHORT


def test_share_texts_and_embed_titles_use_the_short_form(site: BuiltSite) -> None:
    page = site.page("claims/agency-counted-11000-soldiers/")
    x_link = page.select_one('.fc-share a[href^="https://x.com/"]')["href"]
    assert parse_qs(urlsplit(x_link).query)["text"] == [f"True: “{SHORT}”"]
    mail = parse_qs(urlsplit(page.select_one('.fc-share a[href^="mailto:"]')["href"]).query)
    assert mail["subject"] == [f"Fact-check: True: “{SHORT}”"]
    frame = BeautifulSoup(page.select_one("#fc-embed-frame").get_text(), "html.parser").iframe
    assert frame["title"] == f"Fact-check: {SHORT}"
    oembed = json.loads((site.site / "claims/agency-counted-11000-soldiers/oembed.json").read_text(encoding="utf-8"))
    assert oembed["title"] == SHORT
    embed = site.page("claims/agency-counted-11000-soldiers/embed/")
    assert embed.title.get_text().startswith(f"True: {SHORT} · ")
    assert words(embed.blockquote) == f"“{LONG}”"  # the card in the frame quotes the whole statement


def test_the_export_carries_both(site: BuiltSite) -> None:
    claims = json.loads((site.site / "api/claims.json").read_text(encoding="utf-8"))["claims"]
    (claim,) = [c for c in claims if c["id"] == "agency-counted-11000-soldiers"]
    assert (claim["statement"], claim["short_statement"]) == (LONG, SHORT)
    assert all(c["short_statement"] is None for c in claims if c is not claim)


def test_check_warns_about_a_long_statement_without_a_short_form_and_never_fails(project: Path) -> None:
    set_statement(project, LONG)
    for args in (("check",), ("check", "--strict-sources")):
        result = run_build_py(project, *args)
        assert WARNING in result.stderr.splitlines(), result.stderr
        assert result.stderr.rstrip().splitlines()[-1] == (
            "1 long statement without a short form "
            "(not errors, even with --strict-sources: titles then show the whole statement)."
        )
        assert result.returncode == (1 if "--strict-sources" in args else 0)  # the fixture's sourcing warnings
        assert "--strict-sources makes them fail" in result.stderr or "--strict-sources" not in args


def test_no_warning_with_a_short_form_or_a_short_statement(project: Path) -> None:
    set_statement(project, LONG, SHORT)
    assert "short_statement" not in run_build_py(project, "check").stderr
    set_statement(project, SHORT)
    assert "short_statement" not in run_build_py(project, "check").stderr


def test_a_short_form_over_75_characters_is_an_error(project: Path) -> None:
    set_statement(project, LONG, LONG)
    result = run_build_py(project, "check")
    assert result.returncode == 1
    assert f"{CLAIM}:2:18: short_statement:" in result.stderr
