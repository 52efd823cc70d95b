"""Move 2's gate over the database (METHOD.md §2.3, §9.2): a stage counts only when a completed
activity of that stage supports it; the thresholds are the admin's settings; the gate panel
shows the end flag generated from the same settings."""

import pytest
from django.urls import reverse
from django.utils import translation

from opportunities.deals import selectors, services
from opportunities.models import MoveThresholdSetting
from tests.opportunities.conftest import qualify_fully, support

pytestmark = pytest.mark.django_db


def _guide(deal):
    return next(s.contact for s in selectors.stakeholders_of(deal) if s.contact.is_guide)


@pytest.mark.parametrize(
    ("activity", "evidence"),
    [
        ({"stage": 3}, 3),
        ({"stage": 4}, 4),
        ({"stage": 2}, 2),
        ({"stage": 3, "approval": "rejected"}, None),  # a refused gift is no evidence
        ({"stage": 3, "approval": "pending"}, None),  # nor one still waiting for approval
        ({"stage": 3, "approval": "approved"}, 3),
        ({"stage": 3, "days_ago": -2}, None),  # planned for later: not completed yet
        (None, None),
    ],
)
def test_the_evidence_is_the_best_completed_activity(personas, deal, activity, evidence):
    qualify_fully(deal)
    guide = _guide(deal)
    guide.activities.all().delete()
    if activity:
        support(guide, **activity)
    [row] = [s for s in selectors.stakeholders_of(deal) if s.contact_id == guide.pk]
    assert row.evidence_stage == evidence
    [page_row] = [s for s in selectors.buying_group(deal) if s.contact_id == guide.pk]
    assert page_row.evidence_stage == evidence


def _to_move_3(deal, personas):
    services.change_move(deal, to_move=2, by=personas.owner)
    return services.change_move(deal, to_move=3, by=personas.owner)


def test_an_unsupported_stage_of_the_guide_stops_the_rep(personas, deal):
    qualify_fully(deal)
    _guide(deal).activities.all().delete()
    with pytest.raises(services.MoveRefused) as refusal:
        _to_move_3(deal, personas)
    assert [c.code for c in refusal.value.blocking] == ["guide_trust"]


def test_the_admin_may_let_unsupported_stages_count(personas, deal):
    qualify_fully(deal)
    _guide(deal).activities.all().delete()
    MoveThresholdSetting.objects.update_or_create(pk=1, defaults={"trust_unsupported_counts": True})
    assert _to_move_3(deal, personas).to_move == 3


def test_a_manager_confirms_an_unsupported_stage_with_an_override(personas, deal):
    qualify_fully(deal)
    _guide(deal).activities.all().delete()
    services.change_move(deal, to_move=2, by=personas.owner)
    with translation.override("en"):
        change = services.change_move(
            deal, to_move=3, by=personas.manager, override=True, reason="Met her family last week"
        )
    assert change.is_override and "guide" in change.overridden_checks.lower()


def test_two_guides_wanted_is_a_setting(personas, deal):
    qualify_fully(deal)
    MoveThresholdSetting.objects.update_or_create(pk=1, defaults={"trust_guides": 2})
    with pytest.raises(services.MoveRefused) as refusal:
        _to_move_3(deal, personas)
    assert [c.code for c in refusal.value.blocking] == ["guide_trust"]


@pytest.mark.parametrize(
    ("setting", "shown"),
    [
        ({}, ["at least 1 guide", "信赖", "completed activity"]),
        ({"trust_stage": 4, "trust_guides": 2, "trust_unsupported_counts": True}, ["同盟", "2"]),
    ],
)
def test_the_gate_panel_shows_the_flag_of_the_settings(personas, client_for, deal, setting, shown):
    qualify_fully(deal)
    services.change_move(deal, to_move=2, by=personas.owner)
    MoveThresholdSetting.objects.update_or_create(pk=1, defaults=setting)
    with translation.override("en"):
        response = client_for(personas.owner).get(
            reverse("opportunities:detail", args=[deal.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
    panel = response.content.decode()
    panel = panel[panel.index('id="gate-panel"') :][:4000]
    assert all(text in panel for text in shown), panel
    assert ("completed activity" in panel) is not setting.get("trust_unsupported_counts", False)
