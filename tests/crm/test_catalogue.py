"""The zh_Hans catalogue is complete: every message translated, none fuzzy."""

from pathlib import Path

import polib
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_the_chinese_catalogue_is_complete():
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []
    assert len(catalogue.translated_entries()) > 20


def test_translations_keep_their_placeholders():
    """A translation that drops or renames a %(name)s placeholder breaks the page at runtime."""
    import re

    placeholder = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
    catalogue = polib.pofile(str(CATALOGUE))
    broken = []
    for entry in catalogue.translated_entries():
        expected = set(placeholder.findall(entry.msgid))
        translations = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
        for text in translations:
            if set(placeholder.findall(text)) != expected:
                broken.append(entry.msgid)
    assert broken == []
