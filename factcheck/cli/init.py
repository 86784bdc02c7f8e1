"""`factcheck init DIR`: write a new fact-check site that checks and builds as it is.

What it writes comes from the package (`factcheck/cli/starter/`): the hand-written pages in the
site's language, one example fact-check, the site's README, requirements and workflows; the
configuration (`mkdocs.yml`) and the JSON Schemas are made here from the options. It never
overwrites a file: one that exists is kept and named in the report.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from factcheck import __version__
from factcheck.model.schema import schema_documents
from factcheck.render.i18n import Interface, available_languages
from factcheck.resources import STARTER_DIR
from factcheck.settings import DEFAULT_SCALE, Verdict, translated_scale

PACKAGE_NAME = "factcheck-microsite"
STARTER_LANGUAGES = ("en", "de", "uk")  # languages the starter pages are written in
PLACEHOLDER_REPO = "https://github.com/OWNER/REPOSITORY"  # in the pages' links until the site has a repository
PAGES = ("index.md", "about.md", "methodology.md", "corrections-policy.md", "propose-a-claim.md")


class InitError(Exception):
    """The options cannot make a site; the message says which and the fix."""


@dataclass(frozen=True)
class SiteOptions:
    """What a newsroom decides on day one (every one can be changed later in mkdocs.yml)."""

    name: str
    language: str = "en"
    site_url: str = ""
    repo_url: str = ""
    branch: str = "main"
    edit_uri: str | None = None  # None: worked out from repo_url's host
    publisher: str = ""
    description: str = ""
    tool_requirement: str = f"{PACKAGE_NAME}=={__version__}"
    example: bool = True

    @property
    def text_language(self) -> str:
        """The language of the starter texts: the site's, or English where none is written yet."""
        return self.language if self.language in STARTER_LANGUAGES else "en"


def edit_uri_for(repo_url: str, branch: str) -> str:
    """The edit address of content/ on the repository's host ('' where the host's shape is unknown)."""
    host = urlsplit(repo_url).netloc.lower()
    if host == "github.com" or host.endswith(".github.com") or "github" in host:
        return f"edit/{branch}/content/"
    if "gitlab" in host:
        return f"-/edit/{branch}/content/"
    if host == "codeberg.org" or "gitea" in host or "forgejo" in host:
        return f"_edit/{branch}/content/"
    if host == "bitbucket.org":
        return f"src/{branch}/content/"
    return ""


def pages_url_for(repo_url: str) -> str:
    """The GitHub Pages address of a github.com repository ('' for other hosts)."""
    parts = urlsplit(repo_url)
    path = [p for p in parts.path.split("/") if p]
    if parts.netloc.lower() != "github.com" or len(path) != 2:
        return ""
    owner, repo = path[0].lower(), path[1].removesuffix(".git")
    return (
        f"https://{owner}.github.io/" if repo.lower() == f"{owner}.github.io" else f"https://{owner}.github.io/{repo}/"
    )


def _q(value: str) -> str:
    """A YAML scalar that reads back as exactly this string (JSON's double-quoted form is YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _scale_yaml(scale: tuple[Verdict, ...]) -> str:
    lines = []
    for v in scale:
        rating = f", rating: {v.rating}" if v.rating is not None else ""
        lines.append(
            f"      - {{key: {_q(v.key)}, label: {_q(v.label)}, icon: {_q(v.icon)}, colour: {_q(v.colour)}{rating},\n"
            f"         definition: {_q(v.definition)}}}"
        )
    return "\n".join(lines)


def mkdocs_yml(options: SiteOptions, nav: dict[str, str]) -> str:
    """The new site's configuration: MkDocs' settings and the generator's (extra.factcheck)."""
    scale = translated_scale(DEFAULT_SCALE, Interface.load(options.language))
    repo = ""
    if options.repo_url:
        edit_uri = options.edit_uri if options.edit_uri is not None else edit_uri_for(options.repo_url, options.branch)
        repo = f"repo_url: {_q(options.repo_url)}\n"
        repo += (
            f"edit_uri: {_q(edit_uri)}\n"
            if edit_uri
            else "edit_uri: ''   # give your host's edit address of content/\n"
        )
    site_url = options.site_url or pages_url_for(options.repo_url)
    return f"""# Site configuration, written by `factcheck init` ({PACKAGE_NAME} {__version__}).
# MkDocs' own settings first; the generator's settings live under extra.factcheck.
site_name: {_q(options.name)}
site_description: {_q(options.description or nav["site_description"])}
site_url: {_q(site_url)}   # the published address (the deploy workflow passes GitHub Pages' own)
{repo}copyright: {_q(nav["copyright"])}

docs_dir: content
site_dir: site
use_directory_urls: true

theme:
  name: material
  language: {_q(options.language)}
  font: false              # system fonts: nothing fetched from third parties
  features:
    - navigation.tabs
    - navigation.top
    - search.suggest
    - content.action.edit
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: indigo
      accent: indigo
      toggle: {{icon: material/weather-night, name: Switch to dark mode}}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: indigo
      accent: indigo
      toggle: {{icon: material/weather-sunny, name: Switch to light mode}}

# The generator runs as one MkDocs plugin; search is Pagefind's, written by the generator.
plugins:
  - factcheck

# For the hand-written pages in content/ (generated pages never go through Markdown extensions).
markdown_extensions:
  - toc:
      permalink: true
  - tables
  - admonition
  - attr_list
  - md_in_html
  - def_list
  - footnotes

nav:
  - {_q(nav["home"])}: index.md
  - {_q(nav["claims"])}: claims/index.md
  - {_q(nav["ratings"])}: verdicts/index.md
  - {_q(nav["entities"])}: entities/index.md
  - {_q(nav["sources"])}: sources/index.md
  - {_q(nav["methodology"])}: methodology.md
  - {_q(nav["about"])}:
      - about.md
      - corrections-policy.md
      - corrections/index.md
      - propose-a-claim.md

# Claim, entity, source, rating and tag pages are reached from the index pages, not the sidebar
# (the theme renders the whole navigation into every page).
not_in_nav: |
  /claims/*.md
  /entities/*.md
  /sources/*.md
  /verdicts/*.md
  /tags/*.md

validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn

extra:
  factcheck:
    publisher:
      name: {_q(options.publisher or options.name)}
    latest_count: 10
    page_size: 50
    # The rating scale: key (used in claim files), label, icon, colour, definition, and the
    # schema.org rating (1 worst .. 5 best; none for a verdict off the numeric scale).
    scale:
{_scale_yaml(scale)}
"""


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", value)
    return text


def planned_files(options: SiteOptions) -> Iterator[tuple[str, str]]:
    """Every file of the new site: (path relative to the site folder, text)."""
    lang = options.text_language
    pages = STARTER_DIR / "pages" / lang
    nav = yaml.safe_load((pages / "nav.yml").read_text(encoding="utf-8"))
    site_url = options.site_url or pages_url_for(options.repo_url)
    values = {
        "site_name": options.name,
        "publisher_name": options.publisher or options.name,
        "site_url": site_url,
        "repo_url": options.repo_url or PLACEHOLDER_REPO,
        "tool_requirement": options.tool_requirement,
        "tool_version": __version__,
        "language": options.language,
    }
    config_text = mkdocs_yml(options, nav)
    yield "mkdocs.yml", config_text
    for name in PAGES:
        yield f"content/{name}", _fill((pages / name).read_text(encoding="utf-8"), values)
    if options.example:
        example = STARTER_DIR / "example" / lang
        for path in sorted(p for p in example.rglob("*") if p.is_file()):
            yield path.relative_to(example).as_posix(), _fill(path.read_text(encoding="utf-8"), values)
    common = STARTER_DIR / "common"
    readme = STARTER_DIR / "readme" / f"{lang}.md"
    yield "README.md", _fill((readme if readme.is_file() else common / "README.md").read_text(encoding="utf-8"), values)
    yield "requirements.txt", _fill((common / "requirements.txt").read_text(encoding="utf-8"), values)
    yield ".gitignore", (common / "gitignore").read_text(encoding="utf-8")
    for workflow in sorted((common / "workflows").glob("*.yml")):
        yield f".github/workflows/{workflow.name}", _fill(workflow.read_text(encoding="utf-8"), values)
    # The schemas and the web editor's configuration, as `factcheck schema` writes them for this
    # mkdocs.yml (the scale in the site's language), so that `schema --check` agrees.
    from factcheck.editor.config import EDITOR_CONFIG_NAME, config_yaml
    from factcheck.settings import settings_from_config

    settings = settings_from_config(yaml.safe_load(config_text), Path("mkdocs.yml"))
    for name, text in schema_documents(settings.scale).items():
        yield f"schema/{name}", text
    yield f"schema/{EDITOR_CONFIG_NAME}", config_yaml(settings)
    yield "templates/README.md", (common / "templates-README.md").read_text(encoding="utf-8")
    for folder in ("claims", "content/entities", "content/sources"):
        yield f"{folder}/.gitkeep", ""


def init_site(folder: Path, options: SiteOptions) -> tuple[list[str], list[str]]:
    """Write the new site into folder; return (written, kept) relative paths. Nothing is overwritten."""
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{folder} exists and is not a folder: choose another place for the site")
    written, kept = [], []
    for rel, text in planned_files(options):
        target = folder / rel
        if target.name == ".gitkeep" and target.parent.is_dir() and any(target.parent.iterdir()):
            continue  # the folder has files already: no placeholder needed
        if target.exists() or target.is_symlink():
            kept.append(rel)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8", newline="\n") as fh:  # "x": never replace a file
            fh.write(text)
        written.append(rel)
    return written, kept


def add_init_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", help="where to write the site (created if missing; existing files are kept)")
    parser.add_argument("--name", help="the site's name (default: from the folder's name)")
    parser.add_argument("--language", default="en", help="the interface language, e.g. en, de, uk (default: en)")
    parser.add_argument(
        "--site-url", default="", help="the published address (default: GitHub Pages' for a github.com repo)"
    )
    parser.add_argument("--repo-url", default="", help="the repository's address, for edit and history links")
    parser.add_argument("--branch", default="main", help="the branch edit links open (default: main)")
    parser.add_argument(
        "--edit-uri", help="the edit address of content/ relative to --repo-url (default: from the host)"
    )
    parser.add_argument("--publisher", default="", help="the publishing organisation (default: the site's name)")
    parser.add_argument(
        "--tool-requirement",
        default=f"{PACKAGE_NAME}=={__version__}",
        help="how the site's requirements.txt names this tool (default: %(default)s)",
    )
    parser.add_argument("--no-example", action="store_true", help="leave out the example fact-check")


def cmd_init(args: argparse.Namespace) -> int:
    """Write a new site; say what was written and what comes next."""
    folder = Path(args.folder)
    language = args.language.strip()
    if language not in available_languages():
        print(
            f"init: --language {language!r}: the interface has no translation for it yet "
            f"(translated: {', '.join(available_languages())}); pages and interface will be in English until "
            "one is added (CONTRIBUTING.md, 'Translating the interface').",
            file=sys.stderr,
        )
    name = (
        args.name or folder.resolve().name.replace("-", " ").replace("_", " ").strip().title() or "Fact checks"
    ).strip()
    options = SiteOptions(
        name=name,
        language=language,
        site_url=args.site_url,
        repo_url=args.repo_url.rstrip("/"),
        branch=args.branch,
        edit_uri=args.edit_uri,
        publisher=args.publisher,
        tool_requirement=args.tool_requirement,
        example=not args.no_example,
    )
    try:
        written, kept = init_site(folder, options)
    except (InitError, OSError) as exc:
        print(f"init: {exc}", file=sys.stderr)
        return 1
    for rel in kept:
        print(f"kept {rel} (it exists; not overwritten)")
    if not options.repo_url:
        print(
            f"No --repo-url given: the pages in content/ link to {PLACEHOLDER_REPO} for readers' reports. Replace it "
            "with your repository's address there, and set repo_url in mkdocs.yml for edit and history links."
        )
    print(f"Wrote {len(written)} files into {folder}.")
    print(
        "Next steps:\n"
        f"  cd {folder}\n"
        "  factcheck build        check every file and build the site into site/\n"
        "  factcheck serve        preview it at http://127.0.0.1:8000 while you edit\n"
        '  factcheck new "..."    start a fact-check\n'
        "Then put the folder in a git repository; README.md says how to publish it on GitHub Pages."
    )
    return 0
