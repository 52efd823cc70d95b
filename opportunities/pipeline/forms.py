"""Forms of the pipeline dashboards: the filter of the pipeline page and the deal review."""

import re
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opportunities.models import DealReview
from opportunities.pipeline import figures as pipeline
from opportunities.rules import attainment

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PipelineFilterForm(forms.Form):
    """Team, rep, period and close month. The choices of team and rep are those the viewer
    may see, so a crafted id is refused as an invalid choice (and the scope stays as it was)."""

    team = forms.ModelChoiceField(
        label=_("Team"), queryset=None, required=False, empty_label=_("all my teams")
    )
    rep = forms.ModelChoiceField(
        label=_("Rep"), queryset=None, required=False, empty_label=_("everyone")
    )
    period = forms.ChoiceField(
        label=_("Period"),
        choices=attainment.Period.choices,
        required=False,
        initial=attainment.DEFAULT_PERIOD,
    )
    close_month = forms.CharField(
        label=_("Close month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        self.fields["team"].queryset = pipeline.teams_for(user)
        self.fields["rep"].queryset = pipeline.reps_for(user)
        self.fields["rep"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean_close_month(self):
        value = (self.cleaned_data.get("close_month") or "").strip()
        if not value:
            return None
        match = MONTH.match(value)
        if not match or not (1 <= int(match[2]) <= 12 and 1900 <= int(match[1]) <= 2999):
            raise forms.ValidationError(_("Give a month as YYYY-MM."))
        return date(int(match[1]), int(match[2]), 1)

    def scope_arguments(self) -> dict:
        """The valid filters only: an invalid one is dropped (and shown as an error), so a
        crafted value never changes whose figures are shown."""
        data = {}
        if self.is_bound:
            self.is_valid()  # cleaned_data keeps the valid fields; errors list the others
            data = self.cleaned_data
        return {
            "team": data.get("team"),
            "rep": data.get("rep"),
            "period": data.get("period") or attainment.DEFAULT_PERIOD,
            "close_month": data.get("close_month"),
        }


class DealReviewForm(forms.ModelForm):
    class Meta:
        model = DealReview
        fields = ["agreed_next_steps", "next_review_date", "notes"]
        widgets = {
            "agreed_next_steps": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "next_review_date": DATE,
        }

    def clean_agreed_next_steps(self):
        value = self.cleaned_data["agreed_next_steps"].strip()
        if not value:
            raise forms.ValidationError(_("Write down what you agreed the rep will do next."))
        return value

    def clean_next_review_date(self):
        value = self.cleaned_data.get("next_review_date")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("The next review cannot be in the past."))
        return value
