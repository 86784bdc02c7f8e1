"""Discovery: find every input file, give it its id, parse it and check it against its schema.

The first stage of loading. It reads claims/*.yaml, content/entities/*.md and
content/sources/*.md, reports files whose names are not valid ids, YAML that does not parse
and fields the schema refuses, and entity names that two entities claim. What it returns
is the parsed files; cross-file rules (rules.py) and assembly (assemble.py) come next.
"""

from __future__ import annotations

import functools
import gc
import os
import stat
import time
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factcheck.model.problems import Problems, display_path
from factcheck.model.schema import claim_schema, entity_schema, source_schema
from factcheck.model.validate import check_schema
from factcheck.model.yamlio import MAX_FILE_BYTES, Document, decode, dotted, load_mapping, split_front_matter
from factcheck.render.format import ID_MAX, ID_RE, RESERVED_IDS
from factcheck.settings import Settings


@dataclass(frozen=True)
class Input:
    """One parsed input file."""

    id: str | None  # None when the file name is not a valid id (already reported)
    path: str  # relative to the project root, as problems name it
    doc: Document
    body: str = ""  # the Markdown after the front matter (entities and sources)
    valid: bool = True  # the schema accepted it
    text: str = ""  # the file's text (claims: the sourcing check reads it again)

    @property
    def data(self) -> dict[str, Any]:
        return self.doc.data


@dataclass(frozen=True)
class Inputs:
    """Every parsed input file, by kind; entities and sources by id."""

    entities: Mapping[str, Input]
    sources: Mapping[str, Input]
    claims: tuple[Input, ...]


class Report:
    """Where stages record problems: by input file and field path."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems

    def add(self, item: Input | None, where: tuple[Any, ...], message: str, path: str = "") -> None:
        line, column = item.doc.where(where) if item else (1, 1)
        self.problems.add(item.path if item else path, line, column, dotted(where), message)

    def file(self, path: str, message: str) -> None:
        self.problems.add(path, 1, 1, "", message)


def _files(folder: Path, suffix: str, skip_suffixes: tuple[str, ...] = ()) -> list[Path]:
    """The entries of a folder by name that are read as files (not hidden ones).

    Sub-folders are left out, except those named like an input file (`x.yaml/`): what stands
    where a file is expected is reported by read_text, not silently skipped.
    """
    if not folder.is_dir():
        return []
    with os.scandir(folder) as entries:
        names = sorted(
            e.name
            for e in entries
            if not e.name.startswith(".") and (e.name.endswith(suffix) or not e.is_dir(follow_symlinks=False))
        )
    return [folder / name for name in names if os.path.splitext(name)[1] not in skip_suffixes]


def _named(paths: list[Path], folder: Path, root: Path) -> list[tuple[Path, str]]:
    """Each file of a folder with its path as problems name it (display_path, worked out once)."""
    base = display_path(folder, root)
    prefix = "" if base == "." else base.rstrip("/") + "/"
    if prefix.startswith("/"):  # outside the project: display_path gives the full path
        return [(path, display_path(path, root)) for path in paths]
    return [(path, prefix + path.name) for path in paths]


def file_id(path: Path, rel: str, kind: str, suffix: str, report: Report) -> str | None:
    """Return the id a file's name gives it, or None (reported) when the name is not a valid id."""
    if path.suffix != suffix:
        report.file(rel, f"{kind} files must end in {suffix}; rename it to {path.stem}{suffix}")
        return None
    stem = unicodedata.normalize("NFC", path.stem)
    if not ID_RE.fullmatch(stem) or len(stem) > ID_MAX:
        folded = unicodedata.normalize("NFKC", stem).casefold()
        twin = path.with_name(folded + path.suffix)
        clash = (
            f"; it would clash with '{twin.name}' (names must differ by more than case or Unicode form)"
            if folded != stem and ID_RE.fullmatch(folded) and twin.is_file()
            else ""
        )
        report.file(
            rel,
            f"file name '{path.name}' is not a valid id: use lowercase letters, digits and single hyphens, at most {ID_MAX} characters{clash}",
        )
        return None
    if stem in RESERVED_IDS:
        report.file(rel, f"'{stem}' is reserved for the site's own pages; choose another file name")
        return None
    return stem


_KINDS = {  # what stands where a file is expected, as a message names it
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _not_a_file(mode: int) -> str:
    kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
    return f"is {kind}, not a file; remove it (only regular files are read)"


def read_bytes(
    path: Path, rel: str, problems: Problems, root: Path | None = None, limit: int = MAX_FILE_BYTES
) -> bytes | None:
    """Return a regular file's bytes, at most `limit` of them, or None (reported) for anything else.

    Never blocks and never reads more than the limit: a named pipe, a device, a socket or a
    folder is refused from its type before it is opened for reading (and again from the open
    file, should it have been swapped meanwhile); a symbolic link is followed only to a file
    inside root (the project), since a link out of it would publish a file from elsewhere.
    """
    try:
        real = _real(path)
        if root is not None and real != os.path.abspath(path) and not _inside(real, _real_folder(str(root))):
            problems.add(
                rel,
                1,
                1,
                "",
                f"is a symbolic link to {real}, outside the project; copy the file into the project instead "
                "(links are followed only inside it)",
            )
            return None
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            problems.add(rel, 1, 1, "", _not_a_file(info.st_mode))
            return None
        if info.st_size > limit:
            problems.add(rel, 1, 1, "", f"file is {info.st_size:,} bytes; the limit is {limit:,}")
            return None
        fd = os.open(real, _OPEN_FLAGS)
    except FileNotFoundError:
        gone = (
            "is a symbolic link to a file that does not exist; remove it"
            if path.is_symlink()
            else "disappeared while it was read; run again"
        )
        problems.add(rel, 1, 1, "", gone)
        return None
    except OSError as exc:
        problems.add(rel, 1, 1, "", f"cannot be read: {exc.strerror}")
        return None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):  # swapped for something else since it was looked at
            problems.add(rel, 1, 1, "", _not_a_file(info.st_mode))
            return None
        try:
            raw = fh.read(limit + 1)  # a file that grew meanwhile is still read no further than the limit
        except OSError as exc:
            problems.add(rel, 1, 1, "", f"cannot be read: {exc.strerror}")
            return None
    if len(raw) > limit:
        problems.add(rel, 1, 1, "", f"file is more than {limit:,} bytes; the limit is {limit:,}")
        return None
    return raw


def _real(path: Path) -> str:
    """realpath(path), with the folder's worked out once per folder (a file that is no link adds one lstat)."""
    folder = _real_folder(os.path.dirname(os.path.abspath(path)))
    return os.path.realpath(path) if os.path.islink(path) else os.path.join(folder, os.path.basename(path))


@functools.lru_cache(maxsize=256)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def read_text(path: Path, rel: str, problems: Problems, root: Path | None = None) -> str | None:
    """Return a file's text, or None (reported) when it is not a regular file, cannot be read or decoded."""
    raw = read_bytes(path, rel, problems, root)
    return None if raw is None else decode(raw, rel, problems)


StatKey = tuple[int, int, int, int, int]  # st_mtime_ns, st_ctime_ns, st_size, st_ino, st_dev
RACY_NS = 2_000_000_000  # a file changed this close to its reading may change again unseen (FAT: 2 s mtimes)


class KeptFiles:
    """Parsed input files kept between two runs of `discover` in one process (the preview's updates).

    A file is kept only when it was read without a problem, is a regular file (no symbolic link)
    and was not changed within RACY_NS of its reading; it is taken again only while os.lstat
    reports the same modification and change times (ns), size, inode and device. The change time
    (ctime) is set by the kernel on every write and cannot be set back (os.utime sets mtime), so
    a file rewritten to the same size with its old mtime restored still counts as changed; the
    racy window covers file systems whose clocks tick coarsely (the file changed again within one
    tick of being read: read again next time, as git does with its index). A file with a problem
    is read again every time: its messages may depend on other files (a name that clashes with
    another file's).
    """

    def __init__(self) -> None:
        self._kept: dict[Path, tuple[StatKey, Input]] = {}
        self._seen: set[Path] = set()
        self.hits = 0  # files taken from here in the last run (for tests and the benchmark)
        self.reads = 0  # files read and parsed in the last run

    @staticmethod
    def _key(path: Path) -> StatKey | None:
        try:
            st = os.lstat(path)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_dev)

    def get(self, path: Path, rel: str) -> Input | None:
        """The parsed file, if it is kept and unchanged since."""
        self._seen.add(path)
        held = self._kept.get(path)
        if held is not None and held[1].path == rel and held[0] == self._key(path):
            self.hits += 1
            return held[1]
        return None

    def mark(self, path: Path, report: Report) -> tuple[StatKey | None, int, int]:
        """What to compare after the file is read: its stat before reading, the clock, the problems so far."""
        self.reads += 1
        return self._key(path), time.time_ns(), len(report.problems)

    def put(self, path: Path, mark: tuple[StatKey | None, int, int], item: Input, report: Report) -> None:
        """Keep a file read without a problem, unless it changed too recently to be told apart from a later change."""
        key, read_at, problems = mark
        if key is None or len(report.problems) != problems or not item.valid:
            self._kept.pop(path, None)
            return
        if max(key[0], key[1]) >= read_at - RACY_NS:
            self._kept.pop(path, None)
            return
        self._kept[path] = (key, item)

    def forget_unseen(self) -> None:
        """Drop the files this run did not look at (deleted or renamed); start counting the next run."""
        for path in set(self._kept) - self._seen:
            del self._kept[path]
        self._seen = set()

    def start(self) -> None:
        self.hits = self.reads = 0


def _front_matter_files(
    folder: Path,
    kind: str,
    schema: dict[str, Any],
    settings: Settings,
    report: Report,
    skip: tuple[str, ...] = (),
    kept: KeptFiles | None = None,
) -> dict[str, Input]:
    found: dict[str, Input] = {}
    for path, rel in _named(_files(folder, ".md", skip), folder, settings.root):
        parse = functools.partial(_front_matter_file, path, rel, kind, schema, settings, report)
        item = _read(path, rel, report, parse, kept)
        if item is not None:
            found[item.id] = item  # type: ignore[index]  # None ids are not returned (nor kept)
    return found


def _read(
    path: Path, rel: str, report: Report, parse: Callable[[], Input | None], kept: KeptFiles | None
) -> Input | None:
    """parse() the file, or, with a preview's `kept`, take it from there while it has not changed."""
    if kept is None:
        return parse()
    known = kept.get(path, rel)
    if known is not None:
        return known
    mark = kept.mark(path, report)
    item = parse()
    if item is not None:
        kept.put(path, mark, item, report)
    return item


def _front_matter_file(
    path: Path, rel: str, kind: str, schema: dict[str, Any], settings: Settings, report: Report
) -> Input | None:
    item_id = file_id(path, rel, kind, ".md", report)
    text = read_text(path, rel, report.problems, settings.root)
    if text is None:
        return None
    front, body, _ = split_front_matter(text)
    if front is None:
        report.file(rel, "missing front matter: the file must start with a line '---', then fields, then '---'")
        return None
    doc = load_mapping(front, rel, report.problems, line_offset=1)
    if doc is None:
        return None
    valid = check_schema(doc, schema, rel, report.problems)
    return Input(item_id, rel, doc, body, valid) if item_id is not None else None


def _claim_files(settings: Settings, report: Report, kept: KeptFiles | None = None) -> tuple[Input, ...]:
    schema = claim_schema(settings.scale)
    found = []
    for path, rel in _named(_files(settings.claims_dir, ".yaml"), settings.claims_dir, settings.root):
        if path.name.lower() == "readme.md":
            continue
        item = _read(path, rel, report, functools.partial(_claim_file, path, rel, schema, settings, report), kept)
        if item is not None:
            found.append(item)
    return tuple(found)


def _claim_file(path: Path, rel: str, schema: dict[str, Any], settings: Settings, report: Report) -> Input | None:
    claim_id = file_id(path, rel, "claim", ".yaml", report)
    text = read_text(path, rel, report.problems, settings.root)
    if text is None:
        return None
    doc = load_mapping(text, rel, report.problems)
    if doc is None:
        return None
    return Input(claim_id, rel, doc, valid=check_schema(doc, schema, rel, report.problems), text=text)


def _pages_are_files(settings: Settings, report: Report) -> None:
    """Every other file of docs_dir (the pages and their images, which the engine reads and copies) is a regular file.

    Only its type is looked at (the engine reads it): a named pipe there would block the
    build, a link out of the project would publish a file from elsewhere.
    """
    docs, root = settings.docs_dir, os.path.realpath(settings.root)
    if not docs.is_dir():
        return
    inputs = {settings.entities_dir, settings.sources_dir}
    for dirpath, dirnames, filenames in os.walk(docs):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and Path(dirpath, d) not in inputs)
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath, name)
            rel = display_path(path, settings.root)
            real = os.path.realpath(path)
            if real != os.path.abspath(path) and not _inside(real, root):
                report.file(
                    rel,
                    f"is a symbolic link to {real}, outside the project; copy the file into the project instead "
                    "(links are followed only inside it)",
                )
                continue
            try:
                mode = os.stat(path).st_mode
            except FileNotFoundError:
                report.file(rel, "is a symbolic link to a file that does not exist; remove it")
                continue
            if not stat.S_ISREG(mode):
                report.file(rel, _not_a_file(mode))


def _names_are_unique(entities: Mapping[str, Input], report: Report) -> None:
    """Each name or alias, folded for case and Unicode form, belongs to one entity."""
    owners: dict[str, Input] = {}
    for item in entities.values():
        names = [item.data.get("name"), *(item.data.get("aliases") or [])]
        for j, name in enumerate(names):
            if not isinstance(name, str):
                continue
            folded = unicodedata.normalize("NFKC", name.strip()).casefold()
            other = owners.setdefault(folded, item)
            if other is not item:
                where = ("name",) if j == 0 else ("aliases", j - 1)
                report.add(
                    item,
                    where,
                    f"'{name}' is also a name or alias of '{other.id}' ({other.path}); each name must point to one entity",
                )


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while a block makes many objects, and resume it after.

    Reading 10,000 claims makes about a million small dicts, lists and strings, all trees
    that reference counting frees; the collector would walk the growing heap again and again
    (a tenth of `check`) without finding a cycle to collect. The preview pauses it while it
    plans an update too (engines/mkdocs/live.py). Nested pauses resume only at the outermost.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def discover(settings: Settings, problems: Problems, kept: KeptFiles | None = None) -> Inputs:
    """Find, name, parse and schema-check every input file; report what is wrong in problems.

    With `kept` (a preview's), a file that has not changed since it was last read without a
    problem is taken from there instead of being read and parsed again.
    """
    _real_folder.cache_clear()  # folders are looked up again for every run (a preview runs many)
    if kept is not None:
        kept.start()
    with no_cycle_collection():
        found = _discover(settings, problems, kept)
    if kept is not None:
        kept.forget_unseen()
    return found


def _discover(settings: Settings, problems: Problems, kept: KeptFiles | None) -> Inputs:
    report = Report(problems)
    # A source's .txt file holds its full text for quote checks (rules.py); it is never published.
    entities = _front_matter_files(settings.entities_dir, "entity", entity_schema(), settings, report, kept=kept)
    sources = _front_matter_files(
        settings.sources_dir, "source", source_schema(), settings, report, skip=(".txt",), kept=kept
    )
    claims = _claim_files(settings, report, kept)
    _pages_are_files(settings, report)
    _names_are_unique(entities, report)
    return Inputs(entities=entities, sources=sources, claims=claims)
