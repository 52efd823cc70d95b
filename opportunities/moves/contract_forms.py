"""Forms of the paper and the money: the signed contract (move 5), its payment milestones, the
receipts against them and the commitments (move 6); the other moves' forms are in forms.py."""

from django import forms
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from crm.concurrency import Refused
from crm.models import User
from opportunities.models import Commitment, Contract, PaymentMilestone, Receipt
from opportunities.moves import receivables
from opportunities.moves.forms import DATE, TEXTAREA, MoveForm


class ContractForm(MoveForm):
    class Meta:
        model = Contract
        fields = ["number", "signed_on", "amount", "signed_by", "payment_terms"]
        widgets = {"signed_on": DATE, "payment_terms": TEXTAREA}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and self.opportunity.amount:
            self.fields["amount"].initial = self.opportunity.amount
        self.fields["amount"].widget.attrs["min"] = "0.01"

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if self.instance.pk:
            scheduled = self.opportunity.payment_milestones.aggregate(t=Sum("amount"))["t"] or 0
            if amount < scheduled:
                raise forms.ValidationError(
                    _("The payment milestones already add up to ¥%(total)s: lower them first.")
                    % {"total": f"{scheduled:,.2f}"}
                )
        return amount


class MilestoneForm(MoveForm):
    class Meta:
        model = PaymentMilestone
        fields = ["name", "amount", "due_date", "condition", "invoice_number"]
        widgets = {"due_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs["min"] = "0.01"

    def clean(self):
        data = super().clean()
        contract = getattr(self.opportunity, "contract", None)
        amount = data.get("amount")
        if contract is None:
            raise forms.ValidationError(
                _("Record the signed contract first: milestones split its amount.")
            )
        if amount is not None:
            over = self._over_contract(contract, amount)
            if over:
                self.add_error("amount", over)
            if self.instance.pk:
                received = self.instance.received_so_far()
                if amount < received:
                    self.add_error(
                        "amount",
                        _("¥%(received)s has already been received on this milestone.")
                        % {"received": f"{received:,.2f}"},
                    )
        return data

    def _over_contract(self, contract, amount) -> str:
        """Why the milestones would add up to more than the contract (empty if they do not)."""
        others = (
            self.opportunity.payment_milestones.exclude(pk=self.instance.pk).aggregate(
                t=Sum("amount")
            )["t"]
            or 0
        )
        if others + amount <= contract.amount:
            return ""
        return _(
            "The milestones would add up to more than the contract (¥%(contract)s); "
            "at most ¥%(left)s is left."
        ) % {"contract": f"{contract.amount:,.2f}", "left": f"{contract.amount - others:,.2f}"}

    def save(self, commit=True):
        # Checked again with the contract row locked: two milestones saved at once cannot
        # both fit in what is left of the contract.
        with transaction.atomic():
            contract = Contract.objects.select_for_update().get(opportunity=self.opportunity)
            over = self._over_contract(contract, self.cleaned_data["amount"])
            if over:
                raise Refused("amount", over)
            return super().save(commit=commit)


class ReceiptForm(MoveForm):
    class Meta:
        model = Receipt
        fields = ["milestone", "amount", "received_on", "reference"]
        widgets = {"received_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = self.opportunity.payment_milestones.order_by(
            "due_date", "pk"
        )
        self.fields["amount"].widget.attrs["min"] = "0.01"

    def clean(self):
        data = super().clean()
        milestone, amount = data.get("milestone"), data.get("amount")
        if milestone and amount is not None:
            before = milestone.received_so_far(excluding=self.instance.pk)
            check = receivables.check_receipt(milestone.amount, before, amount)
            if not check.ok:
                self.add_error(
                    "amount",
                    _("Only ¥%(due)s is still due on “%(milestone)s”: a receipt cannot be larger.")
                    % {"due": f"{check.still_due:,.2f}", "milestone": milestone.name},
                )
        return data


class CommitmentForm(MoveForm):
    class Meta:
        model = Commitment
        fields = ["what", "promised_by", "due_date", "fulfilled_on"]
        widgets = {"due_date": DATE, "fulfilled_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["promised_by"].queryset = User.objects.visible_to(self.user).filter(
            is_active=True
        ).order_by("username") | User.objects.filter(pk=self.opportunity.owner_id)
        if not self.instance.pk:
            self.fields["promised_by"].initial = self.opportunity.owner_id
