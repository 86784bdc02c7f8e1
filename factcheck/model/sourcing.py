"""Sourcing warnings for contributors: mirrors and content farms, thin or duplicated evidence, mangled URLs.

`build.py check` runs this after the files have passed the check proper. Its findings are
warnings, not problems: they never fail a check unless `--strict-sources` is given.

1. A URL (evidence `url`/`archive_url`, `appearance.url`, `media.url`/`original_url`, or a
   Markdown link in `summary` or `analysis`) whose host is on the mirror list or a subdomain
   of a listed domain.
2. Evidence from fewer than `min_publishers` independent publishers ("X (via Y)" counts as X).
   Claims rated `unproven` are exempt, as the sourcing standard says.
3. The same page twice in one claim: in two evidence items (or as an item's own
   `archive_url`), or under two spellings of one address anywhere in the claim (scheme and
   host case, trailing slashes). An analysis link to an evidence item is ordinary citing.
4. A URL whose path contains a host name (`https://dawn.com/news/1770955/code.jquery.com`).
5. Only when `archive_after_days` is set: an evidence item dated more than that many days ago
   without an `archive_url` (`factcheck archive` adds them).

The check runs on every `build.py check`, so it must cost next to nothing: each file's bytes
are first scanned (`_Screen`), and only a file in which a warning is possible is parsed
(`factcheck.yamlio`, and markdown-it-py for its links only if an address could be at fault)
to find the warning and its exact place. The screen never decides that a warning exists; it
only spares the parser files that have none, and the tests hold it to giving the same
warnings as parsing every file. Clean files of the usual shape take a few tens of
microseconds each; at 10,000 claims the screen halves the CPU time of `check`
(docs/performance.md, "The sourcing screen"). The links are read with the pages' own Markdown
configuration (`markup.markdown_parser`), so the check sees exactly the links a page shows.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from factcheck.model.problems import Problem, Problems, display_path
from factcheck.model.yamlio import Document, dotted, load_mapping

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

DEFAULT_MIRROR_DOMAINS: frozenset[str] = frozenset(
    {
        # Mirrors, aggregators and content farms that the evidence audit of issue 15 found cited
        # in this repository's claims, with what it found there. Real newspapers that republish a
        # wire story, and syndication services such as MENAFN, are not on this list.
        "1-e8259.azureedge.net",  # a copy of Al Jazeera
        "vuink.com",  # a scraper ("Style Pass")
        "russialist.org",  # a newsletter excerpt of The New York Times
        "thelabradorian.ca",  # a garbled rewrite
        "devdiscourse.com",  # an AI rewrite; a Reuters copy
        "supadupanews.xyz",
        "korean-vibe.com",  # a copy of Yonhap
        "defence.pk",  # a forum repost of NHK
        "uawire.org",  # a rewrite of Liga.net
        "newsbreak.com",  # an aggregator's copy of Newsweek
        "urdupoint.com",  # AFP via APP
        "larouchepub.com",
        "pledgetimes.com",  # mistranslates its source
        "time.news",  # a summary of The Washington Post
        "world-today-journal.com",
        "essanews.com",  # a rewrite of Reuters
    }
)

# Archives and caches hold copies on purpose, under an address that embeds the original.
ARCHIVE_HOSTS: frozenset[str] = frozenset(
    {
        "web.archive.org",
        "archive.org",
        "archive.today",
        "archive.ph",
        "archive.is",
        "archive.li",
        "archive.vn",
        "archive.md",
        "archive.fo",
        "ghostarchive.org",
        "webcitation.org",
        "webcache.googleusercontent.com",
    }
)

# Top-level domains that mark a path segment as a host name (rule 4). Those that are also
# common file extensions (.do, .py, .pl, .sh, .md, .rs, .ps, .so, .js ...) are left out.
_TLDS: frozenset[str] = frozenset(
    (
        "com",
        "net",
        "org",
        "info",
        "biz",
        "edu",
        "gov",
        "mil",
        "int",
        "io",
        "co",
        "me",
        "tv",
        "news",
        "online",
        "site",
        "xyz",
        "app",
        "dev",
        "page",
        "live",
        "media",
        "press",
        "today",
        "world",
        "agency",
        "global",
        "top",
        "club",
        "blog",
        "eu",
        "asia",
        "uk",
        "us",
        "ca",
        "au",
        "nz",
        "ie",
        "de",
        "fr",
        "it",
        "es",
        "pt",
        "nl",
        "be",
        "lu",
        "ch",
        "at",
        "se",
        "no",
        "fi",
        "dk",
        "is",
        "ee",
        "lv",
        "lt",
        "ru",
        "ua",
        "by",
        "kz",
        "uz",
        "kg",
        "tj",
        "tm",
        "ge",
        "am",
        "az",
        "tr",
        "gr",
        "cy",
        "bg",
        "ro",
        "hu",
        "cz",
        "sk",
        "si",
        "hr",
        "ba",
        "mk",
        "al",
        "il",
        "lb",
        "jo",
        "sy",
        "iq",
        "ir",
        "sa",
        "ae",
        "qa",
        "kw",
        "bh",
        "om",
        "ye",
        "eg",
        "ly",
        "tn",
        "dz",
        "ma",
        "in",
        "pk",
        "bd",
        "lk",
        "np",
        "af",
        "mm",
        "th",
        "vn",
        "kh",
        "la",
        "my",
        "sg",
        "id",
        "ph",
        "cn",
        "hk",
        "tw",
        "mo",
        "kr",
        "kp",
        "jp",
        "mn",
        "br",
        "ar",
        "cl",
        "pe",
        "mx",
        "ve",
        "za",
        "ng",
        "ke",
        "et",
        "gh",
    )
)

_SOURCING_KEYS = ("mirror_domains", "allow_domains", "min_publishers", "archive_after_days")
_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
_HOST_SEGMENT = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,})")
_VIA = re.compile(r"(.*?)\s*\(\s*via\s[^()]*\)", re.I | re.S)


@dataclass(frozen=True)
class SourcingConfig:
    """What the sourcing check warns about: listed mirror domains, and the publishers a claim needs."""

    mirror_domains: frozenset[str]
    min_publishers: int = 2
    archive_after_days: int | None = None  # evidence older than this needs an archive_url; None: never
    archive_hosts: frozenset[str] = ARCHIVE_HOSTS  # and the host of extra.factcheck.archive.endpoint


def sourcing_config(extra_factcheck: Mapping[str, Any]) -> SourcingConfig:
    """Read `extra.factcheck.sourcing` of mkdocs.yml (raises ValueError, with what to fix, if malformed).

    `mirror_domains` are added to DEFAULT_MIRROR_DOMAINS, `allow_domains` removed from it, and
    `min_publishers` (default 2; 0 turns that warning off) replaces the default.
    """
    where = "extra.factcheck.sourcing"
    raw = extra_factcheck.get("sourcing") if isinstance(extra_factcheck, Mapping) else None
    archive = extra_factcheck.get("archive") if isinstance(extra_factcheck, Mapping) else None
    endpoint = archive.get("endpoint") if isinstance(archive, Mapping) else None
    archive_hosts = ARCHIVE_HOSTS | ({_host(endpoint)} - {""} if isinstance(endpoint, str) else set())
    if raw is None:
        return SourcingConfig(DEFAULT_MIRROR_DOMAINS, archive_hosts=archive_hosts)
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where} in mkdocs.yml must be a mapping with the keys {', '.join(_SOURCING_KEYS)}")
    unknown = sorted(str(key) for key in raw if key not in _SOURCING_KEYS)
    if unknown:
        raise ValueError(f"{where}.{unknown[0]} in mkdocs.yml is not a setting; use {', '.join(_SOURCING_KEYS)}")
    added = _domains(raw.get("mirror_domains"), f"{where}.mirror_domains")
    allowed = _domains(raw.get("allow_domains"), f"{where}.allow_domains")
    listed = DEFAULT_MIRROR_DOMAINS | added
    for domain in sorted(allowed - listed):
        parent = _listed_parent(domain, listed)
        if parent:
            raise ValueError(
                f"{where}.allow_domains in mkdocs.yml: {domain!r} is not on the mirror list, "
                f"{parent!r} is; allow {parent!r} itself (that also allows its subdomains)"
            )
    minimum = raw.get("min_publishers", 2)
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 0:
        raise ValueError(f"{where}.min_publishers in mkdocs.yml must be a whole number of 0 or more, not {minimum!r}")
    days = raw.get("archive_after_days")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 0):
        raise ValueError(
            f"{where}.archive_after_days in mkdocs.yml must be a whole number of days (0 or more), or left out, "
            f"not {days!r}"
        )
    return SourcingConfig(frozenset(listed - allowed), minimum, days, archive_hosts)


def _domains(value: Any, where: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        raise ValueError(f"{where} in mkdocs.yml must be a list of domain names, like [example.com]")
    out = set()
    for item in value:
        name = item.strip().lower().rstrip(".") if isinstance(item, str) else ""
        if not _DOMAIN.fullmatch(name):
            raise ValueError(
                f"{where} in mkdocs.yml: {item!r} is not a domain name; write it like "
                "'example.com' (no https://, path or wildcard; subdomains are included)"
            )
        out.add(name)
    return frozenset(out)


def _listed_parent(host: str, domains: frozenset[str]) -> str | None:
    """Return the listed domain that host is or is a subdomain of (never a mere suffix match)."""
    labels = host.split(".")
    for i in range(len(labels) - 1):
        candidate = ".".join(labels[i:])
        if candidate in domains:
            return candidate
    return None


def mirror_domain(url: str, config: SourcingConfig) -> str | None:
    """Return the listed mirror domain that url's host is or belongs to, if any."""
    host = _host(url)
    return _listed_parent(host, config.mirror_domains) if host else None


def publisher_key(publisher: str) -> str:
    """The original publisher a label names, for comparison: 'BBC (via Style Pass)' -> 'bbc'."""
    text = " ".join(publisher.split())
    match = _VIA.fullmatch(text) if "(" in text else None
    if match and match.group(1):
        text = match.group(1)
    return text.casefold()


def same_page_key(url: str) -> str:
    """Normalise a URL trivially: scheme and host in lowercase, no trailing slash on the path."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query, parts.fragment))


def host_in_path(url: str, archive_hosts: frozenset[str] = ARCHIVE_HOSTS) -> str | None:
    """Return a path segment of url that is a host name (a sign of a mangled copy), if any."""
    host = _host(url)
    if not host or _listed_parent(host, archive_hosts):
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    for segment in path.split("/"):
        match = _HOST_SEGMENT.fullmatch(segment)
        if match and match.group(1) in _TLDS:
            return segment
    return None


def _host(url: str) -> str:
    try:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            return ""
        return (parts.hostname or "").rstrip(".")
    except ValueError:
        return ""


def check_sources(claim_files: Iterable[Path], root: Path, config: SourcingConfig) -> list[Problem]:
    """Return the sourcing warnings for these claim files, by file and line.

    Files that cannot be read or parsed are skipped: the check proper reports them.
    Paths in the warnings are relative to root.
    """
    screen = _Screen(config) if config.archive_after_days is None else None  # the screen knows no dates
    found = Problems()
    for path in claim_files:
        _check_file(path, root, config, screen, found)
    return found.sorted()


def check_parsed(claims: Iterable[tuple[str, str, Document]], config: SourcingConfig) -> list[Problem]:
    """The same warnings for claim files the check has already read: (path, text, parsed document)."""
    screen = _Screen(config) if config.archive_after_days is None else None  # the screen knows no dates
    found = Problems()
    for rel, text, doc in claims:
        _check_text(rel, text, doc, config, screen, found)
    return found.sorted()


def _check_file(path: Path, root: Path, config: SourcingConfig, screen: _Screen | None, found: Problems) -> None:
    from factcheck.model.discover import read_text  # discover reads the files; this module is read by it

    rel = display_path(path, root)
    text = read_text(path, rel, Problems(), root)  # what is not a regular file is check's to report
    if text is not None:
        _check_text(rel, text, None, config, screen, found)


def _check_text(
    rel: str,
    text: str,
    doc: Document | None,
    config: SourcingConfig,
    screen: _Screen | None,
    found: Problems,
) -> None:
    if screen is not None:
        addresses, publishers = screen.scan(text.encode("utf-8"))
        if addresses and publishers:
            return
    else:
        addresses = False
    if doc is None:
        doc = load_mapping(text, rel, Problems())
    if doc is not None:
        _ClaimCheck(rel, text, doc, config, found).run(links=not addresses)


# --- The parse: exact findings and places ---------------------------------------------------


@dataclass
class _Url:
    """One URL of a claim, where it is written."""

    url: str
    field: str
    line: int
    column: int
    kind: str  # "evidence", "link", "appearance" or "media"
    item: int = -1  # the evidence item, for kind "evidence"


_MIRROR = (
    "{host} is a known mirror/content farm ({listed}); cite the original publisher's page, "
    "or a copy elsewhere labelled 'Publisher (via Copy)' if no original exists"
)


class _ClaimCheck:
    """Every sourcing warning of one parsed claim file."""

    def __init__(self, rel: str, text: str, doc: Document, config: SourcingConfig, found: Problems) -> None:
        self.rel, self.doc, self.config, self.found = rel, doc, config, found
        self.lines = text.splitlines()

    def warn(self, line: int, column: int, field: str, message: str) -> None:
        self.found.add(self.rel, line, column, field, message)

    def run(self, links: bool = True) -> None:
        """Find every warning; without links, skip the Markdown links (the screen found no address to warn about)."""
        urls = self.urls(links)
        for u in urls:
            domain = mirror_domain(u.url, self.config)
            if domain:
                host = _host(u.url)
                listed = (
                    "on the sourcing check's list"
                    if host == domain
                    else f"a subdomain of {domain}, on the sourcing check's list"
                )
                self.warn(u.line, u.column, u.field, _MIRROR.format(host=host, listed=listed))
            segment = host_in_path(u.url, self.config.archive_hosts)
            if segment:
                self.warn(u.line, u.column, u.field, self._mangled(u.url, segment))
        self.publishers()
        self.duplicates([u for u in urls if u.kind in ("evidence", "link")])
        self.archived()

    def archived(self) -> None:
        """Evidence dated more than archive_after_days ago needs an archived copy."""
        days = self.config.archive_after_days
        evidence = self.doc.data.get("evidence")
        if days is None or not isinstance(evidence, list):
            return
        cutoff = dt.date.today() - dt.timedelta(days=days)
        for i, item in enumerate(evidence):
            if not isinstance(item, dict) or item.get("archive_url") or not isinstance(item.get("date"), str):
                continue
            try:
                published = dt.date.fromisoformat(item["date"])
            except ValueError:
                continue
            if published < cutoff:
                line, column = self.doc.where_key(("evidence", i, "url"))
                self.warn(
                    line,
                    column,
                    f"evidence[{i}]",
                    f"dated {published.isoformat()}, more than {days} days ago, and has no archive_url: run "
                    "`factcheck archive` (or `python build.py archive`), or add an archived copy by hand",
                )

    def urls(self, links: bool = True) -> list[_Url]:
        data = self.doc.data
        out: list[_Url] = []
        evidence = data.get("evidence")
        for i, item in enumerate(evidence if isinstance(evidence, list) else []):
            for key in ("url", "archive_url"):
                self._value(out, ("evidence", i, key), item.get(key) if isinstance(item, dict) else None, "evidence", i)
        appearance = data.get("appearance")
        if isinstance(appearance, dict):
            self._value(out, ("appearance", "url"), appearance.get("url"), "appearance")
        media = data.get("media")
        if isinstance(media, dict):
            for key in ("url", "original_url"):
                self._value(out, ("media", key), media.get(key), "media")
        for name in ("summary", "analysis") if links else ():
            if isinstance(data.get(name), str):
                out += self.links(name, data[name])
        return out

    def _value(self, out: list[_Url], path: tuple[Any, ...], value: Any, kind: str, item: int = -1) -> None:
        if isinstance(value, str) and _host(value):
            line, column = self.doc.where(path)
            out.append(_Url(value, dotted(path), line, column, kind, item))

    def links(self, name: str, markdown: str) -> list[_Url]:
        """The http(s) links of a Markdown field, each at its line and column in the file."""
        start_line, start_col = self.doc.where((name,))
        header = self.lines[start_line - 1] if start_line <= len(self.lines) else ""
        literal = (
            header[start_col - 1 : start_col] == "|"
        )  # `field: |`: the text starts on the next line, line for line
        later_keys = [line for path, (line, _) in self.doc.keys.items() if len(path) == 1 and line > start_line]
        end_line = min(later_keys, default=len(self.lines) + 1)
        cursor = (start_line, start_col - 1)  # each link is searched for after the previous one
        out: list[_Url] = []
        for href, value_line in _markdown_links(markdown):
            if not _host(href):
                continue
            guess = start_line + 1 + value_line if literal else start_line
            line, column = self._locate(href, cursor, guess, end_line)
            cursor = (line, column - 1 + len(href))
            out.append(_Url(href, name, line, column, "link"))
        return out

    def _locate(self, href: str, cursor: tuple[int, int], guess: int, end_line: int) -> tuple[int, int]:
        """Find href in the file: on the line the Markdown puts it if it is there, else next after the cursor."""
        if guess >= cursor[0] and 0 < guess <= len(self.lines):
            col = _find_url(self.lines[guess - 1], href, cursor[1] if guess == cursor[0] else 0)
            if col >= 0:
                return guess, col + 1
        for line in range(cursor[0], min(end_line, len(self.lines) + 1)):
            col = _find_url(self.lines[line - 1], href, cursor[1] if line == cursor[0] else 0)
            if col >= 0:
                return line, col + 1
        # Not written out as such (a reference link, an escape): the link's line, at its first word.
        line = max(min(guess, len(self.lines)), 1)
        text = self.lines[line - 1] if self.lines else ""
        return line, len(text) - len(text.lstrip()) + 1

    def _mangled(self, url: str, segment: str) -> str:
        parts = urlsplit(url)
        segments = parts.path.split("/")
        at = segments.index(segment)
        if at > 0 and segments[at - 1] == "" and at > 1 and segments[at - 2].lower() in ("http:", "https:"):
            return (
                f"this address wraps another one ({segments[at - 2]}//{segment}/...); it looks like a mangled "
                "copy: cite the page at its own clean address"
            )
        clean = urlunsplit((parts.scheme, parts.netloc, "/".join(segments[:at]).rstrip("/"), "", ""))
        return (
            f"the path repeats the host name '{segment}': this looks like a mangled copy of the address; "
            f"open the page and cite its clean address (probably {clean})"
        )

    def publishers(self) -> None:
        evidence = self.doc.data.get("evidence")
        if self.config.min_publishers <= 0 or not isinstance(evidence, list):
            return
        if self.doc.data.get("verdict") == "unproven":
            return  # the standard: two independent sources for any verdict other than unproven
        names: dict[str, str] = {}
        for item in evidence:
            if isinstance(item, dict) and isinstance(item.get("publisher"), str):
                names.setdefault(publisher_key(item["publisher"]), " ".join(item["publisher"].split()))
        if len(names) >= self.config.min_publishers:
            return
        need = self.config.min_publishers
        line, column = self.doc.where_key(("evidence",))
        listed = ", ".join(names.values()) or "none"
        self.warn(
            line,
            column,
            "evidence",
            f"the evidence comes from {len(names)} independent publisher{'s' if len(names) != 1 else ''} "
            f"({listed}); cite at least {need}: add a report from another publisher that checked the facts "
            "itself (a copy labelled 'Publisher (via Copy)' counts as Publisher)",
        )

    def duplicates(self, urls: list[_Url]) -> None:
        first: dict[str, _Url] = {}
        evidence: dict[str, _Url] = {}
        for u in urls:
            key = same_page_key(u.url)
            if u.kind == "evidence":
                other = evidence.setdefault(key, u)
                if other is not u and other.item == u.item:
                    self.warn(
                        u.line,
                        u.column,
                        u.field,
                        f"the same address as {other.field}; give the archived "
                        "copy's own address (for example on web.archive.org) or remove archive_url",
                    )
                    continue
                if other is not u:
                    self.warn(
                        u.line,
                        u.column,
                        u.field,
                        f"the same page as {other.field} (line {other.line}): one "
                        "page is one evidence item; merge the two, or cite the other page you meant",
                    )
                    continue
            earlier = first.setdefault(key, u)
            if earlier.url != u.url:
                self.warn(
                    u.line,
                    u.column,
                    u.field,
                    f"{u.url} is the same page as {earlier.url} ({earlier.field}, line {earlier.line}) written "
                    "differently; write the address the same way everywhere",
                )


def _find_url(line: str, url: str, start: int) -> int:
    """The index of url in line from start, where it is not the beginning of a longer address; -1 if none."""
    at = line.find(url, start)
    while at >= 0:
        after = line[at + len(url) : at + len(url) + 1]
        if not after or after in _URL_END:
            return at
        at = line.find(url, at + 1)
    return -1


_URL_END = frozenset(" \t)>\"'\\")  # what may follow an address as written


@functools.cache  # made on first use: most checks never parse a file's links
def _parser() -> MarkdownIt:
    """The pages' Markdown configuration (factcheck/render/markup.py), keeping each link's address as written."""
    from factcheck.render.markup import markdown_parser  # imports markdown-it

    return markdown_parser(addresses_as_written=True)


def _markdown_links(markdown: str) -> list[tuple[str, int]]:
    """Every link of a Markdown text with its (0-based) line in the text, in order."""
    out = []
    for token in _parser().parse(markdown):
        if token.type != "inline" or not token.children:
            continue
        line = token.map[0] if token.map else 0
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                out.append((str(child.attrGet("href") or ""), line))
    return out


# --- The screen: cheap text scans that let through only files where a warning is possible ----


# The screen reads the file's bytes: ASCII case-folding and byte patterns are many times
# faster than their str counterparts on text with non-ASCII letters.
_URL_TOKEN = re.compile(rb"https?://\S+")
_CLOSERS = b")]}>\"'.,;:!?\\"  # what may follow an address in the text; a backslash, an escaped quote
_HOST = re.compile(rb"//([^/\s?#:)\]}>\"',;]*)")
# An address may be written in a form the scan does not see: with a YAML or Markdown escape
# (only \\" is let through: it makes a quote, which no address needs) or an HTML entity.
_ESCAPES = re.compile(rb'\\[^"]')
_ENTITIES = re.compile(rb"&(?:#|[A-Za-z][A-Za-z0-9]*;)")
_SLASH_END = re.compile(rb"/+(?=[?#\n]|$)")
# The value of `url: ` or `archive_url: `, on the same line, as an evidence item writes it.
_URL_VALUE = re.compile(rb"url:[ \t]+[\"']?(https?://\S+)")
_EVIDENCE = re.compile(rb"\nevidence[ \t]*:")
_TOP_LEVEL = re.compile(rb"\n[^-#\s]")
_FLOW_OR_BLOCK = b"[]{}|>"
_FIRST_ITEM = re.compile(rb"\n( *)-(?=[ \n])")


@functools.lru_cache(maxsize=16)
def _publisher_line(dash: int) -> re.Pattern[bytes]:
    """The value of a `publisher:` key of a list item whose dash is in column dash+1.

    The key must be where the item's keys are, and the next non-blank line no further to the
    right (else it could continue the value); the pattern starts with its literal, for speed.
    """
    column = dash + 2
    at_key = b"(?<=\n" + b" " * column + b"publisher|\n" + b" " * dash + b"- publisher)"
    more_indented = rb"(?!\n(?:[ \t]*\n)*(?: {%d}[ \t]*[^\s#]| {0,%d}\t))" % (column + 1, column)
    return re.compile(b"publisher" + at_key + rb"[ \t]*:[ \t]+([^\n]*)" + more_indented)


_PLAIN = re.compile(r"[^\s\"'&*!|>\[\]{}%@`,?:#-][^\n]*")
_QUOTED = re.compile(r"\"([^\"\\\n]*)\"|'((?:[^'\n]|'')*)'")
_NOT_TEXT = re.compile(r"~|null|Null|NULL|[-+]?(?:0|[1-9][0-9]*)")
_COMMENT = re.compile(r"[ \t]+#.*$|[ \t]+$")


class _Screen:
    """Decide from a file's bytes alone that the parse could find no warning in it.

    Every test errs towards "maybe": a file is clean only if no address written in it could
    be on the mirror list, have a host name in its path or repeat another, and its evidence
    section plainly names enough publishers. Anything unusual (escapes, capitals in a scheme,
    flow style or block scalars in the evidence, multi-line values) goes to the parse. It is
    mostly byte methods and regular expressions that start with a literal.
    """

    def __init__(self, config: SourcingConfig) -> None:
        self.min_publishers = config.min_publishers
        self.archive_hosts = config.archive_hosts
        self.mirrors = tuple(b"." + domain.encode("ascii") for domain in sorted(config.mirror_domains))
        tlds = "|".join(sorted(_TLDS, key=len, reverse=True))
        # A host name after a slash, once the slashes that open each address are gone.
        self.host_in_path = re.compile(rf"/(?:[a-z0-9-]++\.)++(?:{tlds})(?![a-z0-9-])".encode("ascii"))

    def scan(self, raw: bytes) -> tuple[bool, bool]:
        """Whether no warning about an address is possible, and whether none about publishers is."""
        if (b"\\" in raw and _ESCAPES.search(raw)) or (b"&" in raw and _ENTITIES.search(raw)):
            return False, False  # an address may be written with an escape or an entity
        found = _URL_TOKEN.findall(raw)
        if raw.count(b"://") != b" ".join(found).count(b"://"):
            return False, False  # a capital in a scheme (or another scheme): the scan looks for http(s):// only
        region = _evidence_region(raw)
        if region is None:
            return False, False
        return self._addresses(set(found), region), self._enough_publishers(region)

    def _addresses(self, tokens: set[bytes], region: bytes) -> bool:
        """No address on the list, with a host name in its path, or naming a page another one names."""
        if not tokens:
            return True
        spelled = list({token.rstrip(_CLOSERS) for token in tokens})
        keys = _keys(spelled)
        if len(set(keys)) != len(keys):
            return False  # two addresses that could be one page written two ways
        joined = b"\n" + b"\n".join(spelled).lower()
        if self._mirror_host(joined) or self._host_in_path(joined):
            return False
        return self._evidence_urls_differ(region, dict(zip(spelled, keys, strict=True)))

    def _mirror_host(self, joined: bytes) -> bool:
        """Any host (after any //) that is a listed domain or a subdomain of one."""
        hosts = set(_HOST.findall(joined))
        return any((b"." + host.rpartition(b"@")[2].rstrip(b".")).endswith(self.mirrors) for host in hosts)

    def _host_in_path(self, joined: bytes) -> bool:
        bare = joined.replace(b"\nhttps://", b"\n").replace(b"\nhttp://", b"\n")
        for match in self.host_in_path.finditer(bare):
            start = bare.rfind(b"\n", 0, match.start()) + 1
            end = bare.find(b"\n", match.end())
            token = bare[start : end if end >= 0 else len(bare)].decode("utf-8", "replace")
            if not _listed_parent(_host("http://" + token), self.archive_hosts):
                return True
        return False

    @staticmethod
    def _evidence_urls_differ(region: bytes, keys: dict[bytes, bytes]) -> bool:
        """No two `url`/`archive_url` values in the evidence that could be one page."""
        values = _URL_VALUE.findall(region)
        if len(values) != region.count(b"url"):
            return False  # a url written some other way
        found = {keys.get(value.rstrip(_CLOSERS)) for value in values}
        return None not in found and len(found) == len(values)

    def _enough_publishers(self, region: bytes) -> bool:
        """The evidence items name enough publishers, each on one line."""
        if self.min_publishers <= 0:
            return True
        first = _FIRST_ITEM.search(region)
        if not first:
            return False
        dash = b"\n" + first.group(1) + b"-"
        items = region.count(dash + b" ") + region.count(dash + b"\n")
        found = _publisher_line(len(first.group(1))).findall(region)
        if not found or len(found) != region.count(b"publisher") or len(found) != items:
            return False  # an item without a one-line publisher, or `publisher` written some other way
        try:
            text = b"\n".join(found).decode("utf-8")
        except UnicodeDecodeError:
            return False
        if _SIMPLE_LINES.fullmatch(text) and "(" not in text:
            names = {" ".join(value.split()) for value in text.casefold().split("\n")}
            if "null" not in names:
                return len(names) >= self.min_publishers
        values = [_simple_value(value) for value in text.split("\n")]
        if None in values:
            return False
        return len({publisher_key(value) for value in values if value is not None}) >= self.min_publishers


def _evidence_region(raw: bytes) -> bytes | None:
    """The lines of the top-level `evidence` list, if it is a plain block list (else None: parse the file)."""
    start = _EVIDENCE.search(raw)
    if not start:
        return None
    end = _TOP_LEVEL.search(raw, start.end())
    region = raw[start.end() : end.start() + 1] if end else raw[start.end() :] + b"\n"
    if len(region.translate(None, _FLOW_OR_BLOCK)) != len(region):
        return None  # flow style or a block scalar: values are not one line each
    return region


def _keys(urls: list[bytes]) -> list[bytes]:
    """A key coarser than same_page_key: all lowercase, without trailing slashes or closing marks."""
    joined = b"\n".join(urls).lower()
    if b"?" in joined or b"#" in joined:
        joined = _SLASH_END.sub(b"", joined)
    strip = _CLOSERS + b"/"
    return [key.rstrip(strip) for key in joined.split(b"\n")]


def _simple_value(raw: str) -> str | None:
    """The value of a one-line plain or quoted scalar as YAML reads it, or None if it is anything else."""
    if _SIMPLE.fullmatch(raw):
        return raw.rstrip(" \t")
    quoted = _QUOTED.match(raw)
    if quoted:
        if _COMMENT.sub("", raw[quoted.end() :]):
            return None
        return quoted.group(1) if quoted.group(1) is not None else quoted.group(2).replace("''", "'")
    value = _COMMENT.sub("", raw)
    if not _PLAIN.fullmatch(value) or ": " in value or value.endswith(":") or _NOT_TEXT.fullmatch(value):
        return None
    return value


_SIMPLE = re.compile(r"[^\W\d_][^\n#:\\]*")  # a plain scalar starting with a letter, no comment or colon
_SIMPLE_LINES = re.compile(r"[^\W\d_][^\n#:\\]*(?:\n[^\W\d_][^\n#:\\]*)*")


def text_links(rel: str, text: str, doc: Document) -> list[tuple[str, str, int, int]]:
    """The http(s) links in a claim's `summary` and `analysis`: (address, field, line, column) each."""
    check = _ClaimCheck(rel, text, doc, SourcingConfig(frozenset()), Problems())
    return [
        (u.url, u.field, u.line, u.column)
        for name in ("summary", "analysis")
        if isinstance(doc.data.get(name), str)
        for u in check.links(name, doc.data[name])
    ]


def warning_line(problem: Problem) -> str:
    """A warning as `build.py check` prints it: `warning: path:line:col: field: message`."""
    return f"warning: {problem}"


def warning_annotation(problem: Problem) -> str:
    """A warning as a GitHub Actions workflow command, so it shows on the diff line."""
    text = f"{problem.field}: {problem.message}" if problem.field else problem.message
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    path = problem.path.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
    return f"::warning file={path},line={problem.line},col={problem.column}::{text}"


def report_sources(
    claims: Iterable[tuple[str, str, Document]],
    extra_factcheck: Mapping[str, Any],
    *,
    strict: bool = False,
    github: bool = False,
) -> int:
    """Print the warnings for `build.py check` and return its exit code (1 only if strict and warned).

    Each warning goes to stderr as `warning: path:line:col: field: message`, and, under GitHub
    Actions, to stdout as a `::warning` annotation. A malformed configuration is an error (1).
    """
    try:
        config = sourcing_config(extra_factcheck)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    warnings = check_parsed(claims, config)
    for problem in warnings:
        print(warning_line(problem), file=sys.stderr)
    if github:
        for problem in warnings:
            print(warning_annotation(problem))
    if not warnings:
        return 0
    files = len({p.path for p in warnings})
    counted = (
        f"{len(warnings)} sourcing warning{'s' if len(warnings) != 1 else ''} "
        f"in {files} file{'s' if files != 1 else ''}"
    )
    if strict:
        print(f"{counted}; --strict-sources makes them fail the check.", file=sys.stderr)
        return 1
    print(f"{counted} (not errors: fix them before publishing; CI runs with --strict-sources).", file=sys.stderr)
    return 0
