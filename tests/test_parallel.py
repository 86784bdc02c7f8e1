"""The two-process build (factcheck/parallel.py) writes exactly what a one-process build writes."""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

from conftest import run_build_py

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
from corpus import write_project  # noqa: E402

EPOCH = {"SOURCE_DATE_EPOCH": "1730000000"}


def _tree(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_processes_write_the_same_site_as_one(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", 40)
    one = run_build_py(project, "build", "--jobs", "1", "--site-dir", str(tmp_path / "one"), env=EPOCH)
    assert one.returncode == 0, one.stderr
    for share in ("0.5", "1.0"):  # half the pages, then all but the navigation's, in the worker
        two = run_build_py(project, "build", "--jobs", "2", "-v", "--site-dir", str(tmp_path / share),
                           env={**EPOCH, "FACTCHECK_WORKER_SHARE": share})
        assert two.returncode == 0, two.stderr
        written = [line for line in two.stderr.splitlines() if "second process wrote" in line]
        assert written and " 0 pages" not in written[0], two.stderr  # the worker did build pages
        assert _tree(tmp_path / share) == _tree(tmp_path / "one")
    pages = [p for p in _tree(tmp_path / "one") if p.endswith("index.html")]
    assert len(pages) > 80 and any(p.startswith("pagefind/") for p in _tree(tmp_path / "one"))


def test_a_page_failing_in_the_second_process_fails_the_build_and_keeps_the_site(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", 20)
    site = tmp_path / "site"
    first = run_build_py(project, "build", "--site-dir", str(site), env=EPOCH)
    assert first.returncode == 0, first.stderr
    before = _tree(site)
    (project / "templates").unlink()  # the corpus links the repository's templates: copy them to break one
    shutil.copytree(REPO / "templates", project / "templates")
    template = project / "templates" / "claim.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n{{ no_such_value }}\n", encoding="utf-8")
    broken = run_build_py(project, "build", "--site-dir", str(site), env={**EPOCH, "FACTCHECK_WORKER_SHARE": "1.0"})
    assert broken.returncode == 1
    assert "no_such_value" in broken.stderr and "second build process failed" in broken.stderr
    assert "Traceback" not in broken.stderr + broken.stdout
    assert _tree(site) == before  # the previous site, byte for byte
    assert not list(tmp_path.glob(".site-building-*"))  # no staging folder left behind
