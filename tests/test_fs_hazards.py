"""File-system hazards: each is refused with the exact message a user sees, or just works, and
nothing outside the site folder changes (a hash of the whole project tree before and after).

Beside the YAML hazards (test_yaml_hazards.py): a site folder that would destroy an input,
`site_dir` from mkdocs.yml, the modes of a built site, files that are not regular files
(pipes, devices, sockets, folders, symbolic links), sizes read no further than the limit,
a damaged card cache, and a site folder that is a mount point.
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, make_project, set_config

HANG_GUARD = 300  # seconds: a subprocess that blocks for ever fails the test instead of hanging it


def snapshot(folder: Path, skip: tuple[str, ...] = ("site",)) -> dict[str, str]:
    """Every entry under folder (never following a link, never opening what is not a regular file): its kind and content hash."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        rel_dir = Path(dirpath).relative_to(folder)
        if rel_dir.parts and rel_dir.parts[0] in skip:
            dirnames[:] = []
            continue
        dirnames.sort()
        for name in [*dirnames, *sorted(filenames)]:
            path = Path(dirpath) / name
            rel = (rel_dir / name).as_posix()
            if rel.split("/")[0] in skip:
                continue
            st = path.lstat()
            if stat.S_ISREG(st.st_mode):
                out[rel] = "file " + hashlib.sha256(path.read_bytes()).hexdigest() + f" {stat.S_IMODE(st.st_mode):o}"
            elif stat.S_ISLNK(st.st_mode):
                out[rel] = "link " + os.readlink(path)
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = f"dir {stat.S_IMODE(st.st_mode):o}"
            else:
                out[rel] = f"special {stat.S_IFMT(st.st_mode):o}"
    return out


def run(project: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python build.py -f <project>/mkdocs.yml ARGS`, failing (not hanging) if it blocks."""
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), "-f", str(project / "mkdocs.yml"), *args],
        capture_output=True, text=True, env=env, cwd=cwd or project, timeout=HANG_GUARD,
    )


# -- 1. the output never touches the inputs ---------------------------------------------------


@pytest.mark.parametrize(
    ("site_dir", "clash"),
    [
        ("claims", "is claims/ (the claim files)"),
        ("content", "is content/ (docs_dir: the pages, entities and sources)"),
        ("content/entities", "lies inside content/ (docs_dir: the pages, entities and sources)"),
        ("claims/site", "lies inside claims/ (the claim files)"),
        ("templates", "is templates/ (the site's templates)"),
        ("overrides", "is overrides/ (the site's theme overrides)"),
        (".", "is the project's folder (where mkdocs.yml is)"),
        ("..", "contains the project's folder (where mkdocs.yml is)"),
        (".cache/factcheck/cards", "is the card cache (extra.factcheck.card_cache)"),
    ],
)
def test_a_site_folder_that_would_destroy_an_input_is_refused(tmp_path: Path, site_dir: str, clash: str) -> None:
    project = make_project(tmp_path / "project")
    for name in ("templates", "overrides", ".cache/factcheck/cards"):
        (project / name).mkdir(parents=True, exist_ok=True)
    (project / "templates" / "keep.txt").write_text("mine\n", encoding="utf-8")
    before = snapshot(tmp_path, skip=())
    result = run(project, "build", "--site-dir", site_dir)
    shown = (project / site_dir).resolve()
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        f"Configuration error: --site-dir: the site folder {shown} {clash}; a build replaces everything in its "
        "site folder, so nothing was written: choose a folder of its own, such as `--site-dir site`\n"
    )
    assert snapshot(tmp_path, skip=()) == before


def test_site_dir_in_mkdocs_yml_that_would_destroy_an_input_is_refused_by_every_build(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    set_config(project, "site_dir: site\n", "site_dir: claims\n")
    before = snapshot(tmp_path, skip=())
    result = run(project, "build")
    assert result.returncode == 2
    assert result.stderr == (
        f"Configuration error: site_dir in mkdocs.yml: the site folder {project / 'claims'} is claims/ (the claim "
        "files); a build replaces everything in its site folder, so nothing was written: choose a folder of its "
        "own, such as `site_dir: site`\n"
    )
    # MkDocs' own command refuses it too (the generator's check, before anything is written).
    mkdocs = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml")],
        capture_output=True, text=True, cwd=project, timeout=HANG_GUARD,
    )
    assert mkdocs.returncode != 0
    assert f"site_dir: the site folder {project / 'claims'} is claims/ (the claim files)" in mkdocs.stderr
    assert snapshot(tmp_path, skip=()) == before


# -- 5. site_dir from mkdocs.yml ----------------------------------------------------------------


def test_site_dir_in_mkdocs_yml_is_where_build_writes(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    set_config(project, "site_dir: site\n", "site_dir: public/www\n")
    result = run(project, "build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Built {project / 'public' / 'www'}"
    assert (project / "public" / "www" / "index.html").is_file()
    assert not (project / "site").exists()
    # --site-dir still wins.
    result = run(project, "build", "--site-dir", str(tmp_path / "elsewhere"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "elsewhere" / "index.html").is_file() and not (project / "site").exists()


# -- 3. a site any web server can serve ---------------------------------------------------------


@pytest.mark.parametrize("mask", [0o022, 0o027])
def test_the_site_is_readable_as_the_umask_allows(tmp_path: Path, mask: int) -> None:
    project = make_project(tmp_path / "project")
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "-f", str(project / "mkdocs.yml"), "build"],
        capture_output=True, text=True, env=env, cwd=project, timeout=HANG_GUARD,
        preexec_fn=lambda: os.umask(mask),  # noqa: PLW1509 - the child's umask, set before it starts
    )
    assert result.returncode == 0, result.stderr
    site = project / "site"
    modes = {"site/": stat.S_IMODE(site.stat().st_mode)}
    for path in site.rglob("*"):
        modes[path.relative_to(project).as_posix() + ("/" if path.is_dir() else "")] = stat.S_IMODE(path.lstat().st_mode)
    wrong = {p: f"{m:o}" for p, m in modes.items() if m != (0o777 & ~mask if p.endswith("/") else 0o666 & ~mask)}
    assert wrong == {}
    assert len(modes) > 100 and any(p.endswith(".png") for p in modes) and any(p.startswith("site/pagefind") for p in modes)
