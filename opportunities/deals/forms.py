from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Account, Competitor, Contact
from crm.concurrency import ConcurrentEditMixin
from crm.models import User
from opportunities.models import (
    BuyerStage,
    LineItem,
    Opportunity,
    Product,
    PurchaseRole,
    Stakeholder,
    Status,
)
from opportunities.models.opportunity import AMOUNT_LIMIT
from opportunities.rules.stages import Move

TOO_LARGE = _("Quantity × unit price is more than an amount can hold (¥%(limit)s).")

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OpportunityForm(ConcurrentEditMixin, forms.ModelForm):
    class Meta:
        model = Opportunity
        fields = [
            "name",
            "account",
            "owner",
            "source",
            "expected_close_date",
            "next_step",
            "next_step_date",
            "budget_amount",
            "budget_status",
            "decision_date",
            "fit",
            "margin_percent",
            "cost_of_sale",
            "implementation_risk",
            "win_estimate",
        ]
        widgets = {
            "expected_close_date": DATE,
            "next_step_date": DATE,
            "decision_date": DATE,
        }
        help_texts = {
            "budget_amount": _("What the customer can spend on this purchase."),
            "fit": _("1 = we are weak here, 5 = this is exactly what we are best at."),
            "win_estimate": _("Your own estimate; the card shows it beside the evidence."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Only what the user may see, plus the current values (saving must not force a
        # change): a crafted POST cannot attach a deal to another account.
        current = self.instance
        self.fields["account"].queryset = Account.objects.filter(
            Q(pk__in=Account.objects.visible_to(user).values("pk")) | Q(pk=current.account_id)
        ).order_by("name")
        self.fields["owner"].queryset = User.objects.filter(
            Q(pk__in=User.objects.visible_to(user).filter(is_active=True).values("pk"))
            | Q(pk=current.owner_id)
        ).order_by("username")
        if not self.instance.pk:
            self.fields["owner"].initial = user.pk
        self.fields["fit"].widget = forms.Select(
            choices=[("", "—")] + [(i, str(i)) for i in range(1, 6)]
        )
        for name in ("budget_amount", "cost_of_sale", "margin_percent", "win_estimate"):
            self.fields[name].widget.attrs["min"] = 0
        for name in ("margin_percent", "win_estimate"):
            self.fields[name].widget.attrs["max"] = 100

    def clean_account(self):
        account = self.cleaned_data["account"]
        if (
            self.instance.pk
            and account.pk != self.instance.account_id
            and self.instance.stakeholders.exists()
        ):
            raise ValidationError(
                _("The buying group belongs to the current account: remove the stakeholders first.")
            )
        return account


class LineItemForm(forms.ModelForm):
    class Meta:
        model = LineItem
        fields = ["product", "quantity", "unit_price", "discount_percent"]
        labels = {"discount_percent": _("discount %")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.product_id if self.instance.pk else None
        self.fields["product"].queryset = Product.objects.filter(is_active=True) | (
            Product.objects.filter(pk=current)
        )
        self.fields["unit_price"].required = False
        self.fields["unit_price"].help_text = _("Empty: the list price.")
        for name in ("quantity", "unit_price", "discount_percent"):
            self.fields[name].widget.attrs["min"] = 0
        self.fields["discount_percent"].widget.attrs["max"] = 100

    def clean(self):
        data = super().clean()
        if (
            data.get("product")
            and data.get("unit_price") is None
            and "unit_price" not in (self.errors)
        ):
            data["unit_price"] = data["product"].list_price
            self.instance.unit_price = data["unit_price"]
        quantity, price = data.get("quantity"), data.get("unit_price")
        if quantity is not None and price is not None and quantity * price >= AMOUNT_LIMIT:
            self.add_error("quantity", TOO_LARGE % {"limit": f"{AMOUNT_LIMIT:,.0f}"})
        return data


class LineItemBaseFormSet(BaseInlineFormSet):
    def clean(self):
        """The lines together must fit the deal's amount column, as each line must."""
        super().clean()
        total = sum(
            (
                form.instance.total
                for form in self.forms
                if form.is_valid()
                and form.cleaned_data.get("product")
                and not form.cleaned_data.get("DELETE")
            ),
            Decimal(0),
        )
        if total >= AMOUNT_LIMIT:
            raise ValidationError(
                _("The line items add up to more than an amount can hold (¥%(limit)s).")
                % {"limit": f"{AMOUNT_LIMIT:,.0f}"}
            )


LineItemFormSet = inlineformset_factory(
    Opportunity,
    LineItem,
    form=LineItemForm,
    formset=LineItemBaseFormSet,
    extra=1,
    can_delete=True,
)


class StakeholderForm(ConcurrentEditMixin, forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("purchase roles (采购角色)"),
        choices=PurchaseRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("One person can hold several roles in one deal."),
    )

    class Meta:
        model = Stakeholder
        fields = ["contact", "roles", "attitude", "influence", "notes"]

    def __init__(self, *args, opportunity, **kwargs):
        super().__init__(*args, **kwargs)
        self.opportunity = opportunity
        self.instance.opportunity = opportunity
        taken = opportunity.stakeholders.exclude(pk=self.instance.pk).values("contact")
        # Contacts of the deal's own account only, and not yet in the buying group (none
        # while an imported deal's account is unknown).
        contacts = Contact.objects.filter(account_id=opportunity.account_id)
        self.fields["contact"].queryset = (
            contacts.filter(is_active=True).exclude(pk__in=taken).order_by("name")
        )
        if self.instance.pk:
            self.fields["roles"].initial = [r.role for r in self.instance.roles.all()]
            self.fields["contact"].disabled = True
            self.fields["contact"].queryset = contacts

    def clean_contact(self):
        contact = self.cleaned_data["contact"]
        if contact.account_id != self.opportunity.account_id:
            raise ValidationError(
                _("This contact belongs to another account than the opportunity.")
            )
        return contact


class MoveForm(forms.Form):
    to_move = forms.TypedChoiceField(label=_("Move to"), choices=Move.choices, coerce=int)
    override = forms.BooleanField(
        label=_("Override the unmet checks (managers only)"), required=False
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for an override; useful when moving back."),
    )

    def clean(self):
        data = super().clean()
        if data.get("override") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("An override needs a written reason."))
        return data


class GateOverrideForm(forms.Form):
    """A manager's override of the unmet exit checks on a way to won other than the move form
    (the outcome page, the signed contract): the same two fields as MoveForm."""

    override = forms.BooleanField(
        label=_("Override the unmet checks (managers only)"), required=False
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for an override."),
    )

    def clean(self):
        data = super().clean()
        if data.get("override") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("An override needs a written reason."))
        return data


class OutcomeForm(GateOverrideForm):
    status = forms.ChoiceField(label=_("status"), choices=Status.choices)
    lost_to = forms.ModelChoiceField(
        label=_("lost to"),
        queryset=Competitor.objects.order_by("name"),
        required=False,
        help_text=_("Empty when nobody won, e.g. the customer did not buy."),
    )
    lost_at_buyer_stage = forms.ChoiceField(
        label=_("lost at the buyer's stage"),
        choices=[("", "—"), *BuyerStage.choices],
        required=False,
    )
    lost_reason = forms.CharField(
        label=_("why lost or abandoned"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_step = forms.CharField(
        label=_("next step"), required=False, max_length=300, help_text=_("To reopen.")
    )
    next_step_date = forms.DateField(label=_("next step date"), required=False, widget=DATE)

    field_order = ["status", "lost_to", "lost_at_buyer_stage", "lost_reason", "next_step"]

    def __init__(self, *args, opportunity, may_override=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.opportunity = opportunity
        if not may_override:
            del self.fields["override"], self.fields["reason"]
        self.fields["status"].choices = [
            (value, label) for value, label in Status.choices if value != opportunity.status
        ]
        self.fields["status"].label = pgettext_lazy("opportunity", "new status")

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if status in (Status.LOST, Status.ABANDONED) and not data.get("lost_reason", "").strip():
            self.add_error("lost_reason", _("Say why the opportunity was lost or abandoned."))
        if status == Status.LOST and not data.get("lost_at_buyer_stage"):
            self.add_error(
                "lost_at_buyer_stage", _("Say at which step of the purchase it was lost.")
            )
        if status == Status.OPEN:
            if not data.get("next_step", "").strip():
                self.add_error("next_step", _("An open opportunity needs a next step."))
            if not data.get("next_step_date"):
                self.add_error("next_step_date", _("Give the date of the next step."))
        return data


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Mention a colleague with @ and their user name (@wangwei): only people who may "
            "see this record are told."
        ),
    )
