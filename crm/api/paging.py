from rest_framework import pagination


class Cursor(pagination.CursorPagination):
    """Cursor paging: a BI tool pages through 100,000 deals at the same cost per page, and a
    row saved meanwhile neither repeats nor disappears."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-pk"
