"""Invariants of the models and the visibility of activities."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from relationships.models import Activity, ActivityType, Relationship, StageChange
from tests.relationships.factories import ActivityFactory


def test_the_method_types_are_seeded_with_their_stage(types):
    assert types["phone_call"].stage == 1
    assert types["tech_exchange"].stage == 2
    assert types["valuable_gift"].stage == 3 and types["valuable_gift"].is_gift
    assert types["decision_support"].stage == 4
    assert {types[c].stage for c in ("email", "meeting", "other")} == {None}


def test_activity_type_names_follow_the_language(types):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert types["phone_call"].name == "电话"
    with translation.override("en"):
        assert types["phone_call"].name == "phone call"


HANDOUT_MARKERS = {
    1: ["电话", "拜访", "小礼品"],
    2: ["商务活动", "本地参观", "技术交流", "测试和样品"],
    3: ["联谊活动", "家庭活动", "异地参观", "贵重礼品"],
    4: ["穿针引线", "成为向导", "坚定支持"],
}


@pytest.mark.parametrize(("stage", "names"), HANDOUT_MARKERS.items())
def test_the_marker_activities_carry_the_handouts_names(types, stage, names):
    """METHOD.md §4.2 names each stage's marker activities; the defaults use those words."""
    in_order = sorted(types.values(), key=lambda t: t.position)
    assert [t.name_zh for t in in_order if t.stage == stage] == names


def test_the_rename_keeps_what_an_admin_typed(types):
    from relationships.defaults import rename_former_defaults

    ActivityType.objects.filter(code="social_event").update(name_zh="社交活动")
    ActivityType.objects.filter(code="guide_intelligence").update(
        name_en="intelligence from a guide", name_zh="线人情报"
    )
    rename_former_defaults(ActivityType)
    renamed = {t.code: (t.name_en, t.name_zh) for t in ActivityType.objects.all()}
    assert renamed["social_event"] == ("social event", "联谊活动")
    assert renamed["guide_intelligence"] == ("becomes a guide", "线人情报")


def test_a_gift_type_needs_a_limit(db):
    gift = ActivityType(code="x", name_en="x", name_zh="x", is_gift=True)
    with pytest.raises(ValidationError):
        gift.clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        gift.save()


def test_cost_cannot_be_negative(world, types, personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFactory(
            account=world.account, owner=personas.owner, type=types["email"], cost=Decimal("-1")
        )


def test_a_stage_change_must_move(world, personas):
    relationship = Relationship.objects.create(contact=world.contact)
    with pytest.raises(IntegrityError), transaction.atomic():
        StageChange.objects.create(relationship=relationship, from_stage=2, to_stage=2)


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("owner", True),
        ("teammate", False),
        ("manager", True),
        ("outsider", False),
        ("outsider_manager", False),
        ("admin", True),
    ],
)
def test_activity_visibility_follows_the_account(world, types, personas, persona, sees):
    activity = ActivityFactory(
        account=world.account, owner=personas.owner, type=types["email"], contacts=[world.contact]
    )
    user = getattr(personas, persona)
    assert Activity.objects.visible_to(user).filter(pk=activity.pk).exists() is sees


def test_an_activity_is_visible_to_its_owner_even_on_an_account_they_cannot_see(
    world, types, personas
):
    """E.g. a rep who logged an activity on an account later taken from them."""
    activity = ActivityFactory(
        account=world.foreign_account,
        owner=personas.teammate,
        type=types["email"],
        contacts=[world.foreign_contact],
    )
    assert Activity.objects.visible_to(personas.teammate).filter(pk=activity.pk).exists()
    assert Activity.objects.visible_to(personas.manager).filter(pk=activity.pk).exists()
    assert not Activity.objects.visible_to(personas.owner).filter(pk=activity.pk).exists()
    assert Activity.objects.visible_to(personas.outsider).filter(pk=activity.pk).exists()


def test_visible_to_does_not_repeat_rows(world, types, personas):
    ActivityFactory(
        account=world.account,
        owner=personas.owner,
        type=types["email"],
        contacts=[world.contact, world.other_contact],
    )
    assert Activity.objects.visible_to(personas.manager).count() == 1


@pytest.mark.parametrize(
    ("persona", "decides"),
    [
        ("owner", False),  # nobody approves their own gift
        ("teammate", False),  # a rep approves nothing
        ("manager", True),
        ("outsider", False),
        ("outsider_manager", False),  # manager of another team
        ("admin", True),
    ],
)
def test_who_may_decide_a_gift(world, types, personas, persona, decides):
    gift = ActivityFactory(
        account=world.account,
        owner=personas.owner,
        type=types["valuable_gift"],
        cost=Decimal("900"),
        approval_status=Activity.Approval.PENDING,
        contacts=[world.contact],
    )
    user = getattr(personas, persona)
    assert Activity.objects.approvable_by(user).filter(pk=gift.pk).exists() is decides
