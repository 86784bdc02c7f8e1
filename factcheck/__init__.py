"""Static fact-check microsite generator: YAML claims to a cross-linked MkDocs site."""

__version__ = "0.2.0"  # the one place the version is written (pyproject.toml reads it; CHANGELOG.md describes it)
