from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination


class Cursor(pagination.CursorPagination):
    """Cursor paging: a BI tool pages through 100,000 deals at the same cost per page, and a
    row saved meanwhile neither repeats nor disappears."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-pk"
    invalid_cursor_message = _("This cursor is not one this list gave: start again without it.")

    def decode_cursor(self, request):
        # A malformed cursor is bad input (400), not a missing page.
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound as error:
            raise exceptions.ValidationError({"cursor": [error.detail]}) from error
