"""Static fact-check microsite generator: YAML claims to a cross-linked MkDocs site."""

__version__ = "0.1.0"
