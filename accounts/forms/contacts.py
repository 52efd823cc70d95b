"""Forms for a contact, their personal profile (category 3, PIPL) and their ties."""

from crispy_forms.layout import Column, Fieldset, Row
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.forms.base import (
    DATE,
    LUNAR_DAYS,
    LUNAR_MONTHS,
    SAME_ACCOUNT,
    SAME_ACCOUNT_DEPARTMENT,
    AccountPartForm,
    VersionedForm,
    _helper,
    _row,
    _text,
)
from accounts.models import Contact, ContactTie, PersonalProfile


class ContactForm(AccountPartForm):
    class Meta:
        model = Contact
        fields = [
            "name",
            "title",
            "department",
            "function",
            "level",
            "reports_to",
            "mobile",
            "phone",
            "email",
            "wechat",
            "has_veto",
            "is_active",
            "is_guide",
            "guide_type",
            "guide_since",
        ]
        widgets = {"guide_since": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = self._departments()
        self.fields["department"].error_messages["invalid_choice"] = SAME_ACCOUNT_DEPARTMENT
        reports_to = self.fields["reports_to"]
        reports_to.queryset = self._contacts().exclude(pk=self.instance.pk)
        reports_to.error_messages["invalid_choice"] = SAME_ACCOUNT
        self.helper = _helper(
            _row("name", "title"),
            _row("department", "function", "level"),
            "reports_to",
            _row("mobile", "phone"),
            _row("email", "wechat"),
            _row("has_veto", "is_active"),
            Fieldset(
                _("Guide (向导)"),
                "is_guide",
                _row("guide_type", "guide_since"),
            ),
            "version",
        )


class PersonalProfileForm(VersionedForm):
    class Meta:
        model = PersonalProfile
        fields = [
            "birthday_calendar",
            "birthday",
            "lunar_birthday_month",
            "lunar_birthday_day",
            "lunar_birthday_leap",
            "lunar_birthday_year",
            "hometown",
            "family",
            "university",
            "major",
            "hobbies",
            "favourite_sports",
            "favourite_food",
            "favourite_reading",
            "vacation_plans",
            "notes",
        ]
        widgets = {
            "family": _text(2),
            "hobbies": _text(2),
            "vacation_plans": _text(2),
            "notes": _text(2),
            "birthday": DATE,
            "birthday_calendar": forms.RadioSelect,
            "lunar_birthday_month": forms.Select(choices=LUNAR_MONTHS),
            "lunar_birthday_day": forms.Select(choices=LUNAR_DAYS),
        }
        help_texts = {
            "birthday": _("For a Gregorian birthday."),
            "lunar_birthday_year": _("Optional; checks that a leap month or a 30th existed."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _row("birthday_calendar", "birthday", "hometown"),
            Row(
                Column("lunar_birthday_month", css_class="col-6 col-md-3"),
                Column("lunar_birthday_day", css_class="col-6 col-md-3"),
                Column("lunar_birthday_year", css_class="col-6 col-md-3"),
                Column("lunar_birthday_leap", css_class="col-6 col-md-3 pt-md-4"),
            ),
            "family",
            _row("university", "major"),
            "hobbies",
            _row("favourite_sports", "favourite_food", "favourite_reading"),
            "vacation_plans",
            "notes",
            "version",
        )
        # A form that leaves the calendar out (an older client, a test) keeps the Gregorian one.
        self.fields["birthday_calendar"].required = False

    def clean_birthday_calendar(self):
        return self.cleaned_data["birthday_calendar"] or PersonalProfile.BirthdayCalendar.SOLAR

    def has_data(self) -> bool:
        return any(
            self.cleaned_data.get(name) not in (None, "", False)
            for name in self.fields
            if name not in ("version", "birthday_calendar")
        )


class ContactTieForm(AccountPartForm):
    class Meta:
        model = ContactTie
        fields = ["contact", "kind", "other", "note"]
        labels = {"contact": pgettext_lazy("tie", "who"), "other": pgettext_lazy("tie", "of whom")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("contact", "other"):
            self.fields[name].queryset = self._contacts()
            self.fields[name].error_messages["invalid_choice"] = SAME_ACCOUNT
        self.helper = _helper(
            _row("contact", "kind", "other"),
            "note",
            "version",
        )
