#!/usr/bin/env python3
"""Write a realistic synthetic fact-check project with N claims, for the benchmark.

    python bench/corpus.py 1000 bench/work/p1000

The project has N claim files, about N/10 entities (each with a description, one to three
aliases and related entities), about N/40 sources, three evidence items per claim on
average, a Markdown analysis of three paragraphs that names entities by name and by alias,
tags from a pool of 60, and occasional updates with a changed verdict. The same N and seed
always give the same files.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HAND_WRITTEN = REPO / "tests" / "fixtures" / "basic" / "content"

_SYLLABLES = ("ka", "lo", "mir", "sa", "ven", "to", "ra", "dul", "ne", "ko", "vi", "stan", "bel", "or",
              "ga", "zen", "tri", "mo", "hal", "den", "pa", "sor", "lin", "qu", "ty", "ber", "gor", "ash")
_TYPES = ("person", "person", "person", "organization", "government-agency", "country", "place",
          "military-unit", "weapon", "event", "media-outlet")
_VERDICTS = ("true", "mostly-true", "needs-context", "misleading", "false", "unproven")
_WORDS = ("troops", "border", "report", "shells", "brigade", "satellite", "images", "officials", "ministry",
          "training", "deployment", "casualties", "statement", "intelligence", "estimate", "figures",
          "region", "convoy", "supply", "rail", "port", "agreement", "sanctions", "drone", "exercise",
          "briefing", "documents", "footage", "witnesses", "analysts")


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


def write_project(dest: Path, n: int, seed: int = 7) -> Path:
    """Write the project for n claims into dest (replacing it) and return dest."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "claims").mkdir(parents=True)
    shutil.copytree(HAND_WRITTEN, dest / "content", ignore=shutil.ignore_patterns("entities", "sources"))
    (dest / "content" / "entities").mkdir()
    (dest / "content" / "sources").mkdir()
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("factcheck/mkdocs_hooks.py", str(REPO / "factcheck" / "mkdocs_hooks.py"))
    config = config.replace("custom_dir: overrides", f"custom_dir: {REPO / 'overrides'}")
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    os.symlink(REPO / "templates", dest / "templates")

    entities = _entities(rng, max(5, n // 10))
    for i, e in enumerate(entities):
        related = sorted({rng.randrange(len(entities)) for _ in range(rng.randint(0, 3))} - {i})
        lines = ["---", f"name: {e['name']}", f"type: {e['type']}",
                 "aliases: [" + ", ".join(e["aliases"]) + "]", f"wikidata: Q{1000 + i}",
                 f"description: {_q(_sentence(rng, 10))}"]
        if related:
            lines.append("related: [" + ", ".join(entities[r]["id"] for r in related) + "]")
        lines += ["---", _sentence(rng, 20), ""]
        (dest / "content" / "entities" / f"{e['id']}.md").write_text("\n".join(lines), encoding="utf-8")

    sources = [f"source-{i}" for i in range(max(2, n // 40))]
    for sid in sources:
        text = "\n".join(["---", f"title: {_q(_sentence(rng, 6))}", f"publisher: {_word(rng, 2)} Times",
                          f"url: https://news.example.org/{sid}", f"date: {_date(rng, 2023)}", "type: article",
                          "---", _sentence(rng, 15), ""])
        (dest / "content" / "sources" / f"{sid}.md").write_text(text, encoding="utf-8")

    tags = [f"topic-{i}" for i in range(60)]
    for i in range(n):
        claimant = rng.choice(entities)
        about = rng.sample(entities, rng.randint(1, 3))
        named = rng.choice(entities)
        aka = rng.choice(entities)
        verdict = rng.choice(_VERDICTS)
        published = f"2024-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"
        statement = f"{named['name']} {_sentence(rng, 10).lower()[:-1]} in {i}"
        analysis = (
            f"{_sentence(rng, 25)} According to {aka['aliases'][0]}, {_sentence(rng, 15).lower()}\n\n"
            f"  *{_sentence(rng, 6)}* See the [report](https://evidence.example.org/{i}/report) "
            f"and **{about[0]['name']}**. {_sentence(rng, 20)}\n\n"
            f"  - {_sentence(rng, 8)}\n  - {_sentence(rng, 8)} {claimant['name']}.\n\n"
            f"  {_sentence(rng, 30)}"
        )
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
        for j in range(rng.randint(1, 5)):
            lines += [f"  - title: {_q(_sentence(rng, 7))}", f"    publisher: {_word(rng, 2)} Wire",
                      f"    url: https://evidence.example.org/{i}/{j}", "    date: 2024-01-01",
                      f"    stance: {rng.choice(('supports', 'contradicts', 'context'))}"]
            if rng.random() < 0.5:
                lines.append(f"    excerpt: {_q(_sentence(rng, 12))}")
        lines += [
            "entities: [" + ", ".join(e["id"] for e in about) + "]",
            "tags: [" + ", ".join(sorted(set(rng.sample(tags, rng.randint(1, 4))))) + "]",
            f"authors: [{_word(rng, 2)} {_word(rng, 2)}]",
            f"published: {published}",
        ]
        if rng.random() < 0.1:
            lines += [f"updated: {published}", "updates:", f"  - date: {published}",
                      f"    note: {_q(_sentence(rng, 10))}", f"    previous_verdict: {_q(rng.choice(_VERDICTS))}"]
        (dest / "claims" / f"claim-{i:05d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of claims")
    parser.add_argument("dest", type=Path, help="project folder to write (replaced)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write_project(args.dest, args.n, args.seed)
    print(f"wrote {args.dest} with {args.n} claims")


if __name__ == "__main__":
    main()
