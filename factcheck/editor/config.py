"""The web editor's configuration (Decap CMS's config.yml), made from the JSON Schemas and the settings.

Every field of `claim_schema`, `entity_schema` and `source_schema` becomes an editor field by
one rule per kind of schema property (text, id, date, URL, choice, number, list, object), with
a few fields given a better widget by name (`OVERRIDES`: the claimant and entities as choices
from the entity files, the appearance's source from the source files, the analysis as
Markdown). Required fields are marked required, each field's help text is the schema's
description, patterns are checked in the form with the schema's own hint. So the editor cannot
drift from the format: `tests/test_editor.py` fails when a schema field has no editor field.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import yaml

from factcheck.model.schema import claim_schema, entity_schema, source_schema
from factcheck.render.format import DATE_PATTERN, MEDIA_AUTHENTICITY, STANCES, UNVERIFIED_MEDIA
from factcheck.settings import Settings

# Decap CMS's own interface languages (decap-cms-locales) by the site's theme.language; a
# language it lacks gets English. Decap names Ukrainian `ua` and Greek `gr`.
DECAP_LOCALES = {
    "bg": "bg", "ca": "ca", "cs": "cs", "da": "da", "de": "de", "en": "en", "es": "es", "fa": "fa",
    "fr": "fr", "el": "gr", "he": "he", "hr": "hr", "hu": "hu", "it": "it", "ja": "ja", "ko": "ko",
    "lt": "lt", "mk": "mk", "nb": "nb_no", "nl": "nl", "nn": "nn_no", "pl": "pl", "pt": "pt", "ro": "ro",
    "ru": "ru", "sk": "sk", "sl": "sl", "sr": "sr_Cyrl", "sv": "sv", "th": "th", "tr": "tr", "uk": "ua",
    "vi": "vi", "zh": "zh_Hans", "zh_TW": "zh_Hant",
}  # fmt: skip

# The Markdown toolbar: what contributor Markdown may contain (no images, no raw HTML).
MARKDOWN_BUTTONS = ["bold", "italic", "link", "heading-two", "heading-three", "quote", "bulleted-list", "numbered-list"]

ENTITY_RELATION = {
    "widget": "relation",
    "collection": "entities",
    "value_field": "{{slug}}",
    "search_fields": ["name", "aliases.*", "{{slug}}"],
    "display_fields": ["name"],
}
SOURCE_RELATION = {
    "widget": "relation",
    "collection": "sources",
    "value_field": "{{slug}}",
    "search_fields": ["title", "publisher", "{{slug}}"],
    "display_fields": ["title"],
}
# Fields that get a better widget than their schema kind gives, by collection and field path.
OVERRIDES: dict[tuple[str, str], dict[str, Any]] = {
    ("claims", "claimant"): ENTITY_RELATION,
    ("claims", "entities"): {**ENTITY_RELATION, "multiple": True},
    ("claims", "appearance.source"): SOURCE_RELATION,
    ("claims", "analysis"): {
        "widget": "markdown",
        "buttons": MARKDOWN_BUTTONS,
        "editor_components": [],
        "modes": ["rich_text", "raw"],
    },
    ("entities", "related"): {**ENTITY_RELATION, "multiple": True},
}
# The page text below an entity's or a source's front matter.
BODY_FIELD = {
    "name": "body",
    "label": "Page text",
    "widget": "markdown",
    "required": False,
    "buttons": MARKDOWN_BUTTONS,
    "editor_components": [],
    "hint": "Shown on the page below the details (Markdown, no raw HTML).",
}
# Where the CMS would put uploads: contributor Markdown has no images, so nothing is uploaded;
# Decap needs the setting all the same.
MEDIA_FOLDER = "content/assets/uploads"
# A new file's name (its id): the statement, name or title, cut to fit the format's id length
# (ID_MAX) before Decap turns it into lowercase ASCII words joined by hyphens.
SLUG = "{{slug | truncate(70, ' ')}}"
EDITOR_CONFIG_NAME = "editor.config.yml"  # `factcheck schema` writes the configuration here too


def label_of(name: str) -> str:
    """A field's label from its key: claim_date -> Claim date."""
    return name.replace("_", " ").capitalize()


def _options(prop: Mapping[str, Any], settings: Settings, path: str) -> list[dict[str, str]] | list[str]:
    values = [str(v) for v in prop["enum"]]
    if path in ("verdict", "updates.previous_verdict"):
        return [
            {"value": v.key, "label": f"{v.label}: {v.definition}" if v.definition else v.label} for v in settings.scale
        ]
    if path == "evidence.stance":
        t = settings.interface.gettext
        return [{"value": key, "label": t(label)} for key, label in STANCES.items()]
    if path == "media.authenticity":
        described = {key: f"{key}: {definition}" for key, (_, definition) in MEDIA_AUTHENTICITY.items()}
        described[UNVERIFIED_MEDIA] = f"{UNVERIFIED_MEDIA}: not independently verified (no MediaReview is published)"
        return [{"value": v, "label": described.get(v, v)} for v in values]
    return values


def field_for(
    name: str, prop: Mapping[str, Any], *, required: bool, collection: str, settings: Settings, prefix: str = ""
) -> dict[str, Any]:
    """The editor field of one schema property (and of its nested properties)."""
    path = f"{prefix}{name}"
    field: dict[str, Any] = {"name": name, "label": label_of(name)}
    if prop.get("description"):
        field["hint"] = prop["description"]
    kind = prop.get("type")
    if "enum" in prop:
        field["widget"] = "select"
        field["options"] = _options(prop, settings, path)
        if "default" in prop:
            field["default"] = prop["default"]
    elif kind == "string" and prop.get("pattern") == DATE_PATTERN:
        field.update(widget="datetime", format="YYYY-MM-DD", date_format="YYYY-MM-DD", time_format=False)
        field["picker_utc"] = True
    elif kind == "string":
        field["widget"] = "text" if prop.get("maxLength", 0) > 500 and "pattern" not in prop else "string"
        if "pattern" in prop:
            field["pattern"] = [prop["pattern"], f"This {prop.get('x-hint', 'does not have the allowed form')}."]
    elif kind == "integer":
        field.update(widget="number", value_type="int")
        for key in ("minimum", "maximum"):
            if key in prop:
                field["min" if key == "minimum" else "max"] = prop[key]
    elif kind == "object":
        # An optional object's own required fields are required only when it is given; the form
        # cannot say "when", so there they are marked in the hint and `check` holds them.
        inner = set(prop.get("required", ()))
        field["widget"] = "object"
        field["collapsed"] = not required
        field["fields"] = [
            field_for(
                k, v, required=required and k in inner, collection=collection, settings=settings, prefix=f"{path}."
            )
            for k, v in prop["properties"].items()
        ]
        if not required:
            for sub in field["fields"]:
                if sub["name"] in inner:
                    sub["hint"] = f"{sub.get('hint', '')} (Required when {label_of(name).lower()} is given.)".strip()
    elif kind == "array":
        items = prop.get("items", {})
        field["widget"] = "list"
        if items.get("type") == "object":
            inner = set(items.get("required", ()))
            field["fields"] = [
                field_for(k, v, required=k in inner, collection=collection, settings=settings, prefix=f"{path}.")
                for k, v in items["properties"].items()
            ]
            field["collapsed"] = False  # new items open, ready to fill in
            if "title" in items["properties"]:
                field["summary"] = "{{fields.title}}"
        if "minItems" in prop:
            field["min"] = prop["minItems"]
        else:
            field["default"] = []  # an optional list starts empty (Decap would add an empty item)
        if "maxItems" in prop:
            field["max"] = prop["maxItems"]
    else:  # a kind the rules above do not know: fail loudly rather than drop a field
        raise ValueError(f"no editor widget for {collection}: {path} ({kind})")
    override = OVERRIDES.get((collection, path))
    if override:
        field = {key: value for key, value in field.items() if key not in ("pattern", "min", "max")}
        field.update(copy.deepcopy(override))
    field["required"] = required
    return field


def fields_of(schema: Mapping[str, Any], collection: str, settings: Settings) -> list[dict[str, Any]]:
    """The editor fields of a schema's top-level properties, in the schema's order."""
    required = set(schema.get("required", ()))
    return [
        field_for(name, prop, required=name in required, collection=collection, settings=settings)
        for name, prop in schema["properties"].items()
    ]


def backend_for(settings: Settings) -> dict[str, Any]:
    """The Git host the editor signs in to and opens pull requests on, from repo_url."""
    parts = urlsplit(settings.repo_url)
    repo = parts.path.strip("/").removesuffix(".git")
    host = parts.netloc.lower()
    branch = _branch(settings.edit_uri)
    if host == "github.com" and repo.count("/") == 1:
        backend: dict[str, Any] = {"name": "github", "repo": repo, "branch": branch}
        backend["open_authoring"] = True
        backend["auth_scope"] = "public_repo"  # open authoring: forks and pull requests on public repositories
    elif host == "gitlab.com" and "/" in repo:
        backend = {"name": "gitlab", "repo": repo, "branch": branch, "auth_type": "pkce"}
    elif host and repo:  # Gitea, Forgejo, Codeberg and other hosts of the Gitea API
        backend = {"name": "gitea", "repo": repo, "branch": branch, "api_root": f"{parts.scheme}://{host}/api/v1"}
    else:  # no repository: the editor works on the local checkout only (`factcheck serve`)
        backend = {"name": "proxy", "proxy_url": "http://127.0.0.1:8081/api/v1", "branch": branch}
    if settings.editor_app_id and backend["name"] in ("gitlab", "gitea"):
        backend["app_id"] = settings.editor_app_id  # public: GitLab's PKCE sign-in needs no secret and no server
    if settings.editor_site_domain and backend["name"] == "github":
        backend["site_domain"] = settings.editor_site_domain  # Netlify's OAuth service finds the provider by it
    if settings.editor_auth_url and backend["name"] in ("github", "gitea"):
        auth = urlsplit(settings.editor_auth_url)
        backend["base_url"] = f"{auth.scheme}://{auth.netloc}"
        backend["auth_endpoint"] = auth.path.lstrip("/") or "auth"
    return backend


def _branch(edit_uri: str) -> str:
    """The branch edit links open (edit/<branch>/...), which the editor's pull requests target."""
    parts = [p for p in edit_uri.split("/") if p]
    for i, part in enumerate(parts[:-1]):
        if part in ("edit", "blob", "_edit", "src") and parts[i + 1] not in ("branch", "default"):
            return parts[i + 1]
        if part == "branch" and i + 1 < len(parts):
            return parts[i + 1]
    return "main"


def editor_config(settings: Settings) -> dict[str, Any]:
    """Decap CMS's configuration for the site: backend, workflow, language and the three collections."""
    backend = backend_for(settings)
    config: dict[str, Any] = {"backend": backend}
    if backend["name"] != "proxy":
        config["publish_mode"] = "editorial_workflow"  # each fact-check is a pull request: draft, in review, ready
    if settings.editor_backend:  # `serve`: the local checkout, through factcheck's own local backend
        config["local_backend"] = {"url": settings.editor_backend}
        if backend["name"] == "proxy":
            backend["proxy_url"] = settings.editor_backend
    config["locale"] = DECAP_LOCALES.get(settings.language, DECAP_LOCALES.get(settings.language.split("_")[0], "en"))
    if settings.site_url:
        config["site_url"] = config["display_url"] = settings.site_url
    config["media_folder"] = MEDIA_FOLDER
    config["slug"] = {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
    docs = _relative(settings)
    config["collections"] = [
        {
            "name": "claims",
            "label": "Fact-checks",
            "label_singular": "Fact-check",
            "description": "One fact-check per file: claims/<id>.yaml (the id is made from the statement).",
            "folder": "claims",
            "extension": "yaml",
            "format": "yaml",
            "create": True,
            "editor": {"preview": False},  # the preview is the site itself (`serve`)
            "delete": False,
            "identifier_field": "statement",
            "slug": SLUG,
            "summary": "{{statement}}",
            "sortable_fields": ["published", "claim_date", "statement"],
            "fields": fields_of(claim_schema(settings.scale), "claims", settings),
        },
        {
            "name": "entities",
            "label": "Entities",
            "label_singular": "Entity",
            "description": "People, organisations, places ... that claims are by or about.",
            "folder": f"{docs}/entities",
            "extension": "md",
            "format": "frontmatter",
            "create": True,
            "editor": {"preview": False},  # the preview is the site itself (`serve`)
            "delete": False,
            "identifier_field": "name",
            "slug": SLUG,
            "fields": [*fields_of(entity_schema(), "entities", settings), copy.deepcopy(BODY_FIELD)],
        },
        {
            "name": "sources",
            "label": "Sources",
            "label_singular": "Source",
            "description": "Articles, videos, statements ... where claims were made.",
            "folder": f"{docs}/sources",
            "extension": "md",
            "format": "frontmatter",
            "create": True,
            "editor": {"preview": False},  # the preview is the site itself (`serve`)
            "delete": False,
            "identifier_field": "title",
            "slug": SLUG,
            "fields": [*fields_of(source_schema(), "sources", settings), copy.deepcopy(BODY_FIELD)],
        },
    ]
    return config


def _relative(settings: Settings) -> str:
    try:
        return settings.docs_dir.resolve().relative_to(settings.root.resolve()).as_posix()
    except ValueError:
        return "content"


def field_order(config: Mapping[str, Any]) -> dict[str, Any]:
    """Each collection's fields as nested names in the schema's order (normalize.js writes keys in it)."""

    def spec(fields: list[dict[str, Any]]) -> dict[str, Any]:
        return {f["name"]: spec(f["fields"]) if "fields" in f else None for f in fields}

    return {c["name"]: spec(c["fields"]) for c in config["collections"]}


def config_yaml(settings: Settings) -> str:
    """config.yml as the editor reads it."""
    head = (
        "# The web editor's configuration, generated by factcheck from the JSON Schemas and mkdocs.yml:\n"
        "# do not edit (change mkdocs.yml, or the format, and rebuild).\n"
    )
    return head + yaml.safe_dump(editor_config(settings), sort_keys=False, allow_unicode=True, width=1000)
