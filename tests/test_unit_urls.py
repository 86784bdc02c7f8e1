"""Unit tests of the site's URLs (factcheck/render/format.py): url_for, relative, relative_path, absolute.

Plain function calls, no build. Expected values are written out; where a rule holds for many
pages at once, it is checked by resolving the link the way a browser does (urljoin).
"""

from __future__ import annotations

from itertools import product
from urllib.parse import urljoin

import pytest

from factcheck.render.format import absolute, relative, relative_path, src_uri, url_for

HOST = "https://example.org/fc/"

# Markdown names of pages of every kind: home, index pages, item pages, hand-written, deep.
PAGES = (
    "index.md",
    "claims/index.md",
    "claims/ruritania-has-42-tanks.md",
    "entities/index.md",
    "entities/alice-example.md",
    "sources/fixture-article.md",
    "verdicts/false.md",
    "tags/figures.md",
    "corrections/index.md",
    "about.md",
    "guides/deep/nested/page.md",
    "guides/deep/index.md",
)
# Site paths of files (not pages).
FILES = (
    "feed.xml",
    "corrections/feed.xml",
    "entities/alice-example/feed.xml",
    "api/claims.json",
    "assets/factcheck/factcheck.css",
)


# -- url_for ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "with_dirs", "without_dirs"),
    [
        ("index.md", "", "index.html"),
        ("claims/index.md", "claims/", "claims/index.html"),
        ("corrections/index.md", "corrections/", "corrections/index.html"),
        ("claims/x.md", "claims/x/", "claims/x.html"),
        ("entities/alice-example.md", "entities/alice-example/", "entities/alice-example.html"),
        ("about.md", "about/", "about.html"),
        ("a/b/c/d.md", "a/b/c/d/", "a/b/c/d.html"),
        ("a/b/index.md", "a/b/", "a/b/index.html"),
        # Only a whole "index" name is an index page.
        ("claims/reindex.md", "claims/reindex/", "claims/reindex.html"),
        ("index-of-claims.md", "index-of-claims/", "index-of-claims.html"),
    ],
)
def test_url_for(src: str, with_dirs: str, without_dirs: str) -> None:
    assert url_for(src) == with_dirs
    assert url_for(src, directory_urls=True) == with_dirs
    assert url_for(src, directory_urls=False) == without_dirs


def test_src_uri_names_a_generated_page() -> None:
    assert src_uri("claims", "ruritania-has-42-tanks") == "claims/ruritania-has-42-tanks.md"
    assert src_uri("entities", "alice-example") == "entities/alice-example.md"
    assert url_for(src_uri("sources", "fixture-article"), False) == "sources/fixture-article.html"


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize("src", [*PAGES, "claims/reindex.md"])
def test_url_for_agrees_with_the_engine(src: str, directory_urls: bool) -> None:
    """The engine (MkDocs) publishes each page where url_for says (MkDocs writes the home page as './')."""
    from mkdocs.structure.files import File

    engine = File(src, "/nonexistent/docs", "/nonexistent/site", directory_urls).url
    assert url_for(src, directory_urls) == ("" if engine == "./" else engine)


@pytest.mark.parametrize(
    ("src", "directory_urls", "published"),
    [
        ("guides/README.md", True, "guides/"),
        ("guides/README.md", False, "guides/index.html"),
        ("docs/how-to/README.md", True, "docs/how-to/"),
    ],
)
def test_url_for_readme_is_an_index_page(src: str, directory_urls: bool, published: str) -> None:
    from mkdocs.structure.files import File

    engine = File(src, "/nonexistent/docs", "/nonexistent/site", directory_urls).url
    assert ("" if engine == "./" else engine) == published  # what the engine does (this holds)
    assert url_for(src, directory_urls) == published


# -- relative: page to page -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("from_src", "to_src", "with_dirs", "without_dirs"),
    [
        # from the home page
        ("index.md", "index.md", "./", "index.html"),
        ("index.md", "claims/index.md", "claims/", "claims/index.html"),
        ("index.md", "claims/x.md", "claims/x/", "claims/x.html"),
        ("index.md", "about.md", "about/", "about.html"),
        # to the home page
        ("claims/x.md", "index.md", "../../", "../index.html"),
        ("claims/index.md", "index.md", "../", "../index.html"),
        ("about.md", "index.md", "../", "index.html"),
        # between index pages and item pages
        ("claims/index.md", "claims/x.md", "x/", "x.html"),
        ("claims/x.md", "claims/index.md", "../", "index.html"),
        ("claims/index.md", "claims/index.md", "./", "index.html"),
        ("claims/x.md", "claims/y.md", "../y/", "y.html"),
        ("claims/x.md", "claims/x.md", "./", "x.html"),
        ("claims/x.md", "entities/alice-example.md", "../../entities/alice-example/", "../entities/alice-example.html"),
        ("entities/index.md", "claims/index.md", "../claims/", "../claims/index.html"),
        # deep pages
        ("a/b/c/d.md", "index.md", "../../../../", "../../../index.html"),
        ("a/b/c/d.md", "a/b/index.md", "../../", "../index.html"),
        ("a/b/c/d.md", "a/x/y.md", "../../../x/y/", "../../x/y.html"),
        ("index.md", "a/b/c/d.md", "a/b/c/d/", "a/b/c/d.html"),
        ("a/b/index.md", "a/b/c/d.md", "c/d/", "c/d.html"),
    ],
)
def test_relative(from_src: str, to_src: str, with_dirs: str, without_dirs: str) -> None:
    assert relative(from_src, to_src) == with_dirs
    assert relative(from_src, to_src, directory_urls=True) == with_dirs
    assert relative(from_src, to_src, directory_urls=False) == without_dirs


def test_relative_with_an_anchor() -> None:
    assert relative("corrections/index.md", "claims/x.md", anchor="updates-and-corrections") == (
        "../claims/x/#updates-and-corrections"
    )
    assert relative("corrections/index.md", "claims/x.md", False, anchor="x-update-1") == "../claims/x.html#x-update-1"
    assert relative("claims/x.md", "claims/x.md", anchor="evidence") == "./#evidence"
    assert "#" not in relative("claims/x.md", "claims/y.md", anchor="")


@pytest.mark.parametrize("directory_urls", [True, False])
def test_relative_links_resolve_to_the_page(directory_urls: bool) -> None:
    """From every page to every page: the link, resolved against the page's URL, is the target's URL."""
    for from_src, to_src in product(PAGES, PAGES):
        here = urljoin(HOST, url_for(from_src, directory_urls))
        link = relative(from_src, to_src, directory_urls)
        assert not link.startswith("/"), link
        assert urljoin(here, link) == urljoin(HOST, url_for(to_src, directory_urls)), (from_src, to_src, link)


# -- relative_path: page to a file or a site path ---------------------------------------------------


@pytest.mark.parametrize(
    ("from_src", "target", "with_dirs", "without_dirs"),
    [
        ("index.md", "feed.xml", "feed.xml", "feed.xml"),
        ("about.md", "feed.xml", "../feed.xml", "feed.xml"),
        ("claims/x.md", "feed.xml", "../../feed.xml", "../feed.xml"),
        ("claims/index.md", "feed.xml", "../feed.xml", "../feed.xml"),
        ("corrections/index.md", "corrections/feed.xml", "feed.xml", "feed.xml"),
        ("entities/alice-example.md", "entities/alice-example/feed.xml", "feed.xml", "alice-example/feed.xml"),
        ("entities/index.md", "entities/alice-example/feed.xml", "alice-example/feed.xml", "alice-example/feed.xml"),
        ("claims/x.md", "api/claims.json", "../../api/claims.json", "../api/claims.json"),
        ("a/b/c/d.md", "feed.xml", "../../../../feed.xml", "../../../feed.xml"),
        # site paths of pages (ending in a slash) keep their slash; the site root is "./" or "../.."
        ("index.md", "", "./", "./"),
        ("claims/x.md", "", "../../", "../"),
        ("claims/x.md", "claims/", "../", "./"),
        ("about.md", "entities/", "../entities/", "entities/"),
    ],
)
def test_relative_path(from_src: str, target: str, with_dirs: str, without_dirs: str) -> None:
    assert relative_path(from_src, target) == with_dirs
    assert relative_path(from_src, target, directory_urls=True) == with_dirs
    assert relative_path(from_src, target, directory_urls=False) == without_dirs


@pytest.mark.parametrize("directory_urls", [True, False])
def test_relative_paths_to_files_resolve_to_the_file(directory_urls: bool) -> None:
    for from_src, target in product(PAGES, FILES):
        here = urljoin(HOST, url_for(from_src, directory_urls))
        link = relative_path(from_src, target, directory_urls)
        assert urljoin(here, link) == HOST + target, (from_src, target, link)


# -- absolute ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("site_url", "path", "expected"),
    [
        ("https://example.org/fc/", "claims/x/", "https://example.org/fc/claims/x/"),
        ("https://example.org/fc", "claims/x/", "https://example.org/fc/claims/x/"),
        ("https://example.org/fc//", "claims/x/", "https://example.org/fc/claims/x/"),
        ("https://example.org/fc/", "/feed.xml", "https://example.org/fc/feed.xml"),
        ("https://example.org/fc/", "claims/x.html", "https://example.org/fc/claims/x.html"),
        ("https://example.org/fc/", "", "https://example.org/fc/"),
        ("https://example.org/", "entities/a/feed.xml", "https://example.org/entities/a/feed.xml"),
        ("https://example.org", "", "https://example.org/"),
        # no site_url: root-relative
        ("", "claims/x/", "/claims/x/"),
        ("", "/feed.xml", "/feed.xml"),
        ("", "", "/"),
    ],
)
def test_absolute(site_url: str, path: str, expected: str) -> None:
    assert absolute(site_url, path) == expected


@pytest.mark.parametrize("directory_urls", [True, False])
def test_absolute_of_every_page_is_under_the_site_url(directory_urls: bool) -> None:
    for src in PAGES:
        url = absolute(HOST, url_for(src, directory_urls))
        assert url.startswith(HOST)
        assert "//" not in url[len("https://") :], url
        assert url == urljoin(HOST, url_for(src, directory_urls))


@pytest.mark.parametrize(
    "page", ["", "index.html", "claims/", "claims/a/", "claims/a.html", "entities/x/y/", "a/b/c.html"]
)
@pytest.mark.parametrize(
    "href",
    [
        "#top",
        "?q=1",
        "",
        "x/",
        "../",
        "../../",
        "../../entities/e/",
        "../../../too-far/",
        "./a/../b/",
        "..",
        "../a#f",
        "a%20b/",
        "../x/../y.html",
        "feed.xml",
        "https://example.org/",
        "/rooted/",
        "../#f",
        "../?q",
        "../../#",
        "%2E%2E/x/",
    ],
)
def test_link_check_resolves_a_shared_link_as_from_its_own_page(page: str, href: str) -> None:
    """The link check works a link out once for every page in the same place; the answer must not change."""
    from factcheck.publish.linkcheck import LinkCheck, _target

    check = LinkCheck()
    for other in ["claims/b/", "claims/b.html", "x/y/z/", "", "a/b/d.html"]:  # fill the shared answers first
        check.resolve(other, href)
    assert check.resolve(page, href) == _target(page, href)
