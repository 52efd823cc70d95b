"""Saved views (issue 20): a list's filters and sort kept under a name, private or shared with
the owner's teams, and each user's default view per list."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm import policy


class SavedViewQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The user's own views and those their teammates share."""
        if not policy.is_active(user):
            return self.none()
        shared = Q(shared=True, owner__memberships__team__in=policy.team_ids(user))
        return self.filter(Q(owner=user) | shared).distinct()


class SavedView(models.Model):
    class List(models.TextChoices):
        ACCOUNTS = "accounts:list", _("Accounts")
        CONTACTS = "relationships:contact_list", _("Contacts")
        OPPORTUNITIES = "opportunities:list", _("Opportunities")
        ACTIVITIES = "relationships:activities", _("Activities")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_views",
        verbose_name=_("owner"),
    )
    list = models.CharField(_("list"), max_length=40, choices=List)
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filters and sort"), max_length=2000)
    shared = models.BooleanField(
        _("shared with my team"),
        default=False,
        help_text=_("Teammates see it in their list of views; only you change it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SavedViewQuerySet.as_manager()

    class Meta:
        app_label = "crm"
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "list", "name"],
                name="saved_view_unique_name",
                violation_error_message=_("You already have a view of this name on this list."),
            )
        ]

    def __str__(self):
        return self.name


class DefaultView(models.Model):
    """The view a list opens with for one user (their own or a shared one)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    list = models.CharField(max_length=40, choices=SavedView.List)
    view = models.ForeignKey(SavedView, on_delete=models.CASCADE, related_name="+")

    class Meta:
        app_label = "crm"
        constraints = [
            models.UniqueConstraint(fields=["user", "list"], name="default_view_per_list")
        ]

    def __str__(self):
        return f"{self.user_id} {self.list} → {self.view_id}"
