"""A contact's relationship: the stage on the ladder 认识 → 约会 → 信赖 → 同盟, personality type,
interest points, institutional and personal needs (the trust quadrant, §4.3), and every change
of stage.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Contact
from crm import policy
from crm.models import TimeStampedModel
from relationships.models.choices import Personality, Stage


class RelationshipQuerySet(models.QuerySet):
    def visible_to(self, user):
        return policy.within(self, user, parent="contact", parents=Contact.objects.visible_to(user))


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
    interest_points = models.JSONField(
        _("interest points (兴趣点)"),
        default=list,
        blank=True,
        help_text=_("What this person cares about; the way to advance the relationship."),
    )
    institutional_needs = models.TextField(_("institutional needs"), blank=True)
    institutional_needs_met = models.BooleanField(_("institutional needs met"), default=False)
    personal_needs = models.TextField(_("personal needs"), blank=True)
    personal_needs_met = models.BooleanField(_("personal needs met"), default=False)

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


class StageChange(models.Model):
    """One move on the ladder: from, to, when, who, and the activity that supports it."""

    relationship = models.ForeignKey(
        Relationship,
        on_delete=models.CASCADE,
        related_name="stage_changes",
        verbose_name=_("relationship"),
    )
    from_stage = models.PositiveSmallIntegerField(
        pgettext_lazy("relationship stage", "from"), choices=Stage
    )
    to_stage = models.PositiveSmallIntegerField(
        pgettext_lazy("relationship stage", "to"), choices=Stage
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="relationship_stage_changes",
        verbose_name=_("changed by"),
    )
    activity = models.ForeignKey(
        "Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stage_changes",
        verbose_name=_("supporting activity"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [
            # Relationship page: the history of one relationship, newest first.
            models.Index(fields=["relationship", "-changed_at"], name="stage_change_rel_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_stage=models.F("to_stage")), name="stage_change_moves"
            ),
            models.CheckConstraint(
                condition=Q(from_stage__gte=1, from_stage__lte=4, to_stage__gte=1, to_stage__lte=4),
                name="stage_change_stages_valid",
            ),
        ]

    def __str__(self):
        return f"{self.from_stage} → {self.to_stage}"
