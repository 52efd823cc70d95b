"""The importer of the product catalogue, by product name."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports.engine import Column, Importer
from imports.parsing import RowError, RowErrors, parse_decimal, parse_text
from opportunities.models import Product


class ProductImporter(Importer):
    """The catalogue (admins only), by product name."""

    kind = "products"
    key = "name"
    columns = (
        Column("name", gettext_lazy("name"), required=True),
        Column("series", gettext_lazy("product series")),
        Column("list_price", gettext_lazy("list price"), required=True),
        Column("external_id", gettext_lazy("external id")),
    )
    OWN = ("name", "series", "list_price", "external_id")

    def prepare(self, rows):
        self.products = {p.name.lower(): p for p in Product.objects.all()}

    def clean(self, row, warn):
        errors, values = [], {}
        for name, parse in (
            ("name", lambda c, v: parse_text(c, v, max_length=200)),
            ("series", lambda c, v: parse_text(c, v, max_length=100)),
            ("external_id", lambda c, v: parse_text(c, v, max_length=100)),
            ("list_price", parse_decimal),
        ):
            try:
                values[name] = parse(name, row.get(name, ""))
            except RowError as exc:
                errors.append(exc)
        if "list_price" in values and values["list_price"] is None:
            errors.append(RowError("list_price", _("A product needs its list price.")))
        if errors:
            raise RowErrors(errors)
        return values

    def existing(self, key):
        return self.products.get(key.lower())

    def differs(self, instance, values):
        return any(getattr(instance, n) != values[n] for n in self.OWN if n != "name")

    def write(self, creates, updates):
        new = [Product(**v) for v in creates]
        fields = ["series", "list_price", "external_id"]
        self.write_in_bulk(Product, new, updates, fields, history=False, batch_size=None)
