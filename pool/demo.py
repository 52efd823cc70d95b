"""The demo's shared pool: a rule for the first team and one account lying in its pool, so
that the pool page shows what it is for. Idempotent."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Account, Contact
from pool.models import PooledAccount, PoolMove, PoolRule

POOLED = "太湖物流有限公司"
DAYS_IN_POOL = 12


def seed(context: dict) -> None:
    team = context["teams"][0]
    PoolRule.objects.get_or_create(team=team)
    if Account.objects.filter(name=POOLED).exists():
        return
    previous = context["users"]["rep2"]
    account = Account.objects.create(
        name=POOLED, owner=None, industry="Logistics", region="苏州", phone="0512-6655 8800"
    )
    Contact.objects.create(account=account, name="沈立 Shen Li", title="物流总监")
    since = timezone.now() - timedelta(days=DAYS_IN_POOL)
    PooledAccount.objects.create(account=account, team=team, since=since, previous_owner=previous)
    PoolMove.objects.create(
        account=account,
        team=team,
        kind=PoolMove.Kind.RETURNED,
        from_owner=previous,
        at=since,
        note="No done activity for 90 days and no open opportunity.",
    )
