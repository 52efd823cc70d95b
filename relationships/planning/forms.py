from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Contact
from relationships.forms import ActivityForm, DateInput
from relationships.models import Activity, ActivityType
from relationships.planning.models import PlannedActivity, Todo


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _future(moment):
    if moment is not None and moment <= timezone.now():
        raise forms.ValidationError(_("Plan activities in the future; log those that happened."))
    return moment


class PlanForm(forms.ModelForm):
    """Plan an activity with people of one account; the people and deals offered are those of
    that account the user can see (a crafted POST naming anyone else is an invalid choice)."""

    class Meta:
        model = PlannedActivity
        fields = ["type", "starts_at", "contacts", "opportunity", "notes"]
        widgets = {
            "starts_at": DateTimeInput(),
            "contacts": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "contacts": _("One or more people of this account."),
            "opportunity": _("The deal this activity works on, if any."),
        }

    def __init__(self, *args, account, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = (
            Contact.objects.visible_to(user)
            .filter(account=account, is_active=True)
            .order_by("name")
        )
        self.fields["type"].queryset = ActivityType.objects.filter(is_active=True)
        self.fields["type"].label_from_instance = ActivityForm.type_label
        deals = Activity._meta.get_field("opportunity").related_model.objects
        self.fields["opportunity"].queryset = (
            deals.visible_to(user).filter(account=account, status="open").order_by("name")
        )
        self.fields["opportunity"].required = False

    def clean_starts_at(self):
        return _future(self.cleaned_data["starts_at"])


class RescheduleForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("new date and time"), widget=DateTimeInput())

    def clean_starts_at(self):
        return _future(self.cleaned_data["starts_at"])


class DoneForm(forms.Form):
    """What happened: the date (the ladder dates the evidence by it), outcome, next step."""

    happened_on = forms.DateField(label=_("happened on"), widget=DateInput())
    outcome = forms.CharField(
        label=_("outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    cost = forms.DecimalField(
        label=_("cost (CNY)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_(
            "Gifts and hospitality above their type's limit go to your manager for approval."
        ),
    )
    next_step = forms.CharField(label=_("next step"), max_length=300, required=False)
    next_step_date = forms.DateField(label=_("next step date"), required=False, widget=DateInput())

    def clean_happened_on(self):
        day = self.cleaned_data["happened_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Mark an activity done once it has happened."))
        return day

    def clean(self):
        cleaned = super().clean()
        day, next_day = cleaned.get("happened_on"), cleaned.get("next_step_date")
        if day and next_day and next_day < day:
            self.add_error("next_step_date", _("The next step cannot come before the activity."))
        if next_day and not cleaned.get("next_step"):
            self.add_error("next_step", _("Say what the next step is."))
        return cleaned


class TodoForm(forms.ModelForm):
    class Meta:
        model = Todo
        fields = ["title", "due_date"]
        widgets = {"due_date": DateInput()}
        error_messages = {"due_date": {"required": _("Give the to-do a due date.")}}
