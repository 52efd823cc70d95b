"""Forms of the accounts screens. Every foreign key offers only rows of the same account (and
that the user can see); the models' clean() methods hold the cross-field rules, so Django admin
gets the same messages."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import (
    Account,
    Competitor,
    CompetitorPresence,
    Contact,
    ContactTie,
    Department,
    DepartmentRelation,
    InstalledProduct,
    PersonalProfile,
    PurchasePlan,
)
from accounts.selectors import shareable_users
from crm import lunar
from crm.concurrency import ConcurrentEditMixin
from crm.models import User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LUNAR_MONTHS = [("", "—")] + [
    (month, f"{month} · {lunar.month_day_zh(month, 1)[:-2]}") for month in range(1, 13)
]
LUNAR_DAYS = [("", "—")] + [
    (day, f"{day} · {lunar.month_day_zh(1, day)[2:]}") for day in range(1, 31)
]
SAME_ACCOUNT = _("Choose someone at the same account.")
SAME_ACCOUNT_DEPARTMENT = _("Choose a department of the same account.")


def _text(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class VersionedForm(ConcurrentEditMixin, forms.ModelForm):
    """A model form that refuses to overwrite a record someone else saved after it was shown,
    listing what they changed and keeping this user's input (crm/concurrency.py)."""


def _helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if layout:
        helper.layout = Layout(*layout)
    return helper


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
            "status",
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
                Row(Column("name", css_class="col-md-6"), Column("status", css_class="col-md-6")),
                Row(
                    Column("industry", css_class="col-md-6"),
                    Column("region", css_class="col-md-6"),
                ),
                "version",
            ),
            Fieldset(
                _("Contact details"),
                "address",
                Row(
                    Column("phone", css_class="col-md-4"),
                    Column("email", css_class="col-md-4"),
                    Column("website", css_class="col-md-4"),
                ),
            ),
            Fieldset(
                _("Business and finances"),
                "business_scope",
                Row(
                    Column("revenue", css_class="col-md-4"),
                    Column("employees", css_class="col-md-4"),
                    Column("year_established", css_class="col-md-4"),
                ),
                "finance_notes",
                "parent",
            ),
            Fieldset(_("Owner and sharing"), "owner", "collaborators"),
            "notes",
        )

    def clean_name(self):
        return self.cleaned_data["name"].strip()


class AccountPartForm(VersionedForm):
    """A dossier row of one account; the account is fixed by the view, never posted."""

    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        if hasattr(self.instance, "account_id") and not self.instance.account_id:
            self.instance.account = account
        self.helper = _helper()

    def _contacts(self):
        return self.account.contacts.order_by("-is_active", "name")

    def _departments(self):
        return self.account.departments.order_by("name")


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
            Row(Column("name", css_class="col-md-6"), Column("title", css_class="col-md-6")),
            Row(
                Column("department", css_class="col-md-4"),
                Column("function", css_class="col-md-4"),
                Column("level", css_class="col-md-4"),
            ),
            "reports_to",
            Row(
                Column("mobile", css_class="col-md-6"),
                Column("phone", css_class="col-md-6"),
            ),
            Row(Column("email", css_class="col-md-6"), Column("wechat", css_class="col-md-6")),
            Row(
                Column("has_veto", css_class="col-md-6"),
                Column("is_active", css_class="col-md-6"),
            ),
            Fieldset(
                _("Guide (向导)"),
                "is_guide",
                Row(
                    Column("guide_type", css_class="col-md-6"),
                    Column("guide_since", css_class="col-md-6"),
                ),
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
            Row(
                Column("birthday_calendar", css_class="col-md-4"),
                Column("birthday", css_class="col-md-4"),
                Column("hometown", css_class="col-md-4"),
            ),
            Row(
                Column("lunar_birthday_month", css_class="col-6 col-md-3"),
                Column("lunar_birthday_day", css_class="col-6 col-md-3"),
                Column("lunar_birthday_year", css_class="col-6 col-md-3"),
                Column("lunar_birthday_leap", css_class="col-6 col-md-3 pt-md-4"),
            ),
            "family",
            Row(
                Column("university", css_class="col-md-6"),
                Column("major", css_class="col-md-6"),
            ),
            "hobbies",
            Row(
                Column("favourite_sports", css_class="col-md-4"),
                Column("favourite_food", css_class="col-md-4"),
                Column("favourite_reading", css_class="col-md-4"),
            ),
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


class InstalledProductForm(AccountPartForm):
    class Meta:
        model = InstalledProduct
        fields = [
            "purpose",
            "brand",
            "product",
            "quantity",
            "years_in_use",
            "vendor",
            "competitor",
            "satisfaction",
            "notes",
        ]
        widgets = {"notes": _text(2)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competitor"].queryset = Competitor.objects.order_by("name")
        self.helper = _helper(
            Row(
                Column("purpose", css_class="col-md-4"),
                Column("brand", css_class="col-md-4"),
                Column("product", css_class="col-md-4"),
            ),
            Row(
                Column("quantity", css_class="col-6 col-md-3"),
                Column("years_in_use", css_class="col-6 col-md-3"),
                Column("vendor", css_class="col-md-3"),
                Column("competitor", css_class="col-md-3"),
            ),
            "satisfaction",
            "notes",
            "version",
        )


class PurchasePlanForm(AccountPartForm):
    class Meta:
        model = PurchasePlan
        fields = ["title", "problem", "expected_date", "budget"]
        widgets = {"problem": _text(2), "expected_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].widget.attrs["min"] = 0
        self.helper = _helper(
            "title",
            "problem",
            Row(
                Column("expected_date", css_class="col-md-6"),
                Column("budget", css_class="col-md-6"),
            ),
            "version",
        )


class DepartmentForm(AccountPartForm):
    class Meta:
        model = Department
        fields = ["name", "function", "head", "parent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        head = self.fields["head"]
        head.queryset = self._contacts()
        head.error_messages["invalid_choice"] = SAME_ACCOUNT
        parent = self.fields["parent"]
        parent.queryset = self._departments().exclude(pk=self.instance.pk)
        parent.error_messages["invalid_choice"] = SAME_ACCOUNT_DEPARTMENT
        self.helper = _helper(
            Row(Column("name", css_class="col-md-6"), Column("function", css_class="col-md-6")),
            Row(Column("head", css_class="col-md-6"), Column("parent", css_class="col-md-6")),
            "version",
        )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        duplicate = self.account.departments.filter(name=name).exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise forms.ValidationError(_("This account already has a department of this name."))
        return name


class DepartmentRelationForm(AccountPartForm):
    class Meta:
        model = DepartmentRelation
        fields = ["source", "kind", "target", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("source", "target"):
            self.fields[name].queryset = self._departments()
            self.fields[name].error_messages["invalid_choice"] = SAME_ACCOUNT_DEPARTMENT
        self.helper = _helper(
            Row(
                Column("source", css_class="col-md-4"),
                Column("kind", css_class="col-md-4"),
                Column("target", css_class="col-md-4"),
            ),
            "note",
            "version",
        )


class CompetitorPresenceForm(AccountPartForm):
    new_competitor = forms.CharField(
        label=_("or a new competitor"),
        max_length=200,
        required=False,
        help_text=_("Not in the list yet? Type its name and it is added to the catalogue."),
    )

    class Meta:
        model = CompetitorPresence
        fields = [
            "competitor",
            "products_in_use",
            "satisfaction",
            "rep_name",
            "rep_style",
            "rep_relationship",
            "notes",
        ]
        widgets = {"products_in_use": _text(2), "notes": _text(2)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        competitor = self.fields["competitor"]
        competitor.queryset = Competitor.objects.order_by("name")
        competitor.required = False
        self.helper = _helper(
            Row(
                Column("competitor", css_class="col-md-6"),
                Column("new_competitor", css_class="col-md-6"),
            ),
            "products_in_use",
            "satisfaction",
            Row(
                Column("rep_name", css_class="col-md-4"),
                Column("rep_style", css_class="col-md-4"),
                Column("rep_relationship", css_class="col-md-4"),
            ),
            "notes",
            "version",
        )

    def clean(self):
        cleaned = super().clean()
        competitor = cleaned.get("competitor")
        new_name = (cleaned.get("new_competitor") or "").strip()
        if competitor and new_name:
            self.add_error("new_competitor", _("Choose a competitor or type a new one, not both."))
        elif not competitor and not new_name:
            self.add_error("competitor", _("Choose a competitor or type a new one."))
        elif new_name:
            competitor = Competitor.objects.filter(name__iexact=new_name).first()
        if competitor:
            duplicate = self.account.competitor_presences.filter(competitor=competitor).exclude(
                pk=self.instance.pk
            )
            if duplicate.exists():
                self.add_error(
                    "competitor" if cleaned.get("competitor") else "new_competitor",
                    _("This competitor is already recorded at this account."),
                )
        return cleaned

    def save(self, commit=True):
        new_name = self.cleaned_data.get("new_competitor", "").strip()
        if new_name and not self.instance.competitor_id:
            # get_or_create under the unique name: two people adding it at once share one.
            self.instance.competitor = (
                Competitor.objects.filter(name__iexact=new_name).first()
                or Competitor.objects.get_or_create(name=new_name)[0]
            )
        return super().save(commit=commit)


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
            Row(
                Column("contact", css_class="col-md-4"),
                Column("kind", css_class="col-md-4"),
                Column("other", css_class="col-md-4"),
            ),
            "note",
            "version",
        )
