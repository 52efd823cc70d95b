"""The stakeholder form carries its version: the second of two saves from one loaded page is
refused with the other's change named, and an edit without a version is refused."""

import pytest
from django.urls import reverse
from django.utils import translation

from crm.concurrency import version_of
from opportunities.models import Stakeholder
from tests.opportunities.factories import StakeholderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_second_save_from_a_stale_page_is_refused(personas, client_for, deal):
    stakeholder = StakeholderFactory(opportunity=deal, attitude="neutral", roles=["user"])
    url = reverse("opportunities:stakeholder_edit", args=[deal.pk, stakeholder.pk])
    loaded = version_of(stakeholder)
    first = {"roles": ["decision_maker"], "attitude": "supporter", "influence": "high"}
    client_for(personas.manager).post(url, {**first, "version": loaded})
    second = {"roles": ["user"], "attitude": "opponent", "influence": "low", "version": loaded}
    response = client_for(personas.owner).post(url, second)
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == [
        "edit_conflict"
    ]
    stakeholder = Stakeholder.objects.get(pk=stakeholder.pk)
    assert stakeholder.attitude == "supporter"
    assert set(stakeholder.roles.values_list("role", flat=True)) == {"decision_maker"}


def test_an_edit_without_its_version_is_refused(personas, client_for, deal):
    stakeholder = StakeholderFactory(opportunity=deal, attitude="neutral")
    url = reverse("opportunities:stakeholder_edit", args=[deal.pk, stakeholder.pk])
    response = client_for(personas.owner).post(url, {"attitude": "opponent", "influence": "low"})
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == ["no_version"]
    assert Stakeholder.objects.get(pk=stakeholder.pk).attitude == "neutral"
