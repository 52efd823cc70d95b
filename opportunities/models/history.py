from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm import policy
from opportunities.models.opportunity import Opportunity, Status
from opportunities.rules.stages import Move


class MoveChangeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return policy.within(
            self, user, parent="opportunity", parents=Opportunity.objects.visible_to(user)
        )


class MoveChange(models.Model):
    """One change of an opportunity's move or status: the exact stage history (METHOD.md §9.2).

    Written only by opportunities.deals.services, in the same transaction as the change itself.
    """

    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.CASCADE,
        related_name="move_changes",
        verbose_name=_("opportunity"),
    )
    from_move = models.PositiveSmallIntegerField(_("from move"), choices=Move, null=True)
    to_move = models.PositiveSmallIntegerField(_("to move"), choices=Move)
    from_status = models.CharField(_("from status"), max_length=10, choices=Status, blank=True)
    to_status = models.CharField(_("to status"), max_length=10, choices=Status)
    changed_at = models.DateTimeField(_("when"), default=timezone.now)
    # When the deal left this state: the next change's time, None while it is the current one.
    # Kept by opportunities.pipeline.facts.refresh(); the pipeline's time per move sums it (§9.2).
    left_at = models.DateTimeField(_("until"), null=True, blank=True, editable=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="move_changes",
        verbose_name=_("by"),
    )
    is_override = models.BooleanField(_("manager override"), default=False)
    self_approved = models.BooleanField(
        _("self-approved"),
        default=False,
        editable=False,
        help_text=_("Decided by the deal's owner themself (allowed by ALLOW_SELF_APPROVAL)."),
    )
    reason = models.TextField(_("reason"), blank=True)
    overridden_checks = models.TextField(
        _("checks overridden"), blank=True, help_text=_("The unmet checks at the time.")
    )

    # Brought in by an import (a historical outcome or a state of the old CRM), not a decision
    # made here through the gates.
    is_imported = models.BooleanField(_("imported"), default=False)

    objects = MoveChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("move change")
        verbose_name_plural = _("move history")
        indexes = [
            # Opportunity page: the deal's history in time order.
            models.Index(fields=["opportunity", "changed_at"], name="move_change_opp_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_override=False) | ~Q(reason=""), name="move_change_override_reason"
            ),
        ]

    def __str__(self):
        return f"{self.opportunity_id}: {self.from_move} → {self.to_move}"
