"""Unit tests of linking (factcheck/model/link.py): mentions found, every index both ways, the claims' order.

Entities, sources and claims are made in memory; the settings are those of an empty project.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from conftest import fixture_settings

from factcheck.model.link import link
from factcheck.model.objects import Appearance, Claim, Entity, Source

ALICE = Entity("alice", "Alice Example", "person", "content/entities/alice.md", aliases=("Ally",))
BOB = Entity("bob", "bob Quiet", "person", "content/entities/bob.md", related_ids=("alice",))
AGENCY = Entity("agency", "Example Agency", "organisation", "content/entities/agency.md", related_ids=("alice", "bob"))
RURITANIA = Entity("ruritania", "Ruritania", "place", "content/entities/ruritania.md")
ENTITIES = {e.id: e for e in (RURITANIA, AGENCY, BOB, ALICE)}
ARTICLE = Source("article", "An article", "content/sources/article.md")
SOURCES = {"article": ARTICLE}


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory):
    return fixture_settings(tmp_path_factory.mktemp("link") / "p", None)


def _claim(settings, cid: str, published: str, **fields) -> Claim:
    values = {
        "statement": "A statement",
        "claimant": ALICE,
        "appearance": Appearance(),
        "claim_date": dt.date.fromisoformat(published) - dt.timedelta(days=3),
        "verdict": "false",
        "summary": "",
        "analysis": "",
        "evidence": (),
        "entities": (),
        "tags": (),
        "authors": ("A",),
        **fields,
    }
    values["verdict"] = next(v for v in settings.scale if v.key == values["verdict"])
    return Claim(id=cid, path=f"claims/{cid}.yaml", published=dt.date.fromisoformat(published), **values)


def _ids(claims) -> list[str]:
    return [c.id for c in claims]


def test_claims_are_shown_newest_first_and_drafts_only_in_previews(settings) -> None:
    claims = [
        _claim(settings, "b-old", "2024-01-01"),
        _claim(settings, "a-new", "2024-03-01"),
        _claim(settings, "c-tie", "2024-03-01", claim_date=dt.date(2024, 2, 1)),  # same day, earlier claim
        _claim(settings, "b-tie", "2024-03-01"),
        _claim(settings, "draft", "2024-04-01", status="draft"),
    ]
    site = link(settings, ENTITIES, SOURCES, claims)
    assert _ids(site.claims) == ["a-new", "b-tie", "c-tie", "b-old"]
    preview = link(dataclasses.replace(settings, include_drafts=True), ENTITIES, SOURCES, claims)
    assert _ids(preview.claims) == ["draft", "a-new", "b-tie", "c-tie", "b-old"]
    assert _ids(claims) == ["b-old", "a-new", "c-tie", "b-tie", "draft"]  # the list passed in is not changed


def test_mentions_in_the_statement_and_in_the_text(settings) -> None:
    claim = _claim(
        settings,
        "c",
        "2024-01-01",
        statement="Ruritania and Ally say so; Alice Example agrees",  # Alice is the claimant: not a mention
        entities=(BOB,),
        summary="The *Example Agency* disagrees with bob Quiet and Ruritania.",
        analysis="See [the agency](https://example.org/) and Example Agency again.",
    )
    site = link(settings, ENTITIES, SOURCES, [claim])
    shown = site.claims[0]
    assert _ids(shown.mentioned) == ["ruritania"]
    assert _ids(shown.also_mentioned) == ["agency"]  # Bob is listed, Ruritania already in the statement
    assert _ids(shown.subjects) == ["bob", "ruritania"]
    assert _ids(shown.involved) == ["alice", "bob", "ruritania", "agency"]
    assert claim.mentioned == () and claim.also_mentioned == ()  # a copy, not the claim passed in
    assert site.links.as_subject == {"bob": (shown,), "ruritania": (shown,)}
    assert site.links.mentioned_in == {"agency": (shown,)}
    assert site.links.as_claimant == {"alice": (shown,)}


def test_without_mentions_nothing_is_looked_for(settings) -> None:
    claim = _claim(settings, "c", "2024-01-01", statement="Ruritania", summary="Example Agency")
    site = link(settings, ENTITIES, SOURCES, [claim], mentions=False)
    assert site.claims[0].mentioned == () and site.claims[0].also_mentioned == ()
    assert site.links.as_subject == {} and site.links.mentioned_in == {}


def test_related_entities_go_both_ways_sorted_by_name(settings) -> None:
    site = link(settings, ENTITIES, SOURCES, [])
    assert {k: _ids(v) for k, v in site.links.related.items()} == {
        "alice": ["bob", "agency"],  # "bob Quiet" sorts before "Example Agency" when case is folded
        "bob": ["alice", "agency"],
        "agency": ["alice", "bob"],
    }
    assert site.related(RURITANIA) == ()


def test_claims_in_a_source_follow_their_position_then_date(settings) -> None:
    def at(position, claim_date):
        return Appearance(source=ARTICLE, position=position), dt.date.fromisoformat(claim_date)

    rows = {
        "p2": at(2, "2024-01-05"),
        "p1": at(1, "2024-01-09"),
        "none-early": at(None, "2024-01-01"),
        "p1b": at(1, "2024-01-09"),
    }
    claims = [_claim(settings, cid, "2024-02-01", appearance=a, claim_date=d) for cid, (a, d) in rows.items()]
    claims.append(_claim(settings, "elsewhere", "2024-02-01"))
    site = link(settings, ENTITIES, SOURCES, claims)
    assert _ids(site.links.in_source["article"]) == ["p1", "p1b", "p2", "none-early"]
    assert list(site.links.in_source) == ["article"]


def test_tags_sorted_and_every_verdict_listed(settings) -> None:
    claims = [
        _claim(settings, "a", "2024-01-02", tags=("zebra", "apples"), verdict="true"),
        _claim(settings, "b", "2024-01-01", tags=("apples",)),
    ]
    site = link(settings, ENTITIES, SOURCES, claims)
    assert {k: _ids(v) for k, v in site.links.tags.items()} == {"apples": ["a", "b"], "zebra": ["a"]}
    assert list(site.links.tags) == ["apples", "zebra"]
    assert list(site.links.by_verdict) == [v.key for v in settings.scale]
    assert _ids(site.links.by_verdict["true"]) == ["a"] and _ids(site.links.by_verdict["false"]) == ["b"]
    assert all(site.links.by_verdict[v.key] == () for v in settings.scale if v.key not in ("true", "false"))


def test_entities_and_sources_are_sorted_by_id(settings) -> None:
    site = link(settings, ENTITIES, {"z": ARTICLE, "a": ARTICLE}, [])
    assert list(site.entities) == ["agency", "alice", "bob", "ruritania"]
    assert list(site.sources) == ["a", "z"]
    assert site.claims == () and site.settings is settings
