"""Site search: a Pagefind index of what readers search for, written from the model.

Material's built-in search makes every reader who searches download one index of the whole
site (about 3 KB a page: 33 MB at 11,000 pages). Pagefind splits its index into chunks, so
a first search downloads only what its words need.

Pagefind is not run on the built pages. For each page we write a small search document
instead, holding only what a reader searches a fact-check archive for: a claim's statement,
verdict, summary, tags and the names and aliases of every entity it involves; an entity's
name, aliases and description; a hand-written page's text. Indexing those costs a fraction
of indexing the finished HTML (time and memory) and needs none of the theme's markup.
The `pagefind` package on PyPI ships the indexer's binary; it runs as a separate program.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import shlex
import shutil
import signal
import subprocess
from collections.abc import Iterable, Iterator
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from factcheck.model.yamlio import split_front_matter
from factcheck.render.i18n import N_
from factcheck.render.text import plain_text

if TYPE_CHECKING:
    from factcheck.model.objects import Entity, Site

BUNDLE = "pagefind"  # the index's folder inside the site (more bundles: pagefind-2/, pagefind-3/ ...)
INDEX_PAGES = {  # generated list pages: found by their name, not by the claims they list (translated when written)
    "claims/index.md": (
        N_("Fact-checks"),
        N_("Every fact-check, newest first, with filters by verdict, entity and tag."),
    ),
    "verdicts/index.md": (N_("Ratings"), N_("The rating scale and the fact-checks under each verdict.")),
    "entities/index.md": (
        N_("Entities"),
        N_("People, organisations, places, units and other entities named in the fact-checks."),
    ),
    "sources/index.md": (N_("Sources"), N_("The articles and statements whose claims were checked.")),
    "tags/index.md": (N_("Tags"), N_("Fact-checks by topic.")),
    "corrections/index.md": (N_("Corrections and updates"), N_("Every correction, update and verdict change.")),
}


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site."""


def _names(entity: Entity) -> str:
    return ", ".join([entity.name, *entity.aliases])


def _document(title: str, *paragraphs: str, language: str) -> str:
    """A search document: the title as its heading, then plain-text paragraphs, all escaped."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs if p)
    return (
        f'<!DOCTYPE html><html lang="{escape(language)}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"</head><body><main data-pagefind-body><h1>{escape(title)}</h1>{body}</main></body></html>\n"
    )


def documents(site: Site, hand_written: Iterable[tuple[str, str, str]] = ()) -> Iterator[tuple[str, str]]:
    """Yield (URL path, search document) for every page readers should find.

    hand_written: (src_uri, title, plain text) of the hand-written pages in content/.
    """
    settings = site.settings
    language = settings.language
    t = settings.interface.gettext
    page_url = settings.page_path
    yield page_url("index.md"), _document(settings.site_name, settings.site_description or "", language=language)
    for claim in site.claims:
        entities = claim.involved
        yield (
            page_url(claim.src_uri),
            _document(
                claim.statement,
                f"{claim.verdict.label}. {plain_text(claim.summary)}",
                "; ".join(_names(e) for e in entities),
                " ".join(f"#{t}" for t in claim.tags),
                language=language,
            ),
        )
    for entity in site.entities.values():
        yield (
            page_url(entity.src_uri),
            _document(entity.name, ", ".join(entity.aliases), plain_text(entity.description), language=language),
        )
    for source in site.sources.values():
        yield page_url(source.src_uri), _document(source.title, source.publisher or "", language=language)
    for verdict in site.settings.scale:
        yield page_url(f"verdicts/{verdict.key}.md"), _document(verdict.label, verdict.definition, language=language)
    for tag in site.tags:
        yield (
            page_url(f"tags/{tag}.md"),
            _document(f"#{tag}", t("Fact-checks tagged %(tag)s.", tag=tag), language=language),
        )
    for uri, (title, text) in INDEX_PAGES.items():
        yield page_url(uri), _document(t(title), t(text), language=language)
    for uri, title, text in hand_written:
        yield page_url(uri), _document(title, text, language=language)


def document_count(site: Site, hand_written: int) -> int:
    """How many documents `documents` yields, without making them (the browser needs the bundles' names)."""
    fixed = 1 + len(site.settings.scale) + len(INDEX_PAGES)
    return fixed + len(site.claims) + len(site.entities) + len(site.sources) + len(site.tags) + hand_written


def hand_written_page(src_uri: str, markdown: str) -> tuple[str, str, str]:
    """Return (src_uri, title, plain text) of a hand-written page, its title as MkDocs finds it."""
    front, body, _ = split_front_matter(markdown)
    title = None
    if front:
        try:
            meta = yaml.safe_load(front)
        except yaml.YAMLError:
            meta = None
        if isinstance(meta, dict) and isinstance(meta.get("title"), str):
            title = meta["title"]
    if title is None:
        heading = re.search(r"(?m)^# +(.+?)\s*#*\s*$", body)
        stem = src_uri.rsplit("/", 1)[-1].removesuffix(".md")
        title = plain_text(heading.group(1)) if heading else stem.replace("-", " ").capitalize()
    return src_uri, title, plain_text(body)


def write_documents(folder: Path, docs: Iterable[tuple[str, str]]) -> None:
    """Write the documents side by side in folder, each naming its page's URL for the search box.

    One flat folder rather than one folder per page: at 10,000 pages, creating and removing
    the folders cost more than indexing them. The URL goes in Pagefind's `url` metadata
    (factcheck/static/search.js links results to it); it is made from ids, never from text.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for number, (url, html) in enumerate(docs):
        meta = f'<meta data-pagefind-meta="url:{escape(url, quote=True)}" content="">'
        (folder / f"{number}.html").write_text(html.replace("<head>", "<head>" + meta, 1), encoding="utf-8")


def bundles(count: int, per_bundle: int) -> list[str]:
    """The index's folders for count documents: one Pagefind bundle per per_bundle documents (settings.SEARCH_BUNDLE_PAGES).

    Pagefind's indexer holds every document it indexes (about 48 kB each, however short:
    194 MB for a bundle of 4,000), and it runs while the build renders the pages. Bundles
    are indexed one after another and searched together in the browser (Pagefind's
    mergeIndex), which keeps the indexer's memory bounded; a first search fetches a little
    more (each bundle's entry and chunks).
    """
    return [BUNDLE + "/"] + [f"{BUNDLE}-{k}/" for k in range(2, max(1, math.ceil(count / per_bundle)) + 1)]


def _executable() -> str:
    try:
        from pagefind.service import get_executable
    except ImportError:
        binary = None
    else:
        binary = get_executable()
    if binary is None:
        raise SearchIndexError("Pagefind is not installed: pip install 'pagefind[bin]'")
    return str(binary)


def prepare(site: Site, hand_written: Iterable[tuple[str, str, str]], folder: Path, site_dir: Path) -> list[list[str]]:
    """Write the search documents into folder, a subfolder per bundle; return the commands that index them."""
    docs = list(documents(site, hand_written))
    names = bundles(len(docs), site.settings.search_bundle_pages)
    size = math.ceil(len(docs) / len(names))
    binary = _executable()
    commands = []
    for k, name in enumerate(names):
        part = folder / str(k)
        part.mkdir(parents=True, exist_ok=True)
        write_documents(part, docs[k * size : (k + 1) * size])
        commands.append([binary, "--site", str(part), "--output-path", str(site_dir / name.rstrip("/")), "--silent"])
    return commands


def shell_command(commands: list[list[str]]) -> list[str]:
    """One argv that runs the commands one after another, stopping at the first failure."""
    return ["/bin/sh", "-c", " && ".join(shlex.join(c) for c in commands)]


class Indexing:
    """Pagefind indexing the site in its own process, while the build goes on; `wait()` for it.

    Started before the engine renders the pages, it runs on the machine's other core. The
    documents are written (and the indexer started) before any page is rendered, while this
    process holds little more than the model: the two together stay small.
    """

    def __init__(
        self, site: Site, hand_written: Iterable[tuple[str, str, str]], site_dir: Path, documents: Path
    ) -> None:
        """Write the documents into documents (made here, removed by close()) and start indexing them into site_dir.

        The build gives folders beside the site (Staging.scratch): if the build is killed, the
        next build finds and removes them with the rest of what the killed one left.
        """
        documents.mkdir(parents=True)
        self.folder = documents
        self.log = (self.folder / "pagefind.log").open("w+b")
        self.proc: subprocess.Popen[bytes] | None = None
        try:
            cmd = shell_command(prepare(site, hand_written, self.folder, site_dir))
            # Its own process group: stopping it stops the indexer the shell runs, not the shell alone.
            self.proc = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
            )
        except OSError as exc:
            self.close()
            raise SearchIndexError(f"Pagefind did not run: {exc}") from exc
        except BaseException:
            self.close()
            raise

    def wait(self, timeout: float = 1800) -> None:
        """Wait until the index is written; SearchIndexError if Pagefind failed or took too long."""
        assert self.proc is not None
        try:
            code = self.proc.wait(timeout=timeout)
            if code != 0:
                self.log.seek(0)
                detail = self.log.read().decode("utf-8", "replace").strip()[-2000:]
                raise SearchIndexError(f"Pagefind failed (exit {code}): {detail}")
        except subprocess.TimeoutExpired as exc:
            raise SearchIndexError(f"Pagefind did not finish: {exc}") from exc
        finally:
            self.close()

    def close(self) -> None:
        """Stop the indexer if it still runs (the build failed or was interrupted); remove its documents."""
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)
