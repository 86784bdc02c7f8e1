"""Where the package's own files are: the defaults every site gets, and that a site may override by file name."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"  # page templates, card.yml, embed templates (a site's templates/ comes first)
STATIC_DIR = PACKAGE_DIR / "static"  # the generator's CSS and scripts, copied into every site
FONTS_DIR = PACKAGE_DIR / "fonts"  # the share cards' fonts
LOCALE_DIR = PACKAGE_DIR / "locale"  # the interface's gettext catalogues
STARTER_DIR = PACKAGE_DIR / "cli" / "starter"  # what `factcheck init` writes


def development_checkout() -> bool:
    """Whether the tool runs from a checkout of its source (its own templates may change while a preview runs)."""
    return (PACKAGE_DIR.parent / "pyproject.toml").is_file() and "site-packages" not in PACKAGE_DIR.parts
