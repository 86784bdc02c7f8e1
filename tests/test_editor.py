"""The web editor's configuration and files: made from the schemas and settings, self-hosted, optional."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, build, make_project, run_build_py, set_config

from factcheck.editor.config import DECAP_LOCALES, editor_config
from factcheck.editor.local import LocalBackend, Refused
from factcheck.model.schema import claim_schema, entity_schema, source_schema
from factcheck.settings import SettingsError, load_settings, settings_from_config

HAS_BUNDLE = (REPO / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").is_file() or (
    REPO / "factcheck" / "editor" / "vendor" / "decap-cms.js"
).is_file()
needs_bundle = pytest.mark.skipif(
    not HAS_BUNDLE, reason="the editor's bundle is not installed (npm ci --ignore-scripts)"
)


def schema_paths(schema: dict[str, Any], prefix: str = "") -> list[str]:
    """Every property of a schema, nested ones as a.b, in the schema's order."""
    out = []
    for name, prop in schema.get("properties", {}).items():
        out.append(prefix + name)
        inner = prop["items"] if prop.get("type") == "array" and prop.get("items", {}).get("type") == "object" else prop
        if inner.get("type") == "object":
            out += schema_paths(inner, f"{prefix}{name}.")
    return out


def field_paths(fields: list[dict[str, Any]], prefix: str = "") -> list[str]:
    out = []
    for field in fields:
        out.append(prefix + field["name"])
        out += field_paths(field.get("fields", []), f"{prefix}{field['name']}.")
    return out


def fields_by_path(fields: list[dict[str, Any]], prefix: str = "") -> dict[str, dict[str, Any]]:
    out = {}
    for field in fields:
        out[prefix + field["name"]] = field
        out.update(fields_by_path(field.get("fields", []), f"{prefix}{field['name']}."))
    return out


@pytest.fixture
def settings(tmp_path: Path):
    return load_settings(make_project(tmp_path / "p") / "mkdocs.yml")


def test_every_schema_field_has_an_editor_field_in_the_schemas_order(settings) -> None:
    config = editor_config(settings)
    collections = {c["name"]: c for c in config["collections"]}
    for name, schema in (
        ("claims", claim_schema(settings.scale)),
        ("entities", entity_schema()),
        ("sources", source_schema()),
    ):
        fields = collections[name]["fields"]
        expected = schema_paths(schema)
        got = [p for p in field_paths(fields) if p != "body"]
        assert got == expected, (name, sorted(set(expected) ^ set(got)))


def test_required_fields_hints_and_widgets_follow_the_schema(settings) -> None:
    config = editor_config(settings)
    claims = fields_by_path(config["collections"][0]["fields"])
    schema = claim_schema(settings.scale)
    for name, prop in schema["properties"].items():
        assert claims[name]["required"] is (name in schema["required"]), name
        assert claims[name]["hint"] == prop["description"], name
    assert claims["verdict"]["widget"] == "select"
    assert [o["value"] for o in claims["verdict"]["options"]] == [v.key for v in settings.scale]
    true = claims["verdict"]["options"][0]
    assert true == {"value": "true", "label": "True: The statement is accurate and nothing significant is missing."}
    for relation in ("claimant", "entities"):
        assert claims[relation]["widget"] == "relation" and claims[relation]["collection"] == "entities"
        assert claims[relation]["search_fields"] == ["name", "aliases.*", "{{slug}}"]
        assert claims[relation]["value_field"] == "{{slug}}"
    assert claims["entities"]["multiple"] is True
    assert (
        claims["appearance.source"]["widget"] == "relation" and claims["appearance.source"]["collection"] == "sources"
    )
    assert claims["evidence"]["widget"] == "list" and claims["evidence"]["min"] == 1
    assert [o["value"] for o in claims["evidence.stance"]["options"]] == ["supports", "contradicts", "context"]
    for date in ("claim_date", "published", "updated", "evidence.date", "appearance.date", "updates.date"):
        assert claims[date]["widget"] == "datetime" and claims[date]["format"] == "YYYY-MM-DD", date
        assert claims[date]["time_format"] is False
    assert claims["analysis"]["widget"] == "markdown" and claims["analysis"]["editor_components"] == []
    assert "image" not in claims["analysis"]["buttons"]
    assert claims["status"]["options"] == ["published", "draft"]
    assert (
        claims["evidence.url"]["pattern"][0]
        == schema["properties"]["evidence"]["items"]["properties"]["url"]["pattern"]
    )
    # An optional object's required fields are required only when it is given: the hint says so.
    assert claims["media"]["required"] is False and claims["media.type"]["required"] is False
    assert claims["media.type"]["hint"].endswith("(Required when media is given.)")
    claims_collection = config["collections"][0]
    assert claims_collection["folder"] == "claims" and claims_collection["extension"] == "yaml"
    assert (
        claims_collection["slug"] == "{{slug | truncate(70, ' ')}}"
        and claims_collection["identifier_field"] == "statement"
    )


def test_the_backend_comes_from_repo_url_with_the_editorial_workflow_and_open_authoring(tmp_path: Path) -> None:
    config_file = tmp_path / "mkdocs.yml"
    gh = settings_from_config(
        {"repo_url": "https://github.com/newsroom/checks", "edit_uri": "edit/trunk/content/"}, config_file
    )
    config = editor_config(gh)
    assert config["backend"] == {
        "name": "github",
        "repo": "newsroom/checks",
        "branch": "trunk",
        "open_authoring": True,
        "auth_scope": "public_repo",
    }
    assert config["publish_mode"] == "editorial_workflow"
    assert "local_backend" not in config
    with_auth = settings_from_config(
        {
            "repo_url": "https://github.com/newsroom/checks",
            "extra": {"factcheck": {"editor_auth_url": "https://auth.example.org/auth"}},
        },
        config_file,
    )
    backend = editor_config(with_auth)["backend"]
    assert backend["base_url"] == "https://auth.example.org" and backend["auth_endpoint"] == "auth"
    netlify = settings_from_config(
        {
            "repo_url": "https://github.com/newsroom/checks",
            "extra": {"factcheck": {"editor_site_domain": "checks.netlify.app"}},
        },
        config_file,
    )
    assert editor_config(netlify)["backend"]["site_domain"] == "checks.netlify.app"
    with pytest.raises(SettingsError, match="editor_site_domain: 'https://x' is not allowed: give a host name"):
        settings_from_config({"extra": {"factcheck": {"editor_site_domain": "https://x"}}}, config_file)
    gitlab = editor_config(
        settings_from_config(
            {
                "repo_url": "https://gitlab.com/newsroom/checks",
                "edit_uri": "-/edit/main/content/",
                "extra": {"factcheck": {"editor_app_id": "abc123"}},
            },
            config_file,
        )
    )
    assert gitlab["backend"] == {
        "name": "gitlab",
        "repo": "newsroom/checks",
        "branch": "main",
        "auth_type": "pkce",
        "app_id": "abc123",
    }
    local = editor_config(settings_from_config({}, config_file))
    assert local["backend"]["name"] == "proxy" and "publish_mode" not in local


@pytest.mark.parametrize(("language", "locale"), [("en", "en"), ("de", "de"), ("uk", "ua"), ("xx", "en")])
def test_the_editor_speaks_the_sites_language(tmp_path: Path, language: str, locale: str) -> None:
    settings = settings_from_config({"theme": {"language": language}}, tmp_path / "mkdocs.yml")
    assert editor_config(settings)["locale"] == locale


def test_every_locale_named_is_one_the_bundle_has() -> None:
    locales = REPO / "node_modules" / "decap-cms-locales" / "dist" / "esm"
    if not locales.is_dir():
        pytest.skip("decap-cms-locales is not installed (npm ci --ignore-scripts)")
    assert set(DECAP_LOCALES.values()) <= {p.name for p in locales.iterdir() if p.is_dir()}


def test_the_editor_setting_is_checked(tmp_path: Path) -> None:
    with pytest.raises(
        SettingsError, match=r"^mkdocs.yml: extra.factcheck.editor: 'no' is not allowed: give true or false"
    ):
        settings_from_config({"extra": {"factcheck": {"editor": "no"}}}, tmp_path / "mkdocs.yml")
    with pytest.raises(
        SettingsError, match=r"extra.factcheck.editor_auth_url: 'http://x' is not allowed: give the https://"
    ):
        settings_from_config({"extra": {"factcheck": {"editor_auth_url": "http://x"}}}, tmp_path / "mkdocs.yml")


@needs_bundle
def test_the_built_site_serves_the_editor_from_itself_and_no_public_page_loads_it(tmp_path: Path) -> None:
    built = build(make_project(tmp_path / "p"))
    admin = built.site / "admin"
    page = (admin / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert scripts == ["decap-cms.js", "normalize.js"]  # from the site itself, never a CDN
    assert (admin / "decap-cms.js").stat().st_size > 1_000_000
    shipped = {p.name for p in admin.iterdir()}
    dist = REPO / "node_modules" / "decap-cms" / "dist"
    if dist.is_dir():
        assert {p.name for p in dist.glob("*.decap-cms.js")} <= shipped
    config = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"]["repo"] == "factcheck-microsite/factcheck"
    assert "local_backend" not in config  # only `serve` points the editor at a local backend
    order = json.loads(re.search(r'id="factcheck-field-order">(.*?)</script>', page).group(1))
    assert list(order["claims"])[:4] == ["statement", "short_statement", "claimant", "unnamed_sources"]
    # No public page loads anything of the editor, nor any script from elsewhere.
    for html in built.site.rglob("*.html"):
        if html.is_relative_to(admin):
            continue
        for src in re.findall(r'<script[^>]*src="([^"]+)"', html.read_text(encoding="utf-8")):
            assert "admin/" not in src and not src.startswith(("http:", "https:", "//")), (html, src)
    # The editor is off: no /admin/ at all.
    set_config(built.project, "    page_size: 50\n", "    page_size: 50\n    editor: false\n")
    rebuilt = build(built.project)
    assert not (rebuilt.site / "admin").exists()


def test_the_local_backend_reads_and_writes_only_the_collections_files(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    backend = LocalBackend(project, {"claims": "yaml", "content/entities": "md", "content/sources": "md"})
    listed = backend.handle("entriesByFolder", {"folder": "claims", "extension": "yaml", "depth": 1})
    assert sorted(e["file"]["path"] for e in listed) == sorted(
        f"claims/{p.name}" for p in (project / "claims").glob("*.yaml")
    )
    entry = backend.handle("getEntry", {"path": "content/entities/alice-example.md"})
    assert entry["data"].startswith("---\nname: Alice Example")
    backend.handle(
        "persistEntry", {"entry": {"slug": "x", "path": "claims/new-one.yaml", "raw": "statement: x\n"}, "assets": []}
    )
    assert (project / "claims" / "new-one.yaml").read_text() == "statement: x\n"
    for bad in (
        "mkdocs.yml",
        "claims/../mkdocs.yml",
        "claims/x.md",
        "content/x.md",
        "/etc/passwd",
        "claims/sub/x.yaml",
        ".github/workflows/x.yaml",
        "claims/.x.yaml",
        "claims/x.yaml.exe",
    ):
        with pytest.raises(Refused):
            backend.handle("persistEntry", {"entry": {"slug": "x", "path": bad, "raw": "x"}, "assets": []})
        with pytest.raises(Refused):
            backend.handle("getEntry", {"path": bad})
    with pytest.raises(Refused, match="uploads are not accepted"):
        backend.handle(
            "persistEntry",
            {
                "entry": {"slug": "x", "path": "claims/y.yaml", "raw": "x"},
                "assets": [{"path": "claims/y.yaml", "content": "", "encoding": "base64"}],
            },
        )
    with pytest.raises(Refused, match="does not deleteFile"):
        backend.handle("deleteFile", {"path": "claims/new-one.yaml"})
    assert (project / "claims" / "new-one.yaml").exists() and not (project / "claims" / "y.yaml").exists()


def test_schema_writes_the_editors_configuration_too(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    result = run_build_py(project, "schema")
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load((project / "schema" / "editor.config.yml").read_text(encoding="utf-8"))
    assert [c["name"] for c in config["collections"]] == ["claims", "entities", "sources"]
    assert run_build_py(project, "schema", "--check").returncode == 0


def test_the_local_backend_answers_only_the_local_previews_editor(tmp_path: Path) -> None:
    import http.client

    from factcheck.editor.local import LocalServer

    project = make_project(tmp_path / "p")
    server = LocalServer(LocalBackend(project, {"claims": "yaml"}))
    port = server.server.server_port
    body = json.dumps(
        {
            "action": "persistEntry",
            "params": {"entry": {"slug": "x", "path": "claims/x.yaml", "raw": "a"}, "assets": []},
        }
    )

    def post(headers: dict[str, str]) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("POST", "/api/v1", body=body, headers=headers)
        status = conn.getresponse().status
        conn.close()
        return status

    try:
        json_type = {"Content-Type": "application/json"}
        assert post({**json_type, "Origin": "https://evil.example"}) == 403  # another site's page
        assert (
            post({"Content-Type": "text/plain", "Origin": "http://127.0.0.1:8000"}) == 403
        )  # a post without preflight
        assert post({**json_type, "Host": "evil.example:80"}) == 403  # DNS rebinding
        assert not (project / "claims" / "x.yaml").exists()
        assert post({**json_type, "Origin": "http://127.0.0.1:8000"}) == 200
        assert (project / "claims" / "x.yaml").read_text() == "a"
    finally:
        server.stop()


def test_without_its_bundle_the_build_leaves_the_editor_out_and_says_why(settings, monkeypatch, caplog) -> None:
    import factcheck.editor.bundle as bundle
    from factcheck.editor import EditorSite

    monkeypatch.setattr(bundle, "find_bundle", lambda: None)
    with caplog.at_level("WARNING", logger="factcheck.editor"):
        assert EditorSite.plan(settings) is None
    assert "The web editor is left out of this build: its program (decap-cms) is not installed." in caplog.text
    assert "`npm ci --ignore-scripts`" in caplog.text and "`extra.factcheck.editor: false`" in caplog.text
