"""The in-app inbox and the bell: one's own notifications only, bounded queries."""

import pytest
from django.urls import reverse

from crm.notifications.models import Notification


def notify(user, n, **extra):
    return [
        Notification.objects.create(
            user=user, kind="todo_due", key=f"k{user.pk}:{i}", title=f"item {i}", **extra
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("size", [1, 120])
def test_the_bell_counts_unread_in_one_query(personas, client_for, django_assert_num_queries, size):
    notify(personas.owner, size)
    notify(personas.teammate, 3)
    client = client_for(personas.owner)
    # session, user; the unread ids (at most 100 rows).
    with django_assert_num_queries(3):
        response = client.get(reverse("crm:bell"))
    expected = "99+" if size > 99 else str(size)
    assert f'id="bell-count">{expected}<' in response.content.decode()


@pytest.mark.parametrize("size", [2, 40])
def test_the_inbox_costs_the_same_at_any_size(
    personas, client_for, django_assert_num_queries, size
):
    notify(personas.owner, size)
    client = client_for(personas.owner)
    # session, user; the count and the page.
    with django_assert_num_queries(4):
        response = client.get(reverse("crm:inbox"))
    assert len(response.context["page_obj"]) == min(size, 25)


def test_opening_marks_read_and_follows_the_link(personas, client_for):
    (item,) = notify(personas.owner, 1, url="/relationships/plans/")
    client = client_for(personas.owner)
    response = client.post(reverse("crm:open", args=[item.pk]))
    assert response["Location"] == "/relationships/plans/"
    item.refresh_from_db()
    assert item.read_at is not None


def test_a_link_off_the_site_is_not_followed(personas, client_for):
    (item,) = notify(personas.owner, 1, url="https://evil.example.com/")
    response = client_for(personas.owner).post(reverse("crm:open", args=[item.pk]))
    assert response["Location"] == reverse("crm:inbox")


def test_mark_all_read_touches_only_ones_own(personas, client_for):
    notify(personas.owner, 3)
    notify(personas.teammate, 2)
    client_for(personas.owner).post(reverse("crm:mark_read"))
    assert not Notification.objects.filter(user=personas.owner, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=personas.teammate, read_at__isnull=True).count() == 2


def test_preferences_are_saved_and_quiet_hours_need_both_ends(personas, client_for):
    client = client_for(personas.owner)
    url = reverse("crm:notification_preferences")
    response = client.post(
        url, {"digest_hour": "7", "quiet_from": "22:00"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.context["form"].errors["quiet_until"] == [
        "Give both ends of the quiet hours, or neither."
    ]
    client.post(
        url,
        {
            "digest_hour": "7",
            "email": "on",
            "kinds": ["care", "todo_due"],
            "quiet_from": "22:00",
            "quiet_until": "07:00",
        },
    )
    preference = personas.owner.notification_preference
    assert (preference.digest_hour, preference.kinds, preference.robot) == (
        7,
        ["care", "todo_due"],
        False,
    )
