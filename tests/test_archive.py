"""`build.py archive` against a local Save Page Now 2 stand-in: one line added per place, nothing else changed."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, make_project, set_config
from standins import SpnState, save_page_now

from factcheck.archiving.yamledit import EditRefused, add_field, with_field
from factcheck.cli.main import main

SITES = "http://cited.test"
FILES = (
    "claims/census-counts-42-tanks.yaml",
    "claims/agency-repeats-the-census.yaml",
    "claims/a-page-that-never-answers.yaml",
    "content/sources/cited-report.md",
)
PER_MINUTE = 300  # one request every 0.2 s


def archive_project(dest: Path, endpoint: str, sites: str = SITES, refused: str = "http://refused.test") -> Path:
    """The archive fixture (claims and a source page written the way people write them) in dest."""
    make_project(dest, "basic")
    shutil.rmtree(dest / "claims")
    for name in ("fixture-article.md", "fixture-article.txt"):
        (dest / "content" / "sources" / name).unlink()
    shutil.copytree(FIXTURES / "archive", dest, dirs_exist_ok=True)
    for name in FILES:
        path = dest / name
        text = path.read_bytes().replace(SITES.encode(), sites.encode())
        path.write_bytes(text.replace(b"http://refused.test", refused.encode()))
    set_config(
        dest,
        "  factcheck:\n",
        "  factcheck:\n"
        f"    archive:\n      endpoint: {endpoint}\n      captures_per_minute: {PER_MINUTE}\n      poll_seconds: 0\n"
        "    links:\n      timeout: 2\n      retries: 1\n",
    )
    return dest


def snapshot(project: Path) -> dict[str, bytes]:
    return {name: (project / name).read_bytes() for name in FILES}


def expected(before: dict[str, bytes], endpoint: str, stamps: dict[str, str], sites: str = SITES) -> dict[str, bytes]:
    """The files with exactly the archive_url lines the fixture needs, written by hand."""

    def line(indent: int, path: str) -> str:
        url = sites + path
        return f"{' ' * indent}archive_url: {endpoint}/web/{stamps[url]}/{url}\n"

    def after(text: str, anchor: str, new: str) -> str:
        assert text.count(anchor) == 1, anchor
        return text.replace(anchor, anchor + new)

    out = {name: data.decode() for name, data in before.items()}
    name = "claims/census-counts-42-tanks.yaml"
    out[name] = after(out[name], "  date: 2024-10-18\n\nclaim_date", "")  # (anchor check only)
    out[name] = out[name].replace(
        "  date: 2024-10-18\n\nclaim_date", "  date: 2024-10-18\n" + line(2, "/posts/42") + "\nclaim_date"
    )
    out[name] = after(out[name], "      more in reserve.\n", line(4, "/census"))
    out[name] = after(out[name], "    stance: contradicts   # says there are more\n", line(4, "/moved"))
    name = "claims/agency-repeats-the-census.yaml"
    out[name] = after(out[name], "    stance: supports\n", line(4, "/census"))
    for path, stance in (("/slow", "Slow Times"), ("/error", "Broken Daily"), ("/missing", "Gone Weekly")):
        block = f"    publisher: {stance}\n    url: {sites}{path}\n"
        text = out[name]
        start = text.index(block)
        end = text.index("    stance: context\n", start) + len("    stance: context\n")
        out[name] = text[:end] + line(4, path) + text[end:]
    name = "claims/a-page-that-never-answers.yaml"
    text = out[name]
    hang = "    url: " + sites + "/hang\n    date: 2024-04-01\n    stance: context\n"
    text = after(text, hang, line(4, "/hang"))
    assert text.endswith("    stance: context")
    out[name] = text + "\n" + line(4, "/page").rstrip("\n").replace(sites + "/page", "REFUSED")
    name = "content/sources/cited-report.md"
    out[name] = after(out[name], "type: report\n", line(0, "/report"))
    return {k: v.encode() for k, v in out.items()}


def fix_refused(files: dict[str, bytes], refused: str) -> dict[str, bytes]:
    name = "claims/a-page-that-never-answers.yaml"
    return {**files, name: files[name].replace(b"REFUSED", (refused + "/page").encode())}


def run(project: Path, *args: str) -> int:
    return main(["-f", str(project / "mkdocs.yml"), *args], prog="build.py")


def stamps_with_refused(state: SpnState) -> dict[str, str]:
    """The stand-in's timestamps, plus the refused host's page under the key the expected files use."""
    return {**state.timestamps, SITES + "/page": state.timestamps.get("http://refused.test/page", "")}


def test_archive_adds_one_line_per_place_and_changes_no_other_byte(tmp_path: Path, capsys) -> None:
    state = SpnState(throttle_once={SITES + "/slow"}, throttle_status_once={SITES + "/moved"})
    with save_page_now(state) as endpoint:
        project = archive_project(tmp_path / "p", endpoint)
        before = snapshot(project)
        assert run(project, "archive") == 0
        out = capsys.readouterr().out
        after = snapshot(project)
        want = fix_refused(expected(before, endpoint, stamps_with_refused(state)), "http://refused.test")
        for name in FILES:
            assert after[name] == want[name], name
        # Nine addresses lack a copy (census is cited twice, /gone already has one): nine captures.
        cited = {
            SITES + p for p in ("/posts/42", "/census", "/moved", "/slow", "/error", "/missing", "/hang", "/report")
        }
        assert set(state.timestamps) == cited | {"http://refused.test/page"}
        posts = state.posts()
        assert [p.url for p in posts].count(SITES + "/slow") == 2  # asked again after the 429
        assert not state.throttle_status_once  # a 429 while polling was waited out too
        assert len(posts) == 10
        assert all(p.authorization is None for p in posts)  # no keys in the environment: anonymous
        assert all(p.user_agent and p.user_agent.startswith("factcheck-microsite/") for p in state.log)
        # The rate limit, read from the stand-in's log: no two requests for a capture closer than 60/300 s.
        gaps = [b.at - a.at for a, b in zip(posts, posts[1:])]
        assert min(gaps) >= 60 / PER_MINUTE - 0.01, gaps
        assert "anonymously" in out and "at most 300 captures a minute" in out
        assert "9 capture(s), 10 archive_url line(s) written, 0 failed." in out

        # A second run finds nothing to do: no request, no byte changed.
        logged = len(state.log)
        assert run(project, "archive") == 0
        assert "Every cited page has an archived copy; nothing to do." in capsys.readouterr().out
        assert len(state.log) == logged
        assert snapshot(project) == after
        assert run(project, "check") == 0


def test_dry_run_lists_what_it_would_do_and_changes_nothing(tmp_path: Path, capsys) -> None:
    state = SpnState()
    with save_page_now(state) as endpoint:
        project = archive_project(tmp_path / "p", endpoint)
        before = snapshot(project)
        assert run(project, "archive", "--dry-run") == 0
        out = capsys.readouterr().out
    assert state.log == []
    assert snapshot(project) == before
    assert (
        f"would request a capture of {SITES}/census\n    for claims/agency-repeats-the-census.yaml:13, claims/census-counts-42-tanks.yaml:21"
        in out
    )
    assert "9 cited address(es) need an archived copy (dry run: nothing requested or written)." in out


def test_a_copy_already_given_elsewhere_is_reused_without_a_capture(tmp_path: Path, capsys) -> None:
    state = SpnState()
    with save_page_now(state) as endpoint:
        project = archive_project(tmp_path / "p", endpoint)
        claim = project / "claims/agency-repeats-the-census.yaml"
        claim.write_text(
            claim.read_text().replace(
                "    stance: supports\n", "    stance: supports\n    archive_url: http://archive.test/web/1/x\n"
            )
        )
        assert run(project, "archive") == 0
    assert SITES + "/census" not in [p.url for p in state.posts()]
    text = (project / "claims/census-counts-42-tanks.yaml").read_text()
    assert "      more in reserve.\n    archive_url: http://archive.test/web/1/x\n" in text


def test_a_failed_capture_is_reported_and_tried_again_by_the_next_run(tmp_path: Path, capsys) -> None:
    state = SpnState(fail={SITES + "/census"})
    with save_page_now(state) as endpoint:
        project = archive_project(tmp_path / "p", endpoint)
        assert run(project, "archive") == 1
        out = capsys.readouterr().out
        assert (
            f"failed {SITES}/census: error:service-unavailable: Service Unavailable for this page "
            "(cited at claims/agency-repeats-the-census.yaml:13, claims/census-counts-42-tanks.yaml:21); "
            "the next run tries again"
        ) in out
        assert "8 capture(s), 8 archive_url line(s) written, 1 failed." in out
        assert "/census" not in "".join(re.findall(r"archive_url: .*", (project / FILES[1]).read_text()))
        state.fail.clear()
        posts = len(state.posts())
        assert run(project, "archive") == 0
        assert [p.url for p in state.posts()[posts:]] == [SITES + "/census"]
        assert f"/web/{state.timestamps[SITES + '/census']}/{SITES}/census" in (project / FILES[1]).read_text()


def test_a_daily_quota_stops_the_run_cleanly_and_the_next_run_goes_on(tmp_path: Path, capsys) -> None:
    state = SpnState(quota_after=3)
    with save_page_now(state) as endpoint:
        project = archive_project(tmp_path / "p", endpoint)
        before = snapshot(project)
        assert run(project, "archive") == 1
        out = capsys.readouterr().out
        assert (
            "stopped: the daily quota of captures is used up (You have reached your daily limit of captures. "
            "Please try again tomorrow.); run again tomorrow. What was written is kept; run again to go on."
        ) in out
        assert len(state.posts()) == 4  # three captures, then the answer that stops the run
        assert state.successes == 3
        state.quota_after = None
        assert run(project, "archive") == 0
        want = fix_refused(expected(before, endpoint, stamps_with_refused(state)), "http://refused.test")
        assert snapshot(project) == want


def test_a_run_killed_midway_leaves_complete_lines_and_the_next_run_finishes(tmp_path: Path, capsys) -> None:
    state = SpnState(hold_after=2)
    with save_page_now(state) as endpoint:
        project = archive_project(tmp_path / "p", endpoint)
        before = snapshot(project)
        env = {**os.environ, "PYTHONPATH": str(REPO), "IA_ACCESS_KEY": "access", "IA_SECRET_KEY": "secret"}
        proc = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "-f", str(project / "mkdocs.yml"), "archive"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 120
            while len(state.jobs) < 3 and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)  # waiting for the stand-in to reach the point to kill at, not timing anything
            assert len(state.jobs) == 3, proc.communicate()
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        assert all(p.authorization == "LOW access:secret" for p in state.posts())
        # Each file is as it was, or has complete archive_url lines for the two captures made.
        complete = re.compile(rf"^ *archive_url: {re.escape(endpoint)}/web/\d{{14}}/http://\S+$")
        added = []
        for name in FILES:
            lines = (project / name).read_text().splitlines()
            new = [line for line in lines if line not in before[name].decode().splitlines()]
            assert all(complete.match(line) for line in new), new
            assert [line for line in lines if line not in new] == before[name].decode().splitlines()
            added += new
        assert len(state.timestamps) == 2
        assert sorted(line.split("/web/", 1)[1].split("/", 1)[1] for line in added) == sorted(state.timestamps)
        assert not list(project.rglob("*.tmp"))
        state.hold_after = None
        state.released.set()
        assert run(project, "archive") == 0
        want = fix_refused(expected(before, endpoint, stamps_with_refused(state)), "http://refused.test")
        assert snapshot(project) == want


def test_settings_and_keys_are_checked_before_anything_is_requested(tmp_path: Path, capsys, monkeypatch) -> None:
    project = archive_project(tmp_path / "p", "ftp://archive.test")
    assert run(project, "archive") == 2
    assert (
        "Configuration error: mkdocs.yml: extra.factcheck.archive.endpoint: 'ftp://archive.test' is not allowed: "
        "give an http(s) address"
    ) in capsys.readouterr().err
    assert run(project, "check") == 2  # every pull request's check finds it, not only the weekly run
    assert "extra.factcheck.archive.endpoint: 'ftp://archive.test' is not allowed" in capsys.readouterr().err
    set_config(project, "      timeout: 2\n", "      timeout: soon\n")
    set_config(project, "ftp://archive.test", "http://127.0.0.1:9")
    assert run(project, "check") == 2
    assert (
        "Configuration error: mkdocs.yml: extra.factcheck.links.timeout: 'soon' is not allowed: "
        "give a number of seconds from 0.1 to 300"
    ) in capsys.readouterr().err
    set_config(project, "      timeout: soon\n", "      timeout: 2\n")
    monkeypatch.setenv("IA_ACCESS_KEY", "only-one")
    monkeypatch.delenv("IA_SECRET_KEY", raising=False)
    assert run(project, "archive") == 2
    assert (
        "archive: set both IA_ACCESS_KEY and IA_SECRET_KEY, or neither (anonymous captures)" in capsys.readouterr().err
    )


def test_archive_does_nothing_while_check_finds_problems(tmp_path: Path, capsys) -> None:
    state = SpnState()
    with save_page_now(state) as endpoint:
        project = archive_project(tmp_path / "p", endpoint)
        bad = project / "claims/census-counts-42-tanks.yaml"
        bad.write_text(bad.read_text().replace("verdict: misleading", "verdict: maybe"))
        before = snapshot(project)
        assert run(project, "archive") == 1
    err = capsys.readouterr().err
    assert "claims/census-counts-42-tanks.yaml:12:10: verdict: 'maybe' is not allowed" in err
    assert "archive: nothing was done; fix the problems above first (`python build.py check`)." in err
    assert state.log == [] and snapshot(project) == before


# -- the one-line edit itself ----------------------------------------------------------------------


def test_an_inline_mapping_is_left_for_a_person(tmp_path: Path) -> None:
    text = "evidence:\n  - {title: A, url: 'https://a.example/'}\n"
    with pytest.raises(EditRefused, match=r"the fields are written inline \(\{\.\.\.\}\); add the line by hand"):
        with_field(text, ("evidence", 0), "archive_url", "https://web.archive.org/web/1/https://a.example/")


def test_windows_line_ends_and_awkward_addresses_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    raw = b"a: 1\r\nevidence:\r\n  - url: https://a.example/\r\n    title: A # note\r\nb: 2\r\n"
    path.write_bytes(raw)
    add_field(path, ("evidence", 0), "archive_url", "https://w.example/web/1/https://a.example/?q=a: b#c")
    assert path.read_bytes() == raw.replace(
        b"# note\r\n", b'# note\r\n    archive_url: "https://w.example/web/1/https://a.example/?q=a: b#c"\r\n'
    )


def test_strict_sources_can_require_archived_copies_of_older_evidence(tmp_path: Path, capsys) -> None:
    state = SpnState()
    with save_page_now(state) as endpoint:
        # Cited hosts with a real top-level domain: the copies' addresses wrap them, which the
        # sourcing check accepts from the configured archive endpoint as from web.archive.org.
        project = archive_project(tmp_path / "p", endpoint, sites="https://news.example.com")
        assert run(project, "check", "--strict-sources") == 0  # off by default
        set_config(project, "  factcheck:\n", "  factcheck:\n    sourcing:\n      archive_after_days: 30\n")
        assert run(project, "check", "--strict-sources") == 1
        err = capsys.readouterr().err
        assert (
            "warning: claims/census-counts-42-tanks.yaml:21:5: evidence[0]: dated 2024-01-01, more than 30 days ago, "
            "and has no archive_url: run `factcheck archive` (or `python build.py archive`), or add an archived copy by hand"
        ) in err
        assert "claims/census-counts-42-tanks.yaml:33" not in err  # the item that has one
        assert "8 sourcing warnings in 3 files; --strict-sources makes them fail the check." in err
        assert run(project, "archive") == 0
        assert run(project, "check", "--strict-sources") == 0
        set_config(project, "archive_after_days: 30", "archive_after_days: -1")
        assert run(project, "check") == 1
        assert (
            "error: extra.factcheck.sourcing.archive_after_days in mkdocs.yml must be a whole number of days "
            "(0 or more), or left out, not -1"
        ) in capsys.readouterr().err


def test_an_unreachable_service_stops_the_run_with_the_reason(tmp_path: Path, capsys) -> None:
    from standins import closed_port

    endpoint = f"http://127.0.0.1:{closed_port()}"
    project = archive_project(tmp_path / "p", endpoint)
    before = snapshot(project)
    assert run(project, "archive") == 1
    out = capsys.readouterr().out
    assert f"stopped: {endpoint} cannot be reached: [Errno 111] Connection refused." in out
    assert "0 capture(s), 0 archive_url line(s) written, 0 failed" in out
    assert snapshot(project) == before


def test_text_in_any_script_before_the_item_keeps_the_line_in_place(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    raw = (
        "statement: Україна — «тест» 🛰\nevidence:\n  - title: Заголовок “x”\n    url: https://a.example/\n"
        "  - title: b\n    url: https://b.example/\n"
    ).encode()
    path.write_bytes(raw)
    add_field(path, ("evidence", 0), "archive_url", "https://web.archive.org/web/1/https://a.example/")
    assert path.read_bytes() == raw.replace(
        b"    url: https://a.example/\n",
        b"    url: https://a.example/\n    archive_url: https://web.archive.org/web/1/https://a.example/\n",
    )


def test_answers_that_mean_wait_or_stop_are_told_apart() -> None:
    from factcheck.archiving.spn import DailyQuota, SavePageNow, SlowDown, SpnError

    with pytest.raises(SlowDown):
        SavePageNow._raise(
            {"status": "error", "status_ext": "error:user-session-limit", "message": "too many sessions"}
        )
    with pytest.raises(
        SpnError, match="error:too-many-daily-captures: This URL has been already captured 10 times today"
    ):
        SavePageNow._raise(
            {
                "status": "error",
                "status_ext": "error:too-many-daily-captures",
                "message": "This URL has been already captured 10 times today. Please try again tomorrow.",
            }
        )
    with pytest.raises(DailyQuota):
        SavePageNow._raise({"status": "error", "message": "You have reached your daily captures limit."})
