"""Reads of the shared pool: which accounts are due to return (or nearly), the pool page's
rows, a rep's claims. Neglect is counted in SQL: the owner's last done activity on the
account, or the start of their ownership (from the account's history) if that came later."""

from datetime import date, datetime, timedelta

from django.db.models import Count, DateTimeField, Exists, F, Max, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber, TruncDate

from accounts.models import Account, Contact
from crm.models import Membership
from opportunities.models import Opportunity
from pool import rules
from pool.models import CLAIM_WINDOW_DAYS, PooledAccount, PoolMove, PoolRule
from relationships.models import Activity

History = Account.history.model


def rule_for(user) -> PoolRule | None:
    """The pool an account of `user` returns to: the first enabled rule of their teams."""
    teams = Membership.objects.filter(user=user).values("team")
    return (
        PoolRule.objects.filter(enabled=True, team__in=teams)
        .select_related("team")
        .order_by("team__name")
        .first()
    )


def with_neglect(accounts):
    """Annotate `last_done` (the owner's last done activity on it) and `owned_since` (when the
    current owner got it: the first history row with them after the last row without them;
    the creation for an account with no history, as imports write none)."""
    before = (
        History.objects.filter(id=OuterRef("pk"))
        .exclude(owner_id=OuterRef("owner_id"))
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    accounts = accounts.annotate(handed_at=Subquery(before, output_field=DateTimeField()))
    first_own_after = (
        History.objects.filter(
            id=OuterRef("pk"), owner_id=OuterRef("owner_id"), history_date__gt=OuterRef("handed_at")
        )
        .order_by("history_date")
        .values("history_date")[:1]
    )
    last_done = (
        Activity.objects.filter(account=OuterRef("pk"), owner=OuterRef("owner_id"))
        .values("account")
        .annotate(last=Max("date"))
        .values("last")
    )
    first_ever = (
        History.objects.filter(id=OuterRef("pk"), owner_id=OuterRef("owner_id"))
        .order_by("history_date")
        .values("history_date")[:1]
    )
    return accounts.annotate(
        last_done=Subquery(last_done),
        owned_from=Coalesce(
            Subquery(first_own_after, output_field=DateTimeField()),
            Subquery(first_ever, output_field=DateTimeField()),
            "created_at",
        ),
    ).annotate(owned_since=TruncDate("owned_from"))


def candidates(rule: PoolRule):
    """Accounts of the rule's team members that could return: owned, no open opportunity."""
    members = Membership.objects.filter(team=rule.team_id).values("user")
    # An owner in several pooled teams belongs to the first by name (rule_for), whatever the
    # other rules' days say.
    earlier = PoolRule.objects.filter(enabled=True, team__name__lt=rule.team.name)
    elsewhere = Membership.objects.filter(team__in=earlier.values("team")).values("user")
    open_deal = Opportunity.objects.open().filter(account=OuterRef("pk"))
    return with_neglect(
        Account.objects.filter(owner__in=members, owner__is_active=True)
        .exclude(owner__in=elsewhere)
        .filter(~Exists(open_deal))
    )


def untouched_since(rule: PoolRule, cutoff: date):
    """Candidates neither worked nor received after `cutoff`."""
    return candidates(rule).filter(
        Q(last_done__isnull=True) | Q(last_done__lte=cutoff), owned_since__lte=cutoff
    )


def due(rule: PoolRule, today: date):
    """The accounts that return to the pool today (or should have: a missed night catches up)."""
    return untouched_since(rule, today - timedelta(days=rule.return_after_days))


def claimed_recently(user, now: datetime) -> int:
    since = now - timedelta(days=CLAIM_WINDOW_DAYS)
    return PoolMove.objects.filter(kind=PoolMove.Kind.CLAIMED, to_owner=user, at__gte=since).count()


def claims_left(user, limit: int, now: datetime) -> int:
    return rules.claims_left(limit, claimed_recently(user, now))


def pool_page(user, *, team_id=None, query: str = ""):
    """The pooled accounts `user` may see (their teams', every team's for an admin), newest
    first, with what a rep needs to decide on a claim (how many people: `contact_count`)."""
    rows = (
        PooledAccount.objects.visible_to(user)
        .select_related("account", "team", "previous_owner")
        .annotate(contact_count=Count("account__contacts", distinct=True))
    )
    if team_id:
        rows = rows.filter(team_id=team_id)
    if query:
        rows = rows.filter(account__name__icontains=query)
    return rows.order_by("-since", "pk")


def first_people(account_ids, n: int = 3) -> dict[int, list]:
    """The first `n` people of each account by name (name and title only: a pooled account's
    people are shown to the team, their personal profiles are not)."""
    rank = Window(RowNumber(), partition_by=F("account"), order_by=[F("name"), F("pk")])
    rows = (
        Contact.objects.filter(account__in=account_ids)
        .annotate(rank=rank)
        .filter(rank__lte=n)
        .values("account", "name", "title")
        .order_by("account", "rank")
    )
    found: dict[int, list] = {}
    for row in rows:
        found.setdefault(row["account"], []).append(row)
    return found


def assignable(team_ids) -> dict[int, list]:
    """The active members of each of `team_ids`: whom a pooled account may be given to."""
    found: dict[int, list] = {}
    members = (
        Membership.objects.filter(team__in=team_ids, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
    for membership in members:
        found.setdefault(membership.team_id, []).append(membership.user)
    return found


def recent_moves(teams, n: int = 10):
    return (
        PoolMove.objects.filter(team__in=teams)
        .select_related("account", "from_owner", "to_owner", "by")
        .order_by("-at", "-pk")[:n]
    )
