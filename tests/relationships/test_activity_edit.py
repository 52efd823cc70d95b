"""Editing and deleting a logged activity (issue 21): its author or their manager, with history;
a new cost decides a gift's approval again; a person whose move rests on it stays in it; a
deletion that leaves a move unsupported asks first; a concurrent save is refused."""

import pytest
from django.urls import reverse
from django.utils import translation

from relationships import services
from relationships.models import Activity, Stage, StageChange
from tests.relationships.factories import ActivityFactory

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def visit(world, types, personas):
    return ActivityFactory(
        account=world.account,
        owner=personas.owner,
        type=types["office_visit"],
        contacts=[world.contact, world.other_contact],
        notes="first visit",
    )


def edit_url(activity):
    return reverse("relationships:activity_edit", args=[activity.pk])


def posted(client, activity, **changes):
    """The edit form as the page sends it, with `changes`."""
    form = client.get(edit_url(activity), **EN).context["form"]
    data = {
        "version": form.initial["version"],
        "type": activity.type_id,
        "date": activity.date.isoformat(),
        "contacts": [c.pk for c in activity.contacts.all()],
        "notes": activity.notes,
        "cost": str(activity.cost),
        "outcome": "",
        "next_step": "",
        "next_step_date": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 302), ("manager", 302), ("admin", 302), ("teammate", 404), ("outsider", 404)],
)
def test_who_may_edit_an_activity(visit, personas, client_for, who, status):
    client = client_for(getattr(personas, who))
    if status == 404:
        assert client.get(edit_url(visit)).status_code == 404
        assert (
            client.post(reverse("relationships:activity_delete", args=[visit.pk])).status_code
            == 404
        )
        return
    response = client.post(edit_url(visit), posted(client, visit, notes="second thoughts"), **EN)
    assert response.status_code == status
    visit.refresh_from_db()
    assert visit.notes == "second thoughts"
    assert visit.history.first().history_user == getattr(personas, who)


def test_a_dearer_gift_goes_back_for_approval(world, types, personas, client_for):
    gift = ActivityFactory(
        account=world.account,
        owner=personas.owner,
        type=types["valuable_gift"],
        contacts=[world.contact],
        cost=300,
        approval_status=Activity.Approval.NOT_NEEDED,
    )
    client = client_for(personas.owner)
    client.post(edit_url(gift), posted(client, gift, cost="1500"), **EN)
    gift.refresh_from_db()
    assert gift.cost == 1500 and gift.approval_status == Activity.Approval.PENDING


def test_a_person_whose_move_rests_on_it_stays_in_it(visit, world, personas, client_for):
    services.change_stage(
        contact=world.contact, to_stage=Stage.INTERACTION, by=personas.owner, activity=visit
    )
    client = client_for(personas.owner)
    response = client.post(
        edit_url(visit), posted(client, visit, contacts=[world.other_contact.pk]), **EN
    )
    assert response.status_code == 200
    assert response.context["form"].errors["contacts"] == [
        f"{world.contact.name}'s move to {Stage.INTERACTION.label} rests on this activity: keep "
        "them in it, or delete the activity and leave that move unsupported."
    ]
    assert set(visit.contacts.all()) == {world.contact, world.other_contact}


def test_deleting_the_evidence_of_a_move_asks_then_leaves_it_unsupported(
    visit, world, personas, client_for
):
    change = services.change_stage(
        contact=world.contact, to_stage=Stage.INTERACTION, by=personas.owner, activity=visit
    )
    client = client_for(personas.owner)
    url = reverse("relationships:activity_delete", args=[visit.pk])
    page = client.get(url, **EN).content.decode()
    assert world.contact.name in page and "unsupported" in page

    client.post(url, {}, **EN)
    assert Activity.objects.filter(pk=visit.pk).exists()  # not without ticking the box

    response = client.post(url, {"unsupported_ok": "1"}, **EN)
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=visit.pk).exists()
    change = StageChange.objects.get(pk=change.pk)
    assert change.activity is None and change.to_stage == Stage.INTERACTION  # the move stays


def test_an_activity_without_evidence_is_deleted_at_once(visit, personas, client_for):
    client = client_for(personas.owner)
    client.post(reverse("relationships:activity_delete", args=[visit.pk]), {}, **EN)
    assert not Activity.objects.exists()


def test_a_concurrent_save_is_refused_with_the_input_kept(visit, personas, client_for):
    client = client_for(personas.owner)
    stale = posted(client, visit, notes="mine")
    other = client_for(personas.manager)
    other.post(edit_url(visit), posted(other, visit, notes="the manager's"), **EN)
    client = client_for(personas.owner)
    response = client.post(edit_url(visit), stale, **EN)
    assert response.status_code == 200 and response.context["form"].conflicts
    visit.refresh_from_db()
    assert visit.notes == "the manager's"
