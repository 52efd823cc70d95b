from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.models import TimeStampedModel


class Product(TimeStampedModel):
    """Our product catalogue, kept by admins; line items point at it."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    series = models.CharField(_("product series"), max_length=100, blank=True)
    list_price = models.DecimalField(
        _("list price (CNY)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    is_active = models.BooleanField(
        _("on sale"), default=True, help_text=_("Untick to stop offering it on new line items.")
    )
    external_id = models.CharField(
        _("external id"),
        max_length=100,
        blank=True,
        help_text=_("The product's id in the system it was imported from."),
    )

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["series", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(list_price__gte=0), name="product_list_price_not_negative"
            ),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="product_external_id_unique",
            ),
        ]

    def __str__(self):
        return self.name
