"""Phone numbers in one format (crm.phones): parsing, storage, display, the form field."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from crm.phones import PhoneFormField, dialled, normalised, shown


@pytest.mark.parametrize(
    ("typed", "stored", "reads"),
    [
        ("13800138000", "+8613800138000", "138 0013 8000"),
        ("138-0013-8000", "+8613800138000", "138 0013 8000"),
        ("+86 138 0013 8000", "+8613800138000", "138 0013 8000"),
        ("１３８００１３８０００", "+8613800138000", "138 0013 8000"),  # full-width digits
        ("0574-8765 4321", "+8657487654321", "0574 8765 4321"),
        ("(0512) 6666-8888", "+8651266668888", "0512 6666 8888"),
        ("010-6552 9988", "+861065529988", "010 6552 9988"),
        ("400-820-8820", "+864008208820", "400 820 8820"),
        ("+1 650 253 0000", "+16502530000", "+1 650-253-0000"),
        ("+852 2345 6789", "+85223456789", "+852 2345 6789"),
        ("021-5888 0000 ext 123", "+862158880000;ext=123", "021 5888 0000 ext. 123"),
        # Not valid numbers: kept exactly as typed, shown as typed.
        ("95588", "95588", "95588"),
        ("87654321", "87654321", "87654321"),
        ("call the front desk", "call the front desk", "call the front desk"),
        ("", "", ""),
    ],
)
def test_a_number_is_stored_once_and_read_naturally(typed, stored, reads):
    assert normalised(typed) == stored
    assert shown(stored) == reads


def test_the_tel_link_has_no_extension_syntax():
    assert dialled("+862158880000;ext=123") == "+862158880000,123"
    assert dialled("") == ""


@given(st.text(max_size=25))
def test_normalising_is_idempotent_and_never_loses_text(text):
    once = normalised(text)
    assert normalised(once) == once
    assert once == text or once.startswith("+")


@pytest.mark.parametrize(
    ("typed", "cleaned"),
    [("138 0013 8000", "+8613800138000"), ("", ""), ("+44 20 7946 0958", "+442079460958")],
)
def test_the_form_field_stores_e164(typed, cleaned):
    assert PhoneFormField(required=False).clean(typed) == cleaned


@pytest.mark.parametrize("typed", ["95588", "1380013800", "12345678901", "phone me"])
def test_the_form_field_refuses_what_no_one_can_dial(typed):
    with pytest.raises(ValidationError) as error:
        PhoneFormField(required=False).clean(typed)
    assert typed in error.value.messages[0]


def test_the_form_shows_the_stored_number_as_people_read_it():
    assert PhoneFormField().prepare_value("+8613800138000") == "138 0013 8000"
