"""What a bulk action asks before it runs (each form takes the acting user)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.models import User


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
