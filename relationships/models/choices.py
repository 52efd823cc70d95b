"""The choices of move 2: the stage ladder, personality types, the trust quadrant and activity
styles (METHOD.md §4), and how a bilingual name is shown.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Stage(models.IntegerChoices):
    """关系阶段, ordered (METHOD.md §4.2): a higher value is a deeper relationship."""

    ACQUAINTANCE = 1, _("acquaintance (认识)")
    INTERACTION = 2, _("interaction (约会)")
    TRUST = 3, _("trust (信赖)")
    ALLIANCE = 4, _("alliance (同盟)")


class Personality(models.TextChoices):
    """性格类型 (METHOD.md §4.4)."""

    UNKNOWN = "unknown", _("unknown")
    PEACOCK = "peacock", _("peacock (孔雀)")
    KOALA = "koala", _("koala (考拉)")
    OWL = "owl", _("owl (猫头鹰)")
    TIGER = "tiger", _("tiger (老虎)")


class Quadrant(models.TextChoices):
    """The trust matrix, institutional × personal needs (METHOD.md §4.3)."""

    PARTNER = "partner", _("partner (合作伙伴)")
    FRIEND = "friend", _("friend (朋友)")
    SUPPLIER = "supplier", _("supplier (供应商)")
    OUTSIDER = "outsider", _("outsider (局外人)")


class ActivityStyle(models.TextChoices):
    """What an activity type offers a person, so that next-best actions can suit the
    personality (METHOD.md §4.4): owls want evidence, tigers results, peacocks recognition,
    koalas a steady relationship."""

    EVIDENCE = "evidence", _("data and evidence")
    RESULTS = "results", _("results and decisions")
    RECOGNITION = "recognition", _("social and recognition")
    RAPPORT = "rapport", _("steady rapport")
    NEUTRAL = "neutral", _("neutral")


def _bilingual(english: str, chinese: str) -> str:
    """The name in the active language (admin-editable data carries both)."""
    if (get_language() or "").lower().startswith("zh") and chinese:
        return chinese
    return english or chinese
