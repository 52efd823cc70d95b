"""Two people edit the same record: the second save is refused with what changed, their input
stays on the form, and an informed second try saves."""

import pytest
from django import forms
from django.http import QueryDict
from django.utils import translation

from accounts.models import Account
from crm.concurrency import ConcurrentEditMixin
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


class AccountForm(ConcurrentEditMixin, forms.ModelForm):
    class Meta:
        model = Account
        fields = ["name", "industry"]


def edit(account, **changes):
    """A form as the browser posts it: the version rendered when the page was loaded."""
    loaded = AccountForm(instance=account)
    data = QueryDict(mutable=True)
    data.update({"name": account.name, "industry": account.industry, **changes})
    data["version"] = loaded.initial["version"]
    return data


def test_a_lone_edit_saves():
    account = AccountFactory(name="江南银行", industry="银行")
    form = AccountForm(edit(account, industry="金融"), instance=account)
    assert form.is_valid(), form.errors
    assert form.try_save().industry == "金融"


def test_the_second_save_is_refused_and_keeps_its_input(personas):
    account = AccountFactory(name="江南银行", industry="银行", owner=personas.owner)
    alice_data = edit(account, industry="金融")
    bob_data = edit(account, name="江南商业银行")

    alice = AccountForm(alice_data, instance=Account.objects.get(pk=account.pk))
    assert alice.is_valid()
    alice.try_save()

    bob = AccountForm(bob_data, instance=Account.objects.get(pk=account.pk))
    assert not bob.is_valid()
    assert "Someone else saved this record" in str(bob.non_field_errors())
    assert bob["name"].value() == "江南商业银行"  # Bob's input is still on the form
    assert bob["industry"].value() == "金融"  # a field he left alone shows Alice's value
    assert any("“银行” → “金融”" in line for line in bob.conflicts)
    assert Account.objects.get(pk=account.pk).name == "江南银行"  # nothing overwritten

    # Bob has now seen Alice's change; the version on his form is the current one.
    again = AccountForm(bob.data, instance=Account.objects.get(pk=account.pk))
    assert again.is_valid(), again.errors
    again.try_save()
    saved = Account.objects.get(pk=account.pk)
    assert (saved.name, saved.industry) == ("江南商业银行", "金融")  # both changes kept


def test_both_editing_the_same_field_keeps_the_second_persons_input_for_review():
    account = AccountFactory(name="A", industry="银行")
    first, second = edit(account, industry="金融"), edit(account, industry="保险")
    saved = AccountForm(first, instance=Account.objects.get(pk=account.pk))
    assert saved.is_valid()
    saved.try_save()
    refused = AccountForm(second, instance=Account.objects.get(pk=account.pk))
    assert not refused.is_valid()
    assert refused["industry"].value() == "保险"


def test_a_save_racing_past_clean_is_caught_under_the_row_lock():
    account = AccountFactory(name="A", industry="x")
    form = AccountForm(edit(account, industry="y"), instance=Account.objects.get(pk=account.pk))
    assert form.is_valid()
    # Someone saves between our clean() and our save().
    other = Account.objects.get(pk=account.pk)
    other.industry = "z"
    other.save()
    assert form.try_save() is None
    assert "Someone else saved this record" in str(form.non_field_errors())
    assert Account.objects.get(pk=account.pk).industry == "z"


def test_a_new_record_has_no_version_to_check():
    form = AccountForm({"name": "New", "industry": "", "version": ""})
    assert form.is_valid()
    assert "version" not in form.initial


@pytest.mark.parametrize("version", ["", None])
def test_an_edit_without_its_version_is_refused(version):
    """A post that leaves the version out (a script, a stale page) cannot be checked against a
    concurrent save, so it is refused, not saved blind."""
    account = AccountFactory(industry="制造")
    data = edit(account, industry="金融")
    if version is None:
        del data["version"]
    else:
        data["version"] = version
    form = AccountForm(data, instance=Account.objects.get(pk=account.pk))
    assert not form.is_valid()
    assert form.non_field_errors()[0].startswith("This form was sent without the version")
    account.refresh_from_db()
    assert account.industry == "制造"


def test_a_new_record_needs_no_version():
    form = AccountForm(QueryDict(mutable=True) | {"name": "新客户", "industry": "金融"})
    assert form.is_valid(), form.errors
