"""Per-contact relationships of move 2, 建立信任 (METHOD.md §4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Contact
from crm.models import TimeStampedModel


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


class RelationshipQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(contact__in=Contact.objects.visible_to(user).values("pk"))


class Relationship(TimeStampedModel):
    """Our relationship with one person (per person, not per account: METHOD.md §10)."""

    contact = models.OneToOneField(
        Contact,
        on_delete=models.CASCADE,
        related_name="relationship",
        verbose_name=_("contact"),
    )
    stage = models.PositiveSmallIntegerField(
        _("relationship stage"), choices=Stage, default=Stage.ACQUAINTANCE
    )
    personality = models.CharField(
        _("personality type"), max_length=10, choices=Personality, default=Personality.UNKNOWN
    )

    history = HistoricalRecords()
    objects = RelationshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stage__gte=1, stage__lte=4), name="relationship_stage_valid"
            ),
        ]

    def __str__(self):
        return str(self.contact_id)
