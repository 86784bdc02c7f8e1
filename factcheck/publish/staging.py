"""Build into a staging folder beside the site, then swap it into place in one step.

At every instant the site folder holds either the old site or the new one, never a half
built mix: a build that fails, is interrupted or is killed leaves the old site as it was.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PREFIX = ".site-building-"


def overlap(site_dir: Path, root: Path, inputs: Mapping[str, Path]) -> str | None:
    """How site_dir would destroy an input ("is claims/ ..."), or None when it holds and lies in none.

    A build empties and replaces its site folder: it may not be an input folder, hold one (the
    project's own folder included) or lie inside one.
    """
    site = site_dir.resolve()
    for what, folder in {"the project's folder (where mkdocs.yml is)": root, **inputs}.items():
        folder = folder.resolve()
        if site == folder:
            return f"is {what}"
        if site in folder.parents:
            return f"contains {what}"
        if folder != root.resolve() and folder in site.parents:
            return f"lies inside {what}"
    return None


@dataclass
class Staging:
    """Where a build writes, and what happens to it when the build ends."""

    folder: Path
    target: Path | None  # the site folder to replace; None when writing in place
    contents: bool = False  # the site folder is a mount point: swap what it holds, not the folder

    @classmethod
    def beside(cls, site_dir: Path) -> Staging:
        """A fresh folder beside site_dir, named after this process (so a killed build's is found).

        A site folder that is a mount point (a Docker volume) cannot be renamed: the new site is
        then built in a hidden folder inside it, on the same file system, and its entries are
        swapped in one by one (`_swap_contents`).
        """
        site_dir = site_dir.resolve()
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        cls.remove_stale(site_dir)
        contents = is_mount_point(site_dir)
        where = site_dir if contents else site_dir.parent
        folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=where))
        # mkdtemp makes a private folder (0700); the site's is readable as the user's umask allows
        # (0755 with the usual 022), so that a web server running as another user can serve it.
        folder.chmod(0o777 & ~umask())
        return cls(folder, site_dir, contents)

    @classmethod
    def in_place(cls, site_dir: Path) -> Staging:
        site_dir.mkdir(parents=True, exist_ok=True)
        return cls(site_dir, None)

    def scratch(self, name: str) -> Path:
        """A fresh folder beside the site for work that moves into the build later (removed with it)."""
        return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-{name}-", dir=self.folder.parent))

    def commit(self) -> None:
        """Replace the site with the new one."""
        if self.target is not None and self.contents:
            _swap_contents(self.folder, self.target)
        elif self.target is not None:
            _swap_into_place(self.folder, self.target)

    def discard(self) -> None:
        """Forget the new site; the old one is untouched."""
        if self.target is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    @staticmethod
    def remove_stale(site_dir: Path) -> None:
        """Delete staging folders left beside (or, for a mount point, inside) site_dir by builds that were killed."""
        site_dir = site_dir.resolve()
        found = [*site_dir.parent.glob(f"{PREFIX}*"), *(site_dir.glob(".site-*") if site_dir.is_dir() else ())]
        for path in found:
            start = len(".site-old-") if path.name.startswith(".site-old-") else len(PREFIX)
            pid = path.name[start:].split("-", 1)[0]  # a name without a pid gives no digits: kept
            if pid.isdigit() and not _alive(int(pid)) and path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)


def is_mount_point(folder: Path) -> bool:
    """Whether folder is a mount point (a bind mount of a folder on the same file system included)."""
    if os.path.ismount(folder):
        return True
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as info:
            points = {_unescape(line.split()[4]) for line in info if len(line.split()) > 4}
    except OSError:
        return False
    return os.fspath(folder) in points


def _unescape(field: str) -> str:
    """mountinfo writes space, tab, newline and backslash as octal escapes (\\040)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def _swap_contents(new: Path, target: Path) -> None:
    """Replace what target holds with what new holds, entry by entry (new lies inside target).

    Each top-level entry changes in one step (an atomic exchange where Linux has it, else a
    rename over a file or a folder moved aside first); between the first and the last, a reader
    may see some entries new and some old. What the old site held is moved into a hidden
    folder and removed last.
    """
    old = Path(tempfile.mkdtemp(prefix=f".site-old-{os.getpid()}-", dir=target))
    names = sorted(os.listdir(new))
    for entry in names:
        placed, fresh = target / entry, new / entry
        if os.path.lexists(placed) and _exchange(fresh, placed):
            continue  # fresh now holds the old entry: removed with new
        if os.path.lexists(placed):
            os.replace(placed, old / entry)
        os.replace(fresh, placed)
    for entry in set(os.listdir(target)) - set(names):
        if not entry.startswith(".site-"):  # this build's folders, and those of builds still running
            os.replace(target / entry, old / entry)
    shutil.rmtree(new, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)


def umask() -> int:
    """The process's umask, read without changing it where the system tells it (Linux), else set and restored."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _swap_into_place(new: Path, target: Path) -> None:
    """Replace target with new so that at every instant target is either the old or the new site."""
    if target.exists() and _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the old site
        return
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=target.parent))
        old.rmdir()
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
