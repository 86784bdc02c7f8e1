#!/usr/bin/env python3
"""Write a synthetic fact-check project with N claims, for the benchmark.

    python bench/corpus.py 1000 bench/work/p1000
    python bench/corpus.py 1000 bench/work/p1000 --config path/to/mkdocs.yml --no-real-content

The project is the repository's own site (its mkdocs.yml, hand-written pages, claims, entities
and sources: "the real content") plus N synthetic claims:

- an analysis of about 320 words in five paragraphs and a list, naming entities by name (in
  bold), by alias, and linking out; a summary that names an entity;
- exactly three evidence items, half of them with an excerpt;
- one tag shared by every claim (`SHARED_TAG`) and up to three more from a pool of 60;
- a verdict drawn evenly from every key of the rating scale (six in the repository's config);
- one to three entities it is about, and a claimant, among N/10 synthetic entities, capped at
  `MAX_ENTITIES` (300): at 1,000 claims 100 entities, each in about 30 claims; at 10,000
  claims 300 entities, each in about 100 claims;
- one in ten has a correction with a changed verdict.

That is the default shape, `narrow`. The `wide` shape (`--shape wide`) is unlike it where the
generator's cost could grow differently: N/10 entities with no cap (1,000 at 10,000 claims, each
in about 40 claims), every claim about exactly three of them (its entity list, besides the
claimant), analyses of very different lengths (from one short paragraph of about 40 words to
about 1,400 words in twelve paragraphs, naming up to eight entities by name and by alias; about
380 words on average), and one to six evidence items.

Each entity has one or two aliases (a made-up word, an acronym) and up to three related
entities; there are N/40 sources. The same N, shape, seed and config always give the same files.

The project's mkdocs.yml is the repository's (or --config), adapted to live in another folder:
relative `hooks:` paths and the theme's `custom_dir` become absolute paths into the repository,
and the repository's `templates/` (if there is one) is linked in. A config that names the
generator as a plugin (`plugins: [search, factcheck]`, registered by entry point) needs nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = REPO / "tests" / "fixtures" / "basic" / "content"
SHARED_TAG = "north-korean-troops"  # on every synthetic claim: its tag page lists all N
MAX_ENTITIES = 300  # the narrow shape's cap
SHAPES = ("narrow", "wide")
DEFAULT_VERDICTS = ("true", "mostly-true", "needs-context", "misleading", "false", "unproven")

_SYLLABLES = (
    "ka",
    "lo",
    "mir",
    "sa",
    "ven",
    "to",
    "ra",
    "dul",
    "ne",
    "ko",
    "vi",
    "stan",
    "bel",
    "or",
    "ga",
    "zen",
    "tri",
    "mo",
    "hal",
    "den",
    "pa",
    "sor",
    "lin",
    "qu",
    "ty",
    "ber",
    "gor",
    "ash",
)
_TYPES = (
    "person",
    "person",
    "person",
    "organization",
    "government-agency",
    "country",
    "place",
    "military-unit",
    "weapon",
    "event",
    "media-outlet",
)
_WORDS = (
    "troops",
    "border",
    "report",
    "shells",
    "brigade",
    "satellite",
    "images",
    "officials",
    "ministry",
    "training",
    "deployment",
    "casualties",
    "statement",
    "intelligence",
    "estimate",
    "figures",
    "region",
    "convoy",
    "supply",
    "rail",
    "port",
    "agreement",
    "sanctions",
    "drone",
    "exercise",
    "briefing",
    "documents",
    "footage",
    "witnesses",
    "analysts",
    "the",
    "of",
    "and",
    "in",
    "said",
    "that",
    "was",
    "were",
    "by",
    "from",
    "with",
    "had",
    "not",
    "on",
    "after",
    "before",
    "week",
    "month",
    "near",
    "north",
    "south",
    "army",
    "soldiers",
    "artillery",
    "claimed",
    "confirmed",
)


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


def _sentence(rng: random.Random, n: int = 12) -> str:
    words = [rng.choice(_WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _date(rng: random.Random, year: int = 2024) -> str:
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _q(text: str) -> str:
    """Quote text as a YAML double-quoted scalar (the corpus text has no quotes or backslashes)."""
    return '"' + text + '"'


def _entities(rng: random.Random, count: int) -> list[dict]:
    used: set[str] = set()
    out = []
    for i in range(count):
        while True:
            name = f"{_word(rng, 2)} {_word(rng, 3)}"
            alias1 = _word(rng, 3) + "ia"
            short = "".join(w[0] for w in name.split()).upper() + str(i)
            names = {name.casefold(), alias1.casefold(), short.casefold()}
            if not (names & used) and len(names) == 3:
                used |= names
                break
        aliases = [alias1, short][: rng.randint(1, 2)]
        out.append({"id": f"entity-{i}", "name": name, "aliases": aliases, "type": rng.choice(_TYPES)})
    return out


def entity_count(n: int, shape: str = "narrow") -> int:
    """How many synthetic entities a corpus of n claims of this shape has."""
    if shape == "wide":
        return max(5, n // 10)
    return min(max(5, n // 10), MAX_ENTITIES)


def _analysis(rng: random.Random, i: int, about: list[dict], claimant: dict, named: dict, aka: dict) -> str:
    """About 320 words of Markdown: five paragraphs and a three-item list, naming entities."""
    other = rng.choice(about)
    alias = rng.choice(aka["aliases"])
    paragraphs = [
        f"{_sentence(rng, 24)} According to {alias}, {_sentence(rng, 16).lower()} {_sentence(rng, 14)}",
        f"*{_sentence(rng, 6)}* See the [report](https://evidence.example.org/{i}/report) "
        f"and **{about[0]['name']}**. {_sentence(rng, 20)} {_sentence(rng, 18)}",
        "\n".join(f"- {_sentence(rng, 9)}" + (f" {claimant['name']}." if k == 2 else "") for k in range(3)),
        f"{_sentence(rng, 28)} {named['name']} {_sentence(rng, 12).lower()} {_sentence(rng, 16)}",
        f"{_sentence(rng, 22)} {rng.choice(other['aliases'])} {_sentence(rng, 10).lower()} "
        f"{_sentence(rng, 24)} {_sentence(rng, 14)}",
        f"{_sentence(rng, 22)} {_sentence(rng, 20)} {_sentence(rng, 10)}",
    ]
    return "\n\n".join(paragraphs)


# Paragraphs in a wide-shape analysis, drawn in turn: from one short paragraph to twelve long ones.
_WIDE_PARAGRAPHS = (1, 1, 1, 2, 2, 3, 3, 4, 5, 6, 8, 12)


def _wide_analysis(rng: random.Random, i: int, about: list[dict], claimant: dict, entities: list[dict]) -> str:
    """Markdown of one short paragraph (about 40 words) to twelve long ones (about 1,400 words).

    It names the claim's three entities and, the longer it is, more of the others (up to eight in
    all), by name (in bold or not) and by alias, and links out once a paragraph after the first.
    """
    count = rng.choice(_WIDE_PARAGRAPHS)
    named = about + rng.sample(entities, min(len(entities), max(0, min(count, 8) - len(about))))
    if count == 1:
        return f"{about[0]['name']} {_sentence(rng, 14).lower()} {_sentence(rng, 22)}"
    paragraphs = []
    for k in range(count):
        e = named[k % len(named)]
        mention = rng.choice([e["name"], f"**{e['name']}**", *e["aliases"]])
        words = rng.randint(40, 120)
        parts = [_sentence(rng, rng.randint(8, 24)) for _ in range(words // 16)]
        parts.insert(rng.randrange(len(parts) + 1), f"{mention} {_sentence(rng, 10).lower()}")
        if k:
            parts.append(f"See the [record](https://evidence.example.org/{i}/p{k}).")
        if k == count - 1:
            parts.append(f"{claimant['name']} {_sentence(rng, 8).lower()}")
        paragraphs.append(" ".join(parts))
        if k == 2:
            paragraphs.append("\n".join(f"- {_sentence(rng, 9)}" for _ in range(rng.randint(2, 5))))
    return "\n\n".join(paragraphs)


def _verdicts(config_text: str) -> tuple[str, ...]:
    """The rating scale's keys from the config (extra.factcheck.scale), else the repository's six."""
    try:
        config = yaml.load(config_text, Loader=_PermissiveLoader)  # noqa: S506 - a loader that builds no objects
        keys = tuple(str(v["key"]) for v in config["extra"]["factcheck"]["scale"])
    except (yaml.YAMLError, KeyError, TypeError):
        return DEFAULT_VERDICTS
    return keys or DEFAULT_VERDICTS


class _PermissiveLoader(yaml.SafeLoader):
    """SafeLoader that reads MkDocs' tags (!ENV, !relative, !!python/name:...) as Tagged values."""


@dataclass
class Tagged:
    """A value under one of MkDocs' YAML tags, kept so it can be written back."""

    tag: str
    value: object


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.ScalarNode):
        return Tagged(node.tag, loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        return Tagged(node.tag, loader.construct_sequence(node, deep=True))
    return Tagged(node.tag, loader.construct_mapping(node, deep=True))


_PermissiveLoader.add_multi_constructor("!", _any_tag)
_PermissiveLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


def load_config(path: Path) -> dict:
    """A mkdocs.yml as plain data (MkDocs' own tags kept as their text)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_PermissiveLoader)  # noqa: S506


def adapt_config(text: str, repo: Path) -> str:
    """The config text, made to work from another folder: hooks and custom_dir point into repo."""

    def absolute(path: str) -> str:
        quote = path[:1] if path[:1] in "'\"" else ""
        bare = path.strip("'\"")
        if not bare or Path(bare).is_absolute() or "://" in bare:
            return path
        return f"{quote}{repo / bare}{quote}"

    lines = text.splitlines(keepends=True)
    out, in_hooks = [], False
    for line in lines:
        if in_hooks:
            item = re.match(r"^(\s+- +)(\S.*?)(\s*(?:#.*)?)$", line.rstrip("\n"))
            if item:
                out.append(item.group(1) + absolute(item.group(2)) + item.group(3) + "\n")
                continue
            if line.strip() and not line.lstrip().startswith("#"):
                in_hooks = False
        flow = re.match(r"^hooks:\s*\[(.*)\]\s*$", line.rstrip("\n"))
        if flow:
            items = [absolute(p.strip()) for p in flow.group(1).split(",") if p.strip()]
            out.append("hooks: [" + ", ".join(items) + "]\n")
            continue
        if re.match(r"^hooks:\s*(#.*)?$", line.rstrip("\n")):
            in_hooks = True
        custom = re.match(r"^(\s+custom_dir:\s*)(\S+)(.*)$", line.rstrip("\n"))
        if custom:
            line = custom.group(1) + absolute(custom.group(2)) + custom.group(3) + "\n"
        out.append(line)
    return "".join(out)


def write_project(
    dest: Path,
    n: int,
    seed: int = 7,
    config: Path | None = None,
    real_content: bool = True,
    shape: str = "narrow",
    n_entities: int | None = None,
) -> Path:
    """Write the project for n claims of this shape into dest (replacing it) and return dest.

    config: the mkdocs.yml to start from (default: the repository's). real_content: start from
    the repository's own content/ and claims/ (default), else from the small test fixture.
    shape: "narrow" (the default) or "wide" (see the module's docstring). n_entities: how many
    synthetic entities (default: the shape's entity_count(n)).
    """
    if shape not in SHAPES:
        raise ValueError(f"unknown corpus shape {shape!r}: one of {', '.join(SHAPES)}")
    wide = shape == "wide"
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    config = config or REPO / "mkdocs.yml"
    repo = config.resolve().parent
    if dest.exists():
        shutil.rmtree(dest)
    config_text = config.read_text(encoding="utf-8")
    docs_dir = str(load_config(config).get("docs_dir") or "docs")
    content = dest / docs_dir
    if real_content:
        shutil.copytree(repo / docs_dir, content, ignore=shutil.ignore_patterns("__pycache__"))
        if (repo / "claims").is_dir():
            shutil.copytree(repo / "claims", dest / "claims")
    else:
        shutil.copytree(FIXTURE_CONTENT, content, ignore=shutil.ignore_patterns("entities", "sources"))
    (dest / "claims").mkdir(parents=True, exist_ok=True)
    (content / "entities").mkdir(exist_ok=True)
    (content / "sources").mkdir(exist_ok=True)
    (dest / "mkdocs.yml").write_text(adapt_config(config_text, repo), encoding="utf-8")
    if (repo / "templates").is_dir():
        os.symlink(repo / "templates", dest / "templates")
    verdicts = _verdicts(config_text)

    entities = _entities(rng, n_entities or entity_count(n, shape))
    for i, e in enumerate(entities):
        related = sorted({rng.randrange(len(entities)) for _ in range(rng.randint(0, 3))} - {i})
        lines = [
            "---",
            f"name: {e['name']}",
            f"type: {e['type']}",
            "aliases: [" + ", ".join(e["aliases"]) + "]",
            f"wikidata: Q{1000 + i}",
            f"description: {_q(_sentence(rng, 10))}",
        ]
        if related:
            lines.append("related: [" + ", ".join(entities[r]["id"] for r in related) + "]")
        lines += ["---", _sentence(rng, 20), ""]
        (content / "entities" / f"{e['id']}.md").write_text("\n".join(lines), encoding="utf-8")

    sources = [f"source-{i}" for i in range(max(2, n // 40))]
    for sid in sources:
        text = "\n".join(
            [
                "---",
                f"title: {_q(_sentence(rng, 6))}",
                f"publisher: {_word(rng, 2)} Times",
                f"url: https://news.example.org/{sid}",
                f"date: {_date(rng, 2023)}",
                "type: article",
                "---",
                _sentence(rng, 15),
                "",
            ]
        )
        (content / "sources" / f"{sid}.md").write_text(text, encoding="utf-8")

    tags = [f"topic-{i}" for i in range(60)]
    for i in range(n):
        claimant = rng.choice(entities)
        about = rng.sample(entities, min(len(entities), 3 if wide else rng.randint(1, 3)))
        named = rng.choice(entities)
        aka = rng.choice(entities)
        verdict = verdicts[i % len(verdicts)]  # every key, evenly
        published = f"2024-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"
        statement = f"{named['name']} {_sentence(rng, 10).lower()[:-1]} in {i}"
        if wide:
            analysis = _wide_analysis(rng, i, about, claimant, entities)
        else:
            analysis = _analysis(rng, i, about, claimant, named, aka)
        analysis = analysis.replace("\n", "\n  ").replace("\n  \n", "\n\n")
        lines = [
            f"statement: {_q(statement)}",
            f"claimant: {claimant['id']}",
            "appearance:",
            f"  source: {rng.choice(sources)}",
            f"  quote: {_q(_sentence(rng, 8))}",
            f"  position: {i + 1}",
            "claim_date: 2024-01-01",
            f"verdict: {_q(verdict)}",
            f"summary: {_q(_sentence(rng, 18) + ' ' + about[0]['name'] + ' disputes it.')}",
            "analysis: |",
            f"  {analysis}",
            "evidence:",
        ]
        for j in range(rng.randint(1, 6) if wide else 3):
            lines += [
                f"  - title: {_q(_sentence(rng, 7))}",
                f"    publisher: {_word(rng, 2)} Wire",
                f"    url: https://evidence.example.org/{i}/{j}",
                "    date: 2024-01-01",
                f"    stance: {rng.choice(('supports', 'contradicts', 'context'))}",
            ]
            if rng.random() < 0.5:
                lines.append(f"    excerpt: {_q(_sentence(rng, 12))}")
        lines += [
            "entities: [" + ", ".join(e["id"] for e in about) + "]",
            "tags: [" + ", ".join(sorted({SHARED_TAG, *rng.sample(tags, rng.randint(0, 3))})) + "]",
            f"authors: [{_word(rng, 2)} {_word(rng, 2)}]",
            f"published: {published}",
        ]
        if rng.random() < 0.1:
            previous = rng.choice([v for v in verdicts if v != verdict] or verdicts)
            lines += [
                f"updated: {published}",
                "updates:",
                f"  - date: {published}",
                f"    note: {_q(_sentence(rng, 10))}",
                f"    previous_verdict: {_q(previous)}",
            ]
        (dest / "claims" / f"claim-{i:05d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of synthetic claims")
    parser.add_argument("dest", type=Path, help="project folder to write (replaced)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--shape", choices=SHAPES, default="narrow", help="the corpus's shape (default narrow; see above)"
    )
    parser.add_argument("--config", type=Path, help="mkdocs.yml to start from (default: the repository's)")
    parser.add_argument(
        "--no-real-content",
        action="store_true",
        help="start from the small test fixture instead of the repository's own pages and claims",
    )
    parser.add_argument(
        "--entities",
        type=int,
        help=f"number of synthetic entities (default: N/10, at least 5; narrow: at most {MAX_ENTITIES})",
    )
    args = parser.parse_args()
    write_project(args.dest, args.n, args.seed, args.config, not args.no_real_content, args.shape, args.entities)
    print(f"wrote {args.dest} with {args.n} synthetic claims ({args.shape})")


if __name__ == "__main__":
    main()
