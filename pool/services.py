"""Writes of the shared pool: an account returns (the nightly scan), a rep claims one, a
manager assigns one. Each is one transaction that records the move; the account's own history
row names who and why (bulk.owners.hand, the one writer of an owner)."""

from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Account, Contact
from bulk.owners import PLANNED, hand, hand_open_work
from crm import policy
from crm.models import Membership, User
from pool import selectors
from pool.models import PooledAccount, PoolMove, PoolRule
from relationships import services as relationship_services
from relationships.models import Stage
from relationships.planning.models import PlannedActivity


class PoolError(Exception):
    """A claim or assignment refused, with the reason to show."""


def scan(*, today: date, now: datetime) -> int:
    """Return every due account of every enabled rule to its team's pool; returns how many.
    Running it again (or twice at once) returns nothing more: a pooled account has no owner."""
    returned = 0
    for rule in PoolRule.objects.filter(enabled=True).select_related("team").order_by("team__name"):
        for account_id in selectors.due(rule, today).values_list("pk", flat=True):
            returned += return_to_pool(account_id, rule, today=today, now=now)
    return returned


def return_to_pool(account_id, rule: PoolRule, *, today: date, now: datetime) -> bool:
    with transaction.atomic():
        account = Account.objects.select_for_update().filter(pk=account_id).first()
        # Checked again under the lock: an activity logged or a deal opened since the list
        # was read keeps the account where it is.
        found = selectors.due(rule, today).filter(pk=account_id).values("last_done").first()
        if account is None or account.owner_id is None or found is None:
            return False
        previous = account.owner
        PooledAccount.objects.create(
            account=account,
            team=rule.team,
            since=now,
            previous_owner=previous,
            last_done_on=found["last_done"],
        )
        PlannedActivity.objects.filter(account=account, status=PLANNED).update(
            status=PlannedActivity.Status.CANCELLED, updated_at=now
        )
        note = _("No done activity for %(days)s days and no open opportunity.") % {
            "days": rule.return_after_days
        }
        hand(account, None, by=None, reason=_("returned to the shared pool"))
        PoolMove.objects.create(
            account=account,
            team=rule.team,
            kind=PoolMove.Kind.RETURNED,
            from_owner=previous,
            at=now,
            note=note,
        )
    return True


def claim(pooled_id, *, user, now: datetime) -> Account:
    """`user` takes a pooled account of their team, within their team's claim limit."""
    with transaction.atomic():
        # One claim of a user at a time, so that two at once cannot pass the limit together.
        User.objects.select_for_update().filter(pk=user.pk).first()
        row = _locked(pooled_id, user)
        if not Membership.objects.filter(team=row.team_id, user=user).exists():
            raise PoolError(
                _("Only members of %(team)s claim from its pool; assign it instead.")
                % {"team": row.team}
            )
        rule = PoolRule.objects.filter(team=row.team_id).first()
        limit = rule.claim_limit if rule else PoolRule._meta.get_field("claim_limit").default
        if selectors.claims_left(user, limit, now) == 0:
            raise PoolError(
                _("You have claimed %(limit)s accounts in the last 30 days, your team's limit.")
                % {"limit": limit}
            )
        return _take(row, to=user, by=user, kind=PoolMove.Kind.CLAIMED, now=now)


def assign(pooled_id, *, to, by, now: datetime) -> Account:
    """A manager of the pool's team (or an admin) gives a pooled account to a team member."""
    with transaction.atomic():
        row = _locked(pooled_id, by)
        if not policy.manages_team(by, row.team_id):
            raise PoolError(
                _("Only a manager of %(team)s assigns from its pool.") % {"team": row.team}
            )
        member = Membership.objects.filter(team=row.team_id, user=to, user__is_active=True)
        if not member.exists():
            raise PoolError(
                _("%(user)s is not an active member of %(team)s.") % {"user": to, "team": row.team}
            )
        return _take(row, to=to, by=by, kind=PoolMove.Kind.ASSIGNED, now=now)


def _locked(pooled_id, user) -> PooledAccount:
    row = (
        PooledAccount.objects.visible_to(user)
        .select_for_update()
        .select_related("account", "team")
        .filter(pk=pooled_id)
        .first()
    )
    if row is None:
        raise PoolError(_("This account is no longer in the pool: someone took it first."))
    return row


def _take(row: PooledAccount, *, to, by, kind, now: datetime) -> Account:
    account = row.account
    row.delete()  # first, so that the save below is not also taken for an assignment (signals)
    hand(account, to, by=by, reason=_("taken from the shared pool"))
    hand_open_work(to, account=account)
    _restart_trust(account, to=to, by=by)
    PoolMove.objects.create(
        account=account, team=row.team, kind=kind, from_owner=None, to_owner=to, by=by, at=now
    )
    return account


def _restart_trust(account, *, to, by) -> None:
    """Trust is personal (METHOD.md §4.2): the people someone else had brought past 认识 start
    again at 认识 with the new owner; the ladder's history stays on their page."""
    people = Contact.objects.filter(account=account, relationship__stage__gt=Stage.ACQUAINTANCE)
    for person in people.order_by("pk"):
        relationship_services.change_stage(
            contact=person,
            to_stage=Stage.ACQUAINTANCE,
            by=by,
            note=_("Taken from the shared pool by %(owner)s: trust is personal.") % {"owner": to},
        )
