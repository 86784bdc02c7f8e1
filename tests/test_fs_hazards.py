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
                with open(path, "rb") as fh:
                    digest = hashlib.file_digest(fh, "sha256").hexdigest()
                out[rel] = "file " + digest + f" {stat.S_IMODE(st.st_mode):o}"
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
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or project,
        timeout=HANG_GUARD,
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
        capture_output=True,
        text=True,
        cwd=project,
        timeout=HANG_GUARD,
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
        capture_output=True,
        text=True,
        env=env,
        cwd=project,
        timeout=HANG_GUARD,
        preexec_fn=lambda: os.umask(mask),  # noqa: PLW1509 - the child's umask, set before it starts
    )
    assert result.returncode == 0, result.stderr
    site = project / "site"
    modes = {"site/": stat.S_IMODE(site.stat().st_mode)}
    for path in site.rglob("*"):
        modes[path.relative_to(project).as_posix() + ("/" if path.is_dir() else "")] = stat.S_IMODE(
            path.lstat().st_mode
        )
    wrong = {p: f"{m:o}" for p, m in modes.items() if m != (0o777 & ~mask if p.endswith("/") else 0o666 & ~mask)}
    assert wrong == {}
    assert (
        len(modes) > 100
        and any(p.endswith(".png") for p in modes)
        and any(p.startswith("site/pagefind") for p in modes)
    )


# -- 2. only regular files are read ---------------------------------------------------------------

HUGE = 300 * 1024 * 1024  # a sparse file: 300 MB on paper, nothing on disk


def _hazard_project(tmp_path: Path) -> Path:
    """The basic project with, in claims/ and content/entities/, everything that is not a regular file of the project."""
    project = make_project(tmp_path / "project")
    claims, entities = project / "claims", project / "content" / "entities"
    good = (claims / "the-sky-is-green.yaml").read_bytes()
    os.mkfifo(claims / "pipe.yaml")
    os.mkfifo(entities / "pipe-entity.md")
    (claims / "zero.yaml").symlink_to("/dev/zero")
    (tmp_path / "secret.yaml").write_bytes(good)
    (claims / "outside.yaml").symlink_to(tmp_path / "secret.yaml")
    (claims / "broken.yaml").symlink_to(project / "no-such-file.yaml")
    (claims / "folder.yaml").mkdir()
    (entities / "folder-entity.md").mkdir()
    (claims / "drafts").mkdir()  # a folder not named like a claim file: not an input, left alone
    (project / "shared").mkdir()
    (project / "shared" / "linked.yaml").write_bytes(good.replace(b"The sky is green", b"The linked sky is green"))
    (claims / "linked-inside.yaml").symlink_to(project / "shared" / "linked.yaml")  # inside the project: read
    os.mkfifo(project / "content" / "pipe-page.md")  # a hand-written page: the engine would block reading it
    (project / "content" / "img").mkdir()
    (project / "content" / "img" / "leak.png").symlink_to(tmp_path / "secret.yaml")  # copied as is by the engine
    with open(claims / "huge.yaml", "wb") as fh:
        fh.truncate(HUGE)
    import socket

    here = os.getcwd()
    os.chdir(claims)  # a socket's path is short when bound relative to its folder
    try:
        sock = socket.socket(socket.AF_UNIX)
        sock.bind("socket.yaml")
        sock.close()
    finally:
        os.chdir(here)
    return project


def test_what_is_not_a_regular_file_of_the_project_is_refused_without_blocking(tmp_path: Path) -> None:
    project = _hazard_project(tmp_path)
    before = snapshot(tmp_path, skip=())
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    # build.py check, reporting its own peak memory (kB, Linux's VmHWM: this program's alone) on the last line (the size limit holds while reading).
    measured = (
        "import runpy, sys\n"
        f"sys.argv = ['build.py', '-f', {str(project / 'mkdocs.yml')!r}, 'check']\n"
        "try:\n"
        f"    runpy.run_path({str(REPO / 'build.py')!r}, run_name='__main__')\n"
        "except SystemExit as done:\n"
        "    code = done.code\n"
        "peak = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0].split()[1]\n"
        "print(f'peak {peak}', file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", measured], capture_output=True, text=True, env=env, cwd=project, timeout=HANG_GUARD
    )  # a blocked read fails here instead of hanging
    out, err = proc.stdout, proc.stderr
    assert proc.returncode == 1, out + err
    peak_kib = int(err.splitlines()[-1].removeprefix("peak "))
    outside = (tmp_path / "secret.yaml").resolve()
    assert sorted(line for line in err.splitlines() if ": " in line and not line.startswith(" ")) == sorted(
        [
            "claims/broken.yaml:1:1: is a symbolic link to a file that does not exist; remove it",
            "claims/folder.yaml:1:1: is a folder, not a file; remove it (only regular files are read)",
            f"claims/huge.yaml:1:1: file is {HUGE:,} bytes; the limit is 262,144",
            f"claims/outside.yaml:1:1: is a symbolic link to {outside}, outside the project; copy the file into the "
            "project instead (links are followed only inside it)",
            "claims/pipe.yaml:1:1: is a named pipe, not a file; remove it (only regular files are read)",
            "claims/socket.yaml:1:1: is a socket, not a file; remove it (only regular files are read)",
            "claims/zero.yaml:1:1: is a symbolic link to /dev/zero, outside the project; copy the file into the "
            "project instead (links are followed only inside it)",
            "content/entities/folder-entity.md:1:1: is a folder, not a file; remove it (only regular files are read)",
            f"content/img/leak.png:1:1: is a symbolic link to {outside}, outside the project; copy the file into the "
            "project instead (links are followed only inside it)",
            "content/pipe-page.md:1:1: is a named pipe, not a file; remove it (only regular files are read)",
            "content/entities/pipe-entity.md:1:1: is a named pipe, not a file; remove it (only regular files are read)",
        ]
    )
    assert "linked-inside" not in err and "Traceback" not in err
    assert peak_kib < 150 * 1024  # the whole check, Python included: far less than the 300 MB file
    assert snapshot(tmp_path, skip=()) == before


def test_the_reader_refuses_a_device_and_reads_no_further_than_the_limit(tmp_path: Path) -> None:
    from factcheck.model.discover import read_bytes
    from factcheck.model.problems import Problems

    problems = Problems()
    assert read_bytes(Path("/dev/zero"), "zero.yaml", problems) is None
    growing = tmp_path / "grows.yaml"
    growing.write_bytes(b"x" * 10)
    assert read_bytes(growing, "grows.yaml", problems, tmp_path, limit=10) == b"x" * 10
    assert [f"{p.path}:{p.line}:{p.column}: {p.message}" for p in problems.sorted()] == [
        "zero.yaml:1:1: is a device, not a file; remove it (only regular files are read)",
    ]


# -- 7. a card cache that cannot publish a damaged card ---------------------------------------------


def whole_card(data: bytes) -> bool:
    """Pillow decodes every pixel of a 1200 x 630 picture from data (a cut or damaged PNG fails)."""
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            return image.size == (1200, 630)
    except (OSError, SyntaxError, ValueError):
        return False


def test_a_damaged_cache_entry_is_drawn_again_and_the_site_has_its_own_cards(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    assert run(project, "build").returncode == 0
    site, cache = project / "site", project / ".cache" / "factcheck" / "cards"
    cards = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("card.png")}
    assert len(cards) > 5 and all(whole_card(data) for data in cards.values())
    # Damage the cache: one card cut short, one with a flipped byte, one of another picture's size;
    # and leave what killed builds leave behind.
    files = sorted(cache.glob("*.png"))
    assert len(files) == len(set(cards.values()))
    cut, flipped, foreign = files[:3]
    cut.write_bytes(cut.read_bytes()[: len(cut.read_bytes()) // 2])
    flipped_data = bytearray(flipped.read_bytes())
    flipped_data[len(flipped_data) // 2] ^= 0xFF
    flipped.write_bytes(bytes(flipped_data))
    from PIL import Image

    Image.new("RGB", (10, 10)).save(foreign, "PNG")
    (cache / f".{'a' * 64}.999999999.part").write_bytes(b"half")  # a build that no longer runs
    mine = cache / f".{'b' * 64}.{os.getpid()}.part"  # a build still running (this process)
    mine.write_bytes(b"half")
    assert run(project, "build").returncode == 0
    again = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("card.png")}
    assert again == cards  # every card as first drawn: nothing damaged was published
    assert all(whole_card(p.read_bytes()) for p in cache.glob("*.png"))
    assert sorted(p.name for p in cache.glob(".*.part")) == [mine.name]
    # The site's cards are its own files: editing one in place leaves the cache as it was.
    cached = {p.name: p.read_bytes() for p in cache.glob("*.png")}
    for card in site.rglob("card.png"):
        assert card.stat().st_nlink == 1
        with open(card, "r+b") as fh:
            fh.write(b"edited")
    assert {p.name: p.read_bytes() for p in cache.glob("*.png")} == cached


def test_complete_png_takes_only_a_whole_card() -> None:
    import io

    from PIL import Image

    from factcheck.share.cards import HEIGHT, WIDTH, complete_png

    out = io.BytesIO()
    Image.new("RGB", (WIDTH, HEIGHT), "#123456").save(out, "PNG")
    data = out.getvalue()
    assert complete_png(data)
    assert not complete_png(data[:-1]) and not complete_png(data[: len(data) // 2]) and not complete_png(b"")
    assert not complete_png(data + b"more") and not complete_png(data[:40] + bytes([data[40] ^ 1]) + data[41:])
    other = io.BytesIO()
    Image.new("RGB", (WIDTH, HEIGHT + 1)).save(other, "PNG")
    assert not complete_png(other.getvalue())


# -- 4. a site folder that is a mount point ------------------------------------------------------

MOUNTED_BUILDS = """
import json, os, subprocess, sys
from pathlib import Path
project, kind = Path(sys.argv[1]), sys.argv[2]
site = project / "site"
site.mkdir()
if kind == "tmpfs":  # another file system, as a Docker volume often is
    subprocess.run(["mount", "-t", "tmpfs", "none", str(site)], check=True)
else:  # a folder of the same file system bound there
    (project.parent / "volume").mkdir()
    subprocess.run(["mount", "--bind", str(project.parent / "volume"), str(site)], check=True)
(site / "stray.txt").write_text("from before")  # what the folder held: replaced like an old site
def build():
    return subprocess.run([sys.executable, sys.argv[3], "-f", str(project / "mkdocs.yml"), "build"],
                          capture_output=True, text=True, cwd=project)
first = build()
claim = project / "claims" / "ruritania-has-42-tanks.yaml"
claim.write_text(claim.read_text().replace("statement: Ruritania has 42 tanks", "statement: Ruritania has 43 tanks"))
second = build()
print(json.dumps({
    "codes": [first.returncode, second.returncode], "errors": first.stderr + second.stderr,
    "mounted": os.path.ismount(site) or kind == "bind",
    "entries": sorted(os.listdir(site)),
    "claim": (site / "claims" / "ruritania-has-42-tanks" / "index.html").read_text() if second.returncode == 0 else "",
}))
"""


@pytest.mark.parametrize("kind", ["tmpfs", "bind"])
def test_a_site_folder_that_is_a_mount_point_builds(tmp_path: Path, kind: str) -> None:
    import json
    import shutil

    if shutil.which("unshare") is None:
        pytest.skip("needs unshare (util-linux) to mount a folder without privileges")
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"this machine allows no private mount namespace: {probe.stderr.decode().strip()}")
    project = make_project(tmp_path / "project")
    before = snapshot(tmp_path)
    proc = subprocess.run(
        [
            "unshare",
            "--user",
            "--map-root-user",
            "--mount",
            sys.executable,
            "-c",
            MOUNTED_BUILDS,
            str(project),
            kind,
            str(REPO / "build.py"),
        ],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["codes"] == [0, 0], out["errors"]
    assert out["mounted"]
    assert "stray.txt" not in out["entries"] and "index.html" in out["entries"]
    assert not [e for e in out["entries"] if e.startswith(".site-")]  # nothing of the swap is left
    assert "Ruritania has 43 tanks" in out["claim"]
    after = snapshot(tmp_path)
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    assert changed <= {"project/claims/ruritania-has-42-tanks.yaml", "volume", "project/site", "project/.cache"} | {
        k for k in after if k.startswith(("project/.cache/", "volume/"))
    }


def test_a_build_refuses_them_too_and_leaves_the_site_as_it_was(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    assert run(project, "build").returncode == 0
    os.mkfifo(project / "content" / "pipe-page.md")
    (project / "claims" / "zero.yaml").symlink_to("/dev/zero")
    before = snapshot(tmp_path, skip=())
    result = run(project, "build")
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if line.startswith(("claims/", "content/"))] == [
        "claims/zero.yaml:1:1: is a symbolic link to /dev/zero, outside the project; copy the file into the project "
        "instead (links are followed only inside it)",
        "content/pipe-page.md:1:1: is a named pipe, not a file; remove it (only regular files are read)",
    ]
    assert result.stderr.splitlines()[-1] == "Nothing was built; the previous site is unchanged."
    assert snapshot(tmp_path, skip=()) == before  # the site folder included
