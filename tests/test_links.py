"""`build.py links` against local stand-ins of cited sites: live, a redirect chain, 404, 500, slow, timeout, refused."""

from __future__ import annotations

import json
from pathlib import Path

from standins import SitesState, SpnState, cited_sites, closed_port, save_page_now
from test_archive import FILES, archive_project, run, snapshot


def _project(tmp_path: Path, sites: str) -> tuple[Path, str]:
    refused = f"http://127.0.0.1:{closed_port()}"
    return archive_project(tmp_path / "p", "http://127.0.0.1:9", sites=sites, refused=refused), refused


def test_links_classifies_every_cited_page_and_says_where_it_is_cited(tmp_path: Path, capsys) -> None:
    state = SitesState(hang_seconds=6)
    with cited_sites(state) as sites:
        project, refused = _project(tmp_path, sites)
        before = snapshot(project)
        assert (
            run(project, "links", "--report", str(tmp_path / "links.json"), "--markdown", str(tmp_path / "dead.md"))
            == 0
        )
        out = capsys.readouterr().out
        assert run(project, "links", "--strict") == 1
        err = capsys.readouterr().err
    assert snapshot(project) == before  # checking writes nothing
    report = json.loads((tmp_path / "links.json").read_text())
    by_url = {item["url"]: item for item in report["links"]}
    status = {url.replace(sites, "").replace(refused, "refused"): item["status"] for url, item in by_url.items()}
    assert status == {
        "/posts/42": "live",
        "/census": "live",
        "/moved": "redirected",
        "/gone": "dead",
        "/slow": "live",
        "/error": "dead",
        "/missing": "dead",
        "/hang": "dead",
        "refused/page": "dead",
        "/report": "live",
    }
    assert report["counts"] == {"live": 4, "redirected": 1, "blocked": 0, "dead": 5}
    moved = by_url[sites + "/moved"]
    assert moved["redirects"] == [sites + "/moved-again", sites + "/final"]
    assert moved["final_url"] == sites + "/final" and moved["reason"] == f"redirected to {sites}/final"
    assert by_url[sites + "/missing"]["reason"] == "HTTP 404" and by_url[sites + "/missing"]["tries"] == 1
    assert by_url[sites + "/error"]["reason"] == "HTTP 500 (after 2 tries)"
    assert by_url[sites + "/hang"]["reason"] == "no answer within 2 s (after 2 tries)"
    assert by_url[refused + "/page"]["reason"] == "connection refused"
    assert by_url[sites + "/gone"]["archive_url"] == "https://web.archive.org/web/20230501000000/" + sites + "/gone"
    assert by_url[sites + "/census"]["cited_at"] == [
        {"file": "claims/agency-repeats-the-census.yaml", "line": 13, "field": "evidence[0].url"},
        {"file": "claims/census-counts-42-tanks.yaml", "line": 21, "field": "evidence[0].url"},
        {"file": "claims/census-counts-42-tanks.yaml", "line": 15, "field": "analysis"},  # a link in the text
    ]
    assert by_url[sites + "/report"]["cited_at"] == [
        {"file": "content/sources/cited-report.md", "line": 5, "field": "url"}
    ]
    # Politely: retries only for 5xx and timeouts, an honest agent (the per-host limit: the next test).
    paths = [path for _, path, _ in state.log]
    assert paths.count("/error") == 4 and paths.count("/hang") == 4 and paths.count("/missing") == 2  # two runs
    assert all(
        agent and agent.startswith("factcheck-microsite/") and "link checker" in agent for _, _, agent in state.log
    )
    # The table: one row per address, dead first, with every place.
    rows = out.splitlines()
    assert rows[0].split() == ["status", "code", "address", "what", "happened", "[cited", "at]"]
    assert (
        rows[1].startswith("dead") and f"{sites}/missing  HTTP 404  [claims/agency-repeats-the-census.yaml:28]" in out
    )
    assert f"{sites}/gone  HTTP 404; archived: https://web.archive.org/web/20230501000000/" + sites + "/gone" in out
    assert "4 live, 1 redirected, 0 blocked, 5 dead (10 cited addresses)" in out
    assert "4 dead page(s) without an archived copy; --strict makes that fail." in err
    issue = (tmp_path / "dead.md").read_text()
    assert issue.startswith("`links` found 5 dead cited page(s) among 10 cited addresses.")
    assert (
        f"| {sites}/missing | HTTP 404 | **none** | `claims/agency-repeats-the-census.yaml:28` (evidence[3].url) |"
        in issue
    )


def test_record_marks_each_dead_page_once_with_one_line(tmp_path: Path, capsys) -> None:
    state = SitesState(hang_seconds=6)
    with cited_sites(state) as sites:
        project, refused = _project(tmp_path, sites)
        before = snapshot(project)
        assert run(project, "links", "--record") == 0
        out = capsys.readouterr().out
        after = snapshot(project)
        assert run(project, "links", "--record") == 0
        assert "recorded dead" not in capsys.readouterr().out
        state.revived.add("/missing")  # the page comes back
        assert run(project, "links", "--markdown", str(tmp_path / "dead.md")) == 0
        table = capsys.readouterr().out
    assert snapshot(project) == after
    assert f"recorded dead: {sites}/missing at claims/agency-repeats-the-census.yaml:28" in out
    row = next(line for line in table.splitlines() if f"{sites}/missing " in line)
    assert row.split()[:3] == ["live", "200", f"{sites}/missing"]
    # (line 29 now: the item above it gained its own link_status line)
    assert row.endswith(
        f"{sites}/missing  recorded dead but answers again: delete its link_status  "
        "[claims/agency-repeats-the-census.yaml:29]"
    )
    assert (
        "Recorded dead (`link_status: dead`) but answering again; delete the line:\n\n"
        f"- {sites}/missing (claims/agency-repeats-the-census.yaml:29)"
    ) in (tmp_path / "dead.md").read_text()
    for name in FILES:
        old, new = before[name].decode().splitlines(), after[name].decode().splitlines()
        added = [line for line in new if line not in old]
        assert [line for line in new if line not in added] == old
        assert all(line.strip() == "link_status: dead" for line in added), added
    census = after["claims/census-counts-42-tanks.yaml"].decode()
    assert (
        f"    archive_url: https://web.archive.org/web/20230501000000/{sites}/gone\n    link_status: dead\n" in census
    )
    never = after["claims/a-page-that-never-answers.yaml"].decode()
    assert never.endswith(
        "    stance: context\n    link_status: dead\n  - title: Refused\n    publisher: Closed Port\n"
        f"    url: {refused}/page\n    date: 2024-04-02\n    stance: context\n    link_status: dead"
    )
    assert run(project, "check") == 0


def test_a_dead_page_with_an_archived_copy_passes_strict(tmp_path: Path, capsys) -> None:
    """Archive everything, then links --strict passes: every dead page has a copy."""
    sites_state, spn_state = SitesState(hang_seconds=6), SpnState()
    with cited_sites(sites_state) as sites, save_page_now(spn_state) as endpoint:
        refused = f"http://127.0.0.1:{closed_port()}"
        project = archive_project(tmp_path / "p", endpoint, sites=sites, refused=refused)
        assert run(project, "archive") == 0
        capsys.readouterr()
        assert run(project, "links", "--strict") == 0
        assert "dead page(s) without an archived copy" not in capsys.readouterr().err


def test_no_more_requests_at_a_time_to_one_host_than_per_host(tmp_path: Path, capsys) -> None:
    """Eight slow pages on one host, eight workers: the stand-in never has more than two open at once."""
    state = SitesState(slow_seconds=0.3, hang_seconds=0)
    with cited_sites(state) as sites:
        project, _ = _project(tmp_path, sites)
        claim = project / "claims/agency-repeats-the-census.yaml"
        items = "".join(
            f"  - title: Slow {n}\n    publisher: Slow Times\n    url: {sites}/slow?n={n}\n"
            "    date: 2024-03-01\n    stance: context\n"
            for n in range(8)
        )
        claim.write_text(claim.read_text().replace("authors:", items + "authors:", 1))
        assert run(project, "links") == 0
    assert sum(1 for _, path, _ in state.log if path.startswith("/slow?n=")) == 8
    assert state.most_active == 2  # the default per_host, reached and never passed


def test_the_archiving_package_runs_without_mkdocs() -> None:
    """archive and links load no MkDocs: they work where only the model is installed."""
    import subprocess
    import sys

    from conftest import REPO

    code = (
        "import sys\n"
        "import factcheck.archiving.archive, factcheck.archiving.links, factcheck.archiving.spn\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "[]"
