"""Phone numbers in one format (issue 20): stored as E.164 ("+8613800138000", an extension
after ";ext="), shown in the national format for Chinese numbers and the international one
for others, so that "138-0013-8000" and "+86 138 0013 8000" are one number to search and to
match duplicates on. Parsing is Google's libphonenumber (phonenumbers); numbers without a
country code are read as Chinese unless PHONE_REGION says otherwise.

Text that is not a valid number is kept as typed (an import or an old row never loses what
was entered); the forms refuse it with a message at the field.
"""

from functools import lru_cache

import phonenumbers
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

EXTENSION = ";ext="


def region() -> str:
    return getattr(settings, "PHONE_REGION", "CN")


def parse(text: str):
    """The number `text` spells, or None when it is not a valid one."""
    try:
        number = phonenumbers.parse(text, region())
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def normalised(text) -> str:
    """E.164 (with the extension) of a valid number; anything else unchanged."""
    if not text:
        return text
    number = parse(str(text))
    if number is None:
        return text
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return f"{e164}{EXTENSION}{number.extension}" if number.extension else e164


DIGITS_MIN = 4


def digits_of(term: str) -> str:
    """The digits of a search term that is a phone number or part of one (only digits and
    the signs people type in numbers, at least four digits), else ""."""
    digits = "".join(ch for ch in term if ch.isascii() and ch.isdigit())
    compact = "".join(ch for ch in term if ch not in " -+()（）.")
    return digits if len(digits) >= DIGITS_MIN and len(digits) == len(compact) else ""


def matching(fields, term: str) -> Q:
    """Rows whose phone `fields` hold the number `term` spells: a whole number in any spelling
    finds its stored E.164 form (its trunk 0 gone), a part of one matches on its digits."""
    condition = Q()
    digits = digits_of(term)
    if not digits:
        return condition
    number = normalised(term)
    for name in fields:
        condition |= Q(**{f"{name}__contains": digits})
        if number.startswith("+"):
            condition |= Q(**{f"{name}__startswith": number})
    return condition


def shown(stored: str) -> str:
    """How a stored number reads: 138 0013 8000, 0574 8765 4321, +1 650-253-0000."""
    if not stored:
        return ""
    return _shown(stored, region())


# A list shows each number twice (phone and desktop layouts), and parsing one costs more than
# the rest of its row: the same number in the same region always reads the same.
@lru_cache(maxsize=8192)
def _shown(stored: str, home: str) -> str:
    number = parse(stored.replace(EXTENSION, " ext. "))
    if number is None:
        return stored
    national = phonenumbers.region_code_for_number(number) == home
    style = phonenumbers.PhoneNumberFormat
    return phonenumbers.format_number(number, style.NATIONAL if national else style.INTERNATIONAL)


def dialled(stored: str) -> str:
    """The tel: form of a stored number (no spaces, the extension after a comma pause)."""
    return stored.replace(EXTENSION, ",") if stored else ""


class PhoneFormField(forms.CharField):
    default_error_messages = {
        "invalid": _(
            "“%(value)s” is not a phone number: check the digits. A number abroad starts "
            "with + and its country code."
        ),
    }

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        if parse(value) is None:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )
        return normalised(value)

    def has_changed(self, initial, data):
        return normalised(initial or "") != normalised((data or "").strip())

    def prepare_value(self, value):
        return shown(value) if isinstance(value, str) else value


class PhoneField(models.CharField):
    """A CharField whose valid numbers are written in E.164, whichever way they are written
    (save, bulk_create, bulk_update and the exact lookups all pass through get_prep_value)."""

    def get_prep_value(self, value):
        return normalised(super().get_prep_value(value))

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhoneFormField, **kwargs})
