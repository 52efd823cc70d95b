"""Forms of move 6 after the sale: the satisfaction check and the referral (METHOD.md §8.2).
Both are added, never edited here (an admin corrects them), and belong to one deal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Contact
from opportunities.models import Referral, SatisfactionCheck, Status
from opportunities.moves.forms import DATE, TEXTAREA, MoveForm


class SatisfactionCheckForm(MoveForm):
    class Meta:
        model = SatisfactionCheck
        fields = ["answered_by", "score", "remarks", "checked_on"]
        widgets = {"checked_on": DATE, "remarks": TEXTAREA, "score": forms.RadioSelect}

    def clean(self):
        cleaned = super().clean()
        if self.opportunity.status != Status.WON:
            raise forms.ValidationError(
                _("The satisfaction check follows acceptance: record the signed contract first.")
            )
        return cleaned


class ReferralForm(MoveForm):
    class Meta:
        model = Referral
        fields = ["referred_account", "referred_contact", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # What both the user and the deal's owner may see: the referral is the deal's, so even
        # an admin cannot hang another team's records on it (a new company: create it first).
        owner = self.opportunity.owner
        accounts = Account.objects.visible_to(user).filter(
            pk__in=Account.objects.visible_to(owner).values("pk")
        )
        self.fields["referred_account"].queryset = accounts.exclude(
            pk=self.opportunity.account_id
        ).order_by("name")
        self.fields["referred_contact"].queryset = (
            Contact.objects.filter(account__in=accounts.values("pk"))
            .select_related("account")
            .order_by("name")
        )
        self.fields["referred_contact"].help_text = _(
            "A person the customer introduced us to, at their own or another account."
        )

    def clean(self):
        cleaned = super().clean()
        account, contact = cleaned.get("referred_account"), cleaned.get("referred_contact")
        # Naming neither is refused by Referral.clean, on the account field.
        if account and contact and contact.account_id != account.pk:
            self.add_error("referred_contact", _("This contact does not work at that account."))
        return cleaned
