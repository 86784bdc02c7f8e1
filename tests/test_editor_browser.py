"""The web editor in Chromium, against `build.py serve` and its local backend, on a fixture site.

A fact-checker's path: open /admin/ on the preview, write a fact-check in the form, save; the
file lands in claims/, passes `check` and builds into its page. Editing a claim changes only
what was edited. Markup and script typed into the form end up as text on the built pages.
"""

# ruff: noqa: F811 - `chromium` is the browser fixture of tests/test_browser.py, imported under that name

from __future__ import annotations

import contextlib
import difflib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, build, make_project, run_build_py
from test_browser import browser as chromium  # noqa: F401 - the file's one Chromium (a module fixture)

pytestmark = pytest.mark.skipif(
    not (REPO / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").is_file()
    and not (REPO / "factcheck" / "editor" / "vendor" / "decap-cms.js").is_file(),
    reason="the editor's bundle is not installed (npm ci --ignore-scripts)",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Serving:
    project: Path
    base: str  # the preview's address, ending in /
    log: Path

    @property
    def admin(self) -> str:
        return self.base + "admin/"


@contextlib.contextmanager
def serve(project: Path) -> Iterator[Serving]:
    """`build.py serve` on a free port, until the block ends; wait for the editor's config."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"  # the preview serves the site at its root, whatever site_url's path
    log = project / "serve.log"
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                str(REPO / "build.py"),
                "-f",
                str(project / "mkdocs.yml"),
                "serve",
                "-a",
                f"127.0.0.1:{port}",
            ],
            cwd=project,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    try:
        for _ in range(600):
            if proc.poll() is not None:
                pytest.fail(f"serve stopped:\n{log.read_text()}")
            with contextlib.suppress(OSError), urllib.request.urlopen(base + "admin/config.yml", timeout=5) as response:
                if b"local_backend" in response.read():
                    break
            time.sleep(0.5)
        else:
            pytest.fail(f"serve did not start:\n{log.read_text()}")
        yield Serving(project, base, log)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


@pytest.fixture
def browser(chromium: Any) -> Iterator[Any]:
    """The file's Chromium; what a test opened in it is closed after the test."""
    yield chromium
    for context in chromium.contexts:
        context.close()


@pytest.fixture
def editing(tmp_path: Path) -> Iterator[Serving]:
    project = make_project(tmp_path / "site")
    with serve(project) as serving:
        yield serving


def open_editor(page: Any, serving: Serving, route: str) -> None:
    page.goto(serving.admin)
    page.get_by_role("button", name="Login").click()
    page.get_by_role("link", name="Fact-checks").first.wait_for()
    page.goto(serving.admin + "#/" + route)


def choose(page: Any, label: str, text: str) -> None:
    """Type text into the select or relation field labelled label; pick the first option starting with it."""
    field = page.get_by_label(label, exact=True)
    field.click()
    field.fill(text)
    page.locator("[class*='-option']", has_text=re.compile("^" + re.escape(text))).first.click()


def fill_text(page: Any, label: str, text: str, nth: int = 0) -> None:
    page.get_by_label(label, exact=True).nth(nth).fill(text)


def markdown(page: Any, label: str, text: str) -> None:
    """Write Markdown into a Markdown field, in its Markdown (source) mode."""
    widget = page.locator('[aria-label="markdown field"]').filter(has=page.locator("label", has_text=label))
    widget.get_by_role("switch").click()  # Rich Text -> Markdown
    widget.locator("[contenteditable=true]").click()
    page.keyboard.type(text)


def publish(page: Any) -> None:
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_text("Publish now").click()
    try:
        page.get_by_text("Changes saved").or_(page.get_by_text("Entry published")).first.wait_for(timeout=30000)
    except Exception:  # show the form's own messages (a required field left empty ...)
        print([t for t in page.locator("[class*=error], [class*=Error], [role=alert]").all_inner_texts() if t.strip()])
        raise


def test_a_fact_check_written_in_the_form_is_a_valid_claim_file_and_a_page(browser, editing: Serving) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 1800})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    open_editor(page, editing, "collections/claims/new")
    fill_text(page, "Statement", "Ruritania has 99 tanks")
    choose(page, "Claimant", "Alice")  # searched by name and alias
    choose(page, "Source (optional)", "Fixture")
    fill_text(page, "Quote (optional)", "Ruritania has 42 tanks")
    fill_text(page, "Claim date", "2024-10-19")
    choose(page, "Verdict", "False")
    fill_text(page, "Summary", "The census counts 42.")
    markdown(page, "Analysis", "The [tank census](https://example.org/tanks) counts 42 tanks.")
    if not page.get_by_label("Title", exact=True).count():
        page.get_by_role("button", name="Add evidence").click()
    fill_text(page, "Title", "Tank census")
    fill_text(page, "Publisher", "Example Agency")
    fill_text(page, "Url", "https://example.org/tanks")
    fill_text(page, "Date", "2024-01-01")
    choose(page, "Stance", "Contradicts")
    fill_text(page, "Authors", "Test Author")
    fill_text(page, "Published", "2024-10-26")
    publish(page)
    written = editing.project / "claims" / "ruritania-has-99-tanks.yaml"
    assert written.is_file(), sorted(p.name for p in (editing.project / "claims").iterdir())
    # The preview rebuilds on the save: the fact-check is on it.
    for _ in range(240):
        with contextlib.suppress(OSError), urllib.request.urlopen(editing.base + "claims/ruritania-has-99-tanks/") as r:
            if "Ruritania has 99 tanks" in r.read().decode("utf-8"):
                break
        time.sleep(0.5)
    else:
        pytest.fail(f"the preview never showed the new fact-check:\n{editing.log.read_text()}")
    text = written.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["claimant"] == "alice-example" and data["verdict"] == "false"
    assert data["appearance"] == {"source": "fixture-article", "quote": "Ruritania has 42 tanks"}
    assert data["evidence"][0]["stance"] == "contradicts"
    check = run_build_py(editing.project, "check")
    assert check.returncode == 0, check.stderr
    built = build(editing.project)
    article = built.page("claims/ruritania-has-99-tanks/")
    assert "Ruritania has 99 tanks" in article.get_text()
    assert article.select_one('a[href="https://example.org/tanks"]').get_text() == "tank census"
    assert not errors


def save(page: Any) -> None:
    """Save an existing entry (the local backend publishes on save)."""
    publish(page)


def test_editing_a_claims_summary_changes_only_the_summary(browser, editing: Serving) -> None:
    path = editing.project / "claims" / "ruritania-has-42-tanks.yaml"
    before = path.read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 1800})
    open_editor(page, editing, "collections/claims/entries/ruritania-has-42-tanks")
    summary = page.get_by_label("Summary", exact=True)
    assert summary.input_value() == "The count leaves out reserves."
    summary.fill("The count leaves out the reserves.")
    save(page)
    after = path.read_text(encoding="utf-8")
    changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]
    # The summary, and what Decap's YAML writer always does: a list in brackets becomes one item a line
    # (the README's "What the editor writes" lists every such change, measured here).
    assert changed == [
        "- summary: The count leaves out reserves.",
        "+ summary: The count leaves out the reserves.",
        "- tags: [figures]",
        "- authors: [Test Author]",
        "+ tags:",
        "+   - figures",
        "+ authors:",
        "+   - Test Author",
    ], changed
    old, new = yaml.safe_load(before), yaml.safe_load(after)
    assert new.pop("summary") == "The count leaves out the reserves."
    old.pop("summary")
    assert new == old


PAYLOAD = "<script>__pwned('e1')</script><img src=x onerror=\"__pwned('e2')\"> \"'><svg onload=__pwned('e3')>"
# The statement makes the file name: no underscore (the id allows letters, digits and hyphens); alert() instead.
STATEMENT = "Hostile <script>alert(1)</script><img src=x onerror=alert(2)> \"'><b>bold</b>"


def test_markup_typed_into_the_form_is_text_on_the_built_pages_and_in_the_editor(browser, editing: Serving) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 1800})
    context.add_init_script("window.__pwnedCalls = []; window.__pwned = (id) => window.__pwnedCalls.push(id);")
    dialogs: list[str] = []
    context.on("page", lambda pg: pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss())))
    page = context.new_page()
    open_editor(page, editing, "collections/claims/new")
    fill_text(page, "Statement", STATEMENT)
    choose(page, "Claimant", "Alice")
    fill_text(page, "Unnamed sources (optional)", PAYLOAD)
    fill_text(page, "Url (optional)", "https://example.org/hostile")
    fill_text(page, "Title (optional)", PAYLOAD)
    fill_text(page, "Publisher (optional)", PAYLOAD)
    fill_text(page, "Date (optional)", "2024-10-18")
    fill_text(page, "Claim date", "2024-10-19")
    choose(page, "Verdict", "False")
    fill_text(page, "Summary", PAYLOAD)
    markdown(page, "Analysis", PAYLOAD + " [click](javascript:__pwned('e4'))")
    if not page.get_by_label("Title", exact=True).count():
        page.get_by_role("button", name="Add evidence").click()
    fill_text(page, "Title", PAYLOAD)
    fill_text(page, "Publisher", PAYLOAD)
    fill_text(page, "Url", "https://example.org/evidence")
    fill_text(page, "Date", "2024-01-01")
    choose(page, "Stance", "Supports")
    fill_text(page, "Excerpt (optional)", PAYLOAD)
    fill_text(page, "Authors", PAYLOAD.replace(",", ""))
    fill_text(page, "Published", "2024-10-26")
    publish(page)
    (written,) = [p for p in (editing.project / "claims").glob("hostile-*.yaml")]
    data = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert data["statement"] == STATEMENT and data["summary"] == PAYLOAD
    assert data["evidence"][0]["excerpt"] == PAYLOAD and data["appearance"]["title"] == PAYLOAD
    check = run_build_py(editing.project, "check")
    assert check.returncode == 0, check.stderr
    built = build(editing.project)
    uri = f"claims/{written.stem}/"
    article = built.page(uri)
    assert STATEMENT in article.get_text() and PAYLOAD in article.get_text()
    scripts = [s for s in article.select("script") if s.get("type") != "application/ld+json"]
    assert not [s for s in scripts if "__pwned" in s.get_text() or "alert(" in s.get_text()]
    # In the structured data it is data: JSON with < escaped, never a way out of the script element.
    assert all("<" not in s.get_text() for s in article.select('script[type="application/ld+json"]'))
    assert not article.select("img[onerror], svg[onload], main b")
    assert not [a for a in article.select("a[href]") if a["href"].lower().startswith("javascript")]
    from conftest import serve_folder

    with serve_folder(built.site) as base:
        reader = context.new_page()
        reader.goto(base + uri)
        reader.wait_for_load_state("load")
        assert reader.evaluate("window.__pwnedCalls") == []
        assert STATEMENT in reader.locator("h1").first.inner_text()
    # Opened again in the editor, the entry is text there too.
    page.goto(editing.admin + "#/collections/claims/entries/" + written.stem)
    assert page.get_by_label("Summary", exact=True).input_value() == PAYLOAD
    assert page.evaluate("window.__pwnedCalls") == []
    assert dialogs == []


def serious_violations(page: Any, rules: list[str] | None = None) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "rule", "values": rules}} if rules else None
    results = Axe().run(page, options=options).response
    return [v for v in results["violations"] if v["impact"] in ("serious", "critical")]


def describe(violations: list[dict[str, Any]]) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:4]]}" for v in violations]


# What the editor's page and configuration decide: the page's language and title, a label on every
# field, a name on every field (labels and hints come from config.yml). These must all pass.
OURS = ["html-has-lang", "html-lang-valid", "document-title", "label", "valid-lang"]
# Serious or critical violations axe finds in Decap CMS's own interface (3.16.3), none of them made
# by anything the site configures: its header links' and sign-in page's colours (color-contrast),
# its list items' drag handles and buttons without names (aria-command-name, button-name), its
# Markdown editor's text box without a name (aria-input-field-name), its select's missing
# aria attribute (aria-required-attr) and a button inside the toolbar's heading menu
# (nested-interactive). The test fails on any other, so a new one is seen.
DECAPS_OWN = {
    "color-contrast",
    "aria-command-name",
    "button-name",
    "aria-input-field-name",
    "aria-required-attr",
    "nested-interactive",
}


@pytest.mark.parametrize(
    ("language", "login", "collections"), [("de", "Login", "Inhaltstypen"), ("uk", "Увійти", "Колекції")]
)
def test_the_editor_speaks_the_sites_language_and_its_screens_are_accessible(
    browser, tmp_path: Path, language: str, login: str, collections: str
) -> None:
    project = make_project(tmp_path / "site")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  language: en\n", f"  language: {language}\n"), encoding="utf-8"
    )
    ours: dict[str, list[str]] = {}
    theirs: dict[str, set[str]] = {}
    with serve(project) as serving:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(serving.admin)
        button = page.get_by_role("button", name=login)
        button.wait_for()
        assert page.locator("html").get_attribute("lang") == language

        def audit(screen: str) -> None:
            ours[screen] = describe(serious_violations(page, OURS))
            theirs[screen] = {v["id"] for v in serious_violations(page)}

        audit("sign-in")
        button.click()
        page.get_by_text(collections).first.wait_for()
        audit("collection")
        page.goto(serving.admin + "#/collections/claims/entries/ruritania-has-42-tanks")
        page.get_by_label("Summary", exact=True).wait_for()
        audit("entry")
        page.goto(serving.admin + "#/collections/claims/new")
        page.get_by_label("Statement", exact=True).wait_for()
        audit("new")
    assert ours == {"sign-in": [], "collection": [], "entry": [], "new": []}
    assert {screen: ids - DECAPS_OWN for screen, ids in theirs.items()} == {s: set() for s in theirs}, theirs


def test_an_entity_written_in_the_form_is_a_valid_entity_page(browser, editing: Serving) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 1800})
    open_editor(page, editing, "collections/entities/new")
    fill_text(page, "Name", "Carol Sample")
    choose(page, "Type", "person")
    fill_text(page, "Aliases (optional)", "C. Sample")
    fill_text(page, "Wikidata (optional)", "Q7")
    choose(page, "Related (optional)", "Alice")
    publish(page)
    written = editing.project / "content" / "entities" / "carol-sample.md"
    text = written.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front == {
        "name": "Carol Sample",
        "type": "person",
        "aliases": ["C. Sample"],
        "wikidata": "Q7",
        "related": ["alice-example"],
    }
    check = run_build_py(editing.project, "check")
    assert check.returncode == 0, check.stderr
    assert build(editing.project).page("entities/carol-sample/").select_one("h1").get_text(strip=True) == "Carol Sample"
