"""Readers see the archived copies: archive and links --record on a fixture site, then a real build."""

from __future__ import annotations

import json

import pytest
from conftest import BuiltSite, build
from standins import SitesState, SpnState, cited_sites, closed_port, save_page_now
from test_archive import archive_project, run

from factcheck.archiving.yamledit import add_field

LD_JSON = 'script[type="application/ld+json"]'


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuiltSite, str, str, dict[str, str]]:
    """The archive fixture after `archive` (the capture of /hang fails) and `links --record`, built."""
    tmp = tmp_path_factory.mktemp("archived")
    spn, sites_state = SpnState(), SitesState(hang_seconds=6)
    with save_page_now(spn) as endpoint, cited_sites(sites_state) as sites:
        refused = f"http://127.0.0.1:{closed_port()}"
        project = archive_project(tmp / "p", endpoint, sites=sites, refused=refused)
        spn.fail.add(sites + "/hang")
        assert run(project, "archive") == 1
        assert run(project, "links", "--record") == 0
    # The source page's address is recorded dead by hand (it answered the checker).
    add_field(project / "content/sources/cited-report.md", (), "link_status", "dead", front_matter=True)
    return build(project), endpoint, sites, spn.timestamps


def _copy(endpoint: str, stamps: dict[str, str], url: str) -> str:
    return f"{endpoint}/web/{stamps[url]}/{url}"


def test_evidence_shows_the_archived_copy_beside_a_live_original(archived) -> None:
    site, endpoint, sites, stamps = archived
    page = site.page("claims/census-counts-42-tanks/")
    census = page.select(".fc-evidence__item")[0]
    title = census.find("a")
    assert title.get_text() == "Tank census" and title["href"] == sites + "/census"
    assert census.select_one("a.fc-archived")["href"] == _copy(endpoint, stamps, sites + "/census")
    assert census.select_one("a.fc-archived").get_text() == "archived copy"
    assert census.select_one(".fc-unavailable") is None


def test_a_dead_original_comes_after_its_archived_copy_marked_unavailable(archived) -> None:
    site, _, sites, _ = archived
    gone = site.page("claims/census-counts-42-tanks/").select(".fc-evidence__item")[2]
    copy = "https://web.archive.org/web/20230501000000/" + sites + "/gone"
    assert gone.find("a").get_text() == "Already archived" and gone.find("a")["href"] == copy
    meta = gone.select_one(".fc-evidence__meta")
    assert [a["href"] for a in meta.find_all("a")] == [copy, sites + "/gone"]
    assert " ".join(meta.get_text().split()) == (
        "Example Gazette, 1 May 2023 · archived copy · original page no longer available (original address)"
    )


def test_a_dead_original_without_a_copy_is_marked_unavailable(archived) -> None:
    site, _, sites, _ = archived
    hang = site.page("claims/a-page-that-never-answers/").select(".fc-evidence__item")[0]
    assert hang.find("a")["href"] == sites + "/hang"
    assert hang.select_one("a.fc-archived") is None
    assert hang.select_one(".fc-unavailable").get_text() == "original page no longer available"


def test_the_appearance_and_the_source_page_link_their_archived_copies(archived) -> None:
    site, endpoint, sites, stamps = archived
    box = site.page("claims/census-counts-42-tanks/").select_one(".fc-claim-box")
    assert box.select_one(".fc-archive a.fc-archived")["href"] == _copy(endpoint, stamps, sites + "/posts/42")
    source = site.page("sources/cited-report/").select_one(".fc-source")
    hrefs = [a["href"] for a in source.find_all("a")]
    assert hrefs == [_copy(endpoint, stamps, sites + "/report"), sites + "/report"]  # recorded dead: the copy first
    address = source.find("dt", string="Address").find_next_sibling("dd")
    assert (
        " ".join(address.get_text().split()) == "archived copy · original page no longer available (original address)"
    )


def test_exports_and_claim_review_carry_the_archived_addresses(archived) -> None:
    site, endpoint, sites, stamps = archived
    import jsonschema

    document = json.loads((site.site / "api/claims.json").read_text())
    jsonschema.validate(document, json.loads((site.site / "api/claims.schema.json").read_text()))
    claims = {c["id"]: c for c in document["claims"]}
    census = claims["census-counts-42-tanks"]
    assert [(e["archive_url"], e["link_status"]) for e in census["evidence"]] == [
        (_copy(endpoint, stamps, sites + "/census"), None),
        (_copy(endpoint, stamps, sites + "/moved"), None),
        ("https://web.archive.org/web/20230501000000/" + sites + "/gone", "dead"),
    ]
    assert census["appearance"]["archive_url"] == _copy(endpoint, stamps, sites + "/posts/42")
    appearance = claims["a-page-that-never-answers"]["appearance"]
    assert (appearance["archive_url"], appearance["link_status"]) == (
        _copy(endpoint, stamps, sites + "/report"),
        "dead",
    )
    for claim_id, url in (("census-counts-42-tanks", "/posts/42"), ("a-page-that-never-answers", "/report")):
        (review,) = [
            json.loads(s.string)
            for s in site.page(f"claims/{claim_id}/").select(LD_JSON)
            if json.loads(s.string).get("@type") == "ClaimReview"
        ]
        assert review["itemReviewed"]["appearance"]["archivedAt"] == _copy(endpoint, stamps, sites + url)
