"""Add one `key: value` line to a mapping in a contributor's YAML file, changing no other byte.

The file is read again just before the edit, the line is put after the last line of the
mapping (the evidence item, the appearance, a source's front matter) at the indentation of its
keys, the result is read back to prove that it holds exactly one more field, and it replaces
the file atomically (a temporary file in the same folder, then `os.replace`): a run killed at
any moment leaves each file as it was or with its new line complete.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from factcheck.model.problems import Problems
from factcheck.model.yamlio import _TextLoader, decode, load_mapping, split_front_matter

# A URL written without quotes: nothing YAML could read as an indicator, a comment or a mapping.
_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9._~:/?@!$&()*+,;=%\[\]-]+")

_PLAIN_WORD = re.compile(r"[a-z][a-z-]*")
# Words that YAML 1.1 editors read as booleans or null: quoted, so every reader sees the text.
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


class EditRefused(Exception):
    """The line cannot be added safely (the file changed shape, or the mapping is written inline)."""


def scalar(value: str) -> str:
    """Write a value as YAML reads it back as the same text: plain when that is safe, else double-quoted."""
    if _PLAIN_URL.fullmatch(value) and ": " not in value and not value.endswith(":"):
        return value
    if _PLAIN_WORD.fullmatch(value) and value not in _YAML_WORDS:
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _split(text: str, front_matter: bool) -> tuple[str, int, int]:
    """The YAML part of a file, its offset in the text, and its first line's number."""
    if not front_matter:
        return text, 0, 1
    yaml_text, _body, _ = split_front_matter(text)
    if yaml_text is None:
        raise EditRefused("no front matter")
    return yaml_text, text.index("\n") + 1, 2


def _node_at(root: Node, path: tuple[Any, ...]) -> Node:
    node = root
    for part in path:
        if isinstance(part, int) and isinstance(node, SequenceNode) and 0 <= part < len(node.value):
            node = node.value[part]
        elif isinstance(part, str) and isinstance(node, MappingNode):
            for key, value in node.value:
                if isinstance(key, ScalarNode) and key.value == part:
                    node = value
                    break
            else:
                raise EditRefused(f"no field {part!r}")
        else:
            raise EditRefused(f"nothing at {part!r}")
    return node


def _read(path: Path, front_matter: bool) -> tuple[bytes, str, dict[str, Any]]:
    raw = path.read_bytes()
    problems = Problems()
    text = decode(raw, str(path), problems)
    if text is None:
        raise EditRefused(str(problems.sorted()[0]))
    yaml_text, _, first = _split(text, front_matter)
    doc = load_mapping(yaml_text, str(path), problems, first - 1)
    if doc is None:
        raise EditRefused(str(problems.sorted()[0]))
    return raw, text, doc.data


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def with_field(text: str, where: tuple[Any, ...], key: str, value: str, *, front_matter: bool = False) -> str:
    """Return text with `key: value` added as the last line of the mapping at `where`."""
    yaml_text, offset, _ = _split(text, front_matter)
    root = yaml.compose(yaml_text, Loader=_TextLoader)
    if root is None:
        raise EditRefused("the file is empty")
    node = _node_at(root, where)
    if not isinstance(node, MappingNode) or not node.value:
        raise EditRefused("not a mapping of fields")
    if node.flow_style:
        raise EditRefused("the fields are written inline ({...}); add the line by hand")
    if any(isinstance(k, ScalarNode) and k.value == key for k, _ in node.value):
        raise EditRefused(f"{key} is already there")
    indent = node.value[0][0].start_mark.column
    end = offset + node.value[-1][1].end_mark.index
    last = end
    while last > 0 and text[last - 1] in " \t\r\n":
        last -= 1
    newline = text.find("\n", last)
    eol = "\r\n" if newline > 0 and text[newline - 1] == "\r" else "\n"
    line = f"{' ' * indent}{key}: {scalar(value)}"
    if newline < 0:  # the mapping ends the file, without a final line break
        return text + eol + line
    at = newline + 1
    return text[:at] + line + eol + text[at:]


def add_field(path: Path, where: tuple[Any, ...], key: str, value: str, *, front_matter: bool = False) -> None:
    """Add `key: value` to the mapping at `where` in the file, atomically; raise EditRefused if unsafe."""
    raw, text, before = _read(path, front_matter)
    new_text = with_field(text, where, key, value, front_matter=front_matter)
    _, _, first = _split(new_text, front_matter)
    problems = Problems()
    doc = load_mapping(_split(new_text, front_matter)[0], str(path), problems, first - 1)
    expected = before
    _get(expected, where)[key] = value
    if doc is None or doc.data != expected:
        raise EditRefused("the edited file would not read back as the same data plus one field")
    encoded = new_text.encode("utf-8")
    if len(encoded.splitlines()) != len(raw.splitlines()) + 1:
        raise EditRefused("the edit would not add exactly one line")
    _replace(path, encoded)


def _replace(path: Path, data: bytes) -> None:
    """Write data to path through a temporary file in the same folder and os.replace (atomic)."""
    mode = path.stat().st_mode & 0o777
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
