import re

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Contact
from crm.concurrency import ConcurrentEditMixin
from relationships.models import Activity, ActivityType, Relationship, Stage


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ActivityForm(forms.ModelForm):
    """Log an activity with people of one account. The people offered (and accepted) are the
    active contacts of that account that the user can see: a crafted POST naming anyone else
    is an invalid choice."""

    class Meta:
        model = Activity
        fields = [
            "type",
            "date",
            "contacts",
            "opportunity",
            "notes",
            "cost",
            "outcome",
            "next_step",
            "next_step_date",
        ]
        widgets = {
            "date": DateInput(),
            "next_step_date": DateInput(),
            "contacts": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "cost": _(
                "Gifts and hospitality above their type's limit go to your manager for approval."
            ),
            "contacts": _("One or more people of this account."),
            "opportunity": _("The deal this activity worked on, if any."),
        }

    def __init__(self, *args, account, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        self.fields["contacts"].queryset = (
            Contact.objects.visible_to(user)
            .filter(account=account, is_active=True)
            .order_by("name")
        )
        self.fields["type"].queryset = ActivityType.objects.filter(is_active=True)
        self.fields["type"].label_from_instance = self.type_label
        # The account's open deals the user can see (the model is reached through the field:
        # relationships does not import opportunities).
        deals = Activity._meta.get_field("opportunity").related_model.objects
        self.fields["opportunity"].queryset = (
            deals.visible_to(user).filter(account=account, status="open").order_by("name")
        )
        self.fields["opportunity"].required = False
        self.fields["cost"].required = False

    @staticmethod
    def type_label(activity_type):
        if activity_type.stage:
            return f"{activity_type.name} · {Stage(activity_type.stage).label}"
        return activity_type.name

    def clean_cost(self):
        return self.cleaned_data.get("cost") or 0

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("Log activities once they have happened; plan them as a next step.")
            )
        return day

    def clean(self):
        cleaned = super().clean()
        contacts = cleaned.get("contacts") or []
        if len({c.account_id for c in contacts}) > 1:
            self.add_error(
                "contacts", _("All the people of one activity must belong to one account.")
            )
        day, next_day = cleaned.get("date"), cleaned.get("next_step_date")
        if day and next_day and next_day < day:
            self.add_error("next_step_date", _("The next step cannot come before the activity."))
        if next_day and not cleaned.get("next_step"):
            self.add_error("next_step", _("Say what the next step is."))
        return cleaned


class StageForm(forms.Form):
    """Set the stage, optionally with the activity that supports it."""

    stage = forms.TypedChoiceField(
        label=_("new stage"), choices=Stage.choices, coerce=int, widget=forms.RadioSelect
    )
    activity = forms.ModelChoiceField(
        label=_("supporting activity"),
        queryset=Activity.objects.none(),
        required=False,
        help_text=_("What the customer did that shows the stage (METHOD.md §4.2)."),
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    from_stage = forms.TypedChoiceField(
        choices=Stage.choices, coerce=int, widget=forms.HiddenInput, required=False
    )

    def __init__(self, *args, contact, user, current_stage, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_stage = current_stage
        self.fields["from_stage"].initial = current_stage
        self.fields["activity"].queryset = (
            Activity.objects.visible_to(user)
            .filter(contacts=contact)
            .select_related("type")
            .order_by("-date", "-pk")
        )
        self.fields["activity"].label_from_instance = lambda a: f"{a.date} · {a.type.name}"

    def clean_stage(self):
        stage = self.cleaned_data["stage"]
        if stage == self.current_stage:
            raise forms.ValidationError(_("The relationship is already at this stage."))
        return stage


class InterestPointsField(forms.CharField):
    """Tags typed as one line, separated by commas (, ， 、) or semicolons."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        seen, tags = set(), []
        for tag in re.split(r"[,，、;；]", text):
            tag = tag.strip()
            if tag and tag.lower() not in seen:
                seen.add(tag.lower())
                tags.append(tag[:50])
        return tags


class RelationshipForm(ConcurrentEditMixin, forms.ModelForm):
    interest_points = InterestPointsField(
        label=_("interest points (兴趣点)"),
        required=False,
        help_text=_("Separated by commas, e.g. golf, 茶, 孩子教育."),
    )

    class Meta:
        model = Relationship
        fields = [
            "personality",
            "interest_points",
            "institutional_needs",
            "institutional_needs_met",
            "personal_needs",
            "personal_needs_met",
        ]
        widgets = {
            "institutional_needs": forms.Textarea(attrs={"rows": 2}),
            "personal_needs": forms.Textarea(attrs={"rows": 2}),
        }


class GuideForm(ConcurrentEditMixin, forms.ModelForm):
    """The contact's guide (向导) flag, type and date (the fields live on the contact)."""

    class Meta:
        model = Contact
        fields = ["is_guide", "guide_type", "guide_since"]
        widgets = {"guide_since": DateInput()}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_guide"):
            if not cleaned.get("guide_type"):
                self.add_error(
                    "guide_type", _("Say whether this is a technical or a relationship guide.")
                )
            if not cleaned.get("guide_since"):
                cleaned["guide_since"] = timezone.localdate()
        else:
            cleaned["guide_type"] = ""
            cleaned["guide_since"] = None
        since = cleaned.get("guide_since")
        if since and since > timezone.localdate():
            self.add_error("guide_since", _("This date is in the future."))
        return cleaned


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("approve", _("approve")), ("reject", _("reject"))],
    )
    reason = forms.CharField(
        label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give a reason when you reject."))
        return cleaned


class ActivityFilter(django_filters.FilterSet):
    type = django_filters.ModelChoiceFilter(
        label=_("activity type"), queryset=ActivityType.objects.all()
    )
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("from"), widget=DateInput()
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=pgettext_lazy("date", "to"), widget=DateInput()
    )
    person = django_filters.CharFilter(
        label=_("person"),
        method="filter_person",
        widget=forms.TextInput(attrs={"placeholder": _("Name of a contact")}),
    )
    contact = django_filters.NumberFilter(method="filter_contact", widget=forms.HiddenInput)
    approval_status = django_filters.ChoiceFilter(
        label=_("approval"), choices=Activity.Approval.choices
    )

    class Meta:
        model = Activity
        fields = ["type", "date_from", "date_to", "person", "approval_status"]

    def filter_person(self, queryset, name, value):
        matching = Contact.objects.filter(name__icontains=value).values("pk")
        return queryset.filter(
            pk__in=Activity.contacts.through.objects.filter(contact__in=matching).values("activity")
        )

    def filter_contact(self, queryset, name, value):
        return queryset.filter(
            pk__in=Activity.contacts.through.objects.filter(contact=value).values("activity")
        )


class ActivityEditForm(ConcurrentEditMixin, ActivityForm):
    """An activity edited by its author or their manager (history kept, concurrent saves
    refused). A person whose move on the ladder rests on this activity stays in it: removing
    them would leave that move unsupported without anyone deciding so."""

    def __init__(self, *args, account, user, **kwargs):
        super().__init__(*args, account=account, user=user, **kwargs)
        activity = self.instance
        people = self.fields["contacts"]
        people.queryset = Contact.objects.filter(
            Q(pk__in=people.queryset.values("pk")) | Q(pk__in=activity.contacts.values("pk"))
        ).order_by("name")
        deals = self.fields["opportunity"]
        deals.queryset = deals.queryset.model.objects.filter(
            Q(pk__in=deals.queryset.values("pk")) | Q(pk=activity.opportunity_id)
        ).order_by("name")
        self.evidence = list(
            activity.stage_changes.select_related("relationship__contact").order_by("changed_at")
        )

    def clean(self):
        cleaned = super().clean()
        kept = {person.pk for person in cleaned.get("contacts") or []}
        for change in self.evidence:
            person = change.relationship.contact
            if "contacts" in cleaned and person.pk not in kept:
                self.add_error(
                    "contacts",
                    _(
                        "%(name)s's move to %(stage)s rests on this activity: keep them in it, "
                        "or delete the activity and leave that move unsupported."
                    )
                    % {"name": person.name, "stage": change.get_to_stage_display()},
                )
        return cleaned
