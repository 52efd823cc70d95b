"""Forms for departments and the relations between them (category 2)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms.base import (
    SAME_ACCOUNT,
    SAME_ACCOUNT_DEPARTMENT,
    AccountPartForm,
    _helper,
    _row,
)
from accounts.models import Department, DepartmentRelation


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
            _row("name", "function"),
            _row("head", "parent"),
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
            _row("source", "kind", "target"),
            "note",
            "version",
        )
