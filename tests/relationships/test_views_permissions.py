"""The permission matrix of every view: who gets the page, who gets 404, and anonymous
visitors are sent to sign in."""

from decimal import Decimal

import pytest
from django.urls import reverse

from relationships.models import Activity, ActivityType
from tests.relationships.factories import ActivityFactory

PERSONAS = ["owner", "teammate", "manager", "outsider", "outsider_manager", "admin"]
SEES_OWNERS_RECORDS = {"owner": True, "manager": True, "admin": True}


def _contact_urls(world):
    pk = world.contact.pk
    return [
        reverse("relationships:contact", args=[pk]),
        reverse("relationships:log_for_contact", args=[pk]),
        reverse("relationships:change_stage", args=[pk]),
        reverse("relationships:edit", args=[pk]),
        reverse("relationships:guide", args=[pk]),
        reverse("relationships:account", args=[world.account.pk]),
        reverse("relationships:log_for_account", args=[world.account.pk]),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_record_pages_answer_404_outside_the_policy(world, personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    expected = 200 if SEES_OWNERS_RECORDS.get(persona) else 404
    for url in _contact_urls(world):
        assert client.get(url).status_code == expected, url


@pytest.mark.parametrize("persona", PERSONAS)
def test_record_writes_answer_404_outside_the_policy(world, personas, client_for, persona):
    """A POST from someone who may not see the contact changes nothing."""
    client = client_for(getattr(personas, persona))
    if SEES_OWNERS_RECORDS.get(persona):
        return
    pk = world.contact.pk
    posts = {
        reverse("relationships:log_for_contact", args=[pk]): {
            "type": str(ActivityType.objects.first().pk),
            "date": "2026-01-01",
            "contacts": [pk],
        },
        reverse("relationships:change_stage", args=[pk]): {"stage": "2"},
        reverse("relationships:edit", args=[pk]): {"personality": "owl"},
        reverse("relationships:guide", args=[pk]): {"is_guide": "on", "guide_type": "technical"},
        reverse("relationships:log_for_account", args=[world.account.pk]): {"type": "1"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    assert not Activity.objects.exists()
    world.contact.refresh_from_db()
    assert not world.contact.is_guide
    assert not hasattr(world.contact, "relationship") or world.contact.relationship.stage == 1


def test_anonymous_visitors_are_sent_to_sign_in(world, types, client):
    pending = ActivityFactory(account=world.account, owner=world.account.owner, type=types["email"])
    urls = _contact_urls(world) + [
        reverse("relationships:activities"),
        reverse("relationships:approvals"),
        reverse("relationships:care"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login/" in response["Location"], url
    response = client.post(reverse("relationships:decide", args=[pending.pk]), {})
    assert response.status_code == 302


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_signed_in_has_their_own_lists(world, personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    assert client.get(reverse("relationships:activities")).status_code == 200
    assert client.get(reverse("relationships:care")).status_code == 200


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 404),
        ("teammate", 404),
        ("manager", 200),
        ("outsider", 404),
        ("outsider_manager", 200),  # their own (empty) queue
        ("admin", 200),
    ],
)
def test_only_managers_open_the_approvals_page(world, personas, client_for, persona, status):
    client = client_for(getattr(personas, persona))
    assert client.get(reverse("relationships:approvals")).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 404),  # their own gift
        ("teammate", 404),  # a rep cannot approve
        ("manager", 302),
        ("outsider", 404),
        ("outsider_manager", 404),  # a manager of another team
        ("admin", 302),
    ],
)
def test_who_may_decide_a_gift(world, types, personas, client_for, persona, status):
    gift = ActivityFactory(
        account=world.account,
        owner=personas.owner,
        type=types["valuable_gift"],
        cost=Decimal("900"),
        approval_status=Activity.Approval.PENDING,
        contacts=[world.contact],
    )
    client = client_for(getattr(personas, persona))
    response = client.post(reverse("relationships:decide", args=[gift.pk]), {"decision": "approve"})
    assert response.status_code == status
    gift.refresh_from_db()
    assert gift.approval_status == ("approved" if status == 302 else "pending")
