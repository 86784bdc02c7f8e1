"""The MkDocs adapter (also runs under ProperDocs, the maintained MkDocs 1.6 fork)."""
