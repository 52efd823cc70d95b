"""The contact list's search, filters and sort (issue 20): a person found by name, number,
e-mail or WeChat ID without going through their account."""

import django_filters
from django import forms
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Account, Contact, Function, Level
from crm import phones, policy
from crm.models import User
from relationships.models import Personality, Stage

# A search of one character matches half the book; 100 characters is longer than any name,
# number or address a person would type (longer input is refused at the field, not cut).
QUERY_MIN, QUERY_MAX = 2, 100


class ContactFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=QUERY_MAX,
        widget=forms.TextInput(
            attrs={"placeholder": _("Name, mobile, phone, e-mail or WeChat ID")}
        ),
    )
    account = django_filters.NumberFilter(field_name="account", widget=forms.HiddenInput)
    function = django_filters.ChoiceFilter(
        label=_("Function"), choices=Function.choices, empty_label=_("All")
    )
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=Level.choices, empty_label=_("All")
    )
    stage = django_filters.ChoiceFilter(
        label=_("Relationship stage"),
        field_name="relationship__stage",
        choices=Stage.choices,
        empty_label=_("All"),
        method="by_stage",
    )
    personality = django_filters.ChoiceFilter(
        label=_("Personality type"),
        choices=Personality.choices,
        empty_label=_("All"),
        method="by_personality",
    )
    guide = django_filters.BooleanFilter(
        label=_("Guide (向导)"),
        field_name="is_guide",
        widget=forms.Select(
            choices=[("", _("All")), ("true", _("Guides only")), ("false", _("Not guides"))]
        ),
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Account owner"),
        field_name="account__owner",
        queryset=User.objects.none(),
        empty_label=_("All"),
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=[
            ("name", "name"),
            ("account__name", "account"),
            ("stage_value", "stage"),
            ("updated_at", "updated"),
        ],
        field_labels={
            "name": _("Name"),
            "account__name": pgettext_lazy("customer", "Account"),
            "stage_value": _("Relationship stage"),
            "updated_at": _("Last updated"),
        },
        empty_label=_("Name"),
    )

    class Meta:
        model = Contact
        fields = ["q", "account", "function", "level", "guide", "owner"]

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        # No relationship row yet is the first rung, also when sorting (NULLs sort apart).
        queryset = queryset.annotate(
            stage_value=Coalesce("relationship__stage", Value(int(Stage.ACQUAINTANCE)))
        )
        super().__init__(data, queryset, request=request, **kwargs)
        # The owners of the accounts in reach (their people are the visible ones).
        if request is not None:
            owners = policy.owners_in_reach(
                Account.objects.all(), request.user, owner="owner", shared="collaborators"
            )
        else:
            owners = User.objects.filter(pk__in=queryset.values("account__owner"))
        self.filters["owner"].queryset = owners.order_by("first_name", "username")

    def rows(self):
        """The filtered contacts in the chosen order, ties by name: the list and its export."""
        contacts = self.qs
        return contacts.order_by(*contacts.query.order_by, "name", "pk")

    def search(self, queryset, name, value):
        value = value.strip()
        if len(value) < QUERY_MIN:
            return queryset
        condition = (
            Q(name__icontains=value)
            | Q(email__icontains=value)
            | Q(wechat__icontains=value)
            | Q(title__icontains=value)
        )
        condition |= phones.matching(("mobile", "phone"), value)
        return queryset.filter(condition)

    def by_stage(self, queryset, name, value):
        stage = int(value)
        if stage == Stage.ACQUAINTANCE:
            # No relationship row yet means the first rung (Relationship.stage defaults to it).
            return queryset.filter(Q(relationship__stage=stage) | Q(relationship__isnull=True))
        return queryset.filter(relationship__stage=stage)

    def by_personality(self, queryset, name, value):
        if value == Personality.UNKNOWN:
            return queryset.filter(
                Q(relationship__personality=value) | Q(relationship__isnull=True)
            )
        return queryset.filter(relationship__personality=value)
