"""The smaller edges of issue 26, each a test that failed before its fix: git dates in a path with a
space, bad settings and a missing mkdocs.yml as one-line errors, an id with a newline, a language
without a catalogue, Windows, and the OCR helper on a machine without a language's data."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, make_project, run_build_py, set_config
from test_fs_hazards import snapshot


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": "2024-01-02T12:00:00", "GIT_COMMITTER_DATE": "2024-01-02T12:00:00"}
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        env=env,
    )


@pytest.mark.parametrize("folder", ["my site", "sité", "plain"])
def test_an_uncommitted_claim_has_no_git_date_whatever_the_path(tmp_path: Path, folder: str) -> None:
    from factcheck.model.history import last_changed

    checkout = tmp_path / "repo"
    project = make_project(checkout / folder)
    _git(checkout, "init", "-q")
    _git(checkout, "add", ".")
    _git(checkout, "commit", "-qm", "first")
    dates = last_changed(project, "claims")
    assert dates["claims/the-sky-is-green.yaml"] == dt.date(2024, 1, 2)
    claim = project / "claims" / "the-sky-is-green.yaml"
    claim.write_text(claim.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    dates = last_changed(project, "claims")
    assert "claims/the-sky-is-green.yaml" not in dates  # its last commit is not its text now
    assert dates["claims/ruritania-has-42-tanks.yaml"] == dt.date(2024, 1, 2)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    page_size: 50\n",
            "    page_size: 50\n    latest_count: many\n",
            "mkdocs.yml: extra.factcheck.latest_count: 'many' is not allowed: give a whole number from 0 to 1000 "
            "(how many fact-checks the home page lists; the default is 10)",
        ),
        (
            "    page_size: 50\n",
            "    page_size: 50\n    latest_count: -3\n",
            "mkdocs.yml: extra.factcheck.latest_count: -3 is not allowed: give a whole number from 0 to 1000 "
            "(how many fact-checks the home page lists; the default is 10)",
        ),
        (
            "    scale:\n",
            "    scale:\n      - {label: No key, rating: 2}\n",
            "mkdocs.yml: extra.factcheck.scale[0].key: None is not allowed: give lowercase letters, digits and "
            "single hyphens (false, mostly-true)",
        ),
        (
            "    scale:\n",
            "    scale:\n      - {key: odd, label: Odd, rating: high}\n",
            "mkdocs.yml: extra.factcheck.scale[0].rating: 'high' is not allowed: give a whole number (schema.org's "
            "ratingValue) or null",
        ),
        (
            "    scale:\n",
            "    scale:\n      - just-a-word\n",
            "mkdocs.yml: extra.factcheck.scale[0]: 'just-a-word' is not allowed: give a mapping with key, label, "
            "definition, icon, colour and rating",
        ),
    ],
)
@pytest.mark.parametrize("command", ["check", "build"])
def test_a_bad_setting_is_one_line_naming_it(project: Path, old: str, new: str, message: str, command: str) -> None:
    set_config(project, old, new)
    before = snapshot(project, skip=())
    result = run_build_py(project, command)
    assert result.returncode == 2
    assert result.stderr == f"Configuration error: {message}\n"
    assert snapshot(project, skip=()) == before  # nothing written, no site


def test_a_missing_config_file_is_one_line(tmp_path: Path) -> None:
    for command in ("check", "build", "new"):
        args = [command, "A statement"] if command == "new" else [command]
        proc = subprocess.run(
            [sys.executable, str(REPO / "build.py"), "-f", str(tmp_path / "mkdocs.yml"), *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=120,
        )
        assert proc.returncode == 2
        assert proc.stderr == (
            f"Configuration error: {tmp_path / 'mkdocs.yml'}: no such file; run the command in the site's folder "
            "(where mkdocs.yml is) or name it with -f\n"
        )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("bad", ["x\n", "x\ny", "../x", "X", "a b"])
def test_new_refuses_an_id_that_is_not_one(project: Path, bad: str) -> None:
    before = snapshot(project, skip=())
    result = run_build_py(project, "new", "A statement", "--id", bad)
    assert result.returncode == 1
    assert result.stderr == (
        f"new: {bad!r} is not a usable id: use lowercase letters, digits and single hyphens (at most 80 "
        "characters), for example --id troops-sent-in-october\n"
    )
    assert snapshot(project, skip=()) == before


def test_a_language_without_a_catalogue_is_said_not_silent(project: Path) -> None:
    set_config(project, "  language: en\n", "  language: fr\n")
    result = run_build_py(project, "check")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] + "\n" == (
        "Note: theme.language is 'fr', but the tool's interface has no fr catalogue (it has en, de, uk): the "
        'words the tool writes (headings, labels, dates\' words) stay English on pages marked lang="fr". To '
        'translate them, add factcheck/locale/fr/LC_MESSAGES/messages.po (CONTRIBUTING.md, "Translating the '
        'interface").\n'
    )
    set_config(project, "  language: fr\n", "  language: de\n")
    assert "Note:" not in run_build_py(project, "check").stderr


def test_windows_is_refused_with_the_way_to_run_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    from factcheck.cli.main import main

    monkeypatch.setattr(sys, "platform", "win32")
    assert main(["-f", str(project / "mkdocs.yml"), "build"], prog="build.py") == 2
    assert capsys.readouterr().err == (
        "python build.py: Windows is not supported natively (the search indexer runs through /bin/sh and POSIX "
        "process groups): run it inside WSL, the Windows Subsystem for Linux (see CONTRIBUTING.md)\n"
    )
    assert not (project / "site").exists()


def test_ocr_skips_with_its_reason_where_a_language_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import test_share

    fake = tmp_path / "tesseract"
    fake.write_text(
        "#!/bin/sh\nif [ \"$1\" = --list-langs ]; then printf 'List of available languages (2):\\neng\\nosd\\n'; exit 0; fi\nexit 1\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(
        pytest.skip.Exception, match=r"tesseract has no rus data \(Debian: apt-get install tesseract-ocr-rus\)"
    ):
        test_share.ocr(tmp_path / "card.png", "rus+eng")
