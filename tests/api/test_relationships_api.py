"""Relationships, activities, planned activities and to-dos in the API: written through the
web's forms and services (the same messages, refusals and approvals), read within the policy.
The session's clock is pinned (tests/conftest.py), so "today" is a fixed day."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from crm.api.models import ApiToken
from relationships.models import Activity, ActivityType, PlannedActivity, Relationship, StageChange
from tests.api.conftest import token_for
from tests.factories import AccountFactory, ContactFactory
from tests.relationships.factories import ActivityFactory, PlannedActivityFactory, TodoFactory
from tests.world import build_world

TODAY = timezone.localdate  # pinned for the session


@pytest.fixture
def w(personas):
    return build_world(personas)


def _type(code):
    return ActivityType.objects.get(code=code).pk


def _activity(w, **fields):
    return {
        "account": w.account.pk,
        "type": _type("meal_tea"),
        "contacts": [w.contact.pk],
        "date": str(TODAY() - timedelta(days=1)),
        "notes": "茶叙",
        **fields,
    }


def _evidence(w, code="meal_tea", contact=None):
    return ActivityFactory(
        account=w.account,
        owner=w.personas.owner,
        type=ActivityType.objects.get(code=code),
        contacts=[contact or w.contact],
    )


def api_as(user, language="en", scope=ApiToken.Scope.WRITE):
    """A client with a fresh token of `user`'s, asking for `language` (the default is 中文)."""
    _token, key = token_for(user, scope)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE=language)
    return api


# Activities ------------------------------------------------------------------------------


def test_an_activity_logged_through_the_api_is_listed_with_its_history_user(w):
    api = api_as(w.personas.owner)
    response = api.post("/api/v1/activities/", _activity(w), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["owner"], body["contacts"], body["approval_status"]) == (
        w.personas.owner.pk,
        [w.contact.pk],
        "not_needed",
    )
    assert response["ETag"]
    listed = api.get("/api/v1/activities/", {"account": w.account.pk}).json()["results"]
    assert body["id"] in [row["id"] for row in listed]
    activity = Activity.objects.get(pk=body["id"])
    assert activity.history.get().history_user == w.personas.owner


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Log activities once they have happened; plan them as a next step."),
        ("zh-hans", "活动发生后再记录；计划中的活动请写成下一步。"),
    ],
)
def test_field_errors_are_the_forms_messages_in_the_requesters_language(w, language, message):
    api = api_as(w.personas.owner, language)
    tomorrow = str(TODAY() + timedelta(days=1))
    response = api.post("/api/v1/activities/", _activity(w, date=tomorrow), format="json")
    assert response.status_code == 400
    assert response.json() == {"date": [message]}
    assert not Activity.objects.exclude(pk=w.gift.pk).exists()


def test_the_activity_list_filters_as_the_webs_does(w):
    api = api_as(w.personas.owner)
    tea = _evidence(w, contact=ContactFactory(account=w.account, name="Linda Xu"))

    def ids(**params):
        response = api.get("/api/v1/activities/", params)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids(approval_status="pending") == [w.gift.pk]
    assert ids(person="linda") == [tea.pk]
    assert ids(type=_type("meal_tea"), owner=w.personas.owner.pk) == [tea.pk]
    assert ids(contact=w.contact.pk) == [w.gift.pk]
    assert ids(date_to=str(TODAY() - timedelta(days=30))) == []
    for nonsense in ({"type": "tea"}, {"account": 10**30}, {"contact": "1.5"}):
        refused = api.get("/api/v1/activities/", nonsense)
        assert (refused.status_code, list(refused.json())) == (400, list(nonsense))
    assert api.get("/api/v1/activities/tea/").status_code == 404


def test_a_next_step_date_without_a_next_step_is_refused_at_the_field(w):
    api = api_as(w.personas.owner)
    response = api.post(
        "/api/v1/activities/", _activity(w, next_step_date=str(TODAY())), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"next_step": ["Say what the next step is."]}


def test_a_gift_above_its_limit_waits_for_the_managers_decision(w):
    owner, manager = w.personas.owner, w.personas.manager
    posted = _activity(w, type=_type("small_gift"), cost="350.00")
    response = api_as(owner).post("/api/v1/activities/", posted, format="json")
    assert response.status_code == 201
    gift = response.json()["id"]
    assert response.json()["approval_status"] == "pending"
    decision = f"/api/v1/activities/{gift}/decision/"
    assert api_as(owner).post(decision, {"decision": "approve"}, format="json").status_code == 404
    refused = api_as(manager).post(decision, {"decision": "reject"}, format="json")
    assert refused.json() == {"reason": ["Give a reason when you reject."]}
    approved = api_as(manager).post(decision, {"decision": "approve"}, format="json")
    assert approved.json()["approval_status"] == "approved"
    assert approved.json()["decided_by"] == manager.pk


def test_outsiders_get_404_and_empty_lists(w):
    api = api_as(w.personas.outsider)
    Relationship.objects.create(contact=w.contact)
    records = {
        "activities": w.gift.pk,
        "relationships": w.contact.relationship.pk,
        "planned-activities": w.plan.pk,
        "todos": w.todo.pk,
    }
    for endpoint, pk in records.items():
        assert api.get(f"/api/v1/{endpoint}/").json()["results"] == [], endpoint
        assert api.get(f"/api/v1/{endpoint}/{pk}/").status_code == 404, endpoint
    stage = api.post(f"/api/v1/contacts/{w.contact.pk}/stage/", {"stage": 2}, format="json")
    assert stage.status_code == 404


def test_a_read_only_token_may_not_write(w):
    api = api_as(w.personas.owner, scope=ApiToken.Scope.READ)
    assert api.get(f"/api/v1/activities/{w.gift.pk}/").status_code == 200
    assert api.post("/api/v1/activities/", _activity(w), format="json").status_code == 403
    stage = api.post(f"/api/v1/contacts/{w.contact.pk}/stage/", {"stage": 2}, format="json")
    assert stage.status_code == 403


def test_an_edit_needs_the_version_seen(w):
    api = api_as(w.personas.owner)
    url = f"/api/v1/activities/{w.gift.pk}/"
    etag = api.get(url)["ETag"]
    assert api.patch(url, {"notes": "x"}, format="json").status_code == 428
    assert api.patch(url, {"notes": "mine"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    stale = api.patch(url, {"notes": "again"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["etag"] != etag
    assert api.delete(url, HTTP_IF_MATCH=etag).status_code == 412
    assert api.delete(url).status_code == 428
    w.gift.refresh_from_db()
    assert w.gift.notes == "mine"


def test_an_edit_that_makes_a_gift_dearer_goes_back_for_approval(w):
    api = api_as(w.personas.owner)
    response = api.post(
        "/api/v1/activities/", _activity(w, type=_type("small_gift")), format="json"
    )
    url = f"/api/v1/activities/{response.json()['id']}/"
    assert response.json()["approval_status"] == "not_needed"
    dearer = api.patch(url, {"cost": 900}, format="json", HTTP_IF_MATCH=response["ETag"])
    assert dearer.json()["approval_status"] == "pending"


def test_who_edits_is_the_webs_rule_others_who_see_get_404(w):
    w.account.collaborators.add(w.personas.teammate)
    url = f"/api/v1/activities/{w.gift.pk}/"
    teammate = api_as(w.personas.teammate)
    etag = teammate.get(url)["ETag"]
    assert teammate.patch(url, {"notes": "x"}, format="json", HTTP_IF_MATCH=etag).status_code == 404
    assert teammate.delete(url, HTTP_IF_MATCH=etag).status_code == 404
    manager = api_as(w.personas.manager)
    edited = manager.patch(url, {"notes": "checked"}, format="json", HTTP_IF_MATCH=etag)
    assert edited.status_code == 200
    assert w.gift.history.first().history_user == w.personas.manager


def test_deleting_the_evidence_of_a_move_asks_first(w):
    evidence = _evidence(w)
    api = api_as(w.personas.owner)
    moved = api.post(
        f"/api/v1/contacts/{w.contact.pk}/stage/",
        {"stage": 2, "activity": evidence.pk},
        format="json",
    )
    assert moved.status_code == 201
    url = f"/api/v1/activities/{evidence.pk}/"
    etag = api.get(url)["ETag"]
    refused = api.delete(url, HTTP_IF_MATCH=etag)
    assert refused.status_code == 409
    assert refused.json()["moves"] == [{"contact": w.contact.pk, "to_stage": 2}]
    assert api.delete(url + "?unsupported_ok=1", HTTP_IF_MATCH=etag).status_code == 204
    assert StageChange.objects.get().activity is None


# The stage ----------------------------------------------------------------------------------

STAGE_CASES = {
    # case: (what is posted, refused by the API with)
    "no evidence": (lambda w, ev, other: {"stage": 2}, None),
    "with evidence": (lambda w, ev, other: {"stage": 3, "activity": ev.pk}, None),
    "the same stage": (lambda w, ev, other: {"stage": 1}, 400),
    "someone else's evidence": (lambda w, ev, other: {"stage": 2, "activity": other.pk}, 400),
    "a stale stage": (lambda w, ev, other: {"stage": 2, "from_stage": 3}, 409),
}


@pytest.mark.parametrize("channel", ["web", "api"])
@pytest.mark.parametrize("case", list(STAGE_CASES))
def test_a_stage_change_is_refused_exactly_when_the_web_refuses_it(w, client_for, channel, case):
    evidence = _evidence(w, code="family_activity")
    other = _evidence(w, contact=ContactFactory(account=w.account))
    posted, refused_with = STAGE_CASES[case]
    data = posted(w, evidence, other)
    if channel == "web":
        url = reverse("relationships:change_stage", args=[w.contact.pk])
        client_for(w.personas.owner).post(url, data)
    else:
        url = f"/api/v1/contacts/{w.contact.pk}/stage/"
        response = api_as(w.personas.owner).post(url, data, format="json")
        assert response.status_code == (refused_with or 201), response.json()
    assert StageChange.objects.exists() is (refused_with is None)


def test_a_stale_stage_is_refused_with_the_webs_message(w):
    url = f"/api/v1/contacts/{w.contact.pk}/stage/"
    response = api_as(w.personas.owner).post(url, {"stage": 2, "from_stage": 3}, format="json")
    assert response.json() == {
        "detail": "Someone changed this stage in the meantime; look at it again and retry."
    }


def test_a_move_without_evidence_shows_as_unsupported(w):
    api = api_as(w.personas.owner)
    assert api.get("/api/v1/relationships/").json()["results"] == []  # made when first needed
    moved = api.post(f"/api/v1/contacts/{w.contact.pk}/stage/", {"stage": 3}, format="json")
    assert (moved.json()["from_stage"], moved.json()["to_stage"]) == (1, 3)
    [row] = api.get("/api/v1/relationships/").json()["results"]
    assert (row["contact"], row["stage"], row["supported"]) == (w.contact.pk, 3, False)
    assert [change["to_stage"] for change in row["stage_changes"]] == [3]
    _evidence(w, code="family_activity")
    assert api.get(f"/api/v1/relationships/{row['id']}/").json()["supported"] is True


def test_a_relationship_is_written_through_the_relationship_form(w):
    api = api_as(w.personas.owner)
    posted = {"contact": w.contact.pk, "personality": "owl", "interest_points": ["golf", "茶"]}
    created = api.post("/api/v1/relationships/", posted, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["interest_points"] == ["golf", "茶"]
    again = api.post("/api/v1/relationships/", posted, format="json")
    assert (again.status_code, again.json()["id"]) == (409, created.json()["id"])
    url = f"/api/v1/relationships/{created.json()['id']}/"
    changed = api.patch(
        url, {"personal_needs_met": True}, format="json", HTTP_IF_MATCH=created["ETag"]
    )
    assert changed.status_code == 200
    assert (changed.json()["interest_points"], changed.json()["quadrant"]) == (
        ["golf", "茶"],
        "friend",
    )
    relationship = Relationship.objects.get(contact=w.contact)
    assert relationship.history.first().history_user == w.personas.owner


# Planned activities and to-dos ----------------------------------------------------------------


def test_a_plan_is_made_done_and_then_no_longer_planned(w):
    api = api_as(w.personas.owner)
    starts = (timezone.now() + timedelta(days=2)).isoformat()
    posted = {"account": w.account.pk, "type": _type("small_gift"), "starts_at": starts}
    missing = api.post("/api/v1/planned-activities/", posted, format="json")
    assert missing.json() == {"contacts": ["This field is required."]}
    made = api.post(
        "/api/v1/planned-activities/", {**posted, "contacts": [w.contact.pk]}, format="json"
    )
    assert made.status_code == 201, made.json()
    url = f"/api/v1/planned-activities/{made.json()['id']}/"
    done = api.post(url + "done/", {"happened_on": str(TODAY()), "cost": 500}, format="json")
    assert done.status_code == 201, done.json()
    assert (done.json()["type_code"], done.json()["approval_status"]) == ("small_gift", "pending")
    assert api.get(url).json()["status"] == "done"
    assert api.post(url + "cancel/").json() == {"detail": "This activity is no longer planned."}
    assert api.post(url + "cancel/").status_code == 409


def test_a_plan_is_rescheduled_into_the_future_only(w):
    api = api_as(w.personas.owner)
    url = f"/api/v1/planned-activities/{w.plan.pk}/"
    past = {"starts_at": (timezone.now() - timedelta(hours=1)).isoformat()}
    refused = api.post(url + "reschedule/", past, format="json")
    assert refused.json() == {
        "starts_at": ["Plan activities in the future; log those that happened."]
    }
    later = {"starts_at": (timezone.now() + timedelta(days=3)).isoformat()}
    assert api.post(url + "reschedule/", later, format="json").status_code == 200
    assert api.post(url + "cancel/").json()["status"] == "cancelled"


def test_a_todo_is_added_on_a_person_and_ticked_off(w):
    api = api_as(w.personas.owner)
    foreign = ContactFactory(account=AccountFactory(owner=w.personas.outsider))
    posted = {"account": w.account.pk, "title": "寄资料", "due_date": str(TODAY())}
    wrong = api.post("/api/v1/todos/", {**posted, "contact": foreign.pk}, format="json")
    assert wrong.json() == {"contact": ["Choose one of the records you can see."]}
    made = api.post("/api/v1/todos/", {**posted, "contact": w.contact.pk}, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["contact"] == w.contact.pk
    url = f"/api/v1/todos/{made.json()['id']}/done/"
    assert api.post(url, format="json").json()["done_at"] is not None
    assert api.post(url, {"done": False}, format="json").json()["done_at"] is None
    assert (
        api.get("/api/v1/todos/", {"done": "false", "contact": w.contact.pk}).json()["results"][0][
            "id"
        ]
        == made.json()["id"]
    )


# Query counts ----------------------------------------------------------------------------------


def _more(w, kind, count):
    for _ in range(count):
        person = ContactFactory(account=w.account)
        if kind == "activities":
            _evidence(w, contact=person)
        elif kind == "relationships":
            Relationship.objects.create(contact=person)
            StageChange.objects.create(
                relationship=person.relationship, from_stage=1, to_stage=2, activity=None
            )
        elif kind == "planned-activities":
            PlannedActivityFactory(
                account=w.account,
                owner=w.personas.owner,
                type=ActivityType.objects.get(code="meal_tea"),
                contacts=[person],
            )
        else:
            TodoFactory(account=w.account, owner=w.personas.owner, contact=person)


@pytest.mark.parametrize("kind", ["activities", "relationships", "planned-activities", "todos"])
def test_a_list_costs_the_same_queries_at_any_size(w, kind):
    api = api_as(w.personas.manager)  # reaches the owner's records through the team
    api.get(f"/api/v1/{kind}/")  # the token's first use is recorded once
    counts = []
    for extra in (2, 6):
        _more(w, kind, extra)
        with CaptureQueriesContext(connection) as queries:
            response = api.get(f"/api/v1/{kind}/")
        assert response.status_code == 200
        assert len(response.json()["results"]) >= extra
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 4, counts


def test_planned_activities_are_listed_with_their_people(w):
    api = api_as(w.personas.owner)
    [row] = api.get("/api/v1/planned-activities/", {"contact": w.contact.pk}).json()["results"]
    after = {"starts_from": str(TODAY() + timedelta(days=2))}
    assert api.get("/api/v1/planned-activities/", after).json()["results"] == []
    assert (row["id"], row["contacts"], row["status"]) == (
        w.plan.pk,
        [w.contact.pk],
        PlannedActivity.Status.PLANNED,
    )
