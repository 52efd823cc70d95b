"""The shared pool (公海): accounts nobody worked return to their team, whose reps may claim
them. A team opts in with its rule; the pool's records say what lies in it and every move in
and out (docs/decisions.md, "The shared pool")."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crm import policy

WARNING_DAYS = 7  # the owner is told this many days before an account returns (issue 21)
CLAIM_WINDOW_DAYS = 30  # a rep's claims are counted over this many days


class PoolRule(models.Model):
    """A team's setting: after how many days without a done activity an account returns, and
    how many a rep may claim in CLAIM_WINDOW_DAYS."""

    team = models.OneToOneField(
        "crm.Team", on_delete=models.CASCADE, related_name="pool_rule", verbose_name=_("team")
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    return_after_days = models.PositiveSmallIntegerField(
        _("return after (days)"),
        default=90,
        validators=[MinValueValidator(WARNING_DAYS + 1), MaxValueValidator(3650)],
        help_text=_(
            "An account whose owner logged no done activity on it for this many days, and "
            "that has no open opportunity, returns to the team's pool."
        ),
    )
    claim_limit = models.PositiveSmallIntegerField(
        _("claims per rep in 30 days"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )

    class Meta:
        verbose_name = _("shared pool rule")
        verbose_name_plural = _("shared pool rules")

    def __str__(self):
        return str(self.team)


class PooledQuerySet(models.QuerySet):
    def visible_to(self, user):
        # An owner written past the pool's services (an import's bulk update) leaves a row
        # behind: an account with an owner is not in the pool, whatever the row says.
        return policy.pooled(self, user, team="team").filter(account__owner__isnull=True)


class PooledAccount(models.Model):
    """An account lying in a team's pool: its owner is empty until someone claims it."""

    account = models.OneToOneField(
        "accounts.Account",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="pooled",
        verbose_name=pgettext_lazy("customer", "account"),
    )
    team = models.ForeignKey(
        "crm.Team", on_delete=models.CASCADE, related_name="pooled_accounts", verbose_name=_("team")
    )
    since = models.DateTimeField(_("in the pool since"))
    previous_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous owner"),
    )
    last_done_on = models.DateField(_("last done activity"), null=True, blank=True)

    objects = PooledQuerySet.as_manager()

    class Meta:
        verbose_name = _("pooled account")
        verbose_name_plural = _("pooled accounts")
        indexes = [models.Index(fields=["team", "-since"], name="pooled_team_since_idx")]

    def __str__(self):
        return str(self.account)


class PoolMove(models.Model):
    """One move into or out of a pool, kept after the account has left it."""

    class Kind(models.TextChoices):
        RETURNED = "returned", _("returned to the pool")
        CLAIMED = "claimed", _("claimed")
        ASSIGNED = "assigned", _("assigned by a manager")

    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="pool_moves",
        verbose_name=pgettext_lazy("customer", "account"),
    )
    team = models.ForeignKey(
        "crm.Team", on_delete=models.CASCADE, related_name="pool_moves", verbose_name=_("team")
    )
    kind = models.CharField(_("move"), max_length=10, choices=Kind)
    from_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from"),
    )
    to_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty: the nightly scan."),
    )
    at = models.DateTimeField(_("at"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("pool move")
        verbose_name_plural = _("pool moves")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["account", "-at"], name="poolmove_account_at_idx"),
            models.Index(fields=["to_owner", "kind", "at"], name="poolmove_claims_idx"),
        ]

    def __str__(self):
        return f"{self.account} · {self.get_kind_display()}"
