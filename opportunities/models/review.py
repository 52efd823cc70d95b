"""Deal reviews: a manager goes through the eight questions of METHOD.md §9.3 with the rep and
records what they agreed to do next."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm import policy
from crm.models import TimeStampedModel


class DealReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        from opportunities.models.opportunity import Opportunity

        return policy.within(
            self, user, parent="opportunity", parents=Opportunity.objects.visible_to(user)
        )


class DealReview(TimeStampedModel):
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("opportunity"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="deal_reviews",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), default=timezone.now)
    agreed_next_steps = models.TextField(
        _("agreed next steps"), help_text=_("What the rep will do, by when; one line each.")
    )
    notes = models.TextField(_("notes"), blank=True)
    next_review_date = models.DateField(_("next review"), null=True, blank=True)
    self_approved = models.BooleanField(
        _("self-approved"),
        default=False,
        editable=False,
        help_text=_("Decided by the deal's owner themself (allowed by ALLOW_SELF_APPROVAL)."),
    )
    unknown_answers = models.PositiveSmallIntegerField(
        _("questions unanswered"),
        default=0,
        editable=False,
        help_text=_("How many of the eight review questions the data could not answer."),
    )

    objects = DealReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("deal review")
        verbose_name_plural = _("deal reviews")
        indexes = [
            # Deal review page: the deal's reviews, newest first.
            models.Index(fields=["opportunity", "-reviewed_at"], name="deal_review_opp_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(agreed_next_steps=""), name="deal_review_has_next_steps"
            ),
            models.CheckConstraint(
                condition=Q(unknown_answers__lte=8), name="deal_review_unknown_at_most_8"
            ),
        ]

    def __str__(self):
        return f"{self.opportunity_id}: {self.reviewed_at:%Y-%m-%d}"
