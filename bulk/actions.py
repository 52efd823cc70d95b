"""What a bulk action does to each chosen row, and what it refuses.

Every action runs in one transaction over the rows locked in id order. A row a rule refuses
(the policy, a closed deal, a plan that has not happened yet) is skipped with its reason and
the others go through; each row's change is a savepoint of its own, so a rule the service
re-checks under the lock refuses that row alone. Changes go through the same services and
record the same history as one record's page (the acting user on every history row).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Account
from accounts.services import handover_refusal, owners_handing_over
from bulk.forms import AbandonForm, ConfirmForm, ReassignForm
from bulk.owners import PLANNED, hand, hand_open_work
from opportunities.deals import services as deal_services
from opportunities.models import Opportunity, Status
from relationships.planning import services as plan_services
from relationships.planning.models import PlannedActivity, Todo


@dataclass
class Outcome:
    done: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # [(row, reason)]


class Action:
    model = None
    form_class = ConfirmForm
    label = ""  # the button on the list
    title = ""  # the confirmation page's heading
    icon = "check2-all"
    danger = False
    managers_only = False  # offered on the list to managers and admins only

    def context(self, by, data) -> dict:
        return {"by": by, "data": data or {}}

    def rows(self, pks):
        return self.model.objects.filter(pk__in=pks).order_by("pk")

    def describe(self, row) -> tuple[str, str]:
        """The row as the pages name it: (name, a detail line)."""
        return str(row), ""

    def refusal(self, row, ctx) -> str:
        return ""

    def apply(self, row, ctx) -> None:
        raise NotImplementedError

    def follows(self, pks, ctx) -> list[tuple[str, int]]:
        """What else changes with the rows (shown before confirming): (what, how many)."""
        return []


class _Reassign(Action):
    form_class = ReassignForm
    icon = "person-gear"
    managers_only = True  # a rep reaches no other owner (the form would offer only themself)
    reason = gettext_lazy("bulk reassignment")

    def context(self, by, data) -> dict:
        return {**super().context(by, data), "owners": owners_handing_over(by)}

    def refusal(self, row, ctx) -> str:
        to = ctx["data"].get("owner")
        if to is not None and row.owner_id == to.pk:
            return _("Already owned by %(name)s.") % {"name": to}
        return handover_refusal(row, to.pk if to else None, ctx["owners"])

    def _hand(self, record, ctx) -> None:
        hand(record, ctx["data"]["owner"], by=ctx["by"], reason=self.reason)

    @staticmethod
    def _open_work(**where) -> list[tuple[str, int]]:
        return [
            (
                _("planned activities go with them"),
                PlannedActivity.objects.filter(status=PLANNED, **where).count(),
            ),
            (
                _("open to-dos go with them"),
                Todo.objects.filter(done_at__isnull=True, **where).count(),
            ),
        ]


class ReassignAccounts(_Reassign):
    """An account to a new owner, with what its owner was working on there: their open deals
    on it, their planned activities and open to-dos. Closed deals keep their owner (the record
    of who won or lost them), and so does anything a colleague owns on the account."""

    model = Account
    label = gettext_lazy("Reassign")
    title = gettext_lazy("Reassign accounts")

    def rows(self, pks):
        return super().rows(pks).select_related("owner")

    def describe(self, row):
        return row.name, str(row.owner)

    def apply(self, row, ctx) -> None:
        old = row.owner_id
        self._hand(row, ctx)
        for deal in Opportunity.objects.filter(account=row, owner_id=old, status=Status.OPEN):
            self._hand(deal, ctx)
        hand_open_work(ctx["data"]["owner"], account=row, owner_id=old)

    def follows(self, pks, ctx):
        owned = {"account__in": pks, "owner": F("account__owner")}
        return [
            (
                _("open opportunities go with their account"),
                Opportunity.objects.filter(status=Status.OPEN, **owned).count(),
            ),
            *self._open_work(**owned),
            (
                _("closed opportunities keep their owner, for the record"),
                Opportunity.objects.filter(account__in=pks).exclude(status=Status.OPEN).count(),
            ),
        ]


class ReassignDeals(_Reassign):
    """An open deal to a new owner, with its owner's planned activities and open to-dos on it."""

    model = Opportunity
    label = gettext_lazy("Reassign")
    title = gettext_lazy("Reassign opportunities")

    def rows(self, pks):
        return super().rows(pks).select_related("owner", "account")

    def describe(self, row):
        return row.name, f"{row.account.name if row.account_id else '—'} · {row.owner}"

    def refusal(self, row, ctx) -> str:
        if row.status != Status.OPEN:
            return _("A closed opportunity keeps its owner, for the record.")
        return super().refusal(row, ctx)

    def apply(self, row, ctx) -> None:
        old = row.owner_id
        self._hand(row, ctx)
        hand_open_work(ctx["data"]["owner"], opportunity=row, owner_id=old)

    def follows(self, pks, ctx):
        return self._open_work(opportunity__in=pks, owner=F("opportunity__owner"))


class Abandon(Action):
    """Close stale deals as abandoned (放弃) with one written reason, through the service that
    closes a deal from its page: the move history records each, with the reason."""

    model = Opportunity
    form_class = AbandonForm
    label = gettext_lazy("Close as abandoned")
    title = gettext_lazy("Close opportunities as abandoned")
    icon = "x-octagon"
    danger = True

    def rows(self, pks):
        return super().rows(pks).select_related("owner", "account")

    describe = ReassignDeals.describe

    def refusal(self, row, ctx) -> str:
        if row.status != Status.OPEN:
            return _("Already closed (%(status)s).") % {"status": row.get_status_display()}
        return ""

    def apply(self, row, ctx) -> None:
        reason = ctx["data"]["reason"]
        try:
            deal_services.set_outcome(
                row, status=Status.ABANDONED, by=ctx["by"], data={"lost_reason": reason}
            )
        except deal_services.MoveRefused as error:
            raise ValidationError(str(error)) from error


class MarkDone(Action):
    """Planned activities that happened, logged as done on the day they were planned for. Only
    the person who planned one says it happened: the activity becomes their evidence of trust
    on the relationship ladder (a manager's bulk tick must not log it in their name)."""

    model = PlannedActivity
    label = gettext_lazy("Mark done")
    title = gettext_lazy("Mark planned activities done")

    def rows(self, pks):
        return super().rows(pks).select_related("type", "account", "owner")

    def describe(self, row):
        when = date_format(timezone.localtime(row.starts_at), "SHORT_DATETIME_FORMAT")
        return f"{row.type.name} · {row.account.name}", f"{when} · {row.owner}"

    def refusal(self, row, ctx) -> str:
        if row.status != PLANNED:
            return _("No longer planned.")
        if row.owner_id != ctx["by"].pk:
            return _("Only %(name)s, who planned it, can say it happened.") % {"name": row.owner}
        if row.starts_at > timezone.now():
            return _("It has not happened yet.")
        return ""

    def apply(self, row, ctx) -> None:
        planned_day = timezone.localtime(row.starts_at).date()
        plan_services.mark_done(
            plan=row, by=ctx["by"], happened_on=min(planned_day, timezone.localdate())
        )


ACTIONS = {
    "reassign_accounts": ReassignAccounts(),
    "reassign_deals": ReassignDeals(),
    "abandon": Abandon(),
    "mark_done": MarkDone(),
}


def preview(action: Action, pks: list[int], by):
    """Each chosen row with the reason it would be refused ("" if it goes through), and what
    follows the rows that go through. A fixed number of queries whatever the selection."""
    ctx = action.context(by, None)
    rows = [(row, action.refusal(row, ctx)) for row in action.rows(pks)]
    allowed = [row.pk for row, reason in rows if not reason]
    return rows, action.follows(allowed, ctx) if allowed else []


def run(action: Action, pks: list[int], *, by, data) -> Outcome:
    """Apply `action` to the rows `pks` in one transaction: all that a rule allows, none half."""
    ctx = action.context(by, data)
    outcome = Outcome()
    with transaction.atomic():
        for row in action.rows(pks).select_for_update(of=("self",)):
            reason = action.refusal(row, ctx)
            if not reason:
                try:
                    with transaction.atomic():
                        action.apply(row, ctx)
                except ValidationError as error:
                    reason = " ".join(error.messages)
            if reason:
                outcome.refused.append((row, reason))
            else:
                outcome.done.append(row)
    return outcome
