"""`__in_array` selects exactly what `__in` selects, on every database."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crm.models import Membership, Team, User


@pytest.mark.django_db
@settings(max_examples=25, deadline=None)
@given(
    memberships=st.lists(
        st.tuples(st.integers(0, 4), st.integers(0, 3), st.booleans()), max_size=12
    ),
    who=st.integers(0, 4),
)
def test_in_array_matches_in(memberships, who):
    Membership.objects.all().delete()
    users = [User.objects.get_or_create(username=f"u{n}")[0] for n in range(5)]
    teams = [Team.objects.get_or_create(name=f"t{n}")[0] for n in range(4)]
    for user, team, manages in memberships:
        Membership.objects.update_or_create(
            user=users[user],
            team=teams[team],
            defaults={"role": "manager" if manages else "rep"},
        )
    managed = Membership.objects.filter(user=users[who], role="manager").values("team")
    plain = set(User.objects.filter(memberships__team__in=managed).values_list("pk", flat=True))
    array = set(
        User.objects.filter(
            pk__in_array=Membership.objects.filter(team__in=managed).values("user")
        ).values_list("pk", flat=True)
    )
    assert plain == array


@pytest.mark.django_db
def test_in_array_with_an_empty_subquery_selects_nothing():
    User.objects.create(username="someone")
    assert not User.objects.filter(pk__in_array=User.objects.none().values("pk")).exists()
