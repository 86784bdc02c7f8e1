"""Compiled templates, kept between builds on disk and between a preview's updates in memory.

Jinja turns each template into Python code before rendering it. For this tool's templates and
the theme's, that is about a third of a small site's build, and the same work every time. Jinja
can keep that code (its bytecode cache): each entry is keyed by the template's name and file,
and carries the template source's checksum and Jinja's and Python's versions, so an edited
template or an upgrade is compiled again.

What this module adds around Jinja's file cache:

- Where: `~/.cache/factcheck/templates/` (the user's own cache, made private), never the
  site's repository, where a pull request could plant compiled code, nor the temporary
  directory, which a build leaves as it found it.
- What else changes the code: the same file compiles differently under other delimiters,
  whitespace control, extensions, autoescaping, or filters and tests that take the context, so
  each entry's name also carries a digest of those settings (the theme's environment and ours
  never share an entry). An environment whose compiled code depends on more (a callable
  autoescape, a finalize function) is not cached.
- It stays small: a process that writes an entry first keeps the folder to the 1,000 used last.
- It never fails or changes a build: a folder that cannot be made or written, a full disk, a
  damaged entry or one another build is writing (Jinja writes under a temporary name and
  renames) all end in the template being compiled as it would be without a cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

import jinja2
from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache
from jinja2.bccache import Bucket


def default_folder() -> Path | None:
    """Where compiled templates are kept: ~/.cache/factcheck/templates (None without a home)."""
    try:
        return Path.home() / ".cache" / "factcheck" / "templates"
    except RuntimeError:  # no home directory to be found
        return None


def _settings_digest(env: Environment) -> str | None:
    """A digest of what, besides a template's source, shapes its compiled code (None: do not cache)."""
    if callable(env.autoescape) or env.finalize is not None or env.is_async:
        return None

    def takes(functions: dict) -> list[tuple[str, str]]:
        # What Jinja's @pass_context / @pass_eval_context / @pass_environment set on a function.
        return sorted((name, str(getattr(f, "jinja_pass_arg", None))) for name, f in functions.items())

    described = repr(
        (
            jinja2.__version__,
            env.block_start_string,
            env.block_end_string,
            env.variable_start_string,
            env.variable_end_string,
            env.comment_start_string,
            env.comment_end_string,
            env.line_statement_prefix,
            env.line_comment_prefix,
            env.trim_blocks,
            env.lstrip_blocks,
            env.newline_sequence,
            env.keep_trailing_newline,
            env.optimized,
            env.autoescape,
            getattr(env, "newstyle_gettext", False),
            sorted(env.extensions),
            env.policies.get("ext.i18n.trimmed"),
            env.policies.get("compiler.ascii_str"),
            f"{env.code_generator_class.__module__}.{env.code_generator_class.__qualname__}",
            takes(env.filters),
            takes(env.tests),
        )
    )
    return hashlib.sha256(described.encode("utf-8")).hexdigest()[:16]


PATTERN = "__jinja2_%s.cache"  # an entry's file name (Jinja's own pattern); Jinja writes it as <name>*.tmp first
KEEP = 1000  # entries kept: one site's templates and the theme's are about 60, each a few kB to 30 kB
_pruned: set[Path] = set()  # folders pruned by this process


def _prune(folder: Path) -> None:
    """Keep the KEEP entries used last (an entry's time is set when it is read), once per process.

    Every other checkout, virtual environment or copied template folder adds entries of its own
    (an entry belongs to one template file), so without this the folder would only grow. It grows
    only when an entry is written, so a build that finds every template compiled never looks.
    """
    if folder in _pruned:
        return
    _pruned.add(folder)
    with contextlib.suppress(OSError):
        entries = sorted(
            (entry.stat(follow_symlinks=False).st_mtime_ns, entry.path)
            for entry in os.scandir(folder)
            if entry.name.startswith("__jinja2_") and entry.is_file(follow_symlinks=False)
        )
        for _, path in entries[: max(0, len(entries) - KEEP)]:
            with contextlib.suppress(OSError):  # another build's prune took it first
                os.unlink(path)


def _disk(folder: Path | None) -> FileSystemBytecodeCache | None:
    if folder is None:
        return None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return FileSystemBytecodeCache(str(folder), PATTERN)
    except OSError:  # a read-only home, a file in the way: no cache
        return None


class CompiledTemplates(BytecodeCache):
    """Jinja's bytecode cache: in memory for this process, and in files for the next build."""

    def __init__(self, folder: Path | None = None) -> None:
        """Keep them in folder (default_folder() when None)."""
        self._code: dict[str, bytes] = {}
        self._disk = _disk(folder if folder is not None else default_folder())

    def _on_disk(self, bucket: Bucket) -> Bucket | None:
        """The bucket under the name the disk knows it by: its key and the environment's settings."""
        if self._disk is None:
            return None
        digest = _settings_digest(bucket.environment)
        if digest is None:
            return None
        return Bucket(bucket.environment, f"{digest}-{bucket.key}", bucket.checksum)

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)
            return
        stored = self._on_disk(bucket)
        if stored is None or self._disk is None:
            return
        with contextlib.suppress(Exception):  # whatever is wrong with the file: compile the template
            self._disk.load_bytecode(stored)
            if stored.code is not None:
                bucket.code = stored.code
                self._code[bucket.key] = bucket.bytecode_to_string()
                os.utime(Path(self._disk.directory) / (PATTERN % stored.key))  # used now: kept by _prune

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()
        stored = self._on_disk(bucket)
        if stored is None or self._disk is None:
            return
        stored.code = bucket.code
        _prune(Path(self._disk.directory))
        with contextlib.suppress(OSError):  # a full disk or a folder gone: the next build compiles again
            self._disk.dump_bytecode(stored)
