"""Problems found in input files, collected so that one run reports them all."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in one input file."""

    path: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def github_annotation(self) -> str:
        """Render as a GitHub Actions workflow command, so it shows on the diff line."""
        text = f"{self.field}: {self.message}" if self.field else self.message
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = self.path.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
        return f"::error file={path},line={self.line},col={self.column}::{text}"


@dataclass
class Problems:
    """An ordered collection of problems, reported together at the end."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, column: int, field_name: str, message: str) -> None:
        # Values quoted in messages come from contributors: one problem stays one printed line,
        # with no control character (a newline could forge a CI command, an escape recolour a terminal).
        self.items.append(
            Problem(_one_line(path), max(line, 1), max(column, 1), _one_line(field_name), _one_line(message))
        )

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)

    def sorted(self) -> list[Problem]:
        """Return problems by file, then by position, without duplicates."""
        return sorted(set(self.items))


_CONTROL = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F]} | {
    0x0A: "\\n",
    0x0D: "\\r",
    0x09: "\\t",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def _one_line(text: str) -> str:
    return text.translate(_CONTROL)


class CheckFailed(Exception):
    """Raised when input files have problems; carries them all."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the input files")

    def report(self) -> str:
        lines = [str(p) for p in self.problems.sorted()]
        count = len(lines)
        files = len({p.path for p in self.problems.sorted()})
        lines.append(f"{count} problem{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''}.")
        return "\n".join(lines)


def display_path(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> str:
    """Return path relative to root with forward slashes, as contributors see it in their checkout."""
    try:
        rel = os.path.relpath(os.fspath(path), os.fspath(root))
    except ValueError:
        return os.fspath(path)
    if rel.startswith(".."):
        return os.fspath(path)
    return rel.replace(os.sep, "/")
