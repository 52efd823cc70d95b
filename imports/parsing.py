"""The cells of an import row turned into our values: each parser takes the column's name and
the text, and raises RowError with a reason the report shows."""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db.models import TextChoices
from django.utils.translation import gettext as _


class RowError(Exception):
    """One value of one row is wrong; `column` is our field name."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


class RowErrors(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


def parse_date(column: str, value: str) -> datetime.date | None:
    if not value:
        return None
    text = value.strip()[:10] if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", value) else value.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise RowError(column, _("“%(value)s” is not a date: write YYYY-MM-DD.") % {"value": value})


def parse_decimal(column: str, value: str, *, places: int = 2) -> Decimal | None:
    if not value:
        return None
    text = value.replace(",", "").replace(" ", "").lstrip("¥$€£")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise RowError(column, _("“%(value)s” is not a number.") % {"value": value}) from None
    if not number.is_finite():
        raise RowError(column, _("“%(value)s” is not a number.") % {"value": value})
    if number < 0:
        raise RowError(column, _("“%(value)s” is negative.") % {"value": value})
    if abs(number) >= Decimal(10) ** 13:
        raise RowError(column, _("“%(value)s” is too large.") % {"value": value})
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def parse_int(column: str, value: str, *, minimum: int = 0, maximum: int = 2**31 - 1):
    if not value:
        return None
    text = value.replace(",", "").strip()
    if re.fullmatch(r"-?\d+(\.0+)?", text) is None:
        raise RowError(column, _("“%(value)s” is not a whole number.") % {"value": value})
    number = int(Decimal(text))
    if number < minimum or number > maximum:
        raise RowError(
            column,
            _("%(value)s is outside %(min)s–%(max)s.")
            % {"value": number, "min": minimum, "max": maximum},
        )
    return number


TRUE = {"1", "true", "yes", "y", "是", "x", "✓"}


FALSE = {"0", "false", "no", "n", "否", ""}


def parse_bool(column: str, value: str, *, default: bool = False) -> bool:
    if value == "":
        return default
    lowered = value.strip().lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise RowError(column, _("“%(value)s” is not yes or no.") % {"value": value})


def parse_choice(column: str, value: str, choices: type[TextChoices], default=""):
    """A choice by its code or its label (either language's part of a bilingual label)."""
    if not value:
        return default
    wanted = value.strip().lower()
    for code, label in choices.choices:
        label = str(label).lower()
        parts = {label, *re.split(r"[()（）]", label)}
        if wanted == str(code).lower() or wanted in {p.strip() for p in parts if p.strip()}:
            return code
    allowed = ", ".join(str(code) for code in choices.values)
    raise RowError(
        column,
        _("“%(value)s” is not one of: %(allowed)s.") % {"value": value, "allowed": allowed},
    )


def parse_text(column: str, value: str, *, max_length: int) -> str:
    if len(value) > max_length:
        raise RowError(column, _("Longer than %(max)s characters.") % {"max": max_length})
    return value


def parse_email(column: str, value: str) -> str:
    if not value:
        return ""
    try:
        EmailValidator()(value)
    except ValidationError:
        raise RowError(
            column, _("“%(value)s” is not an email address.") % {"value": value}
        ) from None
    return value


def parse_url(column: str, value: str) -> str:
    if not value:
        return ""
    url = value if "://" in value else f"https://{value}"
    try:
        URLValidator()(url)
    except ValidationError:
        raise RowError(column, _("“%(value)s” is not a web address.") % {"value": value}) from None
    return url
