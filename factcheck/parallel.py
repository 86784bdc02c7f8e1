"""Build on two cores: a forked worker converts and writes part of the pages (MkDocs adapter).

MkDocs builds one page after another on one core. `build.py build` asks for a second
process: once MkDocs has its file list and navigation (`on_nav`), the build forks. Both
processes hold the same loaded model and the same MkDocs state, so each can turn any page
into HTML exactly as the other would. The pages are shared out:

- the navigation's pages are read by both (every page shows their titles) and written by
  the parent;
- every other page is read and written by exactly one process (`share`);
- the worker also writes the feeds and data exports and the search documents, and then
  becomes the search indexer (exec), handing back its memory; the parent writes the
  sitemap and the theme's files and copies the assets.

MkDocs skips a page whose `file.is_modified()` is false when it builds with `dirty=True`;
that is how each process leaves the other's pages alone (the parent's output folder is a
fresh staging folder, so "dirty" skips nothing else). The worker writes its pages in the
`on_env` event, reports its warnings and errors on stderr and its outcome in its exit
status, and never returns into MkDocs; the parent waits for it in `on_post_build` and fails
the build if the worker failed or MkDocs warned (strict mode) in the worker.

Nothing here changes a page's bytes: a two-process build writes the same files as a
one-process build (tests/test_parallel.py compares them).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import shutil
import signal
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

from mkdocs.commands.build import _build_page
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.utils import CountHandler

log = logging.getLogger("mkdocs.factcheck")
WORKER_SHARE = 0.46  # the fraction of the non-navigation pages the worker reads and writes
DIRTY_WARNING = "A 'dirty' build is being performed"
EXIT_WARNED, EXIT_FAILED = 65, 70  # the worker's exit status when MkDocs warned, or when it failed


def wanted() -> bool:
    """True when `build.py build` asked for two processes and this machine can fork."""
    return os.environ.get("FACTCHECK_PARALLEL") == "1" and hasattr(os, "fork") and (os.cpu_count() or 1) > 1


class QuietDirty(logging.Filter):
    """Drop MkDocs' warning about dirty builds (it would fail a strict build); keep all else."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNING)


def _share(count: int, fraction: float) -> set[int]:
    """Indices (of count) for the worker: spread evenly, so both get long and short pages."""
    return {i for i in range(count) if int((i + 1) * fraction) > int(i * fraction)}


def _set_modified(file, value: Callable[[], bool]) -> None:  # noqa: ANN001 - a MkDocs File
    file.is_modified = value


def _die_with_parent() -> None:
    """Linux: have the kernel kill this process when its parent dies (a killed build leaves no worker)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _report(error: BaseException) -> None:
    """Log why the worker failed, with the template's file and line where there is one."""
    from .cli import _template_location

    log.error(f"Building pages in the second process failed: {type(error).__name__}: {error}"
              f"{_template_location(error)}")
    if logging.getLogger("mkdocs").isEnabledFor(logging.DEBUG):
        traceback.print_exception(error)


class Split:
    """The parent's view of a two-process build, created in `on_nav`."""

    def __init__(self, files: Files, nav, work: Callable[[Path | None], list[str] | None],  # noqa: ANN001
                 search_folder: bool = False) -> None:
        docs = list(files.documentation_pages(inclusion=InclusionLevel.is_included))
        nav_files = {page.file.src_uri for page in nav.pages}
        others = [f for f in docs if f.src_uri not in nav_files]
        worker_idx = _share(len(others), float(os.environ.get("FACTCHECK_WORKER_SHARE", WORKER_SHARE)))
        self.worker_files = [f for i, f in enumerate(others) if i in worker_idx]
        worker_uris = {f.src_uri for f in self.worker_files}
        self.phase = "read"
        # The worker writes the search documents here, then becomes the search indexer; the
        # parent removes the folder when the worker has ended.
        self.search_folder = Path(tempfile.mkdtemp(prefix="factcheck-search-")) if search_folder else None
        sys.stdout.flush()
        sys.stderr.flush()
        self.pid = os.fork()
        if self.pid == 0:  # the worker
            _die_with_parent()
            signal.signal(signal.SIGINT, lambda *_: os._exit(130))  # never back into build.py's cleanup
            self.is_worker = True
            for f in docs:
                mine = f.src_uri in worker_uris
                _set_modified(f, (lambda mine=mine, nav=f.src_uri in nav_files: mine or (nav and self.phase == "read")))
            self._work = work
        else:
            self.is_worker = False
            for f in docs:
                if f.src_uri in worker_uris:
                    _set_modified(f, lambda: False)

    # -- in the worker ----------------------------------------------------------------------------
    def finish_worker(self, config, nav, env, files: Files) -> None:  # noqa: ANN001
        """Write the worker's pages and its other output, then exit; never returns."""
        status = EXIT_FAILED
        try:
            self.phase = "write"
            doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
            for file in self.worker_files:
                _build_page(file.page, config, doc_files, nav, env, excluded=file.inclusion.is_excluded())
            for file in self.worker_files:
                file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
            log.debug(f"The second process wrote {len(self.worker_files)} pages")
            command = self._work(self.search_folder)
            counters = [h for h in logging.getLogger("mkdocs").handlers if isinstance(h, CountHandler)]
            if any(h.get_counts() for h in counters):
                status = EXIT_WARNED
            elif command:  # become the search indexer: this process's memory is given back first
                sys.stdout.flush()
                sys.stderr.flush()
                os.execv(command[0], command)  # noqa: S606 - our own argv, no shell
            else:
                status = 0
        except BaseException as exc:  # noqa: BLE001 - reported, and the parent fails the build
            if isinstance(exc, KeyboardInterrupt):
                status = 130
            else:
                _report(exc)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)

    def fail_worker(self, error: BaseException) -> None:
        """In the worker, when MkDocs' build failed: report it and exit; never returns."""
        _report(error)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(EXIT_FAILED)

    # -- in the parent ----------------------------------------------------------------------------
    def wait(self) -> str | None:
        """Wait for the worker (in the end the search indexer); return why it failed, or None."""
        try:
            _, status = os.waitpid(self.pid, 0)
        finally:
            self.pid = 0
            self._remove_folder()
        code = os.waitstatus_to_exitcode(status)
        if code == 0:
            return None
        if code == EXIT_WARNED:
            return "MkDocs warned while the second process built its pages (strict mode); see the warnings above"
        if code in (EXIT_FAILED, 130):
            return f"the second build process failed (exit status {code}); see the errors above"
        return f"Pagefind failed to index the site for search (exit status {code})"

    def _remove_folder(self) -> None:
        if self.search_folder is not None:
            shutil.rmtree(self.search_folder, ignore_errors=True)

    def cancel(self) -> None:
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self.pid = 0
        self._remove_folder()

