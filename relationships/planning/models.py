"""Planned work of move 2 (METHOD.md §4: planning the right activity with the right person).

PlannedActivity: an activity on the calendar, not yet evidence. Marking it done logs an
`Activity` dated when it happened, and only that activity counts on the ladder; cancelling or
rescheduling changes the plan only. Todo: a plain dated task on an account, a contact or a deal.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Account, Contact
from crm import policy
from crm.models import TimeStampedModel


def _visible_with_account(queryset, user):
    """Visible when the owner is within reach or the account is (as activities are)."""
    by_account = policy.within(
        queryset, user, parent="account", parents=Account.objects.visible_to(user)
    )
    return policy.visible(queryset, user, owner="owner") | by_account


class PlannedActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        return _visible_with_account(self, user)

    def planned(self):
        return self.filter(status=PlannedActivity.Status.PLANNED)


class PlannedActivity(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("activity", "planned")
        DONE = "done", pgettext_lazy("activity", "done")
        CANCELLED = "cancelled", pgettext_lazy("activity", "cancelled")

    account = models.ForeignKey(
        Account,
        on_delete=models.CASCADE,
        related_name="planned_activities",
        verbose_name=pgettext_lazy("customer", "account"),
    )
    contacts = models.ManyToManyField(
        Contact, related_name="planned_activities", verbose_name=_("contacts")
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="planned_activities",
        verbose_name=_("opportunity"),
    )
    type = models.ForeignKey(
        "relationships.ActivityType",
        on_delete=models.PROTECT,
        related_name="planned_activities",
        verbose_name=_("activity type"),
    )
    starts_at = models.DateTimeField(_("date and time"))
    notes = models.TextField(_("notes"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="planned_activities",
        verbose_name=_("owner"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANNED)
    activity = models.OneToOneField(
        "relationships.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan",
        verbose_name=_("logged activity"),
    )

    objects = PlannedActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")
        indexes = [
            # Calendar, plans page and the reminder scan: a user's plans by time.
            models.Index(fields=["owner", "status", "starts_at"], name="plan_owner_status_idx"),
            models.Index(fields=["account", "starts_at"], name="plan_account_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planned", "done", "cancelled"]),
                name="plan_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.type_id}"

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED


class TodoQuerySet(models.QuerySet):
    def visible_to(self, user):
        return _visible_with_account(self, user)

    def open(self):
        return self.filter(done_at__isnull=True)


class Todo(TimeStampedModel):
    title = models.CharField(_("title"), max_length=300)
    due_date = models.DateField(_("due date"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="todos",
        verbose_name=_("owner"),
    )
    account = models.ForeignKey(
        Account,
        on_delete=models.CASCADE,
        related_name="todos",
        verbose_name=pgettext_lazy("customer", "account"),
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="todos",
        verbose_name=_("contact"),
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="todos",
        verbose_name=_("opportunity"),
    )

    objects = TodoQuerySet.as_manager()

    class Meta:
        verbose_name = _("to-do")
        verbose_name_plural = _("to-dos")
        indexes = [
            # Plans page, calendar and the reminder scan: a user's open to-dos by due date.
            models.Index(fields=["owner", "done_at", "due_date"], name="todo_owner_due_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
