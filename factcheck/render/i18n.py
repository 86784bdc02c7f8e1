"""The interface language: gettext catalogues (Babel), dates, numbers and text direction.

Every string the generator writes for readers is an English message id, translated through
the catalogue of the site's language, `theme.language` in mkdocs.yml:
`factcheck/locale/<language>/LC_MESSAGES/messages.po`. The catalogue is read with Babel when
the build starts (no compiled `.mo` file to keep in step); a language without a catalogue
gets the English strings, with its own dates, numbers and direction. An `Interface` is made
once per build (it travels with `Settings`) and holds everything language-specific: nothing
here is module state.

Message ids mark their placeholders by name (`%(name)s`), so that a translation may put them
in any order. Templates use Jinja's i18n extension (`_()`, `ngettext()`); Python code calls
`Interface.gettext` and `Interface.ngettext`. `N_` marks a string for extraction where it is
defined (the default rating scale, stances, entity types) and translated where it is shown.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from factcheck.resources import LOCALE_DIR

if TYPE_CHECKING:
    from babel import Locale


DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
# The English message ids are British English ("organisations", "18 October 2024"): a site in
# plain `en` formats dates and names its locale the British way.
SOURCE_LOCALE = "en_GB"


def N_(message: str) -> str:  # noqa: N802 - the conventional name, which the extractor looks for
    """Mark a message for extraction without translating it (translated where it is shown)."""
    return message


def catalogue_path(language: str) -> Path:
    """Where the catalogue of a language lives (it may not exist)."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _locale(language: str) -> Locale:
    """Babel's locale for a theme language (`de`, `uk`, `pt-BR`, `zh-Hant`); English if Babel has none."""
    from babel import Locale, UnknownLocaleError  # Babel is imported only when a page needs it

    code = SOURCE_LOCALE if language == SOURCE_LANGUAGE else language.replace("-", "_")
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse(SOURCE_LOCALE)


def _catalogue(language: str) -> tuple[str, gettext.NullTranslations]:
    """The catalogue for a language, its full code first (pt_BR), then the language alone (pt)."""
    code = language.replace("-", "_")
    for candidate in dict.fromkeys([code, code.split("_")[0]]):
        path = catalogue_path(candidate)
        if candidate != SOURCE_LANGUAGE and path.is_file():
            from babel.messages.mofile import write_mo
            from babel.messages.pofile import read_po
            from babel.support import Translations

            with path.open("rb") as po:
                catalog = read_po(po, locale=candidate, domain=DOMAIN)
            compiled = io.BytesIO()
            write_mo(compiled, catalog)  # fuzzy entries are left out, as pybabel compile does
            compiled.seek(0)
            return candidate, Translations(compiled, domain=DOMAIN)
    return SOURCE_LANGUAGE, gettext.NullTranslations()


@dataclass(frozen=True)
class Interface:
    """The site's interface language: its translations, locale, direction and formats."""

    language: str  # theme.language as written in mkdocs.yml: <html lang>, inLanguage, xml:lang
    catalogue: str  # the catalogue in use ("en": the English message ids themselves)
    translations: gettext.NullTranslations
    _dates: dict[dt.date, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls, language: str) -> Interface:
        """Read the catalogue of a language (once per build)."""
        catalogue, translations = _catalogue(language)
        return cls(language, catalogue, translations)

    @cached_property
    def locale(self) -> Locale:
        """Babel's locale of the language: dates, numbers, plural rules, direction."""
        return _locale(self.language)

    @property
    def translated(self) -> bool:
        """Whether a catalogue other than the English source strings is in use."""
        return self.catalogue != SOURCE_LANGUAGE

    def gettext(self, message: str, **values: object) -> str:
        """The translation of a message, its %(name)s placeholders filled in with values."""
        text = self.translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        """The plural form for n; %(num)s is n written for the locale unless values give it."""
        text = self.translations.ngettext(singular, plural, n)
        return text % {"num": self.number(n), **values}

    @property
    def direction(self) -> str:
        """ "rtl" for a language written right to left, else "ltr"."""
        return self.locale.text_direction

    @property
    def og_locale(self) -> str:
        """The language with its territory, as OpenGraph wants it: de_DE, uk_UA, en_GB, ar_EG."""
        locale = self.locale
        territory = locale.territory
        if not territory:
            from babel.core import get_global

            likely = get_global("likely_subtags").get(locale.language, "")
            territory = next((part for part in likely.split("_")[1:] if part.isupper() and len(part) == 2), None)
        return f"{locale.language}_{territory}" if territory else locale.language

    def date(self, day: dt.date | None) -> str:
        """A date written out for readers of the language: 18 October 2024, 18. Oktober 2024."""
        if day is None:
            return ""
        text = self._dates.get(day)
        if text is None:
            from babel.dates import format_date

            text = self._dates[day] = format_date(day, format="long", locale=self.locale)
        return text

    def number(self, n: int) -> str:
        """A whole number as the language writes it: 12,345, 12.345, 12 345 (Latin digits)."""
        if -1000 < n < 1000:
            return str(n)
        from babel.numbers import format_decimal

        return format_decimal(n, locale=self.locale)


def available_languages() -> tuple[str, ...]:
    """The interface's languages: English and each language with a catalogue."""
    return (SOURCE_LANGUAGE, *sorted(p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/*.po")))


def untranslated_notice(interface: Interface, language: str) -> str | None:
    """A notice when a site's language has no catalogue: the tool's own words stay English on its pages."""
    if interface.translated or language.replace("_", "-").split("-")[0] == SOURCE_LANGUAGE:
        return None
    return (
        f"Note: theme.language is {language!r}, but the tool's interface has no {language} catalogue "
        f"(it has {', '.join(available_languages())}): the words the tool writes (headings, labels, dates' words) "
        f'stay English on pages marked lang="{language}". To translate them, add '
        f'factcheck/locale/{language}/LC_MESSAGES/messages.po (CONTRIBUTING.md, "Translating the interface").'
    )


def english() -> Interface:
    """The interface in the generator's own language, without reading any catalogue."""
    return Interface(SOURCE_LANGUAGE, SOURCE_LANGUAGE, gettext.NullTranslations())
