"""Forms for the installed base, purchase plans and competitor presence (categories 1 and 4)."""

from crispy_forms.layout import Column, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms.base import DATE, AccountPartForm, _helper, _row, _text
from accounts.models import Competitor, CompetitorPresence, InstalledProduct, PurchasePlan


class InstalledProductForm(AccountPartForm):
    class Meta:
        model = InstalledProduct
        fields = [
            "purpose",
            "brand",
            "product",
            "quantity",
            "years_in_use",
            "vendor",
            "competitor",
            "satisfaction",
            "notes",
        ]
        widgets = {"notes": _text(2)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competitor"].queryset = Competitor.objects.order_by("name")
        self.helper = _helper(
            _row("purpose", "brand", "product"),
            Row(
                Column("quantity", css_class="col-6 col-md-3"),
                Column("years_in_use", css_class="col-6 col-md-3"),
                Column("vendor", css_class="col-md-3"),
                Column("competitor", css_class="col-md-3"),
            ),
            "satisfaction",
            "notes",
            "version",
        )


class PurchasePlanForm(AccountPartForm):
    class Meta:
        model = PurchasePlan
        fields = ["title", "problem", "expected_date", "budget"]
        widgets = {"problem": _text(2), "expected_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].widget.attrs["min"] = 0
        self.helper = _helper(
            "title",
            "problem",
            _row("expected_date", "budget"),
            "version",
        )


class CompetitorPresenceForm(AccountPartForm):
    new_competitor = forms.CharField(
        label=_("or a new competitor"),
        max_length=200,
        required=False,
        help_text=_("Not in the list yet? Type its name and it is added to the catalogue."),
    )

    class Meta:
        model = CompetitorPresence
        fields = [
            "competitor",
            "products_in_use",
            "satisfaction",
            "rep_name",
            "rep_style",
            "rep_relationship",
            "notes",
        ]
        widgets = {"products_in_use": _text(2), "notes": _text(2)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        competitor = self.fields["competitor"]
        competitor.queryset = Competitor.objects.order_by("name")
        competitor.required = False
        self.helper = _helper(
            _row("competitor", "new_competitor"),
            "products_in_use",
            "satisfaction",
            _row("rep_name", "rep_style", "rep_relationship"),
            "notes",
            "version",
        )

    def clean(self):
        cleaned = super().clean()
        competitor = cleaned.get("competitor")
        new_name = (cleaned.get("new_competitor") or "").strip()
        if competitor and new_name:
            self.add_error("new_competitor", _("Choose a competitor or type a new one, not both."))
        elif not competitor and not new_name:
            self.add_error("competitor", _("Choose a competitor or type a new one."))
        elif new_name:
            competitor = Competitor.objects.filter(name__iexact=new_name).first()
        if competitor:
            duplicate = self.account.competitor_presences.filter(competitor=competitor).exclude(
                pk=self.instance.pk
            )
            if duplicate.exists():
                self.add_error(
                    "competitor" if cleaned.get("competitor") else "new_competitor",
                    _("This competitor is already recorded at this account."),
                )
        return cleaned

    def save(self, commit=True):
        new_name = self.cleaned_data.get("new_competitor", "").strip()
        if new_name and not self.instance.competitor_id:
            # get_or_create under the unique name: two people adding it at once share one.
            self.instance.competitor = (
                Competitor.objects.filter(name__iexact=new_name).first()
                or Competitor.objects.get_or_create(name=new_name)[0]
            )
        return super().save(commit=commit)
