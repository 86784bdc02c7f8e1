"""Fuzzing with hypothesis: generated YAML, bytes and field values never crash, hang or leak markup.

The checker gets arbitrary bytes, arbitrary YAML documents and valid claims with one field
replaced by an arbitrary value; it must answer with located one-line problems or a model,
never an exception. The renderer gets arbitrary text in every contributor field; its pages
must hold no active content.

Under CI (CI=true) every run draws new inputs; a failure prints the seed that replays it
(`pytest --hypothesis-seed=N`). On a developer's machine the inputs are derandomised, so a run
repeats the last. Every CI run first replays the examples in tests/fuzz-failures/ (past failures,
kept read-only); HYPOTHESIS_PROFILE=record writes a new failure there, and
HYPOTHESIS_PROFILE=fuzz runs longer (FUZZ_EXAMPLES, default 2000).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import make_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase, ReadOnlyDatabase
from test_hostile import ALLOWED_SCHEMES, active_content, url_scheme

from factcheck.model import yamlio
from factcheck.model.loader import load_site
from factcheck.model.problems import CheckFailed, Problems
from factcheck.render.markup import EntityMatcher, Renderer, safe_url
from factcheck.render.pages import SiteRenderer
from factcheck.settings import load_settings

PAST_FAILURES = DirectoryBasedExampleDatabase(str(Path(__file__).resolve().parent / "fuzz-failures"))
QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
IN_CI = os.environ.get("CI") == "true"
settings.register_profile(
    "default",
    max_examples=60,
    deadline=None,
    derandomize=not IN_CI,
    print_blob=True,
    # Hypothesis replays a database only when it draws at random: CI replays the past failures.
    database=ReadOnlyDatabase(PAST_FAILURES) if IN_CI else None,
    suppress_health_check=QUIET,
)
settings.register_profile(
    "record", max_examples=200, deadline=None, database=PAST_FAILURES, suppress_health_check=QUIET
)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "2000")),
    deadline=None,
    print_blob=True,
    database=ReadOnlyDatabase(PAST_FAILURES),
    suppress_health_check=QUIET,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

PROBLEM_LINE = re.compile(r"^[^\n]+:\d+:\d+: [^\n]*$")

# Text that looks like the trouble contributors can cause: markup, YAML and Markdown syntax.
TRICKY = st.sampled_from(
    [
        "<script>",
        "</script>",
        "<img src=x onerror=alert(1)>",
        "javascript:",
        "JaVaScRiPt:",
        "data:",
        "&#106;",
        "{: onclick=x }",
        "{{ 7*7 }}",
        "{% if %}",
        "[a](",
        "](javascript:x)",
        "![i](",
        "```",
        "`",
        "~~~",
        "*",
        "_",
        "<!--",
        "-->",
        "]]>",
        "\u2028",
        "\t",
        "\n",
        "\n\n",
        "#",
        "- ",
        "> ",
        "|",
        ":",
        "&",
        "'",
        '"',
        "\\",
        "*[x]:",
        "[^1]:",
        '<div markdown="1">',
        "</div>",
        "%",
        "\u00e9",
        "\u202e",
        "\ufeff",
        "\u200b",
        "ｊａｖａ",
    ]
)
TEXT = st.one_of(st.text(max_size=80), st.lists(st.one_of(TRICKY, st.text(max_size=8)), max_size=12).map("".join))
SCALAR = st.one_of(TEXT, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False), st.dates())
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=12,
)


def _assert_problems_are_located(problems: Problems) -> None:
    for problem in problems:
        assert PROBLEM_LINE.match(str(problem)), str(problem)


# -- the YAML reader ---------------------------------------------------------------------------------


@given(st.binary(max_size=400))
def test_arbitrary_bytes(raw: bytes) -> None:
    problems = Problems()
    text = yamlio.decode(raw, "f.yaml", problems)
    if text is not None:
        yamlio.load_mapping(text, "f.yaml", problems)
    _assert_problems_are_located(problems)


@given(
    st.lists(
        st.one_of(
            TRICKY,
            st.sampled_from(
                [
                    "&a ",
                    "*a",
                    "!!python/object ",
                    "? ",
                    "{",
                    "}",
                    "[",
                    "]",
                    ",",
                    "- ",
                    "key: ",
                    "  ",
                    "---\n",
                    "...\n",
                    "%YAML 1.1\n",
                    "!t ",
                ]
            ),
            st.text(max_size=6),
        ),
        max_size=30,
    ).map("".join)
)
def test_arbitrary_yaml_like_text(text: str) -> None:
    problems = Problems()
    doc = yamlio.load_mapping(text, "f.yaml", problems)
    _assert_problems_are_located(problems)
    if doc is not None:
        assert isinstance(doc.data, dict)


@given(VALUE)
def test_dumped_documents_read_back_as_text(value) -> None:  # noqa: ANN001
    text = yaml.safe_dump({"field": value}, allow_unicode=True)
    problems = Problems()
    decoded = yamlio.decode(text.encode("utf-8"), "f.yaml", problems)
    if decoded is not None:
        yamlio.load_mapping(decoded, "f.yaml", problems)
    _assert_problems_are_located(problems)


# -- the checker on whole projects -------------------------------------------------------------------

CLAIM_FIELDS = [
    "statement",
    "claimant",
    "appearance",
    "claim_date",
    "verdict",
    "summary",
    "analysis",
    "evidence",
    "entities",
    "tags",
    "authors",
    "published",
    "updated",
    "status",
    "updates",
    "media",
    "unknown",
]


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("fuzz") / "p")


@given(
    field=st.sampled_from(CLAIM_FIELDS),
    value=VALUE,
    text_field=st.sampled_from(["statement", "summary", "analysis"]),
    text=TEXT,
)
def test_claim_with_an_arbitrary_field_is_checked_or_refused(
    fuzz_project: Path, field: str, value, text_field: str, text: str
) -> None:  # noqa: ANN001
    path = fuzz_project / "claims" / "agency-counted-11000-soldiers.yaml"
    original = path.read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    data[field] = value
    if text.strip():
        data[text_field] = text
    try:
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        settings_ = load_settings(fuzz_project / "mkdocs.yml")
        try:
            site = load_site(settings_)
        except CheckFailed as failed:
            assert failed.problems
            _assert_problems_are_located(failed.problems)
            return
        for page in SiteRenderer(site).plan():
            assert ".." not in page.src_uri.split("/") and not page.src_uri.startswith("/")
            _assert_inert(page.render().html, page.src_uri)
    finally:
        path.write_text(original, encoding="utf-8")


def _assert_inert(html: str, where: str) -> None:
    assert active_content(BeautifulSoup(html, "html.parser"), where) == []


@pytest.fixture(scope="module")
def entity_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("fuzz-entity") / "p")
    shutil.rmtree(project / "content" / "sources")
    (project / "content" / "sources").mkdir()
    for claim in (project / "claims").glob("*.yaml"):
        claim.unlink()
    return project


@given(name=TEXT, aliases=st.lists(TEXT, max_size=3), description=TEXT, body=TEXT)
def test_entity_with_arbitrary_text_renders_inert(
    entity_project: Path, name: str, aliases: list[str], description: str, body: str
) -> None:
    front = {"name": name, "type": "person", "aliases": aliases, "description": description}
    path = entity_project / "content" / "entities" / "zz-fuzz.md"
    path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body, encoding="utf-8")
    try:
        site = load_site(load_settings(entity_project / "mkdocs.yml"))
    except CheckFailed as failed:
        _assert_problems_are_located(failed.problems)
        return
    finally:
        path.unlink()
    for page in SiteRenderer(site).plan():
        _assert_inert(page.render().html, page.src_uri)


# -- the Markdown renderer and the URL filter -----------------------------------------------------------


class _Named:
    def __init__(self, name: str) -> None:
        self.id, self.name, self.aliases, self.src_uri = "x", name, [], "entities/x.md"


@given(text=TEXT, name=TEXT)
def test_markdown_renders_inert(text: str, name: str) -> None:
    renderer = Renderer(EntityMatcher([_Named(name)]))  # type: ignore[list-item]
    for html in (renderer.block(text, set(), lambda e: "../x/"), renderer.inline(text, set(), lambda e: "../x/")):
        soup = BeautifulSoup(html, "html.parser")
        assert active_content(soup, "markdown") == []
        assert soup.find(["img", "script", "style", "iframe"]) is None


@given(st.one_of(TEXT, st.from_regex(r"\A[ \t]*[A-Za-z&#;0-9]{0,12}[:\t\n]?[^ ]{0,10}\Z")))
def test_safe_url_allows_only_safe_schemes(url: str) -> None:
    if safe_url(url):
        assert url_scheme(url) in ALLOWED_SCHEMES, url
