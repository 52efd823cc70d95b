"""Three terms kept apart (issue 17): 赢率 is only the rep's estimate, 阶段概率 a move's default
(stage) probability, 赢单率 won ÷ closed; and every breadcrumb's label is translated."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, pgettext

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("stage probability (%)", "阶段概率"),
        ("Win rate", "赢单率"),
        ("Win rate (%)", "赢单率"),
        ("Win rate of late entries", "赢单率"),
        ("rep's win estimate (%)", "赢率"),
        ("Win probability estimate (赢率)", "赢率"),
    ],
)
def test_each_term_has_its_own_word(english, chinese):
    with translation.override("zh-hans"):
        assert chinese in gettext(english)


def test_win_rate_and_stage_probability_never_say_the_estimates_word():
    for entry in polib.pofile(str(CATALOGUE)):
        text = entry.msgid.lower()
        if "win rate" in text or "stage probability" in text:
            assert "赢率" not in entry.msgstr.replace("赢单率", ""), entry.msgid
        if "赢率" in entry.msgstr.replace("赢单率", ""):
            assert "estimate" in text or "odds" in text, entry.msgid


def test_every_breadcrumb_label_is_translated():
    templates = Path(settings.BASE_DIR) / "templates"
    raw = [p for p in templates.rglob("*.html") if 'aria-label="breadcrumb"' in p.read_text()]
    assert raw == []
    with translation.override("zh-hans"):
        assert pgettext("navigation", "Breadcrumb") == "导航路径"
