import re
from datetime import date

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crm.models import User
from opportunities.models import Opportunity, Status
from opportunities.rules.qualification import Verdict
from opportunities.rules.stages import Move


class EffortOrderingFilter(django_filters.OrderingFilter):
    """Sorting by effort (opportunities/rules/effort.py) computes the score in SQL first."""

    def filter(self, qs, value):
        if any(v.lstrip("-") == "effort" for v in value or ()):
            from opportunities.effort import with_effort
            from opportunities.models import AftersaleSetting

            weights = AftersaleSetting.current().weights
            qs = with_effort(qs, timezone.localdate(), weights)
            return super().filter(qs, value).order_by(*self.get_ordering_value_list(value), "pk")
        return super().filter(qs, value)

    def get_ordering_value_list(self, value):
        return [self.get_ordering_value(param) for param in value if param]


MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class OpportunityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": _("name or account")}),
    )
    move = django_filters.ChoiceFilter(
        label=_("Move"), choices=Move.choices, empty_label=_("all moves")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("all statuses")
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=User.objects.none(), empty_label=_("everyone")
    )
    account = django_filters.NumberFilter(
        field_name="account_id",
        label=pgettext_lazy("customer", "account"),
        widget=forms.HiddenInput,
    )
    close_month = django_filters.CharFilter(
        label=_("Close month"),
        method="filter_close_month",
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    verdict = django_filters.ChoiceFilter(
        field_name="qualification_verdict",
        label=_("Qualification"),
        choices=Verdict.choices,
        empty_label=_("any qualification"),
    )
    sort = EffortOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("expected_close_date", "close"),
            ("amount", "amount"),
            ("weighted_amount", "weighted"),
            ("name", "name"),
            ("updated_at", "updated"),
            ("qualification_score", "score"),
            ("effort", "effort"),
        ),
        field_labels={
            "close": _("close date"),
            "amount": _("amount"),
            "weighted": _("weighted amount"),
            "name": _("name"),
            "updated": _("last updated"),
            "score": _("qualification score"),
            "effort": _("effort (budget and nearness of the decision)"),
        },
    )

    class Meta:
        model = Opportunity
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["owner"].queryset = User.objects.visible_to(user).order_by("username")
        sort = self.form.fields["sort"]
        sort.choices = [("", _("close date (default)")), *list(sort.choices)[1:]]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(account__name__icontains=value))

    def filter_close_month(self, queryset, name, value):
        match = MONTH.match(value or "")
        if not match:
            return queryset
        year, month = int(match[1]), int(match[2])
        if not (1 <= month <= 12 and 1900 <= year <= 2999):
            return queryset
        start = date(year, month, 1)
        end = date(year + month // 12, month % 12 + 1, 1)
        # A range, not __month: the close-date index can serve it.
        return queryset.filter(expected_close_date__gte=start, expected_close_date__lt=end)
