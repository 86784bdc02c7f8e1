"""Reproducible builds: the same input gives a byte-identical site, whatever the machine's state.

The two builds differ in everything that should not matter: the project's folder, the order
files were created in (so directory listing order), file modification times, the hash seed
(dict and set order), the time zone, the locale and the wall clock.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import shutil
import struct
from pathlib import Path

import pytest
from conftest import FIXTURES, make_project, run_build_py
from test_atomic_build import tree

EPOCH = "1730000000"


def _copy_reversed(fixture: str, dest: Path) -> Path:
    """Lay out a fixture creating its files in reverse order, with old modification times."""
    source = FIXTURES / fixture
    files = sorted((p for p in source.rglob("*") if p.is_file()), reverse=True)
    for path in files:
        target = dest / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        os.utime(target, (1_000_000_000, 1_000_000_000))
    return make_project(dest, fixture=None)


def _build(project: Path, **env: str) -> dict[str, str]:
    result = run_build_py(project, "build", "--site-dir", str(project / "site"), env=env)
    assert result.returncode == 0, result.stderr
    return tree(project / "site")


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, str], Path]:
    first = make_project(tmp_path_factory.mktemp("repro-a") / "one", "hostile")
    second = _copy_reversed("hostile", tmp_path_factory.mktemp("repro-b") / "some" / "other" / "place")
    a = _build(first, SOURCE_DATE_EPOCH=EPOCH, PYTHONHASHSEED="1", TZ="UTC", LC_ALL="C.UTF-8")
    b = _build(second, SOURCE_DATE_EPOCH=EPOCH, PYTHONHASHSEED="4242", TZ="Pacific/Kiritimati", LC_ALL="C")
    return a, b, first / "site"


def test_two_builds_are_byte_identical(two_builds) -> None:
    a, b, _ = two_builds
    assert sorted(a) == sorted(b)
    assert [path for path in a if a[path] != b[path]] == []


def test_the_comparison_covers_every_kind_of_output(two_builds) -> None:
    a, _, _ = two_builds
    for expected in (
        "sitemap.xml",
        "sitemap.xml.gz",
        "feed.xml",
        "api/claims.json",
        "api/claims.csv",
        "index.html",
        "404.html",
    ):
        assert expected in a, expected
    assert any(p.startswith("pagefind/") for p in a)  # the search index
    assert any(p.startswith("claims/") and p.endswith("/index.html") for p in a)
    assert any(p.startswith("entities/") and p.endswith("/feed.xml") for p in a)
    assert "card.png" in a  # the share cards, the embed pages and oEmbed documents
    assert any(p.startswith("claims/") and p.endswith("/card.png") for p in a)
    assert any(p.startswith("entities/") and p.endswith("/card.png") for p in a)
    assert any(p.endswith("/embed/index.html") for p in a) and any(p.endswith("/oembed.json") for p in a)


def test_a_warm_card_cache_gives_the_same_site(two_builds) -> None:
    """The first build drew every card; a rebuild takes them all from the cache, byte for byte."""
    a, _, site = two_builds
    cache = site.parent / ".cache" / "factcheck" / "cards"
    drawn = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.png")}
    assert len(drawn) == sum(1 for path in a if path.endswith("card.png"))
    warm = _build(site.parent, SOURCE_DATE_EPOCH=EPOCH, PYTHONHASHSEED="7", TZ="UTC", LC_ALL="C.UTF-8")
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*.png")} == drawn  # none drawn again
    assert [path for path in sorted(set(a) | set(warm)) if a.get(path) != warm.get(path)] == []


def test_sitemap_gzip_is_dated_by_the_data_not_the_clock(two_builds) -> None:
    _, _, site = two_builds
    raw = (site / "sitemap.xml.gz").read_bytes()
    mtime = struct.unpack("<I", raw[4:8])[0]
    # The newest change in the hostile data is 2024-10-27 (MkDocs takes the newest page date).
    assert dt.datetime.fromtimestamp(mtime, dt.UTC).date() == dt.date(2024, 10, 27)
    assert gzip.decompress(raw) == (site / "sitemap.xml").read_bytes()


def test_without_source_date_epoch_the_data_dates_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page is dated by the data, so the sitemap's gzip header is too, without SOURCE_DATE_EPOCH."""
    from factcheck.model.loader import load_site
    from factcheck.settings import load_settings

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    trees = []
    for name in ("a", "b"):
        project = make_project(tmp_path / name)
        trees.append(_build(project))
    newest = max(c.last_changed for c in load_site(load_settings(project / "mkdocs.yml")).claims)
    raw = (project / "site" / "sitemap.xml.gz").read_bytes()
    assert dt.datetime.fromtimestamp(struct.unpack("<I", raw[4:8])[0], dt.UTC).date() == newest
    assert trees[0] == trees[1]


def test_empty_site_is_reproducible_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No claims, so no dates in the data: the build is dated 2000-01-01 rather than by the clock."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    trees = []
    for name in ("a", "b"):
        project = make_project(tmp_path / name)
        for claim in (project / "claims").glob("*.yaml"):
            claim.unlink()
        trees.append(_build(project))
        raw = (project / "site" / "sitemap.xml.gz").read_bytes()
        assert struct.unpack("<I", raw[4:8])[0] == int(dt.datetime(2000, 1, 1, tzinfo=dt.UTC).timestamp())
    assert trees[0] == trees[1]
