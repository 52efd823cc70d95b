import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from crm import figures, policy
from crm.models import User


class AccountFilter(django_filters.FilterSet):
    """The account list's search, filters and sort; choices come from the accounts the user
    can see (industries and regions kept with the cached figures, owners one query)."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": _("Name, industry or region")}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Account.Status.choices, empty_label=_("All")
    )
    industry = django_filters.ChoiceFilter(label=_("Industry"), empty_label=_("All"))
    region = django_filters.ChoiceFilter(label=_("Region"), empty_label=_("All"))
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=User.objects.none(), empty_label=_("All")
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=[("name", "name"), ("status", "status"), ("updated_at", "updated")],
        field_labels={
            "name": _("Name"),
            "status": _("Status"),
            "updated_at": _("Last updated"),
        },
        empty_label=_("Name"),
    )

    class Meta:
        model = Account
        fields = ["q", "status", "industry", "region", "owner"]

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        visible = queryset

        def distinct_values():
            return {
                name: list(
                    visible.exclude(**{name: ""})
                    .order_by(name)
                    .values_list(name, flat=True)
                    .distinct()
                )
                for name in ("industry", "region")
            }

        if request is not None:
            # Read from every visible account: kept until an account changes (crm/figures.py).
            key = figures.key("account-choices", request.user.pk)
            choices = figures.cached(key, distinct_values)
            owners = policy.owners_in_reach(
                Account.objects.all(), request.user, owner="owner", shared="collaborators"
            )
        else:
            choices = distinct_values()
            owners = User.objects.filter(owned_accounts__in=visible.values("pk")).distinct()
        for name, values in choices.items():
            self.filters[name].extra["choices"] = [(v, v) for v in values]
        self.filters["owner"].queryset = owners.order_by("first_name", "username")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(industry__icontains=value) | Q(region__icontains=value)
        )
