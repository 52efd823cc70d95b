"""Users, teams and roles; the abstract bases every app builds on."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm import policy


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The users whose records `user` can see: themself, the members of the teams they
        manage, or everyone for an admin (see crm.policy)."""
        return policy.visible(self, user, owner="pk")


class CuilongUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language the interface uses for this user; empty follows the browser."),
    )

    objects = CuilongUserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # Admin is a permission (crm.policy.is_admin), not staff status: staff status only opens
        # Django admin, where model permissions decide what a staff user may do.
        permissions = [("see_every_team", _("Can see and change every team's records"))]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_admin(self) -> bool:
        return policy.is_admin(self)


class TeamQuerySet(models.QuerySet):
    def managed_by(self, user):
        """The teams `user` is a manager of."""
        return self.filter(memberships__user=user, memberships__role=Membership.Role.MANAGER)


class Team(TimeStampedModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="teams",
        verbose_name=_("members"),
    )

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self):
        return self.name


class MembershipQuerySet(models.QuerySet):
    def managing(self, user):
        """The memberships through which `user` manages a team."""
        return self.filter(user=user, role=Membership.Role.MANAGER)

    def managed_by(self, user):
        """The memberships of the teams `user` manages (their own manager rows included)."""
        return self.filter(team__in=self.model.objects.managing(user).values("team"))


class Membership(TimeStampedModel):
    class Role(models.TextChoices):
        REP = "rep", _("sales rep")
        MANAGER = "manager", _("sales manager")

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.REP)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="membership_unique_team_user"),
        ]

    def __str__(self):
        return f"{self.team_id}:{self.user_id}:{self.role}"


# API tokens (crm/api/), the figures' generation (crm/figures.py), webhooks (crm/webhooks/),
# notifications (crm/notifications/), the calendar feed (crm/agenda.py), saved views
# (crm/saved/) and the job runs (crm/worker.py) live in their own modules; imported here so
# that Django registers them.
from crm.agenda import CalendarFeed  # noqa: E402, F401
from crm.api.models import ApiToken  # noqa: E402, F401
from crm.figures import FigureGeneration  # noqa: E402, F401
from crm.notifications.models import (  # noqa: E402, F401
    Delivery,
    Notification,
    NotificationPreference,
    RobotChannel,
)
from crm.saved.models import DefaultView, SavedView  # noqa: E402, F401
from crm.webhooks.models import Subscription, WebhookDelivery  # noqa: E402, F401
from crm.worker import JobRun  # noqa: E402, F401
