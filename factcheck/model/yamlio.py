"""Read contributor YAML safely, as the text the author wrote, keeping every value's position.

YAML 1.1 turns `no` into False, `2024-10-18` into a date and `1:20` into 80. For files
written by people that is a trap, so this loader resolves only two implicit types:
decimal integers (without leading zeros) and null. Every other plain scalar is the string the author typed.
Explicit tags other than the standard string/int/null ones are refused, and so are
anchors and aliases (they are never needed in a claim, and they make "billion laughs"
documents possible).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from factcheck.model.problems import Problems

MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 16

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TextLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A loader whose only implicit types are decimal integers (without leading zeros) and null."""


_TextLoader.yaml_implicit_resolvers = {}
# No leading zeros: `0755` or `007` stays text rather than becoming a (YAML 1.1 octal) number.
_TextLoader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_TextLoader.add_implicit_resolver(_NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])

# Control characters other than tab, newline and carriage return, plus DEL and the C1 block.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# The same characters as bytes of ASCII text (where the C1 block and U+FFFE/U+FFFF cannot occur):
# deleting them with bytes.translate is ten times faster than the search above.
_ASCII_CONTROL = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])

Path = tuple[Any, ...]


@dataclass
class Document:
    """A parsed YAML mapping plus the 1-based (line, column) of every value and key.

    A file read by the fast path keeps its text instead, and its positions are worked out the
    first time a problem needs one (most files never do).
    """

    data: dict[str, Any]
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    source: str | None = None  # the text, while its positions are not worked out yet
    line_offset: int = 0
    line_reader: bool = False  # read by the line reader (_subset_load): its top-level keys start their lines

    def _locate(self) -> None:
        if self.source is not None:
            builder = _Builder("", Problems(), self.line_offset)
            root = yaml.compose(self.source, Loader=_TextLoader)
            if root is not None:
                builder.build(root, (), 0)
            self.values, self.keys, self.source = builder.values, builder.keys, None

    def where(self, path: Path) -> tuple[int, int]:
        """Return the position of the value at path, or of its nearest located parent."""
        self._locate()
        path = tuple(path)
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))

    def where_key(self, path: Path) -> tuple[int, int]:
        """Return the position of the key that introduces path (falls back to the value)."""
        if self.line_reader and self.source is not None and len(path) == 1 and isinstance(path[0], str):
            # A top-level key of a file the line reader read is the first line that starts with
            # `key:` and a space or its end (a `|` block's lines are indented, every value is on
            # its key's line): found without composing the file with PyYAML, which the first
            # position asked for would cost (a warning on every claim of an archive).
            found = re.search("^" + re.escape(path[0]) + ":(?: |$)", self.source, re.M)
            if found is not None:
                return self.source.count("\n", 0, found.start()) + 1 + self.line_offset, 1
        self._locate()
        return self.keys.get(tuple(path)) or self.where(path)


def decode(raw: bytes, path: str, problems: Problems, line_offset: int = 0) -> str | None:
    """Decode bytes as UTF-8 text, reporting size, encoding and control-character problems."""
    if len(raw) > MAX_FILE_BYTES:
        problems.add(path, 1, 1, "", f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.add(path, 1, 1, "", "file starts with a byte-order mark; save it as UTF-8 without BOM")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.add(
            path,
            line + line_offset,
            column,
            "",
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
        )
        return None
    if raw.isascii() and len(raw.translate(None, _ASCII_CONTROL)) == len(raw):
        return text  # ASCII without a control character (most files)
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        problems.add(
            path,
            line + line_offset,
            column,
            "",
            f"control character U+{ord(bad.group()):04X} is not allowed; delete it",
        )
        return None
    return text


def load_mapping(text: str, path: str, problems: Problems, line_offset: int = 0) -> Document | None:
    """Parse text as one YAML mapping; report problems (never raise) and return None on failure."""
    if not text.strip():
        problems.add(path, 1 + line_offset, 1, "", "file is empty; it must be a YAML mapping of fields")
        return None
    data = _subset_load(text)
    if data is not None:
        return Document(data, source=text, line_offset=line_offset, line_reader=True)
    hazardous = _may_be_hazardous(text)
    if not hazardous:
        data = _fast_load(text)
        if data is not None:
            return Document(data, source=text, line_offset=line_offset)
    try:
        if hazardous and not _scan(text, path, problems, line_offset):
            return None
        root = yaml.compose(text, Loader=_TextLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        started = exc.context_mark
        if started is not None and mark is not None and started.line != mark.line:
            message += f" (the construct started on line {started.line + 1 + line_offset})"
        source_lines = text.splitlines()
        if 0 < line <= len(source_lines) and "\t" in source_lines[line - 1]:
            message += " (YAML does not allow tabs for indentation; use spaces)"
        if "maximum nesting depth" in message:  # PyYAML 6.0.4+ stops deep flow nesting before our scan does
            problems.add(
                path, line + line_offset, column, "", f"nested more than {MAX_DEPTH} levels deep; flatten the structure"
            )
            return None
        problems.add(path, line + line_offset, column, "", f"YAML syntax error: {message}")
        return None
    except (yaml.YAMLError, RecursionError) as exc:
        problems.add(path, 1 + line_offset, 1, "", f"YAML could not be read: {exc}")
        return None
    if root is None:
        problems.add(path, 1 + line_offset, 1, "", "file is empty; it must be a YAML mapping of fields")
        return None
    if not isinstance(root, MappingNode):
        kind = "a list" if isinstance(root, SequenceNode) else "a single value"
        problems.add(
            path,
            root.start_mark.line + 1 + line_offset,
            1,
            "",
            f"file is {kind}; it must be a mapping of fields (`field: value` lines)",
        )
        return None
    builder = _Builder(path, problems, line_offset)
    data = builder.build(root, (), 0)
    if builder.failed:
        return None
    return Document(data, builder.values, builder.keys)


_ALLOWED_TAGS = frozenset({_STR, _INT, _NULL, _SEQ, _MAP, "!"})


class _FastLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The same types as _TextLoader, built by PyYAML's constructor: for files that need no positions."""


class _NotPlain(Exception):
    """The fast path met something only the careful path reports well (a duplicate field ...)."""


def _fast_mapping(loader: Any, node: Node) -> dict[str, Any]:
    if not isinstance(node, MappingNode):
        raise _NotPlain
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode) or key_node.tag not in (_STR, _INT) or key_node.value in mapping:
            raise _NotPlain
        mapping[key_node.value] = loader.construct_object(value_node, deep=True)
    return mapping


def _fast_str(loader: Any, node: Node) -> str:
    value = loader.construct_scalar(node)
    if _CONTROL.search(value):
        raise _NotPlain
    return str(value)


_FastLoader.yaml_implicit_resolvers = _TextLoader.yaml_implicit_resolvers
_FastLoader.yaml_constructors = {
    _MAP: _fast_mapping,
    _STR: _fast_str,
    _INT: lambda loader, node: int(loader.construct_scalar(node)),
    _NULL: lambda loader, node: None,
    _SEQ: lambda loader, node: loader.construct_sequence(node, deep=True),
    None: None,  # any other tag: refused, and read again by the careful path
}


def _fast_load(text: str) -> dict[str, Any] | None:
    """Read a plain file (see _may_be_hazardous) in one pass; None when the careful path must read it."""
    try:
        data = yaml.load(text, Loader=_FastLoader)  # noqa: S506 - a SafeLoader with fewer types
    except (yaml.YAMLError, _NotPlain, TypeError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) and data else None


# --- The common case, read without PyYAML ----------------------------------------------------
#
# Almost every claim file is block mappings and lists of one-line scalars, `[a, b]` lists and
# `|` blocks. `_subset_load` reads exactly that shape, and gives up (returns None) on anything else,
# so the file is read by PyYAML instead: a value it returns is always the value PyYAML's
# `_FastLoader` returns for the same text (tests/test_yaml_subset.py compares them). It holds
# no anchors, aliases or tags (their indicators make it give up) and is at most MAX_DEPTH deep.

_SUBSET_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_SUBSET_NULL = frozenset({"~", "null", "Null", "NULL"})
_SUBSET_DOUBLE = re.compile(r'"([^"\\]*+(?:\\["\\][^"\\]*+)*+)"(?: +#.*)? *')  # escapes: \" and \\ only
_SUBSET_ESCAPE = re.compile(r"\\(.)")
_SUBSET_SINGLE = re.compile(r"'([^']*+(?:''[^']*+)*+)'(?: +#.*)? *")
_SUBSET_FLOW = re.compile(r"\[([^\[\]{}\"'#:]*)\](?: +#.*)? *")
# A plain scalar may not start with an indicator (YAML 1.1, as PyYAML's scanner reads it).
_SUBSET_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")


class _GiveUp(Exception):
    """The text is not of the shape _Subset reads."""


# One line of the common shape: indentation, an optional dash, an optional key, then the rest:
# a whole double-quoted scalar (with its quotes; escapes `\\"` and `\\\\` only), a plain scalar
# that can only be text (no `#`, no `: `, no trailing space or colon; it starts with neither an
# indicator nor a number, unless a non-digit follows the digits: `2024-10-18`), or anything else,
# which _subset_value reads.
_subset_line = re.compile(
    r"( *)(- +|-$)?(?:([A-Za-z_][A-Za-z0-9_-]*):(?: +|$))?"
    r'(?:("[^"\\]*+(?:\\["\\][^"\\]*+)*+")(?: +#.*)? *$'
    r"|((?:[^-?:,\[\]{}#&*!|>'\"%@`\s0-9+.~]|[0-9]+[^0-9#:\s])[^#:]*(?::[^\s#:][^#:]*)*(?<![ :]))$"
    r"|(.*)$)"
).match


def _subset_load(text: str) -> dict[str, Any] | None:
    """Read text of the common shape (see above) in one pass over its lines; None for anything else."""
    if "\t" in text or "\r" in text or "\u2028" in text or "\u2029" in text or "\ufeff" in text:
        return None
    try:
        return _subset_lines(text.split("\n"))
    except _GiveUp:
        return None


def _subset_lines(lines: list[str]) -> dict[str, Any] | None:
    root: dict[str, Any] = {}
    # The open collections, innermost last: (the column of their keys or dashes, the collection).
    stack: list[tuple[int, Any]] = [(0, root)]
    pending: tuple[dict[str, Any], str, int] | None = None  # a key whose value starts on a later line
    i, count = 0, len(lines)
    while i < count:
        # Each line is matched when it is reached: the lines of a `|` block are skipped unread.
        spaces, dash, key, quoted, plain, rest = _subset_line(lines[i]).groups()  # type: ignore[union-attr]
        i += 1
        if quoted:
            value: Any = _SUBSET_ESCAPE.sub(r"\1", quoted[1:-1]) if "\\" in quoted else quoted[1:-1]
        elif plain:
            value = None if plain in _SUBSET_NULL else plain
        elif not key:
            if not dash:
                if not rest or rest[0] == "#":
                    continue  # a blank or comment line
                raise _GiveUp  # text that continues a value, or is not a key: PyYAML's to read
            if not rest or rest[0] in "-#":
                raise _GiveUp  # `-` alone, `- - a`, `- # note`
        at = len(spaces)
        if pending is not None:
            owner, name, key_at = pending
            pending = None
            if at > key_at or (at == key_at and dash):
                if len(stack) > MAX_DEPTH:
                    raise _GiveUp
                child: Any = [] if dash else {}
                owner[name] = child
                stack.append((at, child))
        while stack[-1][0] > at:
            stack.pop()
        top_at, top = stack[-1]
        if top_at != at:
            raise _GiveUp
        if dash:
            if type(top) is not list:
                raise _GiveUp
            if not key:
                if not (quoted or plain):
                    value, i = _subset_value(rest, at, lines, i)
                top.append(value)
                continue
            if len(stack) > MAX_DEPTH:
                raise _GiveUp
            item: dict[str, Any] = {}
            top.append(item)
            at += len(dash)
            stack.append((at, item))
            top = item
        elif type(top) is list:
            stack.pop()  # a key after a list written at its key's indentation
            top_at, top = stack[-1]
            if top_at != at or type(top) is list:
                raise _GiveUp
        if not key or key in top or key in _SUBSET_NULL:
            raise _GiveUp  # a scalar where a key belongs, a repeated key, a key PyYAML reads as null
        if quoted or plain:
            top[key] = value
        elif not rest or rest[0] == "#":
            top[key] = None
            pending = (top, key, at)
        else:
            top[key], i = _subset_value(rest, at, lines, i)
    return root or None


def _subset_value(text: str, indent: int, lines: list[str], i: int) -> tuple[Any, int]:
    """The scalar or `[...]` list written after a key or dash of this indentation, and the next line's index."""
    head = text[0]
    if head == '"':
        match = _SUBSET_DOUBLE.fullmatch(text)
        if not match:
            raise _GiveUp
        inside = match.group(1)
        return (_SUBSET_ESCAPE.sub(r"\1", inside) if "\\" in inside else inside), i
    if head == "'":
        match = _SUBSET_SINGLE.fullmatch(text)
        if not match:
            raise _GiveUp
        return match.group(1).replace("''", "'"), i
    if head == "[":
        match = _SUBSET_FLOW.fullmatch(text)
        if not match:
            raise _GiveUp
        inside = match.group(1)
        if not inside.strip(" "):
            return [], i
        return [_subset_flow_item(item.strip(" ")) for item in inside.split(",")], i
    if head == "|":
        header = text.rstrip(" ")
        if header not in ("|", "|-"):
            raise _GiveUp
        return _subset_literal(lines, i, indent, keep_last=header == "|")
    if not _plain_start(text):
        raise _GiveUp
    cut = text.find(" #")
    if cut >= 0:
        text = text[:cut]
    text = text.rstrip(" ")
    if ": " in text or text[-1] == ":":
        raise _GiveUp
    return _subset_resolve(text), i


def _subset_flow_item(text: str) -> Any:
    if not text or not _plain_start(text):
        raise _GiveUp
    return _subset_resolve(text)


def _plain_start(text: str) -> bool:
    """Whether a plain scalar may start so: no indicator, but `-` before a non-space (`-5`, `-x`)."""
    return text[0] not in _SUBSET_INDICATORS or (text[0] == "-" and text[1:2] not in ("", " "))


def _subset_resolve(text: str) -> Any:
    if text in _SUBSET_NULL:
        return None
    if text[0] in "+-0123456789" and _SUBSET_INT.fullmatch(text):
        return int(text)
    return text


def _subset_literal(lines: list[str], start: int, parent: int, keep_last: bool) -> tuple[str, int]:
    """A `|` block scalar (clipped, or stripped for `|-`) under a key of this indentation."""
    count = len(lines)
    j = start
    while j < count and not lines[j].strip(" "):
        j += 1
    if j == count:
        raise _GiveUp
    first = lines[j]
    content = len(first) - len(first.lstrip(" "))
    if content <= parent or (j > start and max(len(lines[k]) for k in range(start, j)) > content):
        raise _GiveUp  # a leading blank line with more spaces than the text: PyYAML's to judge
    pad = " " * content
    k = j
    while k < count:
        line = lines[k]
        if not line.startswith(pad):
            if line.strip(" "):
                break  # less indented: the block is over
            # an empty line (spaces only, no more than the indentation)
        elif len(line) > content and line[content] == " " and not line.strip(" "):
            raise _GiveUp  # spaces beyond the indentation are text: leave that to PyYAML
        k += 1
    end = k
    while end > j and not lines[end - 1].strip(" "):
        end -= 1  # trailing blank lines belong to no value
    body = "\n".join([line[content:] for line in lines[start:end]])
    return (body + "\n" if keep_last else body), end


# Where an anchor (&a), alias (*a) or tag (!t) could start: after space, a flow indicator or `-`.
_MARKER = re.compile(r"(?:^|[\s\[{,\-?:])[&*!][^\s,\[\]{}*]")
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_DEEP_INDENT = re.compile(rf"(?m)^ {{{2 * MAX_DEPTH},}}[^ ]")
_BLOCK_SCALAR = re.compile(r"^( *)(?:- +)?(?:[^#\s][^#]*:)? *[|>][-+0-9]* *(?:#.*)?$")


def _outside_block_scalars(text: str) -> str:
    """The lines of a file that are not the text of a block scalar (`analysis: |`), where markers are inert."""
    kept: list[str] = []
    inside: int | None = None  # the indentation of the key whose block scalar we are in
    for line in text.split("\n"):
        if inside is not None:
            if not line.strip() or len(line) - len(line.lstrip(" ")) > inside:
                continue
            inside = None
        match = _BLOCK_SCALAR.match(line)
        if match:
            inside = len(match.group(1))
        kept.append(line)
    return "\n".join(kept)


def _may_be_hazardous(text: str) -> bool:
    """Whether a file could hold an anchor, alias, tag or deep nesting, and so needs `_scan`.

    Most files hold none of these, and for them composing directly is safe: the composed tree
    is small (the file is at most MAX_FILE_BYTES) and `_Builder` still refuses aliases, tags and
    depth on it. This is a fast test only; anything it lets through is still checked.
    """
    text = _outside_block_scalars(text)
    if _MARKER.search(text) or _DEEP_INDENT.search(text):
        return True
    depth = deepest = 0
    for char in _NOT_BRACKET.sub("", text):
        depth = depth + 1 if char in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest > MAX_DEPTH


def _scan(text: str, path: str, problems: Problems, line_offset: int) -> bool:
    """Refuse anchors, aliases, unknown tags and deep nesting from the event stream, before composing.

    The parser's events are a flat stream, so this pass needs memory proportional to the
    nesting depth only: an alias bomb ("billion laughs") or a document nested thousands of
    levels deep is stopped at its first anchor or at the limit, before any tree is built.
    Raises yaml.MarkedYAMLError on a syntax error (the caller reports it).
    """
    frames: list[_Frame] = []
    for event in yaml.parse(text, Loader=_TextLoader):
        if not isinstance(event, (yaml.NodeEvent, yaml.CollectionEndEvent)):
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            frames.pop()
            if frames:
                frames[-1].advance(None)
            continue
        where, is_key = frames[-1].child() if frames else ((), False)
        mark = event.start_mark
        line, column = (mark.line + 1 + line_offset, mark.column + 1) if mark else (1 + line_offset, 1)
        if isinstance(event, yaml.AliasEvent) or event.anchor:
            problems.add(
                path,
                line,
                column,
                _dotted(where),
                "anchors and aliases (& and *) are not supported; write the value out in full",
            )
            return False
        tag = getattr(event, "tag", None)
        if tag and tag not in _ALLOWED_TAGS:
            problems.add(
                path, line, column, _dotted(where), f"tag {tag!r} is not allowed; remove it (values are read as text)"
            )
            return False
        if isinstance(event, yaml.CollectionStartEvent):
            if len(frames) >= MAX_DEPTH:
                problems.add(
                    path,
                    line,
                    column,
                    _dotted(where),
                    f"nested more than {MAX_DEPTH} levels deep; flatten the structure",
                )
                return False
            frames.append(_Frame(where, isinstance(event, yaml.MappingStartEvent)))
        elif frames:
            frames[-1].advance(getattr(event, "value", None) if is_key else None)
    return True


class _Frame:
    """Where the event scan is inside one mapping or sequence."""

    def __init__(self, where: Path, mapping: bool) -> None:
        self.where, self.mapping = where, mapping
        self.want_key, self.key, self.index = True, "?", 0

    def child(self) -> tuple[Path, bool]:
        """Return the path of the next node and whether it is a mapping key."""
        if not self.mapping:
            return self.where + (self.index,), False
        return (self.where, True) if self.want_key else (self.where + (self.key,), False)

    def advance(self, key: str | None) -> None:
        """Move past a finished node (key holds a key's text)."""
        if not self.mapping:
            self.index += 1
        elif self.want_key:
            self.key, self.want_key = key if key is not None else "?", False
        else:
            self.want_key = True


class _Builder:
    """Turn a composed node tree into plain Python values with positions."""

    def __init__(self, path: str, problems: Problems, line_offset: int) -> None:
        self.path = path
        self.problems = problems
        self.offset = line_offset
        self.values: dict[Path, tuple[int, int]] = {}
        self.keys: dict[Path, tuple[int, int]] = {}
        self.seen: set[int] = set()
        self.failed = False

    def _pos(self, node: Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.offset, node.start_mark.column + 1

    def _fail(self, node: Node, where: Path, message: str, fatal: bool = True) -> None:
        line, column = self._pos(node)
        self.problems.add(self.path, line, column, _dotted(where), message)
        self.failed = self.failed or fatal

    def build(self, node: Node, where: Path, depth: int) -> Any:
        if id(node) in self.seen:
            # An alias re-uses the anchored node, whose mark is the anchor's: report at the key instead.
            line, column = self.keys.get(where) or self._pos(node)
            self.problems.add(
                self.path,
                line,
                column,
                _dotted(where),
                "anchors and aliases (& and *) are not supported; write the value out in full",
            )
            self.failed = True
            return None
        self.seen.add(id(node))
        self.values[where] = self._pos(node)
        if depth > MAX_DEPTH:
            self._fail(node, where, f"nested more than {MAX_DEPTH} levels deep")
            return None
        if isinstance(node, ScalarNode):
            return self._scalar(node, where)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                self._fail(node, where, f"tag {node.tag!r} is not allowed; remove it")
                return None
            return [self.build(item, where + (i,), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            if node.tag != _MAP:
                self._fail(node, where, f"tag {node.tag!r} is not allowed; remove it")
                return None
            result: dict[str, Any] = {}
            first_line: dict[str, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode) or key_node.tag not in (_STR, _INT):
                    self._fail(key_node, where, "field names must be plain words")
                    continue
                key = key_node.value
                key_line = self._pos(key_node)[0]
                if key in result:
                    # Reported, but not fatal: the first value is kept so every other check still runs.
                    self._fail(
                        key_node,
                        where + (key,),
                        f"duplicate field: first set on line {first_line[key]}, again on line {key_line}; keep one",
                        fatal=False,
                    )
                    continue
                first_line[key] = key_line
                self.keys[where + (key,)] = self._pos(key_node)
                result[key] = self.build(value_node, where + (key,), depth + 1)
            return result
        self._fail(node, where, "unsupported YAML node")
        return None

    def _scalar(self, node: ScalarNode, where: Path) -> Any:
        if node.tag == _STR:
            bad = _CONTROL.search(node.value)
            if bad:  # written as an escape ("\x07", "\e") in a double-quoted string
                self._fail(node, where, f"control character U+{ord(bad.group()):04X} is not allowed; delete it")
                return None
            return node.value
        if node.tag == _NULL:
            return None
        if node.tag == _INT:
            try:
                return int(node.value)
            except ValueError:
                self._fail(node, where, f"{node.value!r} is not a whole number")
                return None
        self._fail(node, where, f"tag {node.tag!r} is not allowed; remove it (values are read as text)")
        return None


def _dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


dotted = _dotted


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split a Markdown file into (front matter YAML or None, body, body's first line number)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        return None, text, 1
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r\n") in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1 :]), i + 2
    return "".join(lines[1:]), "", len(lines) + 1
