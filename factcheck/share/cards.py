"""Share cards: a 1200×630 PNG for each claim, entity and the home page, drawn from templates/card.yml.

A card is planned from the model (`plan_cards`) as its kind and the values it shows. Those
values, with the layout, the renderer, Pillow's version and the fonts, name it in the cache
(`Card.key`): a card already in the cache is linked or copied into the site, never drawn
again, so a rebuild pays only for the cards whose content changed. Only a card that is drawn
has its kind's elements worked out from the layout (`Card.elements`). Drawing is a pure
function of the key's inputs, so a cold and a warm build write the same bytes.

Contributor text is drawn by Pillow as text: it is never markup, and the layout's Jinja
expressions see it only as values (an expression's result is never read as a template).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sys
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from io import BytesIO
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined, TemplateError

from factcheck.model.objects import Site
from factcheck.render.format import ENTITY_TYPES
from factcheck.render.i18n import Interface, catalogue_path, english
from factcheck.resources import FONTS_DIR, TEMPLATES_DIR

WIDTH, HEIGHT = 1200, 630
FONT_DIR = FONTS_DIR
FONTS = {"regular": FONT_DIR / "DejaVuSans.ttf", "bold": FONT_DIR / "DejaVuSans-Bold.ttf"}
LAYOUT_FILE = "card.yml"  # in the site's templates/
RENDERER = "2"  # change when drawing changes: every cached card is drawn again (2: compression level 8)
BLENDS = 5  # shades of a text colour over what lies under it, for smooth edges
HOME_CARD = "card.png"

# Whitespace of any kind becomes one space; control characters and bidirectional overrides go
# (an override in a statement could make the card read differently from the page).
_SPACES = re.compile(r"\s+")
_INVISIBLE = dict.fromkeys(
    c
    for c in (
        *range(0x00, 0x20),
        0x7F,
        *range(0x80, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        0x200E,
        0x200F,
    )
    if not chr(c).isspace()  # white space becomes a space instead
)


class CardLayoutError(ValueError):
    """templates/card.yml cannot be used; the message names the file, the place and the fix."""


def card_path(src_uri: str) -> str:
    """The site path of a page's card: claims/x.md -> claims/x/card.png, index.md -> card.png."""
    stem = src_uri[:-3] if src_uri.endswith(".md") else src_uri
    return HOME_CARD if stem == "index" else f"{stem}/card.png"


@functools.lru_cache(maxsize=1 << 15)  # the same names, dates and labels on many cards
def clean(text: str) -> str:
    """Contributor text as one line of plain characters, the way a card draws it."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).translate(_INVISIBLE)).strip()


def on_colour(colour: str) -> str:
    """Black or white, whichever has more contrast with colour (#rrggbb)."""
    r, g, b = _rgb(colour)

    def linear(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    return "#000000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


_HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def _rgb(colour: str) -> tuple[int, int, int]:
    if not _HEX.fullmatch(colour):
        raise ValueError(f"{colour!r} is not a colour: give #rrggbb or #rgb")
    digits = colour[1:] if len(colour) == 7 else "".join(c * 2 for c in colour[1:])
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


# -- the layout --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    width: int
    height: int
    fill: str  # a Jinja expression giving #rrggbb (in a worked-out card: the colour)


@dataclass(frozen=True)
class Text:
    text: str  # a Jinja expression (in a worked-out card: the text)
    x: int
    y: int
    width: int
    lines: int
    sizes: tuple[int, ...]
    font: str
    colour: str  # a Jinja expression giving #rrggbb (in a worked-out card: the colour)
    line_height: float


@dataclass(frozen=True)
class Kind:
    alt: str  # a Jinja expression: the text alternative
    elements: tuple[Box | Text, ...]


@dataclass(frozen=True)
class Layout:
    """templates/card.yml, read and checked: what each kind of card draws."""

    background: str
    kinds: Mapping[str, Kind]
    source: bytes  # the file as written: part of every card's key


KINDS = ("claim", "entity", "home")


def _int(where: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise CardLayoutError(f"{where}: {value!r} is not allowed: give a whole number from {low} to {high}")
    return value


def _str(where: str, value: Any) -> str:
    if not isinstance(value, str):
        raise CardLayoutError(f'{where}: give a text (a Jinja expression such as "{{{{ label }}}}"), not {value!r}')
    return value


def _element(where: str, raw: Any) -> Box | Text:
    if not isinstance(raw, dict):
        raise CardLayoutError(f"{where}: give a mapping with `box` or `text`")
    if "box" in raw:
        box = raw["box"]
        if not isinstance(box, list) or len(box) != 4:
            raise CardLayoutError(f"{where}.box: give [x, y, width, height] in pixels")
        x, y, w, h = (_int(f"{where}.box", v, 0, max(WIDTH, HEIGHT)) for v in box)
        return Box(x, y, w, h, _str(f"{where}.fill", raw.get("fill")))
    if "text" in raw:
        at = raw.get("at")
        if not isinstance(at, list) or len(at) != 2:
            raise CardLayoutError(f"{where}.at: give [x, y] in pixels")
        sizes = raw.get("size", 32)
        sizes = sizes if isinstance(sizes, list) else [sizes]
        font = raw.get("font", "regular")
        if font not in FONTS:
            raise CardLayoutError(f"{where}.font: {font!r} is not allowed: give {' or '.join(FONTS)}")
        line_height = raw.get("line_height", 1.25)
        if isinstance(line_height, bool) or not isinstance(line_height, int | float) or not 0.8 <= line_height <= 3:
            raise CardLayoutError(f"{where}.line_height: {line_height!r} is not allowed: give a number from 0.8 to 3")
        return Text(
            _str(f"{where}.text", raw["text"]),
            _int(f"{where}.at", at[0], 0, WIDTH),
            _int(f"{where}.at", at[1], 0, HEIGHT),
            _int(f"{where}.width", raw.get("width", WIDTH - at[0]), 1, WIDTH),
            _int(f"{where}.lines", raw.get("lines", 1), 1, 20),
            tuple(_int(f"{where}.size", s, 6, 400) for s in sizes) or (32,),
            font,
            _str(f"{where}.colour", raw.get("colour", "#000000")),
            float(line_height),
        )
    raise CardLayoutError(f"{where}: give a mapping with `box` or `text`")


def read_layout(templates: Path | Sequence[Path]) -> Layout:
    """Read and check card.yml: the site's templates/card.yml, or else the tool's."""
    folders = [templates] if isinstance(templates, Path) else list(templates)
    path = next(
        (folder / LAYOUT_FILE for folder in folders if (folder / LAYOUT_FILE).is_file()), folders[-1] / LAYOUT_FILE
    )
    name = f"templates/{LAYOUT_FILE}" if path.parent != TEMPLATES_DIR else f"the tool's {LAYOUT_FILE} ({path})"
    try:
        source = path.read_bytes()
        raw = yaml.safe_load(source)
    except FileNotFoundError:
        raise CardLayoutError(
            f"{name}: not found (the share cards' layout; or set extra.factcheck.share_cards: false)"
        ) from None
    except yaml.YAMLError as exc:
        raise CardLayoutError(f"{name}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("kinds"), dict):
        raise CardLayoutError(f"{name}: give `kinds:` with {', '.join(KINDS)}")
    kinds = {}
    for kind in KINDS:
        entry = raw["kinds"].get(kind)
        where = f"{name}: kinds.{kind}"
        if not isinstance(entry, dict) or not isinstance(entry.get("elements"), list):
            raise CardLayoutError(f"{where}: give `alt` and a list of `elements`")
        elements = tuple(_element(f"{where}.elements[{i}]", e) for i, e in enumerate(entry["elements"]))
        kinds[kind] = Kind(_str(f"{where}.alt", entry.get("alt")), elements)
    background = _str(f"{name}: background", raw.get("background", "#ffffff"))
    try:
        _rgb(background)
    except ValueError as exc:
        raise CardLayoutError(f"{name}: background: {exc}") from None
    return Layout(background, kinds, source)


# -- planning: what each card shows ---------------------------------------------------------


# A card's elements, worked out, are the layout's Box and Text with each expression replaced by
# its value (a colour, a text): the same shape, made with dataclasses.replace.


@dataclass(frozen=True, eq=False)
class Card:
    """One card: where it goes and what it shows (its kind and values); drawn from the layout when needed."""

    path: str  # site path: claims/x/card.png
    kind: str  # claim | entity | home
    values: Mapping[str, Any]  # what the layout's expressions see: contributor text already `clean`
    planner: CardPlanner = field(repr=False)

    @cached_property
    def key(self) -> str:
        """What the card shows, drawn by what (layout, renderer, Pillow, fonts): its name in the cache."""
        shown = json.dumps([self.kind, sorted(self.values.items())], ensure_ascii=False, default=str)
        return hashlib.sha256((self.planner.prefix + shown).encode("utf-8")).hexdigest()

    @cached_property
    def alt(self) -> str:
        """The card's text alternative (og:image:alt)."""
        return self.planner.alt(self.kind, self.values)

    @cached_property
    def elements(self) -> tuple[Box | Text, ...]:
        """What the card draws, its expressions worked out (needed only to draw it)."""
        return self.planner.resolve(self.kind, self.values)

    @property
    def background(self) -> str:
        return self.planner.layout.background

    @property
    def texts(self) -> list[str]:
        """Every text the card draws, as given (before it is fitted)."""
        return [e.text for e in self.elements if isinstance(e, Text)]


def engine() -> str:
    """The renderer's version, Pillow's and the fonts': a change in any draws every card again."""
    import PIL

    fonts = hashlib.sha256(b"".join(p.read_bytes() for p in FONTS.values())).hexdigest()
    return f"{RENDERER}/{PIL.__version__}/{fonts}"


_SEPARATOR = "\x00"  # between the results of a kind's expressions, rendered at once (values never hold it: see clean)


class CardPlanner:
    """Work out a card's elements and text alternative from the layout and the card's values."""

    def __init__(self, layout: Layout, interface: Interface | None = None) -> None:
        self.layout = layout
        interface = interface or english()
        self.env = Environment(undefined=StrictUndefined, autoescape=False)  # noqa: S701 - plain text for Pillow, never HTML
        # The layout's words are messages of the site's language (`_()`, `ngettext()`), its dates
        # and numbers the language's; a card is text for Pillow, so none of it is markup.
        self.env.globals.update(_=interface.gettext, gettext=interface.gettext, ngettext=interface.ngettext)
        self.env.filters["longdate"] = interface.date
        self.env.filters["number"] = interface.number
        # The cache key: what drew the card (renderer, Pillow, fonts), the layout, and the language
        # with its catalogue (the same values read differently in another language).
        catalogue = catalogue_path(interface.catalogue)
        words = interface.language.encode("utf-8") + (catalogue.read_bytes() if interface.translated else b"")
        self.prefix = hashlib.sha256(engine().encode("utf-8") + layout.source + words).hexdigest()
        self._templates: dict[str, Any] = {}

    def _expressions(self, kind: str) -> list[tuple[str, str]]:
        """(where, expression) of every text and colour a kind's card draws, in order."""
        spec = self.layout.kinds[kind]
        out = []
        for i, e in enumerate(spec.elements):
            where = f"kinds.{kind}.elements[{i}]"
            if isinstance(e, Box):
                out.append((where + ".fill", e.fill))
            else:
                out += [(where + ".text", e.text), (where + ".colour", e.colour)]
        return out

    def _template(self, kind: str, alt: bool = False) -> Any:
        """One template for all of a kind's expressions (a Jinja render costs more than its expressions)."""
        name = f"{kind}.alt" if alt else kind
        template = self._templates.get(name)
        if template is None:
            expressions = [(f"kinds.{kind}.alt", self.layout.kinds[kind].alt)] if alt else self._expressions(kind)
            for where, expression in expressions:
                if _SEPARATOR in expression:
                    raise CardLayoutError(f"templates/{LAYOUT_FILE}: {where}: a control character is not allowed")
                try:
                    self.env.from_string(expression)
                except TemplateError as exc:
                    raise CardLayoutError(f"templates/{LAYOUT_FILE}: {where}: {expression!r}: {exc}") from None
            source = _SEPARATOR.join(expression for _, expression in expressions)
            template = self._templates[name] = self.env.from_string(source)
        return template

    def _render(self, kind: str, values: Mapping[str, Any], alt: bool = False) -> list[str]:
        try:
            return str(self._template(kind, alt).render(values)).split(_SEPARATOR)
        except TemplateError as exc:
            where = f"kinds.{kind}.alt" if alt else f"kinds.{kind}.elements"
            raise CardLayoutError(
                f"templates/{LAYOUT_FILE}: {where}: {exc} (the values: {', '.join(values)})"
            ) from None

    def alt(self, kind: str, values: Mapping[str, Any]) -> str:
        """A card's text alternative."""
        return clean(self._render(kind, values, alt=True)[0])

    def resolve(self, kind: str, values: Mapping[str, Any]) -> tuple[Box | Text, ...]:
        """The elements of a card, its expressions worked out."""
        results = iter(self._render(kind, values))
        out: list[Box | Text] = []
        for i, e in enumerate(self.layout.kinds[kind].elements):
            where = f"kinds.{kind}.elements[{i}]"
            if isinstance(e, Box):
                out.append(replace(e, fill=self._colour(where + ".fill", next(results))))
            else:
                text = clean(next(results))
                colour = self._colour(where + ".colour", next(results))
                out.append(replace(e, text=text, colour=colour))
        return tuple(out)

    @staticmethod
    def _colour(where: str, value: str) -> str:
        colour = value.strip()
        try:
            _rgb(colour)
        except ValueError as exc:
            raise CardLayoutError(f"templates/{LAYOUT_FILE}: {where}: {exc}") from None
        return colour.lower()

    def card(self, kind: str, path: str, values: Mapping[str, Any]) -> Card:
        cleaned = {k: clean(v) if isinstance(v, str) else v for k, v in values.items()}
        return Card(path, kind, MappingProxyType(cleaned), self)


def plan_cards(site: Site) -> dict[str, Card]:
    """Every page's card, by the page's src_uri: each claim, each entity, the home page.

    Only what each card shows is worked out here; its elements, when it is drawn or its text
    alternative is needed. The layout is checked now: a bad one stops the build before anything is written.
    """
    settings = site.settings
    interface = settings.interface
    planner = CardPlanner(read_layout(settings.template_dirs), interface)
    cards: dict[str, Card] = {}
    name = settings.site_name
    colours: dict[str, str] = {}
    for verdict in settings.scale:
        try:
            colours[verdict.key] = on_colour(verdict.colour)
        except ValueError as exc:
            raise CardLayoutError(f"mkdocs.yml: extra.factcheck.scale: {verdict.key}: colour: {exc}") from None
    for claim in site.claims:
        v = claim.verdict
        values = {
            "label": v.label,
            "icon": v.icon,
            "colour": v.colour,
            "on_colour": colours[v.key],
            "statement": claim.headline,
            "claimant": claim.claimant.name,
            "unnamed_sources": claim.unnamed_sources or "",
            "claim_date": claim.claim_date,
            "site_name": name,
        }
        cards[claim.src_uri] = planner.card("claim", card_path(claim.src_uri), values)
    for entity in site.entities.values():
        values = {
            "name": entity.name,
            "type": interface.gettext(ENTITY_TYPES[entity.type]) if entity.type in ENTITY_TYPES else entity.type,
            "description": entity.description or "",
            "count": len(site.claims_naming(entity)),
            "made": len(site.claims_by(entity)),  # its record: only the claims it made
            "site_name": name,
        }
        cards[entity.src_uri] = planner.card("entity", card_path(entity.src_uri), values)
    values = {
        "site_name": name,
        "description": settings.site_description
        or interface.gettext("Fact-checks by %(publisher)s", publisher=settings.publisher_name),
        "count": len(site.published),
    }
    cards["index.md"] = planner.card("home", HOME_CARD, values)
    # Work out one card of each kind now: a layout that cannot be used fails before anything is written.
    for kind in KINDS:
        sample = next((c for c in cards.values() if c.kind == kind), None)
        if sample is not None:
            sample.alt, sample.elements  # noqa: B018 - work it out: a bad layout raises CardLayoutError
    return cards


# -- drawing --------------------------------------------------------------------------------


class Painter:
    """Draw cards with Pillow (fonts loaded once per size)."""

    def __init__(self) -> None:
        from PIL import ImageFont

        self._ImageFont = ImageFont
        self._fonts: dict[tuple[str, int], Any] = {}

    def font(self, name: str, size: int) -> Any:
        font = self._fonts.get((name, size))
        if font is None:
            # BASIC layout: the same glyph positions on every machine (raqm depends on system libraries).
            font = self._fonts[(name, size)] = self._ImageFont.truetype(
                str(FONTS[name]), size, layout_engine=self._ImageFont.Layout.BASIC
            )
        return font

    def fit(self, text: Text) -> tuple[Any, list[str]]:
        """The largest size at which the whole text fits, wrapped; else the smallest, shortened with "…"."""
        for size in text.sizes:
            font = self.font(text.font, size)
            lines, complete = wrap(text.text, lambda s, f=font: f.getlength(s), text.width, text.lines)
            if complete:
                return font, lines
        return font, lines

    def draw(self, card: Card) -> bytes:
        from PIL import Image, ImageDraw

        image = Image.new("RGB", (WIDTH, HEIGHT), _rgb(card.background))
        pen = ImageDraw.Draw(image)
        for e in card.elements:
            if isinstance(e, Box):
                if e.width and e.height:
                    pen.rectangle((e.x, e.y, e.x + e.width - 1, e.y + e.height - 1), fill=_rgb(e.fill))
                continue
            font, lines = self.fit(e)
            step = round(font.size * e.line_height)
            for i, line in enumerate(lines):
                pen.text((e.x, e.y + i * step), line, font=font, fill=_rgb(e.colour))
        # Flat colours: the card's own colours and a few blends of each text colour with what
        # lies under it (its anti-aliased edges). Mapping to that palette is fast and keeps a
        # card near 16 kB. Compression level 8: 7% smaller than the default (6) for about 9 ms
        # more a card, paid once (the cache keeps it); level 9 saves 3% more for 23 ms more.
        palette = Image.new("P", (1, 1))
        palette.putpalette([c for colour in self.palette(card) for c in colour])
        flat = image.quantize(palette=palette, dither=Image.Dither.NONE)
        out = BytesIO()
        flat.save(out, format="PNG", compress_level=8)
        return out.getvalue()

    @staticmethod
    def palette(card: Card) -> list[tuple[int, int, int]]:
        """The card's colours: background, fills, and each text colour blended over what lies under it."""
        colours = [_rgb(card.background)]
        boxes: list[Box] = []
        for e in card.elements:
            if isinstance(e, Box):
                boxes.append(e)
                colours.append(_rgb(e.fill))
                continue
            under = next(
                (_rgb(b.fill) for b in reversed(boxes) if b.x <= e.x < b.x + b.width and b.y <= e.y < b.y + b.height),
                _rgb(card.background),
            )
            ink = _rgb(e.colour)
            for step in range(1, BLENDS + 1):
                r, g, b = (round(u + (i - u) * step / BLENDS) for u, i in zip(under, ink, strict=True))
                colours.append((r, g, b))
        return list(dict.fromkeys(colours))[:256]


def wrap(text: str, measure: Any, width: int, max_lines: int) -> tuple[list[str], bool]:
    """Break text into at most max_lines lines of at most width (by measure); say whether all of it fits.

    Lines break at spaces; a word wider than a line is broken where it must. Text that does
    not fit ends, at a word boundary where there is one, with "…".
    """
    words = text.split(" ") if text else []
    lines: list[str] = []
    current = ""
    i = 0
    while i < len(words):
        word = words[i]
        candidate = f"{current} {word}" if current else word
        if measure(candidate) <= width:
            current, i = candidate, i + 1
            continue
        if not current:  # one word wider than the line: break it
            cut = max(1, _longest_prefix(word, measure, width))
            current, words[i] = word[:cut], word[cut:]
        lines.append(current)
        current = ""
        if len(lines) == max_lines:
            return _shorten(lines, " ".join(words[i:]), measure, width), False
    if current:
        lines.append(current)
    return lines, True


def _longest_prefix(word: str, measure: Any, width: int) -> int:
    low, high = 0, len(word)
    while low < high:
        mid = (low + high + 1) // 2
        if measure(word[:mid]) <= width:
            low = mid
        else:
            high = mid - 1
    return low


def _shorten(lines: list[str], rest: str, measure: Any, width: int) -> list[str]:
    """End the last line with "…", dropping whole words until it fits (characters only for one long word)."""
    last = lines[-1]
    candidate = f"{last} {rest}".strip()
    words = candidate.split(" ")
    while len(words) > 1 and measure(" ".join(words) + "…") > width:
        words.pop()
    line = " ".join(words).rstrip(",;:.-–— ")
    while line and measure(line + "…") > width:
        line = line[:-1]
    return [*lines[:-1], line + "…"]


# -- the cache and the site ----------------------------------------------------------------


@dataclass(frozen=True)
class CardWrite:
    """What writing the cards did: how many were drawn and how many came from the cache."""

    drawn: int
    cached: int


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FICLONE = 0x40049409  # Linux's ioctl that makes a file share another's blocks (copy-on-write: a reflink)


def complete_png(data: bytes, width: int = WIDTH, height: int = HEIGHT) -> bool:
    """Whether data is a whole PNG of width x height: every chunk there with its checksum right, IEND last.

    A card cut short (a full disk, a killed build, a truncated cache restore) or changed in
    place fails a checksum or misses its end, and is drawn again rather than published.
    """
    if not data.startswith(PNG_SIGNATURE):
        return False
    at, first, pictures = len(PNG_SIGNATURE), True, 0
    while at + 12 <= len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        end = at + 12 + length
        if end > len(data) or zlib.crc32(kind + body) != int.from_bytes(data[end - 4 : end], "big"):
            return False
        if first and (kind != b"IHDR" or body[:8] != width.to_bytes(4, "big") + height.to_bytes(4, "big")):
            return False
        first, pictures = False, pictures + (kind == b"IDAT")
        if kind == b"IEND":
            return end == len(data) and pictures > 0
        at = end
    return False


class CardCache:
    """A folder of drawn cards, each named by its key; shared by builds, kept between CI runs.

    A card is used only when it is a complete PNG of a card's size (`get`); anything else is
    removed and the card drawn again. Pages never share a cached file: the site gets its own
    copy (`place`), so a tool that edits the site in place cannot change the cache.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def file(self, key: str) -> Path:
        return self.folder / f"{key}.png"

    def put(self, key: str, data: bytes) -> Path:
        """Store a drawn card (written beside, then renamed: a half-written card never has a key's name)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.file(key)
        partial = self.folder / f".{key}.{os.getpid()}.part"
        partial.write_bytes(data)
        os.replace(partial, target)
        return target

    def get(self, key: str) -> bytes | None:
        """A cached card's bytes, or None when it is missing or damaged (a damaged one is removed)."""
        path = self.file(key)
        try:
            with open(path, "rb") as fh:
                data = fh.read(MAX_CARD_BYTES + 1)
        except OSError:
            return None
        if len(data) <= MAX_CARD_BYTES and complete_png(data):
            return data
        path.unlink(missing_ok=True)
        return None

    def names(self) -> set[str]:
        """The file names of the cards the cache holds."""
        try:
            return {name for name in os.listdir(self.folder) if name.endswith(".png")}
        except FileNotFoundError:
            return set()

    def remove_stale_parts(self) -> int:
        """Remove the half-written cards (`.part`) of builds that no longer run; return how many went."""
        gone = 0
        for path in self.folder.glob(".*.part") if self.folder.is_dir() else ():
            pid = path.name.rsplit(".", 2)[-2]
            if not (pid.isdigit() and _running(int(pid))):
                path.unlink(missing_ok=True)
                gone += 1
        return gone

    def prune(self, keep: Iterable[str]) -> int:
        """Remove the cards no page uses any more; return how many went."""
        if not self.folder.is_dir():
            return 0
        wanted = {f"{k}.png" for k in keep}
        gone = 0
        for path in self.folder.glob("*.png"):
            if path.name not in wanted:
                path.unlink(missing_ok=True)
                gone += 1
        return gone


MAX_CARD_BYTES = 8 * 1024 * 1024  # far above any card drawn (about 100 KB); a bigger file is not one


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def write_cards(
    cards: Sequence[Card],
    site_dir: Path,
    cache: CardCache,
    *,
    prune: bool = False,
    between: Callable[[], None] | None = None,
) -> CardWrite:
    """Write every card into site_dir, drawing only those the cache does not hold complete.

    Each cached card is checked (complete_png) before it is used, and the site gets its own
    file: a reflink where the file system shares blocks copy-on-write, else a copy.
    `between` is called before each card (a preview pauses there, or stops by raising).
    """
    cache.remove_stale_parts()
    painter: Painter | None = None
    drawn = cached = 0
    for card in cards:
        if between is not None:
            between()
        data = cache.get(card.key)
        if data is not None:
            cached += 1
        else:
            painter = painter or Painter()
            data = painter.draw(card)
            cache.put(card.key, data)
            drawn += 1
        _place(cache.file(card.key), data, site_dir / card.path)
    if prune:
        cache.prune(card.key for card in cards)
    return CardWrite(drawn, cached)


def _place(source: Path, data: bytes, target: Path) -> None:
    """Give the site its own card: a reflink of the cached file where possible, else its bytes written anew."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)  # a preview rebuilding in place: never write through an old file
    with open(target, "xb") as out:
        if _reflink(source, out.fileno(), len(data)):
            return
        out.write(data)


def _reflink(source: Path, target_fd: int, size: int) -> bool:
    """Make target share source's blocks copy-on-write (Linux FICLONE); False where the file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import fcntl

    try:
        with open(source, "rb") as src:
            if os.fstat(src.fileno()).st_size != size:  # replaced since it was checked
                return False
            fcntl.ioctl(target_fd, FICLONE, src.fileno())
    except OSError:
        return False
    return True
