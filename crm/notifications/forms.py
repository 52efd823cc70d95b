from django import forms
from django.utils.translation import gettext_lazy as _

from crm.notifications.models import Kind, NotificationPreference, RobotChannel


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class PreferenceForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("what to hear about"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: everything."),
    )
    digest_hour = forms.TypedChoiceField(
        label=_("digest hour"),
        coerce=int,
        choices=[(hour, f"{hour:02d}:00") for hour in range(24)],
    )

    class Meta:
        model = NotificationPreference
        fields = ["kinds", "email", "digest_hour", "robot", "mobile", "quiet_from", "quiet_until"]
        widgets = {"quiet_from": TimeInput(), "quiet_until": TimeInput()}

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("quiet_from")) != bool(cleaned.get("quiet_until")):
            self.add_error("quiet_until", _("Give both ends of the quiet hours, or neither."))
        return cleaned


class RobotForm(forms.ModelForm):
    """A team's group robot. The teams offered are those the user manages (all for an admin),
    so a crafted POST cannot attach a robot to another team."""

    webhook_url = forms.URLField(label=_("webhook URL"), max_length=500, assume_scheme="https")

    class Meta:
        model = RobotChannel
        fields = [
            "team",
            "platform",
            "name",
            "webhook_url",
            "secret",
            "language",
            "mention_by_mobile",
            "is_active",
        ]
        widgets = {"secret": forms.PasswordInput(render_value=True)}

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
