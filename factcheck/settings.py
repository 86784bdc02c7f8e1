"""Site settings and the rating scale, read from `extra.factcheck` in mkdocs.yml."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from factcheck.render.format import ID_RE, absolute, url_for
from factcheck.render.i18n import N_, Interface
from factcheck.render.repo import RepoLinks, default_edit_uri
from factcheck.resources import PACKAGE_DIR, TEMPLATES_DIR

# Documents per Pagefind index bundle (search.bundles): the indexer holds about 190 MB for 4,000.
SEARCH_BUNDLE_PAGES = 2500


@dataclass(frozen=True)
class Verdict:
    """One step of the rating scale."""

    key: str
    label: str
    definition: str
    icon: str
    colour: str
    rating: int | None  # schema.org ratingValue; None where the verdict has no place on the scale


DEFAULT_SCALE: tuple[Verdict, ...] = (
    Verdict("true", N_("True"), N_("The statement is accurate and nothing significant is missing."), "✔", "#1b6e34", 5),
    Verdict(
        "mostly-true",
        N_("Mostly true"),
        N_("The statement is accurate but needs a clarification or has a minor error."),
        "◕",
        "#3f6b12",
        4,
    ),
    Verdict(
        "needs-context",
        N_("Needs context"),
        N_("The statement is accurate as far as it goes, but leaves out facts a reader needs to judge it."),
        "ℹ",
        "#1d5a8c",
        3,
    ),
    Verdict(
        "misleading",
        N_("Misleading"),
        N_("The statement contains some truth but gives a false impression."),
        "⚠",
        "#8a4b00",
        2,
    ),
    Verdict("false", N_("False"), N_("The statement is inaccurate."), "✘", "#a3212b", 1),
    Verdict(
        "unproven",
        N_("Unproven"),
        N_("The available evidence is not enough to confirm or refute the statement."),
        "?",
        "#5b5b66",
        None,
    ),
)


@dataclass(frozen=True)
class Settings:
    """Everything the generator needs to know about the site, independent of MkDocs."""

    root: Path
    docs_dir: Path
    site_name: str = "Fact checks"
    site_url: str = ""
    site_description: str = ""
    repo_url: str = ""
    edit_uri: str = ""
    publisher_name: str = "Fact-check desk"
    publisher_url: str = ""
    language: str = "en"
    directory_urls: bool = True  # MkDocs' use_directory_urls: claims/x/ rather than claims/x.html
    latest_count: int = 10
    page_size: int = 50  # items per page of every list that grows (paging.py)
    scale: tuple[Verdict, ...] = DEFAULT_SCALE
    include_drafts: bool = False  # previews (serve, build --drafts) show draft claims
    search_bundle_pages: int = SEARCH_BUNDLE_PAGES  # documents per Pagefind index bundle (search.py)
    share_cards: bool = True  # a card image per claim, entity and the home page (cards.py)
    card_cache: Path | None = None  # drawn cards kept between builds; None: .cache/factcheck/cards
    site_dir: Path | None = None  # MkDocs' site_dir, where `build` writes; None: <root>/site
    theme_dir: Path | None = None  # MkDocs' theme.custom_dir (the site's theme overrides), if set
    editor: bool = True  # the web editor at /admin/ (factcheck/editor/)
    editor_auth_url: str = ""  # the OAuth client the editor signs in through (GitHub, Gitea); "" = Decap's default
    editor_site_domain: str = ""  # GitHub through Netlify's OAuth service: the Netlify site holding the provider
    editor_app_id: str = ""  # the OAuth application's public id, for sign-in without a server (GitLab PKCE, Gitea)
    editor_backend: str = ""  # set by `serve`: the local backend's address (the editor saves into the checkout)
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The default scale is shown in the site's language too (a configured one is the site's words).
        if self.scale is DEFAULT_SCALE and self.interface.translated:
            object.__setattr__(self, "scale", translated_scale(DEFAULT_SCALE, self.interface))

    @cached_property
    def repo_links(self) -> RepoLinks | None:
        """Edit, view and history links into the site's repository (none without repo_url)."""
        return RepoLinks.make(self.repo_url, self.edit_uri, self.root, self.docs_dir)

    @cached_property
    def interface(self) -> Interface:
        """The interface in `language` (i18n.py): its catalogue is read once, when first needed."""
        return Interface.load(self.language)

    @property
    def claims_dir(self) -> Path:
        return self.root / "claims"

    @property
    def entities_dir(self) -> Path:
        return self.docs_dir / "entities"

    @property
    def sources_dir(self) -> Path:
        return self.docs_dir / "sources"

    @property
    def templates_dir(self) -> Path:
        """The site's own templates: each one replaces the tool's template of the same name."""
        return self.root / "templates"

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        """Where templates are looked for, in order: the site's templates/, then the tool's."""
        own = self.templates_dir
        return (own, TEMPLATES_DIR) if own.is_dir() else (TEMPLATES_DIR,)

    @property
    def card_cache_dir(self) -> Path:
        return self.card_cache or self.root / ".cache" / "factcheck" / "cards"

    @property
    def output_dir(self) -> Path:
        """The site folder a build writes: `site_dir` in mkdocs.yml (default site/, beside it)."""
        return self.site_dir or self.root / "site"

    def inputs(self) -> dict[str, Path]:
        """Every folder the build reads, by what it holds: a site folder may not be, hold or lie in one."""
        folders = {
            "claims/ (the claim files)": self.claims_dir,
            f"{self.docs_dir.name}/ (docs_dir: the pages, entities and sources)": self.docs_dir,
            "templates/ (the site's templates)": self.templates_dir,
            "overrides/ (the site's theme overrides)": self.root / "overrides",
            "the card cache (extra.factcheck.card_cache)": self.card_cache_dir,
            f"the tool's own files ({PACKAGE_DIR})": PACKAGE_DIR,
        }
        if self.theme_dir is not None:
            folders[f"{self.theme_dir.name}/ (theme.custom_dir: the site's theme overrides)"] = self.theme_dir
        return folders

    def page_path(self, src_uri: str) -> str:
        """The site path of a page by its Markdown name (claims/x.md -> claims/x/)."""
        return url_for(src_uri, self.directory_urls)

    def address(self, path: str) -> str:
        """The full URL of a page by its Markdown name (claims/x.md) or of a file by its site path (feed.xml)."""
        return absolute(self.site_url, self.page_path(path) if path.endswith(".md") else path)

    def verdict(self, key: str) -> Verdict | None:
        return next((v for v in self.scale if v.key == key), None)

    @property
    def best_rating(self) -> int:
        return max(v.rating for v in self.scale if v.rating is not None)

    @property
    def worst_rating(self) -> int:
        return min(v.rating for v in self.scale if v.rating is not None)


def translated_scale(scale: tuple[Verdict, ...], interface: Interface) -> tuple[Verdict, ...]:
    """The generator's default scale in the interface language (a configured scale is the site's own words)."""
    t = interface.gettext
    return tuple(Verdict(v.key, t(v.label), t(v.definition), v.icon, v.colour, v.rating) for v in scale)


PAGE_SIZE_LIMITS = (1, 1000)


class SettingsError(ValueError):
    """A setting in mkdocs.yml has a value the generator cannot use; the message names it and the fix."""


def _page_size(value: Any, config_file: Path) -> int:
    """`extra.factcheck.page_size`: a whole number of list items per page."""
    low, high = PAGE_SIZE_LIMITS
    if value is None:
        return 50
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SettingsError(
            f"{config_file.name}: extra.factcheck.page_size: {value!r} is not allowed: give a whole number "
            f"from {low} to {high} (how many items each list page shows; the default is 50)"
        )
    return value


def _share_cards(value: Any, config_file: Path) -> bool:
    """`extra.factcheck.share_cards`: true (the default) or false."""
    if value is None:
        return True
    if not isinstance(value, bool):
        raise SettingsError(
            f"{config_file.name}: extra.factcheck.share_cards: {value!r} is not allowed: give true or false "
            "(whether pages get a card image for sharing; the default is true)"
        )
    return value


def _card_cache(value: Any, config_file: Path) -> Path | None:
    """`extra.factcheck.card_cache`: a folder, relative to mkdocs.yml's, for the drawn cards."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(
            f"{config_file.name}: extra.factcheck.card_cache: {value!r} is not allowed: give a folder, relative "
            "to mkdocs.yml's (where drawn cards are kept between builds; the default is .cache/factcheck/cards)"
        )
    folder = Path(value)
    return folder if folder.is_absolute() else Path(config_file).resolve().parent / folder


def _editor(value: Any, config_file: Path) -> bool:
    """`extra.factcheck.editor`: true (the default) or false."""
    if value is None:
        return True
    if not isinstance(value, bool):
        raise SettingsError(
            f"{config_file.name}: extra.factcheck.editor: {value!r} is not allowed: give true or false "
            "(whether the site gets the web editor at /admin/; the default is true)"
        )
    return value


def _editor_auth_url(value: Any, config_file: Path) -> str:
    """`extra.factcheck.editor_auth_url`: the https address of the OAuth client the editor signs in through."""
    if value is None:
        return ""
    if not isinstance(value, str) or not value.startswith("https://") or any(c.isspace() for c in value):
        raise SettingsError(
            f"{config_file.name}: extra.factcheck.editor_auth_url: {value!r} is not allowed: give the https:// "
            "address of the OAuth client the editor signs in through (for example https://oauth.example.org/auth)"
        )
    return value.rstrip("/")


def _editor_app_id(value: Any, config_file: Path) -> str:
    """`extra.factcheck.editor_app_id`: the public id of the OAuth application (never its secret)."""
    if value is None:
        return ""
    if not isinstance(value, str) or not value.strip() or any(c.isspace() for c in value.strip()):
        raise SettingsError(
            f"{config_file.name}: extra.factcheck.editor_app_id: {value!r} is not allowed: give the application "
            "id of the OAuth application the editor signs in with (GitLab or Gitea; public, never its secret)"
        )
    return value.strip()


def _editor_site_domain(value: Any, config_file: Path) -> str:
    """`extra.factcheck.editor_site_domain`: a host name, such as my-checks.netlify.app."""
    if value is None:
        return ""
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?", value):
        raise SettingsError(
            f"{config_file.name}: extra.factcheck.editor_site_domain: {value!r} is not allowed: give a host name "
            "such as my-checks.netlify.app (the Netlify site that holds the editor's GitHub sign-in)"
        )
    return value


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its `!!python/name` or `!ENV` tags."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_ConfigLoader.add_multi_constructor("", _ignore_tag)  # type: ignore[no-untyped-call]


def _merged(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """MkDocs' INHERIT: mappings are merged key by key, the child's values win."""
    out = dict(parent)
    for key, value in child.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def read_config_file(config_file: Path, _seen: frozenset[Path] = frozenset()) -> dict[str, Any]:
    """Read mkdocs.yml as plain data (tags are ignored), with the configuration it INHERITs from."""
    try:
        with open(config_file, encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_ConfigLoader)  # noqa: S506 - loader is safe, tags ignored
    except FileNotFoundError:
        raise SettingsError(
            f"{config_file}: no such file; run the command in the site's folder (where mkdocs.yml is) or name it with -f"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{config_file}: cannot be read: {getattr(exc, 'strerror', None) or exc}") from None
    except yaml.YAMLError as exc:
        raise SettingsError(f"{config_file}: not valid YAML: {' '.join(str(exc).split())}") from None
    data = data if isinstance(data, dict) else {}
    parent = data.pop("INHERIT", None)
    if isinstance(parent, str):
        parent_file = (Path(config_file).parent / parent).resolve()
        if parent_file not in _seen and parent_file.is_file():
            data = _merged(read_config_file(parent_file, _seen | {parent_file}), data)
    return data


LATEST_COUNT_LIMITS = (0, 1000)
SCALE_FIELDS = ("key", "label", "definition", "icon", "colour", "rating")


def _latest_count(value: Any, config_file: Path) -> int:
    """`extra.factcheck.latest_count`: how many fact-checks the home page lists."""
    low, high = LATEST_COUNT_LIMITS
    if value is None:
        return 10
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SettingsError(
            f"{config_file.name}: extra.factcheck.latest_count: {value!r} is not allowed: give a whole number "
            f"from {low} to {high} (how many fact-checks the home page lists; the default is 10)"
        )
    return value


def _scale_from(raw: Any, config_file: Path) -> tuple[Verdict, ...]:
    """`extra.factcheck.scale`: a list of verdicts, each with a `key` and a `label` (the default scale if none)."""
    if not raw:
        return DEFAULT_SCALE
    where = f"{config_file.name}: extra.factcheck.scale"
    if not isinstance(raw, list):
        raise SettingsError(
            f"{where}: give a list of verdicts, each with key, label, definition, icon, colour and rating"
        )
    scale, keys = [], set()
    for i, item in enumerate(raw):
        here = f"{where}[{i}]"
        if not isinstance(item, dict):
            raise SettingsError(
                f"{here}: {item!r} is not allowed: give a mapping with key, label, definition, icon, colour and rating"
            )
        unknown = sorted(str(k) for k in item if k not in SCALE_FIELDS)
        if unknown:
            raise SettingsError(f"{here}: unknown field {unknown[0]!r}: a verdict has {', '.join(SCALE_FIELDS)}")
        key = item.get("key")
        if not isinstance(key, str) or not ID_RE.fullmatch(key):
            raise SettingsError(
                f"{here}.key: {key!r} is not allowed: give lowercase letters, digits and single hyphens (false, mostly-true)"
            )
        if key in keys:
            raise SettingsError(f"{here}.key: {key!r} is on the scale twice; give each verdict its own key")
        keys.add(key)
        for name in ("label", "definition", "icon", "colour"):
            if (
                name in item
                and not isinstance(item[name], str)
                or name == "label"
                and not str(item.get("label") or "").strip()
            ):
                raise SettingsError(f"{here}.{name}: {item.get(name)!r} is not allowed: give text")
        rating = item.get("rating")
        if rating is not None and (isinstance(rating, bool) or not isinstance(rating, int)):
            raise SettingsError(
                f"{here}.rating: {rating!r} is not allowed: give a whole number (schema.org's ratingValue) or null"
            )
        scale.append(
            Verdict(
                key=key,
                label=item["label"],
                definition=item.get("definition", ""),
                icon=item.get("icon", ""),
                colour=item.get("colour", "#555555"),
                rating=rating,
            )
        )
    if all(v.rating is None for v in scale):
        raise SettingsError(f"{where}: give at least one verdict a whole-number rating (schema.org's ratingValue)")
    return tuple(scale)


def _folder(value: Any, root: Path) -> Path:
    """A folder setting of mkdocs.yml, relative to its folder, as MkDocs resolves it."""
    folder = Path(str(value))
    return (folder if folder.is_absolute() else root / folder).resolve()


def _site_url(value: Any) -> str:
    """A site URL ends with one slash, as MkDocs writes it, so that both readings of mkdocs.yml agree."""
    url = str(value or "").strip()
    return url.rstrip("/") + "/" if url else ""


def _edit_uri(config: Mapping[str, Any]) -> str:
    """`edit_uri` as MkDocs resolves it: its default for the repository's host where it is not set."""
    value = config.get("edit_uri")
    if value is None:
        return default_edit_uri(str(config.get("repo_url") or ""))
    return str(value)


def settings_from_config(
    config: Mapping[str, Any],
    config_file: Path,
    *,
    include_drafts: bool = False,
    search_bundle_pages: int = SEARCH_BUNDLE_PAGES,
) -> Settings:
    """Build Settings from a plain mapping of MkDocs' configuration (the parsed mkdocs.yml).

    `theme` is a mapping with at least `language`; the engine adapter hands over MkDocs'
    resolved configuration in this shape.
    """
    root = Path(config_file).resolve().parent
    docs_dir = Path(config.get("docs_dir") or "docs")
    if not docs_dir.is_absolute():
        docs_dir = root / docs_dir
    extra = dict((config.get("extra") or {}).get("factcheck") or {})
    publisher = extra.get("publisher") or {}
    theme = config.get("theme")
    language = theme.get("language") if isinstance(theme, Mapping) else None
    site_url = _site_url(config.get("site_url"))
    custom_dir = theme.get("custom_dir") if isinstance(theme, Mapping) else None
    return Settings(
        root=root,
        docs_dir=docs_dir.resolve(),
        site_name=str(config.get("site_name") or "Fact checks"),
        site_url=site_url,
        site_description=str(config.get("site_description") or ""),
        repo_url=str(config.get("repo_url") or "").rstrip("/"),
        edit_uri=_edit_uri(config),
        publisher_name=str(publisher.get("name") or config.get("site_name") or "Fact-check desk"),
        publisher_url=str(publisher.get("url") or site_url),
        language=str(language or "en"),
        directory_urls=bool(config.get("use_directory_urls", True)),
        latest_count=_latest_count(extra.get("latest_count"), Path(config_file)),
        page_size=_page_size(extra.get("page_size"), Path(config_file)),
        scale=_scale_from(extra.get("scale"), Path(config_file)),
        include_drafts=include_drafts,
        search_bundle_pages=search_bundle_pages,
        share_cards=_share_cards(extra.get("share_cards"), Path(config_file)),
        card_cache=_card_cache(extra.get("card_cache"), Path(config_file)),
        site_dir=_folder(config.get("site_dir") or "site", root),
        theme_dir=_folder(custom_dir, root) if isinstance(custom_dir, str) and custom_dir else None,
        editor=_editor(extra.get("editor"), Path(config_file)),
        editor_auth_url=_editor_auth_url(extra.get("editor_auth_url"), Path(config_file)),
        editor_app_id=_editor_app_id(extra.get("editor_app_id"), Path(config_file)),
        editor_site_domain=_editor_site_domain(extra.get("editor_site_domain"), Path(config_file)),
        extra=extra,
    )


def load_settings(config_file: Path, *, include_drafts: bool = False) -> Settings:
    """Read mkdocs.yml as plain data and return the generator's settings (for `check`, `new`, `schema`)."""
    return settings_from_config(read_config_file(config_file), config_file, include_drafts=include_drafts)
