"""The build pipeline: one build function, MkDocs behind one plugin, and the bugs B1-B6 of issue 13.

Each B-test failed on the two-process, hook-based build it replaced.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, BuiltSite, build, follow_links, make_project, run_build_py, set_config

from factcheck import pipeline
from factcheck.cli import main as cli
from factcheck.resources import TEMPLATES_DIR
from factcheck.settings import load_settings

PACKAGE = REPO / "factcheck"
ATOM = "{http://www.w3.org/2005/Atom}"


def _jsonld(page: BeautifulSoup) -> list[dict]:
    return [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]


# -- B1: the language follows theme.language everywhere ---------------------------------------------


def test_b1_theme_language_reaches_metadata_feeds_and_structured_data(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    set_config(project, "  language: en\n", "  language: de\n")
    site = build(project)
    page = site.page("claims/agency-counted-11000-soldiers/")
    assert page.html["lang"] == "de"
    assert page.select_one('meta[property="og:locale"]')["content"] == "de_DE"  # with its territory (issue 17)
    review = next(d for d in _jsonld(page) if d.get("@type") == "ClaimReview")
    assert review["inLanguage"] == "de"
    for feed in ("feed.xml", "corrections/feed.xml", "entities/alice-example/feed.xml"):
        root = ET.fromstring((site.site / feed).read_bytes())  # noqa: S314 - our own output
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "de", feed


def test_b1_settings_read_the_language_from_mkdocs_resolved_config(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    from factcheck.engines.mkdocs.plugin import settings_for

    project = make_project(tmp_path / "p")
    set_config(project, "  language: en\n", "  language: uk\n")
    config = load_config(str(project / "mkdocs.yml"))
    assert not isinstance(config["theme"], dict)  # MkDocs hands over a Theme object
    assert settings_for(config, drafts=False, search_bundle_pages=10).language == "uk"


# -- B2: settings are made once, the model loaded once ------------------------------------------------


def test_b2_site_url_without_slash_loads_the_model_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.config import load_config

    from factcheck.engines.mkdocs.plugin import settings_for

    project = make_project(tmp_path / "p")
    set_config(
        project,
        "site_url: https://factcheck-microsite.github.io/factcheck/",
        "site_url: https://factcheck-microsite.github.io/factcheck",
    )
    raw = load_settings(project / "mkdocs.yml")
    engine = settings_for(load_config(str(project / "mkdocs.yml")), drafts=False, search_bundle_pages=4000)
    assert raw.site_url == engine.site_url == "https://factcheck-microsite.github.io/factcheck/"

    calls = []
    real = pipeline.load_site
    monkeypatch.setattr(pipeline, "load_site", lambda settings, **kw: calls.append(settings) or real(settings, **kw))
    assert cli.main(["-f", str(project / "mkdocs.yml"), "build", "--site-dir", str(project / "site")]) == 0
    assert len(calls) == 1


# -- B3: no state left in the process environment ----------------------------------------------------


def test_b3_two_builds_in_one_process_do_not_share_options(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    config, preview, public = str(project / "mkdocs.yml"), project / "preview", project / "public"
    environ = dict(os.environ)
    assert cli.main(["-f", config, "build", "--drafts", "--site-dir", str(preview)]) == 0
    assert cli.main(["-f", config, "build", "--site-dir", str(public)]) == 0
    assert (preview / "claims" / "the-sky-is-green" / "index.html").is_file()
    assert not (public / "claims" / "the-sky-is-green").exists()
    assert dict(os.environ) == environ


# -- B4: previews have a search index --------------------------------------------------------------------


def test_b4_a_drafts_build_writes_the_search_index(tmp_path: Path) -> None:
    site = build(make_project(tmp_path / "p"), "--drafts")
    box = site.page("").select_one(".fc-search")
    assert box is not None
    for bundle in box["data-bundles"].split():
        assert (site.site / bundle / "pagefind.js").is_file(), bundle


# -- B5: links from hand-written pages to anchors of generated pages are checked -------------------------


@pytest.mark.parametrize(("anchor", "ok"), [("evidence", True), ("no-such-anchor", False)])
def test_b5_strict_build_checks_anchors_on_generated_pages(tmp_path: Path, anchor: str, ok: bool) -> None:
    project = make_project(tmp_path / "p")
    (project / "content" / "about.md").write_text(
        f"# About\n\nSee [the evidence](claims/agency-counted-11000-soldiers.md#{anchor}).\n", encoding="utf-8"
    )
    result = run_build_py(project, "build", "--site-dir", str(project / "site"))
    assert (result.returncode == 0) is ok, result.stderr
    if not ok:
        assert "no-such-anchor" in result.stderr and "Traceback" not in result.stderr
        assert not (project / "site").exists()


# -- B6: use_directory_urls: false ------------------------------------------------------------------------


def test_b6_every_link_works_without_directory_urls(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    set_config(project, "use_directory_urls: true", "use_directory_urls: false")
    site = build(project)
    assert (site.site / "claims" / "agency-counted-11000-soldiers.html").is_file()
    checked, broken = follow_links(site.site)
    assert broken == [] and checked > 100
    sitemap = (site.site / "sitemap.xml").read_text(encoding="utf-8")
    data = json.loads((site.site / "api" / "claims.json").read_text(encoding="utf-8"))
    assert data["claims"][0]["url"].endswith(".html") and data["claims"][0]["url"] in sitemap
    # Sharing without directory URLs: the card beside the page, the embed page by its file name.
    claim = data["claims"][0]
    folder = site.site / "claims" / claim["id"]
    oembed = json.loads((folder / "oembed.json").read_text(encoding="utf-8"))
    assert f'/claims/{claim["id"]}/embed/index.html"' in oembed["html"] and (folder / "embed" / "index.html").is_file()
    assert oembed["thumbnail_url"].endswith(f"/claims/{claim['id']}/card.png") and (folder / "card.png").is_file()
    page = site.page(f"claims/{claim['id']}.html")
    assert page.select_one('meta[property="og:image"]')["content"] == oembed["thumbnail_url"]
    assert page.select_one("#fc-share-url")["value"] == claim["url"]


def test_a_broken_link_in_a_template_fails_the_build(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    (project / "templates").mkdir()
    tag = project / "templates" / "tag.html.j2"  # the site's own copy of one template replaces the tool's
    shutil.copy(TEMPLATES_DIR / "tag.html.j2", tag)
    tag.write_text(
        tag.read_text(encoding="utf-8") + "<a href=\"{{ 'claims/nowhere.md'|url }}\">x</a>\n", encoding="utf-8"
    )
    result = run_build_py(project, "build", "--site-dir", str(project / "site"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "claims/nowhere/, which is not a page or file of the site" in result.stderr
    assert "The previous site is unchanged." in result.stderr


# -- every entry point goes through pipeline.build ----------------------------------------------------------


def test_mkdocs_build_runs_the_same_build(tmp_path: Path, basic_site: BuiltSite) -> None:
    """`mkdocs build` (MkDocs' own command) builds the same site as build.py, checks included."""
    import subprocess
    import sys

    project = make_project(tmp_path / "p")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(project / "mkdocs.yml"),
            "-d",
            str(project / "site"),
        ],
        capture_output=True,
        text=True,
        cwd=project,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    ours = {p.relative_to(project / "site").as_posix() for p in (project / "site").rglob("*") if p.is_file()}
    theirs = {p.relative_to(basic_site.site).as_posix() for p in basic_site.site.rglob("*") if p.is_file()}
    assert ours == theirs
    page = BuiltSite(project, project / "site").page("claims/agency-counted-11000-soldiers/")
    assert page.select_one(".fc-badge__label").get_text() == "True"

    (project / "claims" / "agency-counted-11000-soldiers.yaml").write_text("verdict: maybe\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"), "-d", str(project / "site")],
        capture_output=True,
        text=True,
        cwd=project,
        timeout=600,
    )
    assert proc.returncode == 1
    assert "claims/agency-counted-11000-soldiers.yaml:1:1" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert (project / "site" / "claims" / "agency-counted-11000-soldiers" / "index.html").is_file()  # kept


def test_generated_pages_skip_mkdocs_markdown_and_nav_titles_stay(tmp_path: Path) -> None:
    """A generated page is never read or converted by MkDocs' Markdown; a page the nav names keeps the nav's title."""
    project = make_project(tmp_path / "p")
    record = tmp_path / "pages.json"
    hook = project / "record_hook.py"
    hook.write_text(
        "import json, markdown\n"
        "seen, converted = {}, []\n"
        "real = markdown.Markdown.convert\n"
        "def convert(self, source):\n"
        "    converted.append(source)\n"
        "    return real(self, source)\n"
        "markdown.Markdown.convert = convert  # the test's spy, not the generator's\n"
        "def on_page_context(context, page, config, nav, **kwargs):\n"
        "    seen[page.file.src_uri] = [type(page).__name__, page.title]\n"
        "    return context\n"
        "def on_post_build(config, **kwargs):\n"
        f"    open({str(record)!r}, 'w').write(json.dumps({{'pages': seen, 'converted': converted}}))\n",
        encoding="utf-8",
    )
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(f"\nhooks:\n  - {hook}\n")
    result = run_build_py(project, "build", "--site-dir", str(project / "site"))
    assert result.returncode == 0, result.stderr
    data = json.loads(record.read_text(encoding="utf-8"))
    pages = data["pages"]
    claim = pages["claims/agency-counted-11000-soldiers.md"]
    assert claim[0] == "GeneratedPage" and claim[1] == "The agency counted 11,000 soldiers"
    assert pages["claims/index.md"] == ["Page", "Fact-checks"]  # the nav's title (mkdocs.yml: `Fact-checks: ...`)
    assert pages["about.md"][0] == "Page"
    generated = [uri for uri, (kind, _) in pages.items() if kind == "GeneratedPage"]
    assert len(generated) > 10 and all(
        uri.startswith(("claims/", "entities/", "sources/", "tags/", "verdicts/")) for uri in generated
    )
    # MkDocs converted the hand-written pages and the nav's few generated ones, never the rest.
    assert len(data["converted"]) == len(pages) - len(generated)


# -- the architecture the README describes --------------------------------------------------------------


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_only_the_adapter_imports_mkdocs_and_only_its_public_api() -> None:
    adapters = []
    for path in sorted(PACKAGE.rglob("*.py")):
        mkdocs = {name for name in _imports(path) if name == "mkdocs" or name.startswith("mkdocs.")}
        if path.parent.name == "mkdocs":
            adapters.append(path.name)
            private = {name for name in mkdocs if any(part.startswith("_") for part in name.split("."))}
            assert not private, (path.name, private)
            from_build = {name for name in mkdocs if name.startswith("mkdocs.commands.build")}
            # live.py: the preview renders a page as a build does, with the template context MkDocs gives it
            allowed = {"mkdocs.commands.build", "mkdocs.commands.build.build", "mkdocs.commands.build.get_context"}
            assert from_build <= allowed, from_build
        else:
            assert not mkdocs, f"{path.name} imports {sorted(mkdocs)}: only the adapter may"
    assert adapters == ["__init__.py", "engine.py", "icons.py", "live.py", "plugin.py", "run.py"]


def test_no_behaviour_comes_from_environment_variables_or_argv() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "sys.argv" not in text.replace("sys.argv[1:] if argv is None", ""), path.name
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "putenv"):
                # The one use: GitHub's own variable, to print problems as pull request annotations.
                assert path.relative_to(PACKAGE).as_posix() == "cli/main.py", path
        assert "os.fork" not in text and "monkeypatch" not in text.lower(), path.name


def test_the_plugin_is_registered_by_entry_point() -> None:
    from importlib.metadata import entry_points

    (entry,) = [e for e in entry_points(group="mkdocs.plugins") if e.name == "factcheck"]
    assert entry.value == "factcheck.engines.mkdocs.plugin:FactcheckPlugin"
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\nplugins:\n  - factcheck\n" in config and "hooks:" not in config
