"""Compiled templates kept between builds (factcheck/render/compiled.py): used when they fit, never trusted blindly.

Unit tests on Jinja environments in memory with the cache in a temporary folder, then two real
builds: the second takes every template from the cache and writes the same site as a build
without one.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from conftest import make_project, run_build_py
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, pass_context

from factcheck.render.compiled import CompiledTemplates, default_folder


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    """Where environment() keeps compiled templates."""
    return tmp_path / "cache"


def environment(templates: Path, folder: Path | None = None, **settings) -> Environment:
    """A new environment, as a new build makes one (nothing compiled in memory), keeping them in folder."""
    compiled = CompiledTemplates(folder if folder is not None else templates.parent / "cache")
    return Environment(loader=FileSystemLoader(str(templates)), bytecode_cache=compiled, **settings)


def never_compiles(env: Environment) -> Environment:
    def compile(*args, **kwargs):  # noqa: A001
        raise AssertionError("compiled again")

    env.compile = compile  # type: ignore[method-assign]
    return env


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "page.html").write_text("{% if true %}\n  <p>{{ name }}</p>\n{% endif %}\n", encoding="utf-8")
    return folder


def test_a_new_build_takes_the_compiled_template_from_the_folder(cache: Path, templates: Path) -> None:
    assert environment(templates).get_template("page.html").render(name="a") == "\n  <p>a</p>\n"
    assert len(list(cache.glob("*.cache"))) == 1
    again = never_compiles(environment(templates))
    assert again.get_template("page.html").render(name="b") == "\n  <p>b</p>\n"


def test_an_edited_template_is_compiled_again(cache: Path, templates: Path) -> None:
    environment(templates).get_template("page.html")
    (templates / "page.html").write_text("<b>{{ name }}</b>", encoding="utf-8")
    assert environment(templates).get_template("page.html").render(name="c") == "<b>c</b>"


def test_other_settings_compile_the_same_file_into_their_own_entry(cache: Path, templates: Path) -> None:
    plain = environment(templates).get_template("page.html").render(name="d")
    trimmed = environment(templates, trim_blocks=True, lstrip_blocks=True).get_template("page.html").render(name="d")
    assert (plain, trimmed) == ("\n  <p>d</p>\n", "  <p>d</p>\n")
    escaped = environment(templates, autoescape=True).get_template("page.html").render(name="<i>")
    assert escaped == "\n  <p>&lt;i&gt;</p>\n"
    assert len(list(cache.glob("*.cache"))) == 3


def test_a_filter_that_now_takes_the_context_gets_code_that_passes_it(cache: Path, templates: Path) -> None:
    (templates / "page.html").write_text("{{ name | shout }}", encoding="utf-8")
    env = environment(templates)
    env.filters["shout"] = lambda value: value.upper()
    assert env.get_template("page.html").render(name="e") == "E"
    env = environment(templates)
    env.filters["shout"] = pass_context(lambda context, value: f"{value.upper()} for {context['who']}")
    assert env.get_template("page.html").render(name="e", who="f") == "E for f"


@pytest.mark.parametrize("damage", [b"", b"garbage", None])
def test_a_damaged_entry_is_compiled_again(cache: Path, templates: Path, damage: bytes | None) -> None:
    environment(templates).get_template("page.html")
    (entry,) = cache.glob("*.cache")
    data = entry.read_bytes()
    entry.write_bytes(damage if damage is not None else data[: len(data) // 2])  # None: cut off halfway
    assert environment(templates).get_template("page.html").render(name="g") == "\n  <p>g</p>\n"


def test_a_folder_that_cannot_be_made_or_written_changes_nothing(
    tmp_path: Path, templates: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    under_a_file = environment(templates, tmp_path / "a-file" / "cache")
    assert under_a_file.get_template("page.html").render(name="h") == "\n  <p>h</p>\n"

    def disk_full(self, bucket) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemBytecodeCache, "dump_bytecode", disk_full)
    full = environment(templates, tmp_path / "full")
    assert full.get_template("page.html").render(name="i") == "\n  <p>i</p>\n"
    assert list((tmp_path / "full").iterdir()) == []


def test_the_cache_is_the_users_own_and_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    folder = default_folder()
    assert folder == tmp_path / ".cache" / "factcheck" / "templates"
    CompiledTemplates()
    assert folder.stat().st_mode & 0o777 == 0o700


def test_a_second_build_takes_every_template_from_the_cache_and_writes_the_same_site(tmp_path: Path) -> None:
    """Two builds with the cache in a home of their own, against one whose home cannot hold one."""
    project = make_project(tmp_path / "p")
    (tmp_path / "no-home").write_text("", encoding="utf-8")  # a file: no cache folder can be made under it
    home = tmp_path / "home"
    cache = home / ".cache" / "factcheck" / "templates"
    sites = {}
    for name, folder in (("without", tmp_path / "no-home"), ("first", home), ("second", home)):
        result = run_build_py(project, "build", "--site-dir", str(tmp_path / name), env={"HOME": str(folder)})
        assert result.returncode == 0, result.stderr
        if name == "first":
            entries = {p.name: p.stat().st_ino for p in cache.iterdir()}  # a rewritten entry is a new file
            assert len(entries) > 40  # the theme's templates and ours
        site = tmp_path / name
        sites[name] = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert {p.name: p.stat().st_ino for p in cache.iterdir()} == entries  # nothing compiled again
    assert sites["first"] == sites["without"]
    assert sites["second"] == sites["without"]


def test_the_folder_keeps_the_entries_used_last(cache: Path, templates: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from factcheck.render import compiled

    environment(templates).get_template("page.html")
    (used,) = cache.glob("*.cache")
    os.utime(used, (1_000, 1_000))  # written long ago ...
    environment(templates).get_template("page.html")  # ... and read now
    assert used.stat().st_mtime > 1_000_000_000
    others = [cache / f"__jinja2_other-{k}.cache" for k in range(12)]
    for k, path in enumerate(others):
        path.write_bytes(b"old")
        os.utime(path, (2_000 + k, 2_000 + k))
    monkeypatch.setattr(compiled, "KEEP", 5)
    monkeypatch.setattr(compiled, "_pruned", set())
    (templates / "page.html").write_text("{{ name }}", encoding="utf-8")  # compiled and written again: pruned
    environment(templates).get_template("page.html")
    assert sorted(cache.iterdir()) == sorted([used, *others[-4:]])  # the 5 used last
