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
- It never fails or changes a build: a folder that cannot be made or written, a full disk, a
  damaged entry or one another build is writing (Jinja writes under a temporary name and
  renames) all end in the template being compiled as it would be without a cache.
"""

from __future__ import annotations

import contextlib
import hashlib
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


def _disk(folder: Path | None) -> FileSystemBytecodeCache | None:
    if folder is None:
        return None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return FileSystemBytecodeCache(str(folder))
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

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()
        stored = self._on_disk(bucket)
        if stored is None or self._disk is None:
            return
        stored.code = bucket.code
        with contextlib.suppress(OSError):  # a full disk or a folder gone: the next build compiles again
            self._disk.dump_bytecode(stored)
