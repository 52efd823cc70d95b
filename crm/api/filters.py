"""Filtering in the API: the lists' own FilterSets where they have one, and for the fields a
viewset names, filters on ids that never tell whether a record out of reach exists."""

from django import forms
from django.db import models
from django_filters import rest_framework as filters

MAX_ID = 2**63 - 1


class IdFilter(filters.NumberFilter):
    """A whole number within the database's integers (a larger one would fail in SQLite, a
    fraction would be rounded to some other record's id). Not a choice among existing rows:
    that would answer "not a valid choice" only for ids that do not exist."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


class ApiFilterSet(filters.FilterSet):
    FILTER_DEFAULTS = {
        **filters.FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: {"filter_class": IdFilter},
        models.OneToOneField: {"filter_class": IdFilter},
    }


class FilterBackend(filters.DjangoFilterBackend):
    filterset_base = ApiFilterSet
