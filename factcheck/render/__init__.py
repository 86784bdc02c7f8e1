"""Rendering: the generator's pages as HTML from Jinja templates, contributor Markdown, URLs, the interface language."""
