"""Unit tests of the staging folder (factcheck/publish/staging.py): overlap, Staging, remove_stale, umask.

Small folders in tmp_path; no build. The mount-point swap is exercised by forcing `contents`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from factcheck.publish import staging
from factcheck.publish.staging import PREFIX, Staging, overlap


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _dead_pid() -> int:
    """A process id no process has: pid_max itself (ids run below it)."""
    try:
        pid = int(Path("/proc/sys/kernel/pid_max").read_text(encoding="ascii"))
    except OSError:
        pid = 4_194_304  # the largest pid_max Linux allows
    assert not staging._alive(pid)
    return pid


# -- overlap ---------------------------------------------------------------------------------------


@pytest.fixture
def root(tmp_path: Path) -> Path:
    for name in ("claims", "content/entities", "content/sources"):
        (tmp_path / name).mkdir(parents=True)
    return tmp_path


def _inputs(root: Path) -> dict[str, Path]:
    return {"claims/": root / "claims", "content/": root / "content"}


@pytest.mark.parametrize(
    ("site", "expected"),
    [
        ("site", None),
        ("public/site", None),
        ("../elsewhere", None),
        (".", "is the project's folder (where mkdocs.yml is)"),
        ("..", "contains the project's folder (where mkdocs.yml is)"),
        ("claims", "is claims/"),
        ("content", "is content/"),
        ("content/entities", "lies inside content/"),
        ("claims/out", "lies inside claims/"),
    ],
)
def test_overlap(root: Path, site: str, expected: str | None) -> None:
    assert overlap(root / site, root, _inputs(root)) == expected


def test_overlap_sees_through_symbolic_links(root: Path) -> None:
    (root / "alias").symlink_to(root / "claims")
    assert overlap(root / "alias", root, _inputs(root)) == "is claims/"


def test_overlap_of_an_input_outside_the_project(root: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("docs")
    assert overlap(outside / "site", root, {"docs_dir": outside}) == "lies inside docs_dir"
    assert overlap(outside, root, {"docs_dir": outside}) == "is docs_dir"


# -- Staging ---------------------------------------------------------------------------------------


def test_beside_builds_next_to_the_site_and_commit_swaps_it_in(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("old", encoding="utf-8")
    stage = Staging.beside(site)
    assert stage.target == site.resolve() and stage.contents is False
    assert stage.folder.parent == tmp_path.resolve()
    assert stage.folder.name.startswith(f"{PREFIX}{os.getpid()}-")
    assert stage.folder.stat().st_mode & 0o777 == 0o777 & ~staging.umask()
    (stage.folder / "index.html").write_text("new", encoding="utf-8")
    (stage.folder / "sub").mkdir()
    (stage.folder / "sub" / "a.txt").write_text("a", encoding="utf-8")
    assert _tree(site) == {"old.html": "old"}  # nothing changes before commit
    stage.commit()
    assert _tree(site) == {"index.html": "new", "sub/a.txt": "a"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging or old folder left


def test_beside_a_site_that_does_not_exist_yet(tmp_path: Path) -> None:
    site = tmp_path / "deep" / "site"
    stage = Staging.beside(site)
    assert site.parent.is_dir() and not site.exists()
    (stage.folder / "index.html").write_text("new", encoding="utf-8")
    stage.commit()
    assert _tree(site) == {"index.html": "new"}
    assert [p.name for p in site.parent.iterdir()] == ["site"]


def test_discard_leaves_the_old_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("old", encoding="utf-8")
    stage = Staging.beside(site)
    scratch = stage.scratch("media")
    assert scratch.parent == stage.folder.parent and scratch.name.startswith(f"{PREFIX}{os.getpid()}-media-")
    (stage.folder / "index.html").write_text("new", encoding="utf-8")
    stage.discard()
    assert not stage.folder.exists()
    assert _tree(site) == {"old.html": "old"}


def test_in_place_writes_into_the_site_and_commit_changes_nothing(tmp_path: Path) -> None:
    site = tmp_path / "site"
    stage = Staging.in_place(site)
    assert stage.folder == site and stage.target is None and site.is_dir()
    (site / "index.html").write_text("new", encoding="utf-8")
    stage.commit()
    stage.discard()  # a build in place keeps what it wrote
    assert _tree(site) == {"index.html": "new"}


def test_contents_swap_replaces_entries_inside_the_site(tmp_path: Path) -> None:
    """A mount point cannot be renamed: its entries are swapped one by one, hidden staging folders kept."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    (site / "gone.html").write_text("old", encoding="utf-8")
    (site / "assets").mkdir()
    (site / "assets" / "old.css").write_text("old", encoding="utf-8")
    running = site / f"{PREFIX}1-other-build"  # another build's folder, still in use
    running.mkdir()
    new = site / f"{PREFIX}{os.getpid()}-x"
    new.mkdir()
    (new / "index.html").write_text("new", encoding="utf-8")
    (new / "assets").mkdir()
    (new / "assets" / "new.css").write_text("new", encoding="utf-8")
    Staging(new, site, contents=True).commit()
    assert _tree(site) == {"index.html": "new", "assets/new.css": "new"}
    assert sorted(p.name for p in site.iterdir()) == sorted(["index.html", "assets", running.name])


def test_remove_stale_deletes_only_dead_builds_folders(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    dead, alive = _dead_pid(), os.getpid()
    stale = [tmp_path / f"{PREFIX}{dead}-abc", tmp_path / f"{PREFIX}{dead}-media-abc", site / f".site-old-{dead}-abc"]
    kept = [
        tmp_path / f"{PREFIX}{alive}-abc",  # this process is running
        tmp_path / f"{PREFIX}notapid-abc",
        site / ".site-old-x",  # no pid in its name
        site / ".site-old-",
        site / ".site-other",
        tmp_path / "other",
    ]
    for folder in stale + kept:
        folder.mkdir()
    (tmp_path / f"{PREFIX}{dead}-file").write_text("a file, not a staging folder", encoding="utf-8")
    (tmp_path / f"{PREFIX}{dead}-link").symlink_to(tmp_path / "other")
    Staging.remove_stale(site)
    assert not any(p.exists() for p in stale)
    assert all(p.is_dir() for p in kept)
    assert (tmp_path / f"{PREFIX}{dead}-file").is_file() and (tmp_path / f"{PREFIX}{dead}-link").is_symlink()


def test_beside_removes_a_killed_builds_folder(tmp_path: Path) -> None:
    site = tmp_path / "site"
    leftover = tmp_path / f"{PREFIX}{_dead_pid()}-killed"
    leftover.mkdir(parents=True)
    (leftover / "half.html").write_text("half", encoding="utf-8")
    stage = Staging.beside(site)
    assert not leftover.exists() and stage.folder.is_dir()
    stage.discard()


# -- helpers ---------------------------------------------------------------------------------------


def test_umask_reads_the_process_mask_without_changing_it() -> None:
    previous = os.umask(0o027)
    try:
        assert staging.umask() == 0o027
        assert staging.umask() == 0o027
    finally:
        os.umask(previous)


def test_is_mount_point(tmp_path: Path) -> None:
    assert staging.is_mount_point(Path("/")) is True
    assert staging.is_mount_point(tmp_path) is False
    assert staging.is_mount_point(tmp_path / "missing") is False


def test_mountinfo_escapes_are_read() -> None:
    assert staging._unescape(r"/mnt/my\040site\011x\134y") == "/mnt/my site\tx\\y"
    assert staging._unescape("/plain") == "/plain"


@pytest.mark.parametrize("contents", [False, True])
def test_commit_without_an_atomic_exchange(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, contents: bool) -> None:
    """Where renameat2 is missing (not Linux), the old site is moved aside and the new one renamed in."""
    monkeypatch.setattr(staging, "_exchange", lambda a, b: False)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    (site / "gone").mkdir()
    new = (site if contents else tmp_path) / f"{PREFIX}{os.getpid()}-x"
    new.mkdir()
    (new / "index.html").write_text("new", encoding="utf-8")
    Staging(new, site, contents=contents).commit()
    assert _tree(site) == {"index.html": "new"} and sorted(p.name for p in site.iterdir()) == ["index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
