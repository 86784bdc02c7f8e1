"""Load every input file, check it, and link everything into one Site model.

Problems are collected, never raised one at a time: a contributor with three mistakes
sees three errors in one run. The model is built only when there are none.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Any

from .corrections import claim_corrections
from .markup import EntityMatcher, prose
from .model import Appearance, Claim, Entity, Evidence, Media, Site, Source, Update
from .problems import CheckFailed, Problems, display_path
from .schema import ID_MAX, ID_PATTERN, claim_schema, entity_schema, source_schema
from .settings import Settings
from .validate import check_schema
from .yamlio import Document, decode, dotted, load_mapping, split_front_matter

RESERVED_IDS = frozenset({"index", "feed", "api", "assets", "search"})
_ID_RE = re.compile(ID_PATTERN)


def today() -> dt.date:
    """Today's date in UTC (the limit for dates in files)."""
    return dt.datetime.now(dt.UTC).date()


class _Loader:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.problems = Problems()
        self.limit = today() + dt.timedelta(days=1)  # a day's grace for time zones
        self.verdict_keys = [v.key for v in settings.scale]

    # -- helpers ---------------------------------------------------------------------------
    def rel(self, path: Path) -> str:
        return display_path(path, self.settings.root)

    def add(self, path: str, doc: Document | None, where: tuple, message: str) -> None:
        line, column = doc.where(where) if doc else (1, 1)
        self.problems.add(path, line, column, dotted(where), message)

    def file_id(self, path: Path, kind: str, suffixes: tuple[str, ...]) -> str | None:
        rel = self.rel(path)
        if path.suffix not in suffixes:
            self.problems.add(rel, 1, 1, "", f"{kind} files must end in {suffixes[0]}; rename it to {path.stem}{suffixes[0]}")
            return None
        stem = unicodedata.normalize("NFC", path.stem)
        if not _ID_RE.fullmatch(stem) or len(stem) > ID_MAX:
            folded = unicodedata.normalize("NFKC", stem).casefold()
            twin = path.with_name(folded + path.suffix)
            clash = (f"; it would clash with '{twin.name}' (names must differ by more than case or Unicode form)"
                     if folded != stem and _ID_RE.fullmatch(folded) and twin.is_file() else "")
            self.problems.add(rel, 1, 1, "", f"file name '{path.name}' is not a valid id: use lowercase letters, digits and single hyphens, at most {ID_MAX} characters{clash}")
            return None
        if stem in RESERVED_IDS:
            self.problems.add(rel, 1, 1, "", f"'{stem}' is reserved for the site's own pages; choose another file name")
            return None
        return stem

    def read(self, path: Path) -> tuple[str | None, str]:
        rel = self.rel(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            self.problems.add(rel, 1, 1, "", f"cannot be read: {exc.strerror}")
            return None, rel
        return decode(raw, rel, self.problems), rel

    def date(self, doc: Document, path: str, where: tuple, value: Any, required: bool = True) -> dt.date | None:
        if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            return None  # the schema reports it
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.add(path, doc, where, f"'{value}' is not a real date (YYYY-MM-DD)")
            return None
        if day > self.limit:
            self.add(path, doc, where, f"{value} is in the future; dates must be on or before today ({today().isoformat()})")
            return None
        return day

    # -- entities and sources ----------------------------------------------------------------
    def load_front_matter(self, path: Path, schema: dict) -> tuple[Document | None, str, str]:
        text, rel = self.read(path)
        if text is None:
            return None, "", rel
        front, body, _ = split_front_matter(text)
        if front is None:
            self.problems.add(rel, 1, 1, "", "missing front matter: the file must start with a line '---', then fields, then '---'")
            return None, body, rel
        doc = load_mapping(front, rel, self.problems, line_offset=1)
        if doc is None:
            return None, body, rel
        check_schema(doc, schema, rel, self.problems)
        return doc, body, rel

    def load_entities(self) -> dict[str, tuple[Entity, Document]]:
        found: dict[str, tuple[Entity, Document]] = {}
        folder = self.settings.entities_dir
        for path in sorted(folder.glob("*")) if folder.is_dir() else []:
            if path.name.startswith(".") or path.is_dir():
                continue
            entity_id = self.file_id(path, "entity", (".md",))
            doc, body, rel = self.load_front_matter(path, entity_schema())
            if entity_id is None or doc is None:
                continue
            d = doc.data
            if not isinstance(d.get("name"), str) or not isinstance(d.get("type"), str):
                continue
            entity = Entity(
                id=entity_id, name=d["name"].strip(), type=d["type"], path=rel,
                aliases=[a.strip() for a in _list(d.get("aliases")) if isinstance(a, str)],
                wikidata=d.get("wikidata") if isinstance(d.get("wikidata"), str) else None,
                description=_str(d.get("description")) or "",
                related_ids=[r for r in _list(d.get("related")) if isinstance(r, str)],
                body=body,
            )
            found[entity_id] = (entity, doc)
        return found

    def load_sources(self) -> dict[str, tuple[Source, Document]]:
        found: dict[str, tuple[Source, Document]] = {}
        folder = self.settings.sources_dir
        for path in sorted(folder.glob("*")) if folder.is_dir() else []:
            if path.name.startswith(".") or path.is_dir() or path.suffix == ".txt":
                continue  # .txt files hold a source's full text for quote checks; never published
            source_id = self.file_id(path, "source", (".md",))
            doc, body, rel = self.load_front_matter(path, source_schema())
            if source_id is None or doc is None:
                continue
            d = doc.data
            if not isinstance(d.get("title"), str):
                continue
            source = Source(
                id=source_id, title=d["title"].strip(), path=rel,
                publisher=_str(d.get("publisher")), url=_str(d.get("url")),
                date=self.date(doc, rel, ("date",), d.get("date")) if "date" in d else None,
                type=_str(d.get("type")), archive_url=_str(d.get("archive_url")), body=body,
            )
            found[source_id] = (source, doc)
        return found

    def check_entity_links(self, entities: dict[str, tuple[Entity, Document]]) -> None:
        names: dict[str, tuple[str, str]] = {}
        for entity, doc in entities.values():
            for i, rid in enumerate(entity.related_ids):
                if rid not in entities:
                    self.add(entity.path, doc, ("related", i), _unknown("entity", rid, entities))
                elif rid == entity.id:
                    self.add(entity.path, doc, ("related", i), "an entity cannot be related to itself")
            for j, name in enumerate([entity.name, *entity.aliases]):
                folded = unicodedata.normalize("NFKC", name).casefold()
                other = names.get(folded)
                if other and other[0] != entity.id:
                    where = ("name",) if j == 0 else ("aliases", j - 1)
                    self.add(entity.path, doc, where, f"'{name}' is also a name or alias of '{other[0]}' ({other[1]}); each name must point to one entity")
                else:
                    names.setdefault(folded, (entity.id, entity.path))

    # -- claims --------------------------------------------------------------------------------
    def load_claims(self, entities: dict[str, tuple[Entity, Document]], sources: dict[str, tuple[Source, Document]],
                    ) -> list[Claim]:
        schema = claim_schema(self.settings.scale)
        claims: list[Claim] = []
        folder = self.settings.claims_dir
        held_texts: dict[str, str | None] = {}
        for path in sorted(folder.glob("*")) if folder.is_dir() else []:
            if path.name.startswith(".") or path.is_dir() or path.name.lower() == "readme.md":
                continue
            claim_id = self.file_id(path, "claim", (".yaml",))
            text, rel = self.read(path)
            if text is None:
                continue
            doc = load_mapping(text, rel, self.problems)
            if doc is None:
                continue
            valid = check_schema(doc, schema, rel, self.problems)
            claim = self.build_claim(claim_id, rel, doc, entities, sources, held_texts)
            if claim is not None and valid:
                claims.append(claim)
        return claims

    def build_claim(self, claim_id: str | None, rel: str, doc: Document, entities: dict, sources: dict,
                    held_texts: dict[str, str | None]) -> Claim | None:
        d = doc.data
        ok = claim_id is not None

        def entity(where: tuple, value: Any) -> Entity | None:
            if isinstance(value, str) and _ID_RE.match(value):
                if value in entities:
                    return entities[value][0]
                self.add(rel, doc, where, _unknown("entity", value, entities))
            return None

        for i, tag in enumerate(_list(d.get("tags"))):
            if isinstance(tag, str) and tag in RESERVED_IDS:  # tags/index is the list of tags itself
                self.add(rel, doc, ("tags", i), f"'{tag}' cannot be a tag: it is reserved for the site's own pages")
                ok = False
        claimant = entity(("claimant",), d.get("claimant"))
        subjects = [e for i, v in enumerate(_list(d.get("entities"))) if (e := entity(("entities", i), v))]
        claim_date = self.date(doc, rel, ("claim_date",), d.get("claim_date"))
        published = self.date(doc, rel, ("published",), d.get("published"))
        updated = self.date(doc, rel, ("updated",), d.get("updated")) if "updated" in d else None
        if claim_date and published and published < claim_date:
            self.add(rel, doc, ("published",), f"published ({published}) is before claim_date ({claim_date}); a claim is checked after it is made")
        if updated and published and updated < published:
            self.add(rel, doc, ("updated",), f"updated ({updated}) is before published ({published})")
        verdict = self.settings.verdict(d["verdict"]) if isinstance(d.get("verdict"), str) else None

        appearance = Appearance()
        app: dict[str, Any] = d["appearance"] if isinstance(d.get("appearance"), dict) else {}
        if isinstance(app.get("source"), str) and _ID_RE.match(app["source"]):
            if app["source"] in sources:
                appearance.source = sources[app["source"]][0]
                quote = app.get("quote")
                if isinstance(quote, str):
                    held = self.held_text(appearance.source, held_texts)
                    if held is not None and _normalise(quote) not in held:
                        self.add(rel, doc, ("appearance", "quote"), f"this quote does not occur in the text of source '{app['source']}' ({display_path(self.settings.sources_dir / (app['source'] + '.txt'), self.settings.root)}); copy the exact words")
            else:
                self.add(rel, doc, ("appearance", "source"), _unknown("source", app["source"], sources))
        appearance.quote = _str(app.get("quote"))
        appearance.position = app.get("position") if isinstance(app.get("position"), int) else None
        appearance.url, appearance.title, appearance.publisher = _str(app.get("url")), _str(app.get("title")), _str(app.get("publisher"))
        if "date" in app:
            appearance.date = self.date(doc, rel, ("appearance", "date"), app.get("date"))

        evidence: list[Evidence] = []
        for i, item in enumerate(_list(d.get("evidence"))):
            if not isinstance(item, dict):
                continue
            day = self.date(doc, rel, ("evidence", i, "date"), item.get("date"))
            if all(isinstance(item.get(k), str) for k in ("title", "publisher", "url", "stance")) and day:
                evidence.append(Evidence(item["title"], item["publisher"], item["url"], day, item["stance"],
                                         _str(item.get("excerpt")), _str(item.get("archive_url"))))
        seen_urls: dict[str, int] = {}
        for i, item in enumerate(_list(d.get("evidence"))):
            url = item.get("url") if isinstance(item, dict) else None
            if isinstance(url, str):
                if url in seen_urls:
                    self.add(rel, doc, ("evidence", i, "url"), f"the same URL is already evidence item {seen_urls[url]}; merge the two")
                seen_urls.setdefault(url, i)

        updates: list[Update] = []
        previous: dt.date | None = None
        for i, item in enumerate(_list(d.get("updates"))):
            if not isinstance(item, dict):
                continue
            day = self.date(doc, rel, ("updates", i, "date"), item.get("date"))
            if day and published and day < published:
                self.add(rel, doc, ("updates", i, "date"), f"{day} is before the fact-check was published ({published})")
            if day and previous and day < previous:
                self.add(rel, doc, ("updates", i, "date"), "updates must be listed oldest first")
            prev_verdict = self.settings.verdict(item["previous_verdict"]) if isinstance(item.get("previous_verdict"), str) else None
            if day and isinstance(item.get("note"), str):
                updates.append(Update(day, item["note"], prev_verdict))
                previous = day

        media = None
        raw_media = d.get("media")
        if isinstance(raw_media, dict) and all(isinstance(raw_media.get(k), str) for k in ("type", "url", "authenticity")):
            media = Media(raw_media["type"], raw_media["url"], raw_media["authenticity"],
                          _str(raw_media.get("original_url")), _str(raw_media.get("original_context")))

        if not (ok and claimant and verdict and claim_date and published):
            return None
        if not all(isinstance(d.get(k), str) for k in ("statement", "summary", "analysis")):
            return None  # the schema reports it
        if "updated" in d and updated is None:
            return None
        assert claim_id is not None
        return Claim(
            id=claim_id, path=rel, statement=d["statement"].strip(), claimant=claimant, appearance=appearance,
            claim_date=claim_date, verdict=verdict, summary=d["summary"].strip(), analysis=d["analysis"],
            evidence=evidence, entities=subjects, tags=list(_list(d.get("tags"))), authors=list(_list(d.get("authors"))),
            published=published, updated=updated, status=d.get("status") or "published", updates=updates,
            media=media,
        )

    def held_text(self, source: Source, cache: dict[str, str | None]) -> str | None:
        if source.id not in cache:
            path = self.settings.sources_dir / f"{source.id}.txt"
            text = None
            if path.is_file():
                raw, _ = self.read(path)
                text = _normalise(raw) if raw is not None else None
            cache[source.id] = text
        return cache[source.id]


_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def _normalise(text: str) -> str:
    """Fold typography and white space so quotes are compared by their words."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).split())


def _list(value: Any) -> list:
    """Return value if it is a list, else an empty one (the schema reports the wrong type)."""
    return value if isinstance(value, list) else []


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _unknown(kind: str, value: str, known: dict) -> str:
    import difflib

    close = difflib.get_close_matches(value, list(known), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    folder = "content/entities/" if kind == "entity" else "content/sources/"
    return f"no {kind} '{value}' (add {folder}{value}.md or use an existing id){hint}"


def load_site(settings: Settings, linked: bool = True) -> Site:
    """Load, check and link every input file; raise CheckFailed with every problem found.

    With linked=False the files are only checked: no cross-links, mentions or corrections
    (what `build.py check` needs, in a fraction of the time).
    """
    loader = _Loader(settings)
    entities = loader.load_entities()
    sources = loader.load_sources()
    loader.check_entity_links(entities)
    claims = loader.load_claims(entities, sources)
    if loader.problems:
        raise CheckFailed(loader.problems)
    if not linked:
        published = [c for c in claims if settings.include_drafts or not c.is_draft]
        return Site(settings=settings, claims=published, entities={k: e for k, (e, _) in entities.items()},
                    sources={k: s for k, (s, _) in sources.items()})
    return link(settings, {k: e for k, (e, _) in entities.items()}, {k: s for k, (s, _) in sources.items()}, claims)


def link(settings: Settings, entities: dict[str, Entity], sources: dict[str, Source], claims: list[Claim]) -> Site:
    """Cross-link claims, entities and sources in both directions."""
    matcher = EntityMatcher(entities.values())
    for entity in entities.values():
        entity.related = [entities[r] for r in entity.related_ids]
    # Relations go both ways: B is related to A when A lists B.
    for entity in sorted(entities.values(), key=lambda e: e.id):
        for other in entity.related:
            if entity not in other.related:
                other.related.append(entity)
    published = sorted((c for c in claims if settings.include_drafts or not c.is_draft), key=Claim.sort_key)
    for claim in published:
        listed = {e.id for e in claim.entities} | {claim.claimant.id}
        claim.mentioned = [e for e in matcher.entities_in(claim.statement) if e.id not in listed]
        known = listed | {e.id for e in claim.mentioned}
        claim.also_mentioned = [e for e in matcher.entities_in(prose(claim.summary), prose(claim.analysis)) if e.id not in known]
        claim.claimant.as_claimant.append(claim)
        for subject in claim.subjects:
            subject.as_subject.append(claim)
        for entity in claim.also_mentioned:
            entity.mentioned_in.append(claim)
        if claim.appearance.source is not None:
            claim.appearance.source.claims.append(claim)
        for correction in claim_corrections(claim):
            claim.updates[correction.number - 1].new_verdict = correction.new_verdict
    for source in sources.values():
        source.claims.sort(key=lambda c: (c.appearance.position or 10**9, c.claim_date, c.id))
    for entity in entities.values():
        entity.related.sort(key=lambda e: (e.name.casefold(), e.id))
    return Site(settings=settings, claims=published, entities=dict(sorted(entities.items())),
                sources=dict(sorted(sources.items())))


def check(settings: Settings) -> Problems:
    """Return every problem in the input files (empty when all is well)."""
    try:
        load_site(settings)
    except CheckFailed as failed:
        return failed.problems
    return Problems()

