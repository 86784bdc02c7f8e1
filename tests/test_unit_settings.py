"""Unit tests of the site settings (factcheck/settings.py): settings_from_config and load_settings.

Plain function calls on a mapping or a small mkdocs.yml, no build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, fixture_settings

from factcheck.settings import DEFAULT_SCALE, Settings, Verdict, load_settings, settings_from_config

CUSTOM_SCALE = [
    {"key": "correct", "label": "Correct", "icon": "+", "colour": "#00aa00", "rating": 10, "definition": "Right."},
    {"key": "half", "label": "Half right", "rating": 4},
    {"key": "wrong", "label": "Wrong", "icon": "-", "colour": "#aa0000", "rating": 2, "definition": "Wrong."},
    {"key": "open", "label": "Open question", "definition": "Not known."},
]


def from_config(tmp_path: Path, **config: Any) -> Settings:
    return settings_from_config({"site_name": "Test site", **config}, tmp_path / "mkdocs.yml")


def write_config(tmp_path: Path, text: str) -> Path:
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


# -- language ---------------------------------------------------------------------------------------


def test_language_comes_from_the_theme(tmp_path: Path) -> None:
    assert from_config(tmp_path, theme={"name": "material", "language": "de"}).language == "de"
    assert from_config(tmp_path, theme={"language": "pt-BR"}).language == "pt-BR"


@pytest.mark.parametrize("theme", [None, "material", {"name": "material"}, {"name": "material", "language": None}])
def test_language_defaults_to_english(tmp_path: Path, theme: Any) -> None:
    config = {} if theme is None else {"theme": theme}
    assert from_config(tmp_path, **config).language == "en"


def test_load_settings_reads_a_non_english_language(tmp_path: Path) -> None:
    config = write_config(tmp_path, "site_name: Faktencheck\ntheme:\n  name: material\n  language: de\n")
    settings = load_settings(config)
    assert settings.language == "de"
    assert settings.site_name == "Faktencheck"


# -- site_url, repo_url ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://example.org/fc", "https://example.org/fc/"),
        ("https://example.org/fc/", "https://example.org/fc/"),
        ("https://example.org/fc///", "https://example.org/fc/"),
        ("  https://example.org/fc  ", "https://example.org/fc/"),
        ("https://example.org", "https://example.org/"),
    ],
)
def test_site_url_ends_with_one_slash(tmp_path: Path, given: str, expected: str) -> None:
    settings = from_config(tmp_path, site_url=given)
    assert settings.site_url == expected
    assert settings.address("claims/x.md") == expected + "claims/x/"
    assert settings.publisher_url == expected  # the publisher defaults to the site


def test_load_settings_normalises_a_site_url_without_trailing_slash(tmp_path: Path) -> None:
    config = write_config(tmp_path, "site_name: S\nsite_url: https://example.org/sub\n")
    settings = load_settings(config)
    assert settings.site_url == "https://example.org/sub/"
    assert settings.address("index.md") == "https://example.org/sub/"
    assert settings.address("feed.xml") == "https://example.org/sub/feed.xml"


@pytest.mark.parametrize("site_url", [None, "", "   "])
def test_without_site_url_addresses_are_root_relative(tmp_path: Path, site_url: str | None) -> None:
    config = {} if site_url is None else {"site_url": site_url}
    settings = from_config(tmp_path, **config)
    assert settings.site_url == ""
    assert settings.publisher_url == ""
    assert settings.address("claims/x.md") == "/claims/x/"
    assert settings.address("index.md") == "/"
    assert settings.address("entities/a/feed.xml") == "/entities/a/feed.xml"


def test_load_settings_without_site_url(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path, "site_name: S\n"))
    assert settings.site_url == ""
    assert settings.address("about.md") == "/about/"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://github.com/org/repo/", "https://github.com/org/repo"),
        ("https://github.com/org/repo", "https://github.com/org/repo"),
        ("https://github.com/org/repo//", "https://github.com/org/repo"),
        (None, ""),
    ],
)
def test_repo_url_loses_its_trailing_slash(tmp_path: Path, given: str | None, expected: str) -> None:
    assert from_config(tmp_path, repo_url=given).repo_url == expected


# -- directory URLs, page_path and address -------------------------------------------------------


def test_directory_urls_are_the_default(tmp_path: Path) -> None:
    settings = from_config(tmp_path, site_url="https://example.org/")
    assert settings.directory_urls is True
    assert settings.page_path("index.md") == ""
    assert settings.page_path("claims/index.md") == "claims/"
    assert settings.page_path("claims/x.md") == "claims/x/"
    assert settings.address("claims/index.md") == "https://example.org/claims/"


def test_use_directory_urls_false(tmp_path: Path) -> None:
    config = write_config(tmp_path, "site_name: S\nsite_url: https://example.org/fc\nuse_directory_urls: false\n")
    settings = load_settings(config)
    assert settings.directory_urls is False
    assert settings.page_path("index.md") == "index.html"
    assert settings.page_path("claims/index.md") == "claims/index.html"
    assert settings.page_path("claims/x.md") == "claims/x.html"
    assert settings.page_path("entities/alice-example.md") == "entities/alice-example.html"
    assert settings.address("claims/x.md") == "https://example.org/fc/claims/x.html"
    assert settings.address("index.md") == "https://example.org/fc/index.html"
    # a file's site path is not a page name: it is used as it is
    assert settings.address("feed.xml") == "https://example.org/fc/feed.xml"
    assert (
        settings.address("entities/alice-example/feed.xml") == "https://example.org/fc/entities/alice-example/feed.xml"
    )


def test_page_path_and_address_of_the_fixture_project(tmp_path: Path) -> None:
    settings = fixture_settings(tmp_path / "p")
    assert settings.site_url == "https://factcheck-microsite.github.io/factcheck/"
    assert settings.page_path("sources/fixture-article.md") == "sources/fixture-article/"
    assert settings.address("claims/ruritania-has-42-tanks.md") == (
        "https://factcheck-microsite.github.io/factcheck/claims/ruritania-has-42-tanks/"
    )
    assert (
        settings.address("corrections/feed.xml")
        == "https://factcheck-microsite.github.io/factcheck/corrections/feed.xml"
    )


# -- the rating scale ---------------------------------------------------------------------------


def test_a_custom_scale(tmp_path: Path) -> None:
    settings = from_config(tmp_path, extra={"factcheck": {"scale": CUSTOM_SCALE}})
    assert [v.key for v in settings.scale] == ["correct", "half", "wrong", "open"]
    assert settings.scale[0] == Verdict("correct", "Correct", "Right.", "+", "#00aa00", 10)
    half = settings.verdict("half")
    assert half == Verdict("half", "Half right", "", "", "#555555", 4)  # defaults for what is left out
    assert settings.verdict("open").rating is None
    assert settings.verdict("true") is None  # the default scale is gone
    assert settings.best_rating == 10
    assert settings.worst_rating == 2


def test_load_settings_reads_a_custom_scale(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        "site_name: S\n"
        "extra:\n"
        "  factcheck:\n"
        "    scale:\n"
        "      - {key: 'yes', label: 'Yes', rating: 3}\n"
        "      - {key: 'no', label: 'No', rating: 0}\n"
        "      - {key: unknown, label: Unknown}\n",
    )
    settings = load_settings(config)
    assert [(v.key, v.label, v.rating) for v in settings.scale] == [
        ("yes", "Yes", 3),
        ("no", "No", 0),
        ("unknown", "Unknown", None),
    ]
    assert (settings.best_rating, settings.worst_rating) == (3, 0)


@pytest.mark.parametrize("extra", [None, {}, {"factcheck": None}, {"factcheck": {"scale": []}}])
def test_default_scale(tmp_path: Path, extra: Any) -> None:
    settings = from_config(tmp_path, extra=extra)
    assert settings.scale == DEFAULT_SCALE
    assert [v.key for v in settings.scale] == [
        "true",
        "mostly-true",
        "needs-context",
        "misleading",
        "false",
        "unproven",
    ]
    assert (settings.best_rating, settings.worst_rating) == (5, 1)
    assert settings.verdict("unproven").rating is None
    assert settings.verdict("misleading").label == "Misleading"


def test_the_repository_config_scale_matches_the_default(tmp_path: Path) -> None:
    """mkdocs.yml spells out the scale; it is the default one, word for word."""
    settings = load_settings(REPO / "mkdocs.yml")
    assert settings.scale == DEFAULT_SCALE


# -- everything else ----------------------------------------------------------------------------


def test_the_other_fields(tmp_path: Path) -> None:
    settings = from_config(
        tmp_path,
        site_name="Checks",
        site_description="We check.",
        edit_uri="edit/main/content/",
        docs_dir="pages",
        extra={"factcheck": {"latest_count": 3, "publisher": {"name": "Desk", "url": "https://desk.example/"}}},
    )
    assert settings.root == tmp_path.resolve()
    assert settings.docs_dir == (tmp_path / "pages").resolve()
    assert settings.entities_dir == (tmp_path / "pages" / "entities").resolve()
    assert settings.claims_dir == tmp_path.resolve() / "claims"
    assert settings.site_name == "Checks"
    assert settings.site_description == "We check."
    assert settings.edit_uri == "edit/main/content/"
    assert settings.latest_count == 3
    assert settings.publisher_name == "Desk"
    assert settings.publisher_url == "https://desk.example/"
    assert settings.include_drafts is False
    assert settings.extra["latest_count"] == 3


def test_defaults(tmp_path: Path) -> None:
    settings = settings_from_config({}, tmp_path / "mkdocs.yml")
    assert settings.site_name == "Fact checks"
    assert settings.publisher_name == "Fact-check desk"
    assert settings.docs_dir == (tmp_path / "docs").resolve()
    assert settings.latest_count == 10
    assert settings.language == "en"
    assert settings.directory_urls is True


def test_publisher_name_defaults_to_the_site_name(tmp_path: Path) -> None:
    assert from_config(tmp_path, site_name="My checks").publisher_name == "My checks"


def test_an_absolute_docs_dir_is_kept(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere" / "content"
    settings = from_config(tmp_path / "project", docs_dir=str(elsewhere))
    assert settings.docs_dir == elsewhere.resolve()


def test_include_drafts_is_passed_through(tmp_path: Path) -> None:
    config = write_config(tmp_path, "site_name: S\n")
    assert load_settings(config, include_drafts=True).include_drafts is True
    assert load_settings(config).include_drafts is False


def test_load_settings_never_runs_yaml_tags(tmp_path: Path) -> None:
    """mkdocs.yml may hold MkDocs' !ENV and !!python/name tags: the plain reading runs none of them."""
    marker = tmp_path / "ran"
    config = write_config(
        tmp_path,
        "site_name: Tagged\n"
        "site_description: !ENV [FACTCHECK_DESCRIPTION, 'From env']\n"
        "site_url: https://example.org/x\n"
        f"hooks: !!python/object/apply:os.system ['touch {marker}']\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:os.system\n"
        "theme: {name: material, language: fr}\n",
    )
    settings = load_settings(config)
    assert not marker.exists()
    assert settings.site_name == "Tagged"
    assert settings.site_url == "https://example.org/x/"
    assert settings.language == "fr"


def test_load_settings_follows_inherit(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "base.yml").write_text(
        "site_url: https://example.org/base\n"
        "theme: {name: material, language: de}\n"
        "extra:\n"
        "  factcheck:\n"
        "    scale:\n"
        "      - {key: correct, label: Correct, rating: 2}\n"
        "      - {key: wrong, label: Wrong, rating: 1}\n",
        encoding="utf-8",
    )
    settings = load_settings(write_config(tmp_path, "INHERIT: config/base.yml\nsite_name: Child\n"))
    assert settings.site_name == "Child"  # the child's own key (this holds)
    assert [v.key for v in settings.scale] == ["correct", "wrong"]
    assert settings.language == "de"
    assert settings.site_url == "https://example.org/base/"


def test_load_settings_of_the_fixture_project(tmp_path: Path) -> None:
    project = tmp_path / "p"
    settings = fixture_settings(project)
    assert settings.root == project.resolve()
    assert settings.docs_dir == (project / "content").resolve()
    assert settings.site_name == "North Korea–Russia Fact Check"
    assert settings.repo_url == "https://github.com/factcheck-microsite/factcheck"
    assert settings.language == "en"
    assert settings.directory_urls is True
    changed = fixture_settings(project, language="de", directory_urls=False)
    assert (changed.language, changed.directory_urls) == ("de", False)
    assert changed.address("claims/x.md") == "https://factcheck-microsite.github.io/factcheck/claims/x.html"
