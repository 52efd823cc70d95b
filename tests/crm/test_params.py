"""Query parameters a user controls (crm/params.py)."""

import pytest
from django.test import RequestFactory

from crm.params import MAX_ID, id_param, safe_next


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        ("", None),
        ("0", None),
        ("-3", None),
        ("²", None),  # a superscript two: str.isdigit() says yes, int() says no
        ("١٢", None),  # Arabic-Indic digits
        (" 12", None),
        ("12.0", None),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),  # would overflow SQLite's and PostgreSQL's bigint
    ],
)
def test_id_param(raw, expected):
    assert id_param({"x": raw}, "x") == expected


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/accounts/3/", "/accounts/3/"),
        ("/accounts/?q=x#y", "/accounts/?q=x#y"),
        ("javascript:alert(1)", ""),
        ("https://evil.example.com/", ""),
        ("//evil.example.com/", ""),
        ("http://testserver/accounts/", "http://testserver/accounts/"),
        ("", ""),
    ],
)
def test_safe_next(target, expected):
    assert safe_next(RequestFactory().get("/", {"next": target})) == expected


@pytest.mark.parametrize("raw", ["²", "١٢", "99999999999999999999999"])
@pytest.mark.django_db
def test_odd_ids_in_links_answer_the_page_not_an_error(client_for, personas, raw):
    from django.urls import reverse

    client = client_for(personas.owner)
    assert client.get(reverse("opportunities:create"), {"account": raw}).status_code == 200
