"""Every figure of the pipeline page equals an independent computation in plain Python over
the same factory-made deals (won, lost, abandoned, deals without amount, several teams)."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Account
from opportunities.models import MoveChange, Opportunity, SalesTarget, Status
from opportunities.pipeline import figures as pipeline
from opportunities.rules import attainment as scorecard
from opportunities.rules import gates, stages
from tests.factories import AccountFactory
from tests.opportunities.pipeline_data import make_deal, world

pytestmark = pytest.mark.django_db

PROBABILITIES = {1: 10, 2: 20, 3: 35, 4: 55, 5: 80}


def owned_by(users):
    ids = {u.pk for u in users}
    return [d for d in Opportunity.objects.all() if d.owner_id in ids]


def weighted(deal) -> Decimal:
    if deal.status == Status.WON:
        return deal.amount
    if deal.status != Status.OPEN:
        return Decimal(0)
    return deal.amount * PROBABILITIES[deal.move] / 100


def in_period(deal, scope) -> bool:
    return deal.closed_at is not None and scope.period_from <= deal.closed_at < scope.period_until


@pytest.fixture
def data(personas):
    world(personas)
    team_a = [personas.owner, personas.teammate, personas.manager]
    return personas, team_a


def test_the_funnel_counts_pot_basin_and_bowl(data):
    personas, team_a = data
    AccountFactory(owner=personas.teammate, status=Account.Status.TARGET)
    AccountFactory(owner=personas.outsider, status=Account.Status.TARGET)
    scope = pipeline.scope_for(personas.manager)
    funnel = pipeline.funnel(scope)
    deals = owned_by(team_a)
    for row in funnel["basin"]:
        mine = [d for d in deals if d.status == Status.OPEN and d.move == row.move]
        assert row.count == len(mine)
        assert row.amount == sum((d.amount for d in mine), Decimal(0))
        assert row.weighted == sum((weighted(d) for d in mine), Decimal(0))
    won = [d for d in deals if d.status == Status.WON and in_period(d, scope)]
    assert funnel["bowl"].count == len(won) == 3
    assert funnel["bowl"].amount == sum(d.amount for d in won)
    targets = [a for a in Account.objects.filter(status=Account.Status.TARGET) if a.owner in team_a]
    assert funnel["pot"].count == len(targets)
    with_open = {d.account_id for d in Opportunity.objects.filter(status=Status.OPEN)}
    assert funnel["pot_without_deal"] == len([a for a in targets if a.pk not in with_open])


def test_the_rep_table_matches_a_count_by_hand(data):
    personas, team_a = data
    today = timezone.localdate()
    start, end = scorecard.period_bounds(scorecard.Period.THIS_QUARTER, today)
    SalesTarget.objects.create(
        owner=personas.owner, period_start=start, period_end=end, amount=Decimal("8000")
    )
    SalesTarget.objects.create(  # outside the period: not counted
        owner=personas.owner,
        period_start=start - datetime.timedelta(days=400),
        period_end=start - datetime.timedelta(days=300),
        amount=Decimal("1"),
    )
    SalesTarget.objects.create(
        owner=personas.teammate, period_start=start, period_end=end, amount=Decimal("100000")
    )
    scope = pipeline.scope_for(personas.manager, today=today)
    rows = {row.user.pk: row for row in pipeline.rep_table(scope)}
    assert set(rows) == {u.pk for u in team_a}
    for user in team_a:
        deals = owned_by([user])
        row = rows[user.pk]
        open_deals = [d for d in deals if d.status == Status.OPEN]
        won = [d for d in deals if d.status == Status.WON and in_period(d, scope)]
        closed = [d for d in deals if d.status != Status.OPEN and in_period(d, scope)]
        assert row.open_count == len(open_deals)
        assert row.pipeline == sum(d.amount for d in open_deals)
        assert row.weighted == sum(weighted(d) for d in open_deals)
        assert row.won_count == len(won)
        assert row.won_amount == sum(d.amount for d in won)
        assert row.closed_count == len(closed)
        assert row.win_rate == scorecard.win_rate(len(won), len(closed))
        cycle = sum((d.closed_at - d.created_at).total_seconds() for d in won) / len(won) / 86400
        assert row.cycle_days == pytest.approx(cycle, abs=0.1)
    owner, teammate = rows[personas.owner.pk], rows[personas.teammate.pk]
    assert owner.target == Decimal("8000")
    assert owner.attainment == Decimal("125.0")  # 10 000 won of 8 000
    assert owner.colour == "green"
    assert teammate.attainment == Decimal("7.0")  # 7 000 of 100 000
    assert teammate.colour == "black"
    assert rows[personas.manager.pk].target is None
    assert rows[personas.manager.pk].colour is None


def test_the_forecast_sums_open_deals_by_close_month(data):
    personas, team_a = data
    today = timezone.localdate()
    scope = pipeline.scope_for(personas.manager, today=today)
    forecast = pipeline.forecast(scope)
    first = scorecard.month_start(today)
    expected = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for deal in owned_by(team_a):
        if deal.status != Status.OPEN:
            continue
        month = scorecard.month_start(deal.expected_close_date)
        if month < first:
            key = "overdue"
        elif month >= scorecard.add_months(first, pipeline.FORECAST_MONTHS):
            key = "later"
        else:
            key = month
        expected[key][0] += 1
        expected[key][1] += deal.amount
        expected[key][2] += weighted(deal)
    rows = {row.month: row for row in forecast["months"]}
    rows["overdue"], rows["later"] = forecast["overdue"], forecast["later"]
    assert len(forecast["months"]) == pipeline.FORECAST_MONTHS
    for key, row in rows.items():
        assert [row.count, row.amount, row.weighted] == expected.get(key, [0, 0, 0]), key
    assert sum(r.count for r in rows.values()) == sum(e[0] for e in expected.values())


def test_conversion_and_days_per_move_follow_the_move_history(data):
    personas, team_a = data
    scope = pipeline.scope_for(personas.manager)
    flows = {flow.move: flow for flow in pipeline.move_flow(scope)}
    deals = owned_by(team_a)
    now = timezone.now()
    furthest = {
        d.pk: max(MoveChange.objects.filter(opportunity=d).values_list("to_move", flat=True))
        for d in deals
    }
    days = defaultdict(float)
    timed = defaultdict(set)
    for d in deals:
        changes = list(
            MoveChange.objects.filter(opportunity=d, to_status=Status.OPEN).order_by("changed_at")
        )
        all_changes = list(MoveChange.objects.filter(opportunity=d).order_by("changed_at"))
        for change in changes:
            later = [c.changed_at for c in all_changes if c.changed_at > change.changed_at]
            until = later[0] if later else now
            days[change.to_move] += (until - change.changed_at).total_seconds() / 86400
            timed[change.to_move].add(d.pk)
    for move in range(1, 6):
        flow = flows[move]
        reached = [d for d in deals if furthest[d.pk] >= move]
        advanced = [d for d in deals if furthest[d.pk] > move]
        dropped = [
            d
            for d in deals
            if furthest[d.pk] == move and d.status in (Status.LOST, Status.ABANDONED)
        ]
        assert (flow.reached, flow.advanced, flow.dropped) == (
            len(reached),
            len(advanced),
            len(dropped),
        )
        assert flow.conversion == scorecard.ratio(len(advanced), len(advanced) + len(dropped))
        assert flow.avg_days == pytest.approx(days[move] / len(timed[move]), abs=0.11)


def test_stalled_deals_are_those_longer_in_their_move_than_its_limit(data):
    personas, team_a = data
    limits = {1: 4, 2: 30, 3: 12, 4: 100, 5: 24}
    scope = pipeline.scope_for(personas.manager)
    found = {d.pk for d in pipeline.stalled(scope, limits)}
    now = timezone.now()
    expected = {
        d.pk
        for d in owned_by(team_a)
        if d.status == Status.OPEN
        and d.move in limits
        and now - d.entered_move_at > datetime.timedelta(days=limits[d.move])
    }
    assert found == expected and expected


def test_late_entries_and_their_win_rates(data):
    personas, team_a = data
    late_first = make_deal(personas.owner, move=5, history=[(4, 20), (5, 10)])
    won_late = make_deal(
        personas.owner, move=6, status=Status.WON, history=[(5, 30)], closed_days_ago=1
    )
    scope = pipeline.scope_for(personas.manager)
    listed = {d.pk for d in pipeline.late_list(scope, 4)}
    deals = owned_by(team_a)

    def first_move(d):
        return MoveChange.objects.filter(opportunity=d).order_by("changed_at", "pk")[0].to_move

    late = [
        d
        for d in deals
        if scorecard.is_late_entry(first_move(d), from_tender=d.source == "tender", late_move=4)
    ]
    assert listed == {d.pk for d in late if d.status == Status.OPEN}
    assert late_first.pk in listed and won_late.pk not in listed
    summary = pipeline.late_summary(scope, 4)
    late_closed = [d for d in late if d.status != Status.OPEN]
    early_closed = [d for d in deals if d not in late and d.status != Status.OPEN]
    assert summary["late_win_rate"] == scorecard.win_rate(
        sum(d.status == Status.WON for d in late_closed), len(late_closed)
    )
    assert summary["early_win_rate"] == scorecard.win_rate(
        sum(d.status == Status.WON for d in early_closed), len(early_closed)
    )


def test_lost_reasons_by_buyer_stage(data):
    personas, team_a = data
    scope = pipeline.scope_for(personas.manager)
    lost = pipeline.lost_analysis(scope)
    deals = [d for d in owned_by(team_a) if in_period(d, scope)]
    by_stage = {row["key"]: row for row in lost["stages"]}
    for key in ("discover", "evaluate", "design"):
        mine = [d for d in deals if d.status == Status.LOST and d.lost_at_buyer_stage == key]
        assert by_stage[key]["count"] == len(mine)
        assert by_stage[key]["amount"] == sum((d.amount for d in mine), Decimal(0))
    abandoned = [d for d in deals if d.status == Status.ABANDONED]
    assert lost["abandoned"] == {
        "count": len(abandoned),
        "amount": sum(d.amount for d in abandoned),
    }
    assert lost["total"] == len([d for d in deals if d.status != Status.WON])


def test_the_qualification_distribution(data):
    personas, team_a = data
    scores = pipeline.score_distribution(pipeline.scope_for(personas.manager))
    open_deals = [d for d in owned_by(team_a) if d.status == Status.OPEN]
    for bucket, (low, high) in zip(scores["buckets"], pipeline.SCORE_BUCKETS, strict=True):
        assert bucket["count"] == len(
            [
                d
                for d in open_deals
                if d.qualification_score is not None and low <= d.qualification_score <= high
            ]
        )
    assert scores["unscored"] == len([d for d in open_deals if d.qualification_score is None])
    verdicts = {v["key"]: v["count"] for v in scores["verdicts"]}
    assert verdicts["qualified"] == len(
        [d for d in open_deals if d.qualification_verdict == "qualified"]
    )


def test_the_close_month_filter_narrows_every_deal_figure(data):
    personas, team_a = data
    today = timezone.localdate()
    month = scorecard.add_months(today, 2)
    scope = pipeline.scope_for(personas.manager, close_month=month)
    funnel = pipeline.funnel(scope)
    expected = [
        d
        for d in owned_by(team_a)
        if d.status == Status.OPEN and scorecard.month_start(d.expected_close_date) == month
    ]
    assert funnel["basin_total"].count == len(expected)
    assert funnel["basin_total"].amount == sum((d.amount for d in expected), Decimal(0))


def test_exit_check_names_follow_the_stages_module():
    """The SQL of stage inflation names the checks of moves 1–4 of stages.py."""
    facts = stages.GateFacts(qualification_passes=False)
    codes = {c.code for move in (1, 2, 3, 4) for c in gates.exit_checks(move, facts)}
    assert codes == {
        "qualified",
        "decision_maker",
        "guide",
        "key_trust",
        "guide_trust",
        "decision_level",
        "budget_approved",
        "criteria_recorded",
        "preferred_vendor",
    }


def test_the_cash_forecast_is_what_is_still_to_collect_by_due_month(personas):
    from opportunities.models import PaymentMilestone, Receipt

    today = timezone.localdate()
    first = scorecard.month_start(today)
    next_month = scorecard.add_months(first, 1)
    won = make_deal(personas.owner, move=6, status=Status.WON, amount="100000")
    other = make_deal(personas.outsider, move=6, status=Status.WON, amount="100000")

    def milestone(deal, amount, due, paid=None):
        m = PaymentMilestone.objects.create(
            opportunity=deal, name="m", amount=Decimal(amount), due_date=due
        )
        if paid:
            Receipt.objects.create(milestone=m, amount=Decimal(paid), received_on=today)
        return m

    milestone(won, "30000", next_month, paid="10000")  # 20 000 still due next month
    milestone(won, "5000", next_month + datetime.timedelta(days=3))
    milestone(won, "7000", first - datetime.timedelta(days=40))  # overdue
    done = milestone(won, "9000", next_month, paid="9000")
    PaymentMilestone.objects.filter(pk=done.pk).update(status="paid")
    milestone(other, "99999", next_month)  # another team's: not in the owner's scope
    forecast = pipeline.forecast(pipeline.scope_for(personas.owner, today=today))
    rows = {row.month: row for row in forecast["months"]}
    assert rows[next_month].cash_due == Decimal("25000")
    assert rows[first].collected == Decimal("19000")
    assert forecast["overdue"].cash_due == Decimal("7000")


def test_settings_refuse_disordered_thresholds_and_periods(personas):
    from django.core.exceptions import ValidationError

    from opportunities.models import PipelineSetting

    with pytest.raises(ValidationError):
        PipelineSetting(green_percent=70, yellow_percent=80, red_percent=50).clean()
    target = SalesTarget(
        owner=personas.owner,
        period_start=datetime.date(2026, 3, 31),
        period_end=datetime.date(2026, 1, 1),
        amount=1,
    )
    with pytest.raises(ValidationError):
        target.clean()


def test_an_open_deal_without_a_close_date_counts_as_later(personas, client_for):
    """Imported open deals may have no expected close date yet (docs/import.md)."""
    from tests.opportunities.factories import OpportunityFactory

    OpportunityFactory(
        account=AccountFactory(owner=personas.owner),
        owner=personas.owner,
        expected_close_date=None,
        amount=Decimal("5000"),
    )
    forecast = pipeline.forecast(pipeline.scope_for(personas.manager))
    assert (forecast["later"].count, forecast["later"].amount) == (1, Decimal("5000"))
    assert forecast["overdue"].count == 0
    response = client_for(personas.manager).get("/opportunities/pipeline/")
    assert response.status_code == 200
