from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.concurrency import ConcurrentEditMixin
from relationships.greetings.models import Channel, CommunicationPreference

# An SMS of this length is already several messages; an e-mail greeting is short too.
TEXT_LIMIT = 1000


class ChannelForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("send by"), choices=Channel, initial=Channel.EMAIL, widget=forms.RadioSelect
    )


class DraftForm(forms.Form):
    """One person's message on the preview, as the rep edited it."""

    include = forms.BooleanField(label=_("send"), required=False)
    subject = forms.CharField(label=_("subject"), max_length=150, required=False)
    text = forms.CharField(
        label=_("text"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 4})
    )


class CommunicationPreferenceForm(ConcurrentEditMixin, forms.ModelForm):
    class Meta:
        model = CommunicationPreference
        fields = ["email_allowed", "sms_allowed", "reason", "set_on", "language", "salutation"]
        widgets = {"set_on": forms.DateInput(attrs={"type": "date"})}

    def clean(self):
        cleaned = super().clean()
        refused = not cleaned.get("email_allowed", True) or not cleaned.get("sms_allowed", True)
        if refused and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why, e.g. “asked us by phone not to text him”."))
        set_on = cleaned.get("set_on")
        if set_on and set_on > timezone.localdate():
            self.add_error("set_on", _("The day they said so cannot be in the future."))
        elif "set_on" not in self.errors and not set_on:
            cleaned["set_on"] = timezone.localdate()
        return cleaned
