#!/usr/bin/env python3
"""This repository's site: `python build.py` runs the `factcheck` command line on ./mkdocs.yml. Run `python build.py --help`."""

import sys
from pathlib import Path

from factcheck.cli.main import main

if __name__ == "__main__":
    sys.exit(main(prog="build.py", default_config=Path(__file__).resolve().parent / "mkdocs.yml"))
