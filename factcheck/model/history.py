"""When each input file last changed, from the git history of the checkout (where there is one).

Claim pages show this next to the editorial dates, with a link to the file's history. It is
read from commits, never from the clock or file times, so a build of a given commit is the
same wherever it runs. A shallow clone (CI's default) would date every file to its newest
commit, so there this reports nothing; the workflows check out the full history.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

GIT_TIMEOUT = 60


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=GIT_TIMEOUT)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout if proc.returncode == 0 else None


class KeptLog:
    """The dates `git log` gave for one commit (a preview's updates: the log is read again only when HEAD moves)."""

    def __init__(self) -> None:
        self.key: tuple[str, str, str] | None = None  # (root, folder, HEAD's commit)
        self.dates: dict[str, dt.date] = {}


def last_changed(root: Path, folder: str, kept: KeptLog | None = None) -> dict[str, dt.date]:
    """Return {path relative to root: date of the last commit that changed it} for files under folder.

    Files with uncommitted changes are left out (their last commit is not their current text),
    and so is everything when root is not in a git checkout or the clone is shallow. With
    `kept`, the log of the same commit is not read again (which files are dirty always is).
    """
    head = (_git(root, "rev-parse", "--is-shallow-repository", "HEAD") or "").split()
    if len(head) != 2 or head[0] != "false":
        return {}
    key = (str(root), folder, head[1])
    if kept is not None and kept.key == key:
        dates = dict(kept.dates)
    else:
        found = _log_dates(root, folder)
        if found is None:
            return {}
        if kept is not None:
            kept.key, kept.dates = key, dict(found)
        dates = found
    # `git status --porcelain` names paths from the top of the work tree, not from root.
    prefix = (_git(root, "rev-parse", "--show-prefix") or "").rstrip("\n")
    # -z: names as they are, NUL-separated (without it git quotes a name with a space or a non-ASCII letter).
    dirty = _git(root, "status", "--porcelain", "-z", "--no-renames", "--untracked-files=no", "--", folder) or ""
    for entry in dirty.split("\x00"):
        name = entry[3:]
        if not name:
            continue
        dates.pop(name[len(prefix) :] if prefix and name.startswith(prefix) else name, None)
    return dates


def _log_dates(root: Path, folder: str) -> dict[str, dt.date] | None:
    """{path: date of the newest commit that changed it}, from `git log`; None when git cannot say."""
    log = _git(
        root,
        "-c",
        "core.quotePath=false",
        "log",
        "--format=%x00%cs",
        "--name-only",
        "--no-renames",
        "--relative",
        "--",
        folder,
    )
    if log is None:
        return None
    dates: dict[str, dt.date] = {}
    for entry in log.split("\x00")[1:]:
        stamp, _, names = entry.partition("\n")
        try:
            day = dt.date.fromisoformat(stamp.strip())
        except ValueError:
            continue
        for name in names.split("\n"):
            if name.strip():
                dates.setdefault(name.strip(), day)  # newest commit first
    return dates
