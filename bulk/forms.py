"""What a bulk action asks before it runs (each form takes the acting user)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Account
from bulk.handover import refusal as handover_refusal
from crm.models import User
from crm.params import id_param


class ConfirmForm(forms.Form):
    """Nothing to ask: the confirmation is the button."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)


class ReassignForm(ConfirmForm):
    owner = forms.ModelChoiceField(queryset=User.objects.none(), label=gettext_lazy("New owner"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        owner = self.fields["owner"]
        # Everyone in reach, so that an inactive user is named as such when posted; the menu
        # offers only those who can still sign in.
        owner.queryset = User.objects.visible_to(user).order_by("first_name", "username")
        owner.choices = [("", "---------")] + [
            (person.pk, str(person)) for person in owner.queryset if person.is_active
        ]

    def clean_owner(self):
        owner = self.cleaned_data["owner"]
        if not owner.is_active:
            raise ValidationError(
                _("%(name)s can no longer sign in: choose an active user.") % {"name": owner}
            )
        return owner


class AbandonForm(ConfirmForm):
    reason = forms.CharField(
        label=gettext_lazy("Why abandoned"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Recorded on each opportunity and in its move history."),
    )


class HandoverForm(forms.Form):
    """Whose book, to whom, which of their accounts (all by default)."""

    old_owner = forms.ModelChoiceField(
        queryset=User.objects.none(), label=gettext_lazy("Rep who is leaving")
    )
    new_owner = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label=gettext_lazy("New owner"),
        error_messages={"required": gettext_lazy("Choose who takes the book over.")},
    )
    accounts = forms.ModelMultipleChoiceField(
        queryset=Account.objects.none(),
        label=gettext_lazy("Accounts to hand over"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Tick at least one account.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        reach = User.objects.visible_to(user).order_by("first_name", "username")
        self.reachable = {person.pk: person for person in reach}
        self.fields["old_owner"].queryset = reach
        new_owner = self.fields["new_owner"]
        new_owner.queryset = reach
        new_owner.choices = [("", "---------")] + [
            (person.pk, str(person)) for person in self.reachable.values() if person.is_active
        ]
        chosen = self.data if self.is_bound else {"old_owner": str(self.initial.get("old_owner"))}
        old = self.reachable.get(id_param(chosen, "old_owner"))
        if old is not None:
            book = Account.objects.filter(owner=old).order_by("name", "pk")
            self.fields["accounts"].queryset = book
            if not self.is_bound:  # the whole book, unless the manager unticks some
                self.initial["accounts"] = list(book.values_list("pk", flat=True))

    def clean(self):
        data = super().clean()
        old, new = data.get("old_owner"), data.get("new_owner")
        if old is not None and new is not None:
            message = handover_refusal(
                old_owner=old, new_owner=new, by=self.user, reachable=self.reachable
            )
            if message:
                self.add_error("new_owner", message)
        return data
