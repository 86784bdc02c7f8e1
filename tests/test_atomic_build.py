"""A build that fails or is killed midway leaves the previous site/ byte-identical."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
from pathlib import Path

import pytest
from conftest import BuiltSite, make_project, run_build_py

from factcheck.resources import TEMPLATES_DIR


def tree(folder: Path) -> dict[str, str]:
    """Map every file under folder (relative path) to the SHA-256 of its bytes."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            out[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def staging_dirs(project: Path) -> list[Path]:
    return sorted(project.glob(".site-*"))


@pytest.fixture
def built(tmp_path: Path, basic_site: BuiltSite) -> tuple[Path, dict[str, str]]:
    project = make_project(tmp_path / "project")
    # A private copy of the templates, so a test can break one without touching the repository.
    shutil.copytree(TEMPLATES_DIR, project / "templates")
    # The previous site: this project's build, made once for the run (the templates are the same).
    shutil.copytree(basic_site.site, project / "site", symlinks=True)
    before = tree(project / "site")
    assert "index.html" in before and any(p.startswith("claims/") for p in before)
    return project, before


def _add_hook(project: Path, code: str) -> None:
    hook = project / "breaker_hook.py"
    hook.write_text(code, encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + f"\nhooks:\n  - {hook}\n", encoding="utf-8")


def test_template_error_keeps_the_previous_site(built) -> None:
    project, before = built
    (project / "claims" / "the-sky-is-green.yaml").unlink()  # the input changes too
    claim_template = project / "templates" / "claim.html.j2"
    claim_template.write_text(claim_template.read_text(encoding="utf-8") + "\n{% if %}\n", encoding="utf-8")
    result = run_build_py(project, "build", "--site-dir", str(project / "site"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Build failed: TemplateSyntaxError" in result.stderr
    assert "The previous site is unchanged." in result.stderr
    assert tree(project / "site") == before
    assert staging_dirs(project) == []


def test_runtime_error_in_a_template_keeps_the_previous_site(built) -> None:
    project, before = built
    claim_template = project / "templates" / "claim.html.j2"
    claim_template.write_text(
        claim_template.read_text(encoding="utf-8") + "\n{{ claim.no_such_field }}\n", encoding="utf-8"
    )
    result = run_build_py(project, "build", "--site-dir", str(project / "site"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "UndefinedError" in result.stderr
    assert tree(project / "site") == before
    assert staging_dirs(project) == []


def test_strict_warning_keeps_the_previous_site(built) -> None:
    project, before = built
    (project / "content" / "about.md").write_text("# About\n\n[broken](no-such-page.md)\n", encoding="utf-8")
    result = run_build_py(project, "build", "--site-dir", str(project / "site"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert tree(project / "site") == before


def test_killed_build_keeps_the_previous_site(built, tmp_path: Path) -> None:
    """SIGKILL halfway through writing pages: no cleanup code can run, yet site/ is untouched."""
    project, before = built
    scratch = tmp_path / "tmp"  # nothing of the build goes here: what it leaves is beside the site
    scratch.mkdir()
    _add_hook(
        project,
        (
            "import os, signal\n"
            "count = 0\n"
            "def on_post_page(output, page, config, **kwargs):\n"
            "    global count\n"
            "    count += 1\n"
            "    if count == 5:\n"
            "        os.kill(os.getpid(), signal.SIGKILL)\n"
            "    return output\n"
        ),
    )
    result = run_build_py(project, "build", "--site-dir", str(project / "site"), env={"TMPDIR": str(scratch)})
    assert result.returncode == -signal.SIGKILL
    assert tree(project / "site") == before
    leftovers = staging_dirs(project)
    assert leftovers, "the killed build should have left its half-written staging folder"
    assert any((d / "index.html").exists() or any(d.rglob("*.html")) for d in leftovers)
    # The search documents it wrote for the indexer are left beside the site too, for the next build to find.
    assert any(any((d / "documents").rglob("*.html")) for d in leftovers if "-search-" in d.name)
    assert list(scratch.iterdir()) == []

    # The next build removes what the killed one left behind and replaces the site.
    (project / "breaker_hook.py").write_text("", encoding="utf-8")
    (project / "claims" / "ruritania-has-42-tanks.yaml").unlink()
    result = run_build_py(project, "build", "--site-dir", str(project / "site"))
    assert result.returncode == 0, result.stderr
    assert staging_dirs(project) == []
    assert tree(project / "site") != before


def test_interrupted_build_keeps_the_previous_site(built) -> None:
    project, before = built
    _add_hook(
        project,
        (
            "import os, signal\n"
            "def on_post_page(output, page, config, **kwargs):\n"
            "    os.kill(os.getpid(), signal.SIGINT)\n"
            "    return output\n"
        ),
    )
    result = run_build_py(project, "build", "--site-dir", str(project / "site"))
    assert result.returncode == 130
    assert "Interrupted; the previous site is unchanged." in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(project / "site") == before
    assert staging_dirs(project) == []


def test_successful_build_replaces_the_site_whole(built) -> None:
    project, before = built
    (project / "site" / "stale-file.txt").write_text("from an old build", encoding="utf-8")
    (project / "claims" / "ruritania-has-42-tanks.yaml").unlink()
    result = run_build_py(project, "build", "--site-dir", str(project / "site"))
    assert result.returncode == 0, result.stderr
    after = tree(project / "site")
    assert "stale-file.txt" not in after
    assert not any(p.startswith("claims/ruritania-has-42-tanks/") for p in after)
    assert staging_dirs(project) == []


def _fake_indexer(project: Path, script: str) -> None:
    """Make the build run `script` (a shell script) as its search indexer, through a hook."""
    indexer = project / "fake-pagefind"
    indexer.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    indexer.chmod(0o755)
    _add_hook(
        project, f"import factcheck.publish.search\nfactcheck.publish.search._executable = lambda: {str(indexer)!r}\n"
    )


def test_a_failing_search_indexer_fails_the_build_and_keeps_the_previous_site(built, tmp_path: Path) -> None:
    project, before = built
    _fake_indexer(project, 'echo "no room left for the index" >&2\nexit 3\n')
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    result = run_build_py(project, "build", "--site-dir", str(project / "site"), env={"TMPDIR": str(scratch)})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "Pagefind failed (exit 3): no room left for the index" in result.stderr
    assert tree(project / "site") == before
    assert staging_dirs(project) == []
    assert list(scratch.iterdir()) == []  # its documents are gone too


def test_a_build_that_fails_stops_the_search_indexer(built, tmp_path: Path) -> None:
    """The indexer runs beside the page rendering; a build failing meanwhile stops it, whole."""
    project, before = built
    pid_file = tmp_path / "indexer.pid"
    # The shell the build starts runs this, which runs a long sleep: both must stop.
    _fake_indexer(project, f"sleep 300 &\necho $! > {pid_file}\nwait\n")
    claim_template = project / "templates" / "claim.html.j2"
    claim_template.write_text(
        claim_template.read_text(encoding="utf-8") + "\n{{ claim.no_such_field }}\n", encoding="utf-8"
    )
    result = run_build_py(project, "build", "--site-dir", str(project / "site"))
    assert result.returncode == 1 and "UndefinedError" in result.stderr
    assert tree(project / "site") == before
    sleeper = int(pid_file.read_text(encoding="utf-8"))
    try:
        os.kill(sleeper, 0)
    except ProcessLookupError:
        pass
    else:
        # A zombie is dead but not yet reaped by its (killed) parent's reaper: it counts as stopped.
        state = Path(f"/proc/{sleeper}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0]
        assert state == "Z", f"the indexer's child {sleeper} still runs (state {state})"
