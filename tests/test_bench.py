"""Smoke test of the benchmark: it runs end to end at N = 20 and reports every figure.

No timing is asserted; the figures are only checked to be present and sane.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def _browser_available() -> bool:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return Path("/usr/bin/chromium").exists() or shutil.which("chromium") is not None


def test_benchmark_runs_at_20_claims(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--sizes", "20", "--repeats", "1",
         "--work", str(tmp_path / "work"), "--json", str(out)],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [row] = json.loads(out.read_text(encoding="utf-8"))
    assert row["n"] == 20
    for name in ("check", "generate", "build", "floor", "peak", "floor_peak"):
        assert len(row[name]) == 1 and row[name][0] > 0, name
    assert row["same_pages"], "the floor must build exactly the pages the generator builds"
    assert row["pages"] > 20 + 2  # claims, entities, sources, indexes
    assert row["edit"] is not None and row["edit"] > 0
    if _browser_available() or os.environ.get("CI") == "true":
        assert row["search"] is not None and row["search"][1] > 0
    lines = proc.stdout.splitlines()
    assert any(line.startswith("| claims |") and "total/floor" in line for line in lines)
    [data] = [line for line in lines if line.startswith("| 20 |")]
    assert len(data.split("|")) == len(lines[lines.index(next(x for x in lines if x.startswith("| claims |")))].split("|"))
