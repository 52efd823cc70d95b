"""同盟 leverage (relationships/leverage.py and leverage_selectors.py): the paths as a table, the
law that a path only uses the people given, and the read in a fixed number of queries that
only offers people the user may see."""

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import ContactTie
from relationships import leverage as rule
from relationships.leverage_selectors import leverage_for
from relationships.models import Relationship
from tests.factories import ContactFactory, DepartmentFactory

SUN = rule.Person(1, "孙浩", 2, department_id=7)


def person(pk, stage, **extra):
    return rule.Person(pk, f"P{pk}", stage, **extra)


@pytest.mark.parametrize(
    ("via", "ties", "links"),
    [
        (person(2, 4, reports_to_id=1), [], ["reports to 孙浩"]),
        (person(2, 3), [], []),  # at 信赖 but not linked
        (person(2, 3, is_guide=True), [], ["a guide (向导) who knows the people"]),
        (person(2, 4), [rule.Tie(1, 2, "friend")], ["friend of 孙浩"]),  # either direction
        (person(2, 3, department_id=7), [], ["same department as 孙浩"]),
        (person(2, 2, reports_to_id=1), [], []),  # only 信赖 and 同盟 bring us anywhere
        (person(2, 4, department_id=7), [rule.Tie(2, 1, "rival")], []),  # a rival: a warning
    ],
)
def test_leverage_table(via, ties, links):
    with translation.override("en"):
        found = rule.leverage(SUN, [SUN, via], ties)
    assert [list(p.links) for p in found.paths] == ([links] if links else [])


def test_the_path_reads_as_the_handout_example():
    lin = rule.Person(2, "林珊", 4, is_guide=True, reports_to_id=1)
    with translation.override("en"):
        [path] = rule.leverage(SUN, [lin], []).paths
    assert (path.via.name, path.stage_term, path.links[0]) == ("林珊", "同盟", "reports to 孙浩")


def test_rivals_are_warned_and_alliance_comes_first():
    rival = person(3, 1)
    ally, friend = person(4, 4, department_id=7), person(5, 3, department_id=7)
    found = rule.leverage(SUN, [SUN, friend, ally, rival], [rule.Tie(1, 3, "rival")])
    assert found.rivals == (rival,)
    assert [p.via for p in found.paths] == [ally, friend]


def test_nobody_is_needed_at_trust():
    target = rule.Person(1, "孙浩", 3)
    assert not rule.leverage(target, [person(2, 4, reports_to_id=1)], []).paths


people_st = st.builds(
    rule.Person,
    pk=st.integers(1, 8),
    name=st.just("x"),
    stage=st.integers(1, 4),
    is_guide=st.booleans(),
    department_id=st.one_of(st.none(), st.integers(1, 2)),
    reports_to_id=st.one_of(st.none(), st.integers(1, 8)),
)
ties_st = st.lists(
    st.builds(rule.Tie, st.integers(1, 8), st.integers(1, 8), st.sampled_from(["friend", "rival"]))
)


@given(people_st, st.lists(people_st, max_size=8), ties_st)
def test_paths_only_use_the_people_given(target, visible, ties):
    """The selector gives the rule only the people the user may see: whatever ties name anyone
    else, no path or warning goes through someone not given, the target or a rival."""
    found = rule.leverage(target, visible, ties)
    given_people = set(visible)
    for path in found.paths:
        assert path.via in given_people and path.via.pk != target.pk
        assert path.via.stage >= rule.TRUST and path.via not in found.rivals
        assert path.links
    assert set(found.rivals) <= given_people


def _stage(contact, stage):
    Relationship.objects.create(contact=contact, stage=stage)


@pytest.mark.parametrize("targets", [1, 5])
def test_leverage_for_costs_two_queries(world, personas, django_assert_num_queries, targets):
    department = DepartmentFactory(account=world.account)
    boss = ContactFactory(account=world.account, name="孙浩", department=department)
    _stage(boss, 1)
    lin = ContactFactory(account=world.account, name="林珊", reports_to=boss, is_guide=True)
    lin.guide_type = "relationship"
    lin.save()
    _stage(lin, 4)
    others = [ContactFactory(account=world.account, department=department) for _ in range(targets)]
    for other in others:
        _stage(other, 3)
        ContactTie.objects.create(contact=other, other=boss, kind="rival")
    with django_assert_num_queries(2), translation.override("en"):
        found = leverage_for(personas.owner, [boss, *others[: targets - 1]])
    assert [p.links[0] for p in found[boss.pk].paths][0] == "reports to 孙浩"
    assert {p.via.pk for p in found[boss.pk].paths} == {lin.pk}
    assert len(found[boss.pk].rivals) == targets


def test_leverage_for_skips_what_the_user_may_not_see(world, personas):
    assert leverage_for(personas.outsider, [world.contact]) == {}
    assert leverage_for(personas.owner, [world.foreign_contact]) == {}
    assert leverage_for(personas.owner, []) == {}


def test_the_relationship_page_shows_who_can_bring_us(world, personas, client_for):
    _stage(world.contact, 1)
    lin = ContactFactory(account=world.account, name="林珊", reports_to=world.contact)
    _stage(lin, 4)
    ContactTie.objects.create(contact=world.other_contact, other=world.contact, kind="rival")
    response = client_for(personas.owner).get(
        reverse("relationships:contact", args=[world.contact.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    body = response.content.decode()
    assert "Who can bring us to them" in body
    assert "林珊</a> (同盟) → reports to 周建国" in body
    assert "Linda Xu is a rival of 周建国" in body
