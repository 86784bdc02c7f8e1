"""`python -m factcheck`: the same command line as `factcheck`."""

import sys

from factcheck.cli.main import main

sys.exit(main())
