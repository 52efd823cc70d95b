"""Gift caps (METHOD.md §10 "within the law"): how much a person of a customer may receive in
gifts and hospitality in one calendar year, stricter for some kinds of customer. Admin-edited:
one row per customer type, and the row without a type as the default.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Account

# The method's defaults (CNY per person per calendar year), used while the admin keeps no row
# for a type and seeded by the migration. Officials and state-owned enterprises are held to the
# strictest rules (八项规定); foreign customers answer to their own anti-bribery laws.
GIFT_CAPS = {
    "": Decimal("2000"),
    Account.Type.GOVERNMENT: Decimal("500"),
    Account.Type.STATE_OWNED: Decimal("1000"),
    Account.Type.FOREIGN: Decimal("1000"),
    Account.Type.PRIVATE: Decimal("3000"),
}


def ensure_gift_caps(cap_model) -> None:
    """Create the default caps that are missing (an admin's edits are kept)."""
    for account_type, cap in GIFT_CAPS.items():
        cap_model.objects.get_or_create(
            account_type=str(account_type), defaults={"yearly_cap": cap}
        )


class GiftCapSetting(models.Model):
    """The most a person may receive in gifts and hospitality in a calendar year, for one
    customer type (the row without a type: every other customer)."""

    account_type = models.CharField(
        _("customer type"),
        max_length=12,
        choices=Account.Type,
        blank=True,
        help_text=_("Empty: the default cap, for customers without a type or without a row."),
    )
    yearly_cap = models.DecimalField(
        _("yearly cap per person (CNY)"),
        max_digits=12,
        decimal_places=2,
        help_text=_(
            "A gift that takes a person's gifts and hospitality of the year above this needs "
            "a manager's approval."
        ),
    )

    class Meta:
        verbose_name = _("gift cap")
        verbose_name_plural = _("gift caps")
        constraints = [
            models.UniqueConstraint(fields=["account_type"], name="gift_cap_one_per_type"),
            models.CheckConstraint(condition=Q(yearly_cap__gte=0), name="gift_cap_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_account_type_display() or _('default')}: {self.yearly_cap}"
