"""Build into a staging folder beside the site, then swap it into place in one step.

At every instant the site folder holds either the old site or the new one, never a half
built mix: a build that fails, is interrupted or is killed leaves the old site as it was.
"""

from __future__ import annotations

import ctypes
import os
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

    @classmethod
    def beside(cls, site_dir: Path) -> Staging:
        """A fresh folder beside site_dir, named after this process (so a killed build's is found)."""
        site_dir = site_dir.resolve()
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        cls.remove_stale(site_dir)
        folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=site_dir.parent))
        # mkdtemp makes a private folder (0700); the site's is readable as the user's umask allows
        # (0755 with the usual 022), so that a web server running as another user can serve it.
        folder.chmod(0o777 & ~umask())
        return cls(folder, site_dir)

    @classmethod
    def in_place(cls, site_dir: Path) -> Staging:
        site_dir.mkdir(parents=True, exist_ok=True)
        return cls(site_dir, None)

    def scratch(self, name: str) -> Path:
        """A fresh folder beside the site for work that moves into the build later (removed with it)."""
        return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-{name}-", dir=self.folder.parent))

    def commit(self) -> None:
        """Replace the site with the new one."""
        if self.target is not None:
            _swap_into_place(self.folder, self.target)

    def discard(self) -> None:
        """Forget the new site; the old one is untouched."""
        if self.target is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    @staticmethod
    def remove_stale(site_dir: Path) -> None:
        """Delete staging folders left beside site_dir by builds that were killed."""
        for path in site_dir.resolve().parent.glob(f"{PREFIX}*"):
            pid = path.name[len(PREFIX) :].split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)) and path.is_dir():
                shutil.rmtree(path, ignore_errors=True)


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
