#!/usr/bin/env python3
"""Check the fact-check files and build the site. Run `python build.py --help`."""

import sys

from factcheck.cli import main

if __name__ == "__main__":
    sys.exit(main())
