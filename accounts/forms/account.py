"""The account form (category 1 background, owner and sharing)."""

from crispy_forms.layout import Fieldset
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.forms.base import VersionedForm, _helper, _row, _text
from accounts.models import Account
from accounts.selectors import shareable_users
from crm.models import User


class AccountForm(VersionedForm):
    website = forms.URLField(
        label=Account._meta.get_field("website").verbose_name,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = Account
        fields = [
            "name",
            "uscc",
            "status",
            "account_type",
            "industry",
            "region",
            "address",
            "phone",
            "website",
            "email",
            "business_scope",
            "revenue",
            "employees",
            "year_established",
            "finance_notes",
            "parent",
            "owner",
            "collaborators",
            "notes",
        ]
        widgets = {
            "business_scope": _text(),
            "finance_notes": _text(),
            "notes": _text(),
            "collaborators": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        account = self.instance
        visible_users = User.objects.visible_to(user).values("pk")
        owner = self.fields["owner"]
        owner.queryset = User.objects.filter(
            Q(pk__in=visible_users) | Q(pk=account.owner_id)
        ).order_by("first_name", "username")
        owner.label_from_instance = str
        if not account.pk:
            owner.initial = user.pk
        collaborators = self.fields["collaborators"]
        current = list(account.collaborators.values_list("pk", flat=True)) if account.pk else []
        collaborators.queryset = User.objects.filter(
            Q(pk__in=shareable_users(user).values("pk")) | Q(pk__in=current)
        ).order_by("first_name", "username")
        # Only the owner, their manager or an admin hands an account over or shares it.
        self.can_share = not account.pk or account.owner_id in {row["pk"] for row in visible_users}
        if not self.can_share:
            owner.disabled = collaborators.disabled = True
            owner.help_text = _("Only the owner or their manager can change this.")
        parent = self.fields["parent"]
        parent.queryset = (
            Account.objects.filter(
                Q(pk__in=Account.objects.visible_to(user).values("pk")) | Q(pk=account.parent_id)
            )
            .exclude(pk=account.pk)
            .order_by("name")
        )
        parent.error_messages["invalid_choice"] = _("Choose one of your accounts.")
        self.fields["revenue"].widget.attrs["min"] = 0
        self.helper = _helper(
            Fieldset(
                "",
                _row("name", "status"),
                "account_type",
                _row("uscc", "industry", "region"),
                "version",
            ),
            Fieldset(
                _("Contact details"),
                "address",
                _row("phone", "email", "website"),
            ),
            Fieldset(
                _("Business and finances"),
                "business_scope",
                _row("revenue", "employees", "year_established"),
                "finance_notes",
                "parent",
            ),
            Fieldset(_("Owner and sharing"), "owner", "collaborators"),
            "notes",
        )

    def clean_name(self):
        return self.cleaned_data["name"].strip()
