"""Shared fixtures: build small sites from fixture folders in temporary directories."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def make_project(dest: Path, fixture: str | None = "basic") -> Path:
    """Lay out a project in dest: a fixture's claims/ and content/, the repo's templates and config."""
    dest.mkdir(parents=True, exist_ok=True)
    if fixture:
        shutil.copytree(FIXTURES / fixture, dest, dirs_exist_ok=True)
    for name in ("claims", "content/entities", "content/sources"):
        (dest / name).mkdir(parents=True, exist_ok=True)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("factcheck/mkdocs_hooks.py", str(REPO / "factcheck" / "mkdocs_hooks.py"))
    config = config.replace("custom_dir: overrides", f"custom_dir: {REPO / 'overrides'}")
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    if not (dest / "templates").exists():
        os.symlink(REPO / "templates", dest / "templates")
    return dest


@dataclass
class Run:
    """The result of running build.py in a subprocess."""

    returncode: int
    stdout: str
    stderr: str


def run_build_py(project: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    """Run `python build.py -f <project>/mkdocs.yml ARGS` the way a contributor would."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "FACTCHECK_DRAFTS")}
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "-f", str(project / "mkdocs.yml"), *args],
        capture_output=True, text=True, env=full_env, cwd=project, timeout=600,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@dataclass
class BuiltSite:
    """A site built from a fixture, with helpers to read its pages."""

    project: Path
    site: Path

    def page(self, url_path: str) -> BeautifulSoup:
        """Parse the page at a site-relative URL path such as 'claims/x/'."""
        path = self.site / url_path.strip("/") / "index.html" if not url_path.endswith(".html") else self.site / url_path
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def exists(self, url_path: str) -> bool:
        return (self.site / url_path.strip("/") / "index.html").is_file()


def build(project: Path, *extra: str) -> BuiltSite:
    """Build project strictly into project/site; fail the test with the build's output if it fails."""
    result = run_build_py(project, "build", "--site-dir", str(project / "site"), *extra)
    if result.returncode != 0:
        pytest.fail(f"build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return BuiltSite(project, project / "site")


@pytest.fixture(scope="session")
def basic_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The basic fixture, built once per test session (read-only for tests)."""
    project = make_project(tmp_path_factory.mktemp("basic"))
    return build(project)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh, writable copy of the basic fixture project."""
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The hostile fixture (a payload in every contributor field), built once per session."""
    project = make_project(tmp_path_factory.mktemp("hostile"), "hostile")
    return build(project)
