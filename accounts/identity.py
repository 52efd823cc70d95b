"""Who a company is (issue 20): the 统一社会信用代码 (unified social credit code, GB 32100-2015,
checked with python-stdnum), and the name key that makes "江南银行股份有限公司" and
"江南银行 (股份)" the same name when looking for duplicates.

`company_key` has a SQL twin, the database function company_key() built from the same two
tuples (`install_company_key`: a Python function registered on each SQLite connection, a SQL
function created after every migrate on PostgreSQL), so that the create warning and the
duplicates page cannot disagree.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Func
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc

# Legal-form words that do not tell two companies apart, longest first (each removed once,
# in this order, before the characters below).
LEGAL_FORMS = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "股份",
    "co., ltd.",
    "co.,ltd.",
    "co., ltd",
    "co.,ltd",
    "co. ltd",
    "limited",
    "ltd.",
    "ltd",
    "inc.",
    "inc",
)
SEPARATORS = (" ", "\u3000", "（", "）", "(", ")", ",", "，", ".", "。", "·", "-", "_")


def company_key(name: str) -> str:
    """The name with legal forms, brackets, spaces and punctuation removed, in lower case."""
    key = (name or "").lower()
    for word in LEGAL_FORMS:
        key = key.replace(word, "")
    for character in SEPARATORS:
        key = key.replace(character, "")
    return key


class CompanyKey(Func):
    function = "company_key"
    output_field = models.CharField()


def install_company_key(connection):
    """Make company_key() available in SQL on this connection's database."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("company_key", 1, company_key, deterministic=True)
    elif connection.vendor == "postgresql":
        body = "lower($1)"
        for text in (*LEGAL_FORMS, *SEPARATORS):
            body = f"replace({body}, '{text}', '')"
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE OR REPLACE FUNCTION company_key(text) RETURNS text "
                f"LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT {body} $$"
            )


def web_domain(url: str) -> str:
    """example.com for https://www.Example.com/about (an empty string for no website)."""
    if not url:
        return ""
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host.removeprefix("www.")


def clean_uscc(value: str) -> str:
    """The code in its compact form (upper case, no spaces), or a ValidationError saying what
    is wrong with it."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return uscc.validate(value)
    except stdnum_errors.InvalidLength:
        message = _("A unified social credit code has 18 characters.")
    except stdnum_errors.InvalidChecksum:
        message = _("This unified social credit code's check digit is wrong: check the code.")
    except stdnum_errors.ValidationError:
        message = _(
            "This is not a unified social credit code: 18 digits and capital letters "
            "(without I, O, S, V or Z)."
        )
    raise ValidationError(message, code="uscc")


class UsccField(models.CharField):
    """The code, optional, kept compact; a wrong one is refused at the field (forms, admin)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 18)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return clean_uscc(value) if value else ""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return "".join(value.split()).upper() if value else value
