"""Translations for every user-visible string.

Catalogs are gettext ``.po`` files under ``bot/locale/<lang>/``, one file per area
(``core.po``, ``salons.po``, ``summary.po``, ...), so that people working on different
areas never edit the same file. They are compiled in memory with Babel when first used,
which means a catalog can never be stale against its ``.po`` source. Message ids are
English; the English catalog only overrides wording where it wants to.
"""

from __future__ import annotations

import gettext as _gettext
import io
from functools import cache
from pathlib import Path
from typing import Final

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES: Final = ("da", "nb", "sv", "en")
DEFAULT_LANGUAGE: Final = "da"
LANGUAGE_NAMES: Final = {"da": "dansk", "nb": "norsk bokmål", "sv": "svenska", "en": "English"}
#: How dates, times and lists are written (Babel locales). English is British English: day
#: before month and a 24-hour clock, as a Nordic reader expects, not Babel's default en_US.
BABEL_LOCALES: Final = {"da": "da_DK", "nb": "nb_NO", "sv": "sv_SE", "en": "en_GB"}

LOCALE_DIR: Final = Path(__file__).parent / "locale"


def normalise_language(code: str | None) -> str | None:
    """Map what people type (``DA``, ``no``, ``nb_NO``, ``sv-SE``) to one of LANGUAGES."""
    if not code:
        return None
    code = code.strip().lower().replace("-", "_").split("_")[0]
    code = {"no": "nb", "nn": "nb", "dk": "da", "se": "sv"}.get(code, code)
    return code if code in LANGUAGES else None


def _compile(po_path: Path) -> _gettext.GNUTranslations:
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=po_path.parent.name)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """All catalogs of one language chained together, English msgids as the last resort."""
    lang = normalise_language(lang) or DEFAULT_LANGUAGE
    chain: _gettext.NullTranslations = _gettext.NullTranslations()
    files = sorted((LOCALE_DIR / lang).glob("*.po"))
    if files:
        chain = _compile(files[0])
        for po_path in files[1:]:
            chain.add_fallback(_compile(po_path))
    return chain


class Translator:
    """A language bound to gettext calls; pass one to anything that writes for a reader.

    Call sites use ``t._("...")`` and ``t.ngettext(...)`` so Babel's extractor finds them.
    """

    def __init__(self, lang: str | None = None) -> None:
        self.lang = normalise_language(lang) or DEFAULT_LANGUAGE
        self._translations = translations(self.lang)

    @property
    def locale(self) -> str:
        """The Babel locale to format dates, times and lists with for this reader."""
        return BABEL_LOCALES[self.lang]

    def _(self, message: str) -> str:
        return self._translations.gettext(message)

    gettext = _

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._translations.ngettext(singular, plural, n)


def translator(lang: str | None) -> Translator:
    return Translator(lang)


def N_(message: str) -> str:
    """Marks a string for extraction where it is defined and translated later."""
    return message
