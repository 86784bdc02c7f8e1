"""Provenance on claim pages: links to the YAML on GitHub, the date from git, URLs from the environment."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import BuiltSite, build, make_project, run_build_py

from factcheck.model.history import last_changed

COMMIT_DAY = "2025-03-04"


def git(project: Path, *args: str, day: str = COMMIT_DAY) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": f"{day}T12:00:00+00:00",
        "GIT_COMMITTER_DATE": f"{day}T12:00:00+00:00",
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    proc = subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, env=env, check=True)
    return proc.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The basic fixture as a git repository: one commit of everything, a later one of one claim."""
    project = make_project(tmp_path / "repo")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "first")
    claim = project / "claims" / "ruritania-has-42-tanks.yaml"
    claim.write_text(claim.read_text(encoding="utf-8") + "# a later edit\n", encoding="utf-8")
    git(project, "commit", "-q", "-am", "edit", day="2025-06-07")
    return project


def history_date(site, claim_id: str) -> str | None:
    tag = site.page(f"claims/{claim_id}/").select_one(".fc-history time")
    return tag["datetime"] if tag else None


def test_claim_pages_show_when_their_file_last_changed_in_git(repo: Path):
    site = build(repo)
    assert history_date(site, "ruritania-has-42-tanks") == "2025-06-07"
    assert history_date(site, "agency-counted-11000-soldiers") == COMMIT_DAY
    link = site.page("claims/ruritania-has-42-tanks/").select_one(".fc-history a")
    assert (
        link["href"]
        == "https://github.com/factcheck-microsite/factcheck/commits/main/claims/ruritania-has-42-tanks.yaml"
    )


def test_uncommitted_edits_and_folders_without_git_show_no_git_date(repo: Path, tmp_path: Path):
    claim = repo / "claims" / "agency-counted-11000-soldiers.yaml"
    claim.write_text(claim.read_text(encoding="utf-8") + "# not committed yet\n", encoding="utf-8")
    dates = last_changed(repo, "claims")
    assert "claims/agency-counted-11000-soldiers.yaml" not in dates
    assert dates["claims/ruritania-has-42-tanks.yaml"].isoformat() == "2025-06-07"

    plain = make_project(tmp_path / "plain")  # not a git checkout
    assert last_changed(plain, "claims") == {}
    assert history_date(build(plain), "ruritania-has-42-tanks") is None


def test_a_shallow_clone_reports_no_git_dates(repo: Path, tmp_path: Path):
    """A depth-1 clone would date every file to its newest commit, so it must report nothing."""
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True)
    assert (shallow / "claims" / "ruritania-has-42-tanks.yaml").is_file()
    assert last_changed(shallow, "claims") == {}


def test_a_kept_log_is_read_again_when_head_moves_and_dirty_files_are_left_out_each_time(repo: Path):
    """The preview keeps git's log between updates: only for the same commit, never the dirty files."""
    from factcheck.model.history import KeptLog

    kept = KeptLog()
    claim = repo / "claims" / "agency-counted-11000-soldiers.yaml"
    assert last_changed(repo, "claims", kept)["claims/agency-counted-11000-soldiers.yaml"].isoformat() == COMMIT_DAY
    claim.write_text(claim.read_text(encoding="utf-8") + "# not committed yet\n", encoding="utf-8")
    assert "claims/agency-counted-11000-soldiers.yaml" not in last_changed(repo, "claims", kept)
    git(repo, "commit", "-q", "-am", "later", day="2025-09-10")
    dates = last_changed(repo, "claims", kept)
    assert dates["claims/agency-counted-11000-soldiers.yaml"].isoformat() == "2025-09-10"
    assert dates == last_changed(repo, "claims")  # the same as without anything kept
    assert dates["claims/ruritania-has-42-tanks.yaml"].isoformat() == "2025-06-07"


def test_source_and_correction_links_point_at_the_yaml_file(project: Path):
    site = build(project)
    page = site.page("claims/agency-counted-11000-soldiers/")
    links = {a.get_text(strip=True): a["href"] for a in page.select(".fc-provenance a")}
    base = "https://github.com/factcheck-microsite/factcheck"
    assert links["View the source of this fact-check"] == f"{base}/blob/main/claims/agency-counted-11000-soldiers.yaml"
    assert links["Suggest a correction"] == f"{base}/edit/main/claims/agency-counted-11000-soldiers.yaml"


def test_site_and_repository_urls_come_from_the_command_line(project: Path):
    """The workflows pass a fork's own URLs, so its site links to itself and to its repository."""
    result = run_build_py(
        project,
        "build",
        "--site-dir",
        str(project / "site"),
        "--site-url",
        "https://someone.github.io/fork",
        "--repo-url",
        "https://github.com/someone/fork/",
    )
    assert result.returncode == 0, result.stderr
    site = BuiltSite(project, project / "site")
    page = site.page("claims/agency-counted-11000-soldiers/")
    assert (
        page.select_one('link[rel="canonical"]')["href"]
        == "https://someone.github.io/fork/claims/agency-counted-11000-soldiers/"
    )
    links = [a["href"] for a in page.select(".fc-provenance a")]
    assert links and all(h.startswith("https://github.com/someone/fork/") for h in links)
    # Material's header link to the repository, and the edit link of a hand-written page
    assert page.select_one(".md-source")["href"] == "https://github.com/someone/fork"
    edit = site.page("about/").select_one('a[title="Edit this page"]')
    assert edit is not None and edit["href"].startswith("https://github.com/someone/fork/edit/main/content/")
    sitemap = (site.site / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://someone.github.io/fork/claims/agency-counted-11000-soldiers/" in sitemap
    assert "factcheck-microsite.github.io" not in sitemap
