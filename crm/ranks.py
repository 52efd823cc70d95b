"""Window-function helpers for reads that pick the first rows of several lists in one query
(the home page's panels)."""

from django.db.models import BooleanField, Case, ExpressionWrapper, Q, When, Window
from django.db.models.functions import RowNumber


def rank_among(condition: Q, order_by: list):
    """A row's rank, by `order_by`, among the rows meeting `condition`; NULL for the others.
    Filter on it (`rank__lte=n`) to keep each list's first `n` rows."""
    member = ExpressionWrapper(condition, output_field=BooleanField())
    return Case(When(condition, then=Window(RowNumber(), partition_by=[member], order_by=order_by)))
