"""Unit tests of the claims index's filter data (factcheck/publish/filters.py) on a five-claim site in memory.

The numbers are worked out by hand from the claims below: index order (newest fact-check
first) and claim-date order (most recent claim first, ties in index order).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
from pathlib import Path

import pytest
from conftest import fixture_settings

from factcheck.model.link import link
from factcheck.model.objects import Appearance, Claim, Entity
from factcheck.publish.filters import FILTERS_DIR, FilterData

ALICE = Entity("alice", "Alice Example", "person", "content/entities/alice.md")
BOB = Entity("bob", "Bob Quiet", "person", "content/entities/bob.md")
RURITANIA = Entity("ruritania", "Ruritania", "place", "content/entities/ruritania.md")
AGENCY = Entity("agency", "Example Agency", "organisation", "content/entities/agency.md")  # in no claim
ENTITIES = {e.id: e for e in (ALICE, BOB, RURITANIA, AGENCY)}

# id: published, claim_date, verdict, claimant, tags, entities, draft
CLAIMS = {
    "c0": ("2024-05-01", "2024-01-10", "false", ALICE, ("x",), (), False),
    "c1": ("2024-04-01", "2024-03-01", "true", BOB, ("x", "y"), (), False),
    "c2": ("2024-03-01", "2024-02-01", "false", ALICE, (), (), True),
    "c3": ("2024-02-01", "2024-01-10", "false", ALICE, (), (RURITANIA,), False),
    "c4": ("2024-01-15", "2023-12-01", "true", BOB, (), (), False),
}
HOSTILE = 'Says "</script><img src=x onerror=alert(1)>" & more'


def _site(settings):
    claims = []
    for cid, (published, claim_date, verdict, claimant, tags, entities, draft) in CLAIMS.items():
        claims.append(
            Claim(
                id=cid,
                path=f"claims/{cid}.yaml",
                statement=HOSTILE if cid == "c3" else f"Statement {cid}",
                claimant=claimant,
                appearance=Appearance(),
                claim_date=dt.date.fromisoformat(claim_date),
                verdict=next(v for v in settings.scale if v.key == verdict),
                summary="",
                analysis="",
                evidence=(),
                entities=entities,
                tags=tags,
                authors=("A",),
                published=dt.date.fromisoformat(published),
                status="draft" if draft else "published",
            )
        )
    return link(settings, ENTITIES, {}, claims)


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory):
    base = fixture_settings(tmp_path_factory.mktemp("filters") / "p", None)
    return dataclasses.replace(base, page_size=2, include_drafts=True)


@pytest.fixture(scope="module")
def files(settings) -> dict[str, object]:
    return {path: json.loads(text) for path, text in FilterData(_site(settings)).files()}


def test_lists_hold_each_facets_numbers_as_differences(files) -> None:
    lists = {
        path[len(FILTERS_DIR) + 1 :]: {k: v for k, v in data.items() if k != "rows"}
        for path, data in files.items()
        if path.count("/") == 3
    }
    assert lists == {
        "all/all.json": {"count": 5, "newest": [0, 1, 1, 1, 1], "claim": [1, 1, -2, 3, 1]},
        "verdict/true.json": {"count": 2, "newest": [1, 3], "claim": [1, 3]},
        "verdict/false.json": {"count": 3, "newest": [0, 2, 1], "claim": [2, -2, 3]},
        "tag/x.json": {"count": 2, "newest": [0, 1], "claim": [1, -1]},
        "tag/y.json": {"count": 1, "newest": [1], "claim": [1]},
        "entity/alice.json": {"count": 3, "newest": [0, 2, 1], "claim": [2, -2, 3]},
        "entity/bob.json": {"count": 2, "newest": [1, 3], "claim": [1, 3]},
        "entity/ruritania.json": {"count": 1, "newest": [3], "claim": [3]},
    }


def test_rows_are_cut_into_pages_in_both_orders(files) -> None:
    def links(path: str) -> list[str]:
        return [row[0] for row in files[f"{FILTERS_DIR}/{path}"]]

    assert [links(f"all/all/newest-{k}.json") for k in range(3)] == [["c0/", "c1/"], ["c2/", "c3/"], ["c4/"]]
    assert [links(f"all/all/claim-{k}.json") for k in range(3)] == [["c1/", "c2/"], ["c0/", "c3/"], ["c4/"]]
    assert [links(f"verdict/false/claim-{k}.json") for k in range(2)] == [["c2/", "c0/"], ["c3/"]]
    assert links("entity/alice/newest-1.json") == ["c3/"] and links("entity/alice/claim-0.json") == ["c2/", "c0/"]
    assert f"{FILTERS_DIR}/all/all/newest-3.json" not in files
    assert not any("/agency" in path for path in files)  # an entity in no claim has no filter


def test_a_value_with_one_page_of_matches_has_its_rows_in_its_list(files) -> None:
    """One file instead of three: the rows, newest first, beside the lists; no files of rows."""
    one_page = ["verdict/true", "tag/x", "tag/y", "entity/bob", "entity/ruritania"]
    for value in one_page:
        data = files[f"{FILTERS_DIR}/{value}.json"]
        rows = data["rows"]
        assert len(rows) == data["count"] <= 2
        numbers = list(itertools.accumulate(data["newest"]))
        all_rows = [row for k in range(3) for row in files[f"{FILTERS_DIR}/all/all/newest-{k}.json"]]
        assert rows == [all_rows[n] for n in numbers], value  # each claim's row, in the list's order
        assert not any(path.startswith(f"{FILTERS_DIR}/{value}/") for path in files), value
    for value in ("all/all", "verdict/false", "entity/alice"):  # more than a page: cut into pages
        assert "rows" not in files[f"{FILTERS_DIR}/{value}.json"]
        assert f"{FILTERS_DIR}/{value}/newest-0.json" in files


def test_a_row_holds_the_text_as_written(settings, files) -> None:
    rows = {row[0]: row for row in files[f"{FILTERS_DIR}/all/all/newest-1.json"]}
    assert rows["c3/"] == ["c3/", HOSTILE, "false", "Alice Example", "2024-01-10", "10 January 2024", 0]
    assert rows["c2/"] == ["c2/", "Statement c2", "false", "Alice Example", "2024-02-01", "1 February 2024", 1]


def test_files_are_compact_json_with_text_unescaped(settings) -> None:
    texts = dict(FilterData(_site(settings)).files())
    assert texts[f"{FILTERS_DIR}/tag/y.json"] == (
        '{"count":1,"newest":[1],"claim":[1],"rows":[["c1/","Statement c1","true","Bob Quiet",'
        '"2024-03-01","1 March 2024",0]]}\n'
    )
    page = texts[f"{FILTERS_DIR}/all/all/newest-1.json"]
    assert '"Says \\"</script><img src=x onerror=alert(1)>\\" & more"' in page  # JSON, read by the script as text


def test_links_without_directory_urls(settings) -> None:
    data = FilterData(_site(dataclasses.replace(settings, directory_urls=False)))
    rows = json.loads(dict(data.files())[f"{FILTERS_DIR}/tag/y.json"])["rows"]
    assert [row[0] for row in rows] == ["c1.html"]


def test_paths_name_every_file_and_write_writes_them(settings, tmp_path: Path) -> None:
    data = FilterData(_site(settings))
    made = [path for path, _ in data.files()]
    assert data.paths() == made and len(made) == len(set(made)) == 8 + 2 * (
        3 + 2 + 2
    )  # lists; pages of all, false, alice
    data.write(tmp_path)
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.json"))
    assert written == sorted(made)
    assert json.loads((tmp_path / FILTERS_DIR / "verdict" / "true.json").read_text(encoding="utf-8"))["count"] == 2


def test_an_empty_site_has_one_empty_page(settings) -> None:
    site = link(settings, ENTITIES, {}, [])
    files = dict(FilterData(site).files())
    assert files == {
        f"{FILTERS_DIR}/all/all.json": '{"count":0,"newest":[],"claim":[]}\n',
        f"{FILTERS_DIR}/all/all/newest-0.json": "[]\n",
        f"{FILTERS_DIR}/all/all/claim-0.json": "[]\n",
    }
