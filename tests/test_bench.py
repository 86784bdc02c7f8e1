"""Smoke test of the benchmark: it runs end to end at N = 20 and reports every figure.

No timing is asserted; the figures are only checked to be present and sane.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import REPO, run_build_py

sys.path.insert(0, str(REPO / "bench"))
import corpus  # noqa: E402
import run  # noqa: E402


def test_benchmark_runs_at_20_claims_on_both_corpus_shapes(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "run.py"),
            "--sizes",
            "20",
            "--repeats",
            "1",
            "--work",
            str(tmp_path / "work"),
            "--json",
            str(out),
            "--no-real-content",  # the small fixture's pages: the same steps at a fraction of the time
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["n"], r["shape"]) for r in rows] == [(20, "narrow"), (20, "wide")]
    for row in rows:
        check_row(row)
    lines = proc.stdout.splitlines()
    header, cards_header = [line for line in lines if line.startswith("| claims |")]
    assert "plain floor" in header and "theme floor" in header and "| corpus |" in header
    assert "warm card cache" in cards_header and "cold card cache" in cards_header
    narrow, wide, cards_narrow, cards_wide = [line for line in lines if line.startswith("| 20 |")]
    assert narrow.startswith("| 20 | narrow |") and cards_narrow.startswith("| 20 | narrow |")
    assert wide.startswith("| 20 | wide |") and cards_wide.startswith("| 20 | wide |")
    for data in (narrow, wide):
        assert len(data.split("|")) == len(header.split("|"))
    for data in (cards_narrow, cards_wide):
        assert len(data.split("|")) == len(cards_header.split("|"))
    for shape in ("narrow", "wide"):
        assert any(line.startswith(f"- 20 claims ({shape}), rebuild with a warm card cache") for line in lines)
    assert any(line.startswith("Commit: ") for line in lines)
    assert any(line.startswith("Machine: ") for line in lines)
    assert "Targets (issue 13):" in lines
    # What the run replaced went to the trash, emptied at the end; the last outputs stay.
    assert not (tmp_path / "work" / ".trash").exists()
    assert (tmp_path / "work" / "p20-site" / "index.html").is_file()
    assert (tmp_path / "work" / "p20-wide-site" / "index.html").is_file()


def check_row(row: dict) -> None:
    """One size and shape's figures are all there and sane."""
    assert row["n"] == 20 and row["claims"] >= 20
    for name in ("check", "build", "build_cpu", "peak", "plain", "plain_cpu", "plain_peak", "theme", "theme_cpu"):
        assert len(row[name]) == 1 and row[name][0] > 0, name
    assert row["same_pages"], "the floors must build exactly the pages the generator builds"
    assert row["pages"] > 20 + 2  # claims, entities, sources, indexes
    chars = row["text_chars"]
    assert 0.8 < chars["plain"] / chars["build"] < 1.25, chars  # plain prose of the same length
    assert chars["theme"] < chars["build"] / 5, chars  # near-empty pages
    # The share cards: one cold build, the warm rebuild (the build above) and one without cards.
    for name in ("cold", "cold_cpu", "no_cards", "no_cards_cpu"):
        assert len(row[name]) == 1 and row[name][0] > 0, name
    assert row["cards"] > 20 and 0 < row["card_kb_mean"] <= row["card_kb_max"] <= 50
    assert 0 < row["no_cards_site_mb"] < row["site_mb"]


def test_replaced_outputs_are_moved_aside_not_deleted(tmp_path: Path) -> None:
    """Deleting a folder right before a measured step would bill that step (ext4's recently_deleted)."""
    old = tmp_path / "site"
    (old / "claims").mkdir(parents=True)
    (old / "claims" / "index.html").write_text("old", encoding="utf-8")
    inode = (old / "claims" / "index.html").stat().st_ino
    trash = tmp_path / ".trash"
    assert run._fresh(old, trash) == old and not old.exists()
    [moved] = list(trash.iterdir())
    assert (moved / "claims" / "index.html").stat().st_ino == inode  # renamed, nothing freed
    old.mkdir()
    run._fresh(old, trash)
    assert len(list(trash.iterdir())) == 2
    run.empty_trash(trash)
    assert not trash.exists()


def test_corpus_has_what_the_benchmark_promises(tmp_path: Path) -> None:
    project = corpus.write_project(tmp_path / "p", 200, real_content=False)
    claims = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((project / "claims").glob("*.yaml"))]
    assert len(claims) == 200
    assert all(corpus.SHARED_TAG in c["tags"] for c in claims)
    assert all(len(c["evidence"]) == 3 for c in claims)
    assert len({c["verdict"] for c in claims}) >= 4
    words = [len(c["analysis"].split()) for c in claims]
    assert 280 < sum(words) / len(words) < 360
    mentions: dict[str, int] = {}
    for c in claims:
        for e in {c["claimant"], *c["entities"]}:
            mentions[e] = mentions.get(e, 0) + 1
    assert len(mentions) <= corpus.entity_count(200) and max(mentions.values()) >= 12
    aliases = [
        a
        for p in (project / "content" / "entities").glob("*.md")
        for a in yaml.safe_load(p.read_text(encoding="utf-8").split("---")[1])["aliases"]
    ]
    assert sum(any(a in c["analysis"] for a in aliases) for c in claims) == len(claims)  # named by alias


def test_wide_corpus_has_its_shape_and_leaves_the_narrow_one_alone(tmp_path: Path) -> None:
    project = corpus.write_project(tmp_path / "w", 200, real_content=False, shape="wide")
    claims = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((project / "claims").glob("*.yaml"))]
    assert len(claims) == 200
    assert len(list((project / "content" / "entities").glob("*.md"))) == corpus.entity_count(200, "wide") == 20
    assert corpus.entity_count(10000, "wide") == 1000 and corpus.entity_count(10000) == corpus.MAX_ENTITIES
    assert all(len(c["entities"]) == 3 for c in claims)
    assert {len(c["evidence"]) for c in claims} == {1, 2, 3, 4, 5, 6}
    words = sorted(len(c["analysis"].split()) for c in claims)
    assert words[0] < 60 and words[-1] > 1000  # one short paragraph to long analyses
    assert 280 < sum(words) / len(words) < 480
    # Same N and shape, same files; the narrow shape is what it was (the wide one draws apart).
    again = corpus.write_project(tmp_path / "w2", 200, real_content=False, shape="wide")
    narrow = corpus.write_project(tmp_path / "n", 200, real_content=False)
    for name in ("claim-00000.yaml", "claim-00199.yaml"):
        assert (project / "claims" / name).read_bytes() == (again / "claims" / name).read_bytes()
        assert (project / "claims" / name).read_bytes() != (narrow / "claims" / name).read_bytes()


def test_the_default_corpus_is_this_sites_content_and_passes_check(tmp_path: Path) -> None:
    """The benchmark's default corpus (the smoke test above uses the small fixture's pages instead)."""
    project = corpus.write_project(tmp_path / "p", 20)
    ours = sorted(p.name for p in (REPO / "claims").glob("*.yaml"))
    assert set(ours) <= {p.name for p in (project / "claims").glob("*.yaml")}
    assert len(list((project / "claims").glob("*.yaml"))) == len(ours) + 20
    checked = run_build_py(project, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith("OK: ")


def test_config_is_adapted_for_hooks_and_for_the_plugin(tmp_path: Path) -> None:
    hooks = "theme:\n  name: material\n  custom_dir: overrides\nhooks:\n  - factcheck/mkdocs_hooks.py\nplugins:\n  - search\n"
    adapted = yaml.safe_load(corpus.adapt_config(hooks, Path("/repo")))
    assert adapted["hooks"] == ["/repo/factcheck/mkdocs_hooks.py"]
    assert adapted["theme"]["custom_dir"] == "/repo/overrides"
    plugin = "theme:\n  name: material\nplugins: [search, factcheck]\n"
    assert corpus.adapt_config(plugin, Path("/repo")) == plugin
    for text in (
        hooks,
        plugin,
        "theme: {name: material}\nplugins:\n  - search:\n      enabled: false\n  - factcheck:\n      x: 1\n",
    ):
        config = tmp_path / "mkdocs.yml"
        config.write_text(text + "extra:\n  factcheck: {a: 1}\n  other: 2\n", encoding="utf-8")
        floor = run.floor_config(config)
        assert floor["plugins"] == ["search"] and "hooks" not in floor
        assert "custom_dir" not in floor["theme"] and floor["extra"] == {"other": 2}


def test_floor_pages_are_named_as_mkdocs_would_build_them() -> None:
    pages = ["index.html", "about/index.html", "claims/index.html", "claims/a/index.html", "corrections/index.html"]
    names = run.source_names(pages, {"index.md", "about.md", "claims/index.md", "corrections/index.md"})
    assert names == {
        "index.html": "index.md",
        "about/index.html": "about.md",
        "claims/index.html": "claims/index.md",
        "claims/a/index.html": "claims/a.md",
        "corrections/index.html": "corrections/index.md",
    }
    text = run.prose("A title", 3000, "seed")
    assert "<" not in text and text.startswith("# A title\n") and "\n- " in text and "\n## " in text
    assert 2800 < len(text) < 3300
