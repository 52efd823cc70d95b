"""What every accounts form shares: the versioned form, the layout helper, the date and lunar
widgets, and the base of a form for a row of an account (offers only rows of the same account).
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from crm import lunar
from crm.concurrency import ConcurrentEditMixin

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


def _row(*names: str) -> Row:
    """A row of equal columns, one per field (two or three side by side on a wide screen)."""
    return Row(*(Column(name, css_class=f"col-md-{12 // len(names)}") for name in names))


def _helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if layout:
        helper.layout = Layout(*layout)
    return helper


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
