"""The file format's shared facts: stances, entity and source types, patterns, and page URLs.

Everything that more than one part of the generator needs to agree on lives here once: the
schema (schema.py), the checker, the templates, the exports and the scaffold read it.
"""

from __future__ import annotations

import re

from factcheck.render.i18n import N_

# What an evidence item does to the statement, and how a page names it.
# The labels are English message ids, translated where they are shown (i18n.py).
STANCES: dict[str, str] = {"supports": N_("Supports"), "contradicts": N_("Contradicts"), "context": N_("Context")}

# Entity types, each with the heading of its group on the entities index.
ENTITY_TYPES: dict[str, str] = {
    "person": N_("People"),
    "organization": N_("Organisations"),
    "government-agency": N_("Government agencies"),
    "country": N_("Countries"),
    "place": N_("Places"),
    "military-unit": N_("Military units"),
    "school": N_("Schools"),
    "weapon": N_("Weapons"),
    "media-outlet": N_("Media"),
    "event": N_("Events"),
    "document": N_("Documents"),
}
# The same types one at a time, as a page names an entity's type (a related entity's chip).
ENTITY_TYPE_NAMES: dict[str, str] = {
    "person": N_("person"),
    "organization": N_("organisation"),
    "government-agency": N_("government agency"),
    "country": N_("country"),
    "place": N_("place"),
    "military-unit": N_("military unit"),
    "school": N_("school"),
    "weapon": N_("weapon"),
    "media-outlet": N_("media outlet"),
    "event": N_("event"),
    "document": N_("document"),
}
SOURCE_TYPES: tuple[str, ...] = ("article", "video", "statement", "post", "report", "interview", "document")
# How a source page names each type.
SOURCE_TYPE_NAMES: dict[str, str] = {
    "article": N_("article"),
    "video": N_("video"),
    "statement": N_("statement"),
    "post": N_("post"),
    "report": N_("report"),
    "interview": N_("interview"),
    "document": N_("document"),
}

# How a video or image relates to what it is said to show: the claim file's `media.authenticity`,
# mapped to schema.org's MediaManipulationRatingEnumeration (used by MediaReview).
MEDIA_AUTHENTICITY: dict[str, tuple[str, str]] = {
    "original": ("OriginalMediaContent", "Authentic, shown in its original context."),
    "decontextualized": ("DecontextualizedContent", "Authentic, but shown out of its original context."),
    "edited-or-cropped": ("EditedOrCroppedContent", "Edited or cropped so that it misleads."),
    "transformed": ("TransformedContent", "Substantially altered or synthesised (for example a deepfake)."),
    "staged": ("StagedContent", "Authentic footage of a staged scene."),
    "satire-or-parody": ("SatireOrParodyContent", "Satire or parody presented as real."),
}

# A video or image nobody has verified: no MediaReview category fits, so none is published.
UNVERIFIED_MEDIA = "unverified"

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ID_MAX = 80
# The longest short form of a statement: Google advises ClaimReview's claimReviewed under 75 characters.
SHORT_STATEMENT_MAX = 75
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
URL_PATTERN = r"^https?://[^\s<>\"]+$"
WIKIDATA_PATTERN = r"^Q[1-9][0-9]*$"
ID_RE = re.compile(ID_PATTERN)

# Ids that would collide with the site's own pages and files (claims/index, entities/feed ...).
RESERVED_IDS = frozenset({"index", "feed", "api", "assets", "search"})


def src_uri(kind: str, item_id: str) -> str:
    """Return the engine's name of a generated page: src_uri("claims", "x") -> "claims/x.md"."""
    return f"{kind}/{item_id}.md"


def url_for(src: str, directory_urls: bool = True) -> str:
    """Return the site path of a page from its Markdown name, as the engine publishes it.

    With directory URLs: claims/x.md -> claims/x/, claims/index.md -> claims/, index.md -> "".
    Without: claims/x.md -> claims/x.html, claims/index.md -> claims/index.html. A README.md
    is its folder's index, as MkDocs publishes it.
    """
    stem = src[:-3] if src.endswith(".md") else src
    if stem == "README" or stem.endswith("/README"):
        stem = stem[: -len("README")] + "index"
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def _relpath(there: str, folder: str) -> str:
    """posixpath.relpath for site paths, by string alone (relpath asks the OS for the cwd)."""
    to = [p for p in there.split("/") if p and p != "."]
    start = [p for p in folder.split("/") if p and p != "."]
    common = 0
    for a, b in zip(to, start, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."


def _folder(site_path: str) -> str:
    """The folder a relative link is resolved against: claims/x/ -> claims/x, claims/x.html -> claims."""
    if site_path.endswith("/") or not site_path:
        return site_path.rstrip("/")
    return site_path.rsplit("/", 1)[0] if "/" in site_path else ""


def relative_path(from_src: str, target: str, directory_urls: bool = True) -> str:
    """Return the relative link from a page to a site path (a page URL like claims/x/ or a file like feed.xml)."""
    rel = _relpath(target, _folder(url_for(from_src, directory_urls)))
    if target.endswith("/") or target == "":
        return "./" if rel == "." else rel + "/"
    return rel


def relative(from_src: str, to_src: str, directory_urls: bool = True, anchor: str = "") -> str:
    """Return the relative link from one generated page to another (works on any host path)."""
    link = relative_path(from_src, url_for(to_src, directory_urls), directory_urls)
    return link + (f"#{anchor}" if anchor else "")


def attribute_values(html: str, name: str) -> list[str]:
    """Every value of the attribute name="..." in html, as `re.findall(r'\\sNAME="([^"]*)"', html)` finds them.

    The same matches, found about ten times faster: the regular expression engine looks for
    the literal `NAME="` (a pattern that starts with `\\s` is tried at every character), and
    the whitespace before it is checked here. A match not preceded by whitespace is passed
    over from its next character, so no later match is missed.
    """
    pattern = _ATTRIBUTE.get(name)
    if pattern is None:
        pattern = _ATTRIBUTE[name] = re.compile(re.escape(name) + r'="([^"]*)"')
    out: list[str] = []
    pos = 0
    search = pattern.search
    while (found := search(html, pos)) is not None:
        start = found.start()
        if start and html[start - 1].isspace():
            out.append(found.group(1))
            pos = found.end()
        else:
            pos = start + 1
    return out


_ATTRIBUTE: dict[str, re.Pattern[str]] = {}


def absolute(site_url: str, path: str) -> str:
    """Return the full URL of a site path (claims/x/ or feed.xml).

    Without a configured site_url the result is root-relative (/claims/x/): still a valid
    reference, but not one that works off-site.
    """
    base = site_url.rstrip("/") + "/" if site_url else "/"
    return base + path.lstrip("/")
