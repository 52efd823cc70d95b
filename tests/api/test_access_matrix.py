"""Every API endpoint and method, requested by every persona, answers what the policy says:
the API's half of tests/test_access_matrix.py. A new route without a record here fails
`test_every_route_has_a_record`, so nothing ships unchecked."""

from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Department
from crm.api.base import etag_of
from crm.api.models import ApiToken
from crm.api.urls import _router
from opportunities.models import (
    Commitment,
    Concern,
    Contract,
    Evaluation,
    PaymentMilestone,
    Product,
    ProjectApproval,
    PurchaseCriterion,
    Receipt,
    ValuePoint,
)
from relationships.models import ActivityType, Relationship
from tests.api.conftest import token_for
from tests.world import build_world

PERSONAS = ["anonymous", "owner", "teammate", "manager", "outsider", "admin"]
SCOPED = {"owner": 200, "teammate": 404, "manager": 200, "outsider": 404, "admin": 200}


@dataclass
class Route:
    record: callable  # one record of this kind in the world, owned by the owner persona
    reach: dict  # who reads its detail (200) and who gets 404
    actions: dict = field(default_factory=dict)  # an action's own reach, where it differs


def _team(world):
    return world.personas.owner.memberships.get().team


def _department(world):
    return Department.objects.create(account=world.account, name="信息科技部")


def _product(world):
    return Product.objects.create(name="核心系统", list_price=100)


ROUTES = {
    "account": Route(lambda w: w.account, SCOPED),
    "contact": Route(lambda w: w.contact, SCOPED),
    "department": Route(_department, SCOPED),
    "opportunity": Route(lambda w: w.opportunity, SCOPED),
    "stakeholder": Route(lambda w: w.stakeholder, SCOPED),
    "product": Route(_product, dict.fromkeys(SCOPED, 200)),
    "user": Route(lambda w: w.personas.owner, SCOPED),
    # Relationships, activities, plans and to-dos (relationships/api*.py).
    "relationship": Route(lambda w: Relationship.objects.create(contact=w.contact), SCOPED),
    "activity-type": Route(
        lambda w: ActivityType.objects.get(code="meal_tea"), dict.fromkeys(SCOPED, 200)
    ),
    # A gift is decided by a manager of its owner's team (never by the owner).
    "activity": Route(lambda w: w.gift, SCOPED, actions={"decision": {**SCOPED, "owner": 404}}),
    "planned-activity": Route(lambda w: w.plan, SCOPED),
    "todo": Route(lambda w: w.todo, SCOPED),
    # The records of moves 3–6 (opportunities/api/moves.py).
    "need": Route(lambda w: w.need, SCOPED),
    "approval": Route(lambda w: ProjectApproval.objects.get(opportunity=w.opportunity), SCOPED),
    "criterion": Route(lambda w: PurchaseCriterion.objects.get(opportunity=w.opportunity), SCOPED),
    "evaluation": Route(lambda w: Evaluation.objects.get(opportunity=w.opportunity), SCOPED),
    "value-point": Route(lambda w: ValuePoint.objects.get(opportunity=w.opportunity), SCOPED),
    "concern": Route(lambda w: Concern.objects.get(opportunity=w.opportunity), SCOPED),
    "negotiation-item": Route(
        lambda w: w.negotiation, SCOPED, actions={"decision": {**SCOPED, "owner": 403}}
    ),
    "contract": Route(lambda w: Contract.objects.get(opportunity=w.opportunity), SCOPED),
    "milestone": Route(lambda w: PaymentMilestone.objects.get(opportunity=w.opportunity), SCOPED),
    "receipt": Route(lambda w: Receipt.objects.get(milestone__opportunity=w.opportunity), SCOPED),
    "commitment": Route(lambda w: Commitment.objects.get(opportunity=w.opportunity), SCOPED),
    "team": Route(_team, {**SCOPED, "teammate": 200}),
}


def registry():
    return {basename: viewset for _prefix, viewset, basename in _router().registry}


def api_route_names() -> set[str]:
    """The URL names of the API's routes (the web matrix leaves them to this module)."""
    names = set()
    for basename, viewset in registry().items():
        names |= {f"api:{basename}-list", f"api:{basename}-detail"}
        names |= {f"api:{basename}-{extra.url_name}" for extra in viewset.get_extra_actions()}
    return names


def test_every_route_has_a_record():
    assert set(registry()) - set(ROUTES) == set(), "add these routes to ROUTES"
    assert set(ROUTES) - set(registry()) == set(), "these entries name no route any more"


@pytest.fixture
def world(personas):
    return build_world(personas)


def client_as(world, persona, scope=ApiToken.Scope.WRITE):
    client = APIClient()
    if persona != "anonymous":
        _token, key = token_for(getattr(world.personas, persona), scope)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


CASES = [(basename, persona) for basename in ROUTES for persona in PERSONAS]


@pytest.mark.parametrize(("basename", "persona"), CASES)
def test_reading(world, basename, persona):
    route = ROUTES[basename]
    record = route.record(world)
    client = client_as(world, persona)
    listing = client.get(reverse(f"api:{basename}-list"), {"page_size": 200})
    detail = client.get(reverse(f"api:{basename}-detail", args=[record.pk]))
    if persona == "anonymous":
        assert (listing.status_code, detail.status_code) == (401, 401)
        return
    expected = route.reach[persona]
    assert detail.status_code == expected
    assert listing.status_code == 200
    listed = {row["id"] for row in listing.json()["results"]}
    assert (record.pk in listed) == (expected == 200), "the list shows exactly what one reaches"


@pytest.mark.parametrize(("basename", "persona"), CASES)
def test_writing(world, basename, persona):
    """An update of the version one read: within reach it is made (or answered by the form),
    out of reach 404, anonymous 401; deleting without the version is 428 within reach."""
    viewset = registry()[basename]
    route = ROUTES[basename]
    record = route.record(world)
    client = client_as(world, persona)
    url = reverse(f"api:{basename}-detail", args=[record.pk])
    if "patch" in viewset.http_method_names and hasattr(viewset, "partial_update"):
        response = client.patch(url, {}, format="json", HTTP_IF_MATCH=etag_of(record))
        if persona == "anonymous":
            assert response.status_code == 401
        elif route.reach[persona] == 404:
            assert response.status_code == 404
        else:
            assert response.status_code in (200, 400, 409), response.json()
    else:
        assert client.patch(url, {}, format="json").status_code in (401, 405)
    if "delete" in viewset.http_method_names and hasattr(viewset, "destroy"):
        response = client.delete(url)
        expected = {"anonymous": 401, **{p: 428 if r == 200 else 404 for p, r in SCOPED.items()}}
        assert response.status_code == expected[persona]
    for extra in viewset.get_extra_actions():
        extra_url = reverse(f"api:{basename}-{extra.url_name}", args=[record.pk])
        method = sorted(extra.mapping)[0]
        response = getattr(client, method)(extra_url, {}, format="json")
        reach = route.actions.get(extra.url_name, route.reach)
        if persona == "anonymous":
            assert response.status_code == 401
        elif reach[persona] in (403, 404):
            assert response.status_code == reach[persona], extra_url
        else:
            assert response.status_code in (200, 201, 400, 409), (extra_url, response.content)


@pytest.mark.parametrize("basename", list(ROUTES))
def test_a_read_only_token_changes_nothing(world, basename):
    viewset = registry()[basename]
    record = ROUTES[basename].record(world)
    client = client_as(world, "owner", ApiToken.Scope.READ)
    detail = reverse(f"api:{basename}-detail", args=[record.pk])
    attempts = []
    if hasattr(viewset, "create"):
        attempts.append(client.post(reverse(f"api:{basename}-list"), {}, format="json"))
    if "patch" in viewset.http_method_names and hasattr(viewset, "partial_update"):
        attempts.append(client.patch(detail, {}, format="json", HTTP_IF_MATCH=etag_of(record)))
    if "delete" in viewset.http_method_names and hasattr(viewset, "destroy"):
        attempts.append(client.delete(detail, HTTP_IF_MATCH=etag_of(record)))
    for extra in viewset.get_extra_actions():
        if "post" in extra.mapping:
            url = reverse(f"api:{basename}-{extra.url_name}", args=[record.pk])
            attempts.append(client.post(url, {}, format="json"))
    assert all(response.status_code == 403 for response in attempts)
    assert client.get(detail).status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "teammate"])
def test_a_rival_cannot_create_under_a_record_out_of_reach(world, persona):
    client = client_as(world, persona)
    response = client.post(
        reverse("api:contact-list"), {"account": world.account.pk, "name": "王五"}, format="json"
    )
    assert response.status_code == 400
    assert "account" in response.json()
    assert not world.account.contacts.filter(name="王五").exists()


def test_a_filter_on_a_record_out_of_reach_tells_nothing(world):
    """An id filter answers the same for a record one may not see and for no record at all."""
    client = client_as(world, "outsider")
    url = reverse("api:contact-list")
    theirs = client.get(url, {"account": world.account.pk})
    nothing = client.get(url, {"account": world.account.pk + 10_000})
    assert theirs.status_code == nothing.status_code == 200
    assert theirs.json()["results"] == nothing.json()["results"] == []
    huge = client.get(reverse("api:receipt-list"), {"milestone": 10**30})
    assert huge.status_code == 400
