"""Greeting placeholders as pure functions: which names a template may use, which unknown
ones it uses, and the text with the values filled in. A placeholder is `{name}`; each has an
English and a Chinese name, so an admin may write either."""

import re

from django.utils.translation import gettext_lazy as _

PATTERN = re.compile(r"\{([^{}\s]{1,30})\}")

# key, English name, Chinese name, what it stands for
PLACEHOLDERS = [
    ("salutation", "salutation", "称呼", _("how the person is addressed (称呼)")),
    ("name", "name", "姓名", _("the person's name")),
    ("company", "company", "公司", _("the person's company")),
    ("occasion", "occasion", "节日", _("the festival or 生日")),
    ("rep", "rep", "销售", _("the rep's name")),
    ("signature", "signature", "签名", _("the rep's signature")),
]
ALIASES = {alias: key for key, en, zh, _label in PLACEHOLDERS for alias in (key, en, zh)}


def used(text: str) -> list[str]:
    """The placeholder names `text` uses, in order of first use."""
    return list(dict.fromkeys(PATTERN.findall(text or "")))


def unknown(text: str) -> list[str]:
    """The names in braces that are no placeholder (an admin's typo, refused at save)."""
    return [name for name in used(text) if name not in ALIASES]


def render(text: str, values: dict[str, str]) -> str:
    """`text` with each known placeholder replaced by its value (empty when missing);
    unknown names stay as written."""

    def fill(match):
        key = ALIASES.get(match.group(1))
        return match.group(0) if key is None else str(values.get(key, ""))

    return PATTERN.sub(fill, text or "")


def help_text() -> str:
    return ", ".join(f"{{{en}}} / {{{zh}}}" for _key, en, zh, _label in PLACEHOLDERS)
