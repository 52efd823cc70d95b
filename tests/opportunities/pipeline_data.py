"""Factory-made pipeline data for the dashboard tests: deals in every status and move, with
their move history, spread over two teams."""

import datetime
from decimal import Decimal

from django.utils import timezone

from opportunities.models import MoveChange, Opportunity, Status
from opportunities.pipeline import facts
from tests.factories import AccountFactory


def make_deal(
    owner,
    *,
    move=1,
    status=Status.OPEN,
    amount="1000",
    created_days_ago=40,
    closed_days_ago=None,
    close_in_days=60,
    in_move_days=None,
    source="",
    lost_stage="evaluate",
    history=None,
    verdict="",
    score=None,
    account=None,
    name=None,
):
    """One deal. `history`: [(move, days ago)] of its move changes (default: one change per
    move from 1 up to `move`, spread over its life); the last one is when it entered `move`."""
    now = timezone.now()
    today = timezone.localdate()
    created = now - datetime.timedelta(days=created_days_ago)
    account = account or AccountFactory(owner=owner)
    if history is None:
        steps = list(range(1, move + 1))
        span = created_days_ago if in_move_days is None else created_days_ago - in_move_days
        history = [
            (
                step,
                created_days_ago - span * i / max(len(steps) - 1, 1)
                if len(steps) > 1
                else created_days_ago,
            )
            for i, step in enumerate(steps)
        ]
        if in_move_days is not None:
            history[-1] = (move, in_move_days)
    entered = now - datetime.timedelta(days=history[-1][1])
    closed = None
    if status != Status.OPEN:
        closed = now - datetime.timedelta(
            days=closed_days_ago if closed_days_ago is not None else 1
        )
    deal = Opportunity.objects.create(
        account=account,
        owner=owner,
        name=name or f"Deal of {owner.username} {Opportunity.objects.count() + 1}",
        source=source,
        amount=Decimal(amount),
        expected_close_date=today + datetime.timedelta(days=close_in_days),
        next_step="Call" if status == Status.OPEN else "",
        next_step_date=today + datetime.timedelta(days=3) if status == Status.OPEN else None,
        status=status,
        move=move,
        entered_move_at=entered,
        closed_at=closed,
        lost_reason="Too expensive" if status in (Status.LOST, Status.ABANDONED) else "",
        lost_at_buyer_stage=lost_stage if status == Status.LOST else "",
        qualification_verdict=verdict,
        qualification_score=score,
    )
    Opportunity.objects.filter(pk=deal.pk).update(created_at=created)
    deal.created_at = created
    previous = None
    for step, days_ago in history:
        MoveChange.objects.create(
            opportunity=deal,
            from_move=previous,
            to_move=step,
            from_status="" if previous is None else Status.OPEN,
            to_status=Status.OPEN,
            changed_at=now - datetime.timedelta(days=days_ago),
            changed_by=owner,
        )
        previous = step
    if status != Status.OPEN:
        MoveChange.objects.create(
            opportunity=deal,
            from_move=previous,
            to_move=move,
            from_status=Status.OPEN,
            to_status=status,
            changed_at=closed,
            changed_by=owner,
        )
    facts.refresh([deal.pk])  # the history above is written around the services
    return deal


def world(personas, scale=1):
    """Deals of the owner, teammate and manager (team A) and of the outsider (team B): open in
    every move, won, lost, abandoned, without amount, closed inside and outside the period."""
    deals = []
    for _ in range(scale):
        for user, base in [
            (personas.owner, 1000),
            (personas.teammate, 700),
            (personas.manager, 300),
            (personas.outsider, 5000),
        ]:
            for move in range(1, 6):
                deals.append(
                    make_deal(
                        user,
                        move=move,
                        amount=str(base * move),
                        close_in_days=10 + 31 * move,
                        in_move_days=5 * move,
                        score=20 * move - 5,
                        verdict="qualified" if move % 2 else "needs_work",
                    )
                )
            deals.append(make_deal(user, move=2, amount="0", close_in_days=-20))  # no amount
            deals.append(
                make_deal(user, move=6, status=Status.WON, amount=str(base * 10), closed_days_ago=2)
            )
            deals.append(
                make_deal(
                    user,
                    move=6,
                    status=Status.WON,
                    amount=str(base * 3),
                    closed_days_ago=400,
                    created_days_ago=500,
                )
            )
            deals.append(
                make_deal(user, move=4, status=Status.LOST, amount=str(base * 2), closed_days_ago=3)
            )
            deals.append(
                make_deal(
                    user,
                    move=2,
                    status=Status.LOST,
                    amount=str(base),
                    closed_days_ago=5,
                    lost_stage="discover",
                )
            )
            deals.append(
                make_deal(
                    user, move=3, status=Status.ABANDONED, amount=str(base), closed_days_ago=4
                )
            )
            deals.append(make_deal(user, move=4, source="tender", amount=str(base * 4)))
    return deals
