"""The opportunities' panels of the home page (crm.panels): the rep's open deals by move with
the gate check to work on, next steps, payment milestones due, the thinnest dossiers among the
biggest deals, and for a manager the team's pipeline at a glance.

The rep's panels read their deals together: one query ranks the user's open deals (by move,
by next step, by amount, with the counts and sums as window functions) and keeps the rows some
panel shows; a second loads those rows with their account and their move 3–5 facts."""

from datetime import date, timedelta

from django.db.models import (
    Count,
    F,
    Q,
    Sum,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from accounts import selectors as account_selectors
from crm.panels import Panel
from crm.ranks import rank_among
from opportunities.deals import selectors
from opportunities.deals.folding import fold, setting_columns
from opportunities.deals.page import QUALIFICATION, qualification_rules
from opportunities.effort import effort_panel
from opportunities.models import (
    Opportunity,
    PaymentMilestone,
    Stakeholder,
    Status,
)
from opportunities.moves import selectors as move_selectors
from opportunities.pipeline import facts as stored_facts
from opportunities.pipeline import figures as pipeline
from opportunities.rules import gates, stages

PER_MOVE = 5  # cards per move
NEXT_STEPS = 8
UPCOMING_DAYS = 7
BIGGEST = 5  # the biggest deals whose accounts' dossiers are compared
THINNEST = 3
MILESTONE_DAYS = 30
OPEN_MOVES = [move for move in stages.Move if move < stages.WON_MOVE]


def panels(request) -> list[Panel]:
    """Queries, a rep: the ranked deals, the shown deals (with the qualification setting),
    their stakeholders with their roles; milestones due; the dossier facts with the weights;
    the effort panel's two. A manager: the team summary (pipeline.team_summary), then the
    ranked deals (none: the team comes first)."""
    user = request.user
    today = timezone.localdate()
    result = []
    manager = pipeline.manages_anyone(user)
    if manager:
        result.append(
            Panel(
                "team-pipeline",
                "opportunities/home/_team.html",
                {"summary": pipeline.team_summary(user, today=today)},
                order=5,
                width="full",
            )
        )
    mine = MyOpenDeals(user, today)
    if manager and not mine.ranked:
        return result  # a manager without deals of their own: the team comes first
    result += [
        Panel(
            "next-steps",
            "opportunities/home/_next_steps.html",
            {"steps": mine.next_steps(), "today": today},
            order=10,
            width="half",
        ),
        Panel(
            "milestones",
            "opportunities/home/_milestones.html",
            {"milestones": milestones_due(user, today=today), "today": today},
            order=15,
            width="half",
        ),
        Panel(
            "my-deals",
            "opportunities/home/_my_deals.html",
            {
                "columns": mine.columns(),
                "any_open": bool(mine.ranked),
                "today": today,
            },
            order=20,
            width="full",
        ),
        Panel(
            "effort",
            "opportunities/home/_effort.html",
            effort_panel(user, today=today),
            order=25,
            width="half",
        ),
        Panel(
            "dossiers",
            "opportunities/home/_dossiers.html",
            {"rows": mine.thinnest_dossiers()},
            order=40,
            width="half",
        ),
    ]
    return result


class MyOpenDeals:
    """The user's open deals that the panels show, read once (see the module's docstring)."""

    def __init__(self, user, today: date):
        self.today = today
        self.horizon = today + timedelta(days=UPCOMING_DAYS)
        self.ranked = list(self._ranked(user))
        self.deals = self._shown([row["pk"] for row in self.ranked]) if self.ranked else {}

    def _ranked(self, user):
        biggest = Q(amount__gt=0, account__isnull=False)
        due = Q(next_step_date__lte=self.horizon)
        by_move = {"partition_by": [F("move")]}
        return (
            Opportunity.objects.filter(owner=user, status=Status.OPEN)
            .annotate(
                move_rank=Window(
                    RowNumber(),
                    order_by=[F("expected_close_date").asc(), F("pk").asc()],
                    **by_move,
                ),
                move_count=Window(Count("pk"), **by_move),
                move_amount=Window(Sum("amount"), **by_move),
                size_rank=rank_among(biggest, [F("amount").desc(), F("pk").asc()]),
                step_rank=rank_among(due, [F("next_step_date").asc(), F("pk").asc()]),
                overdue=Window(Count("pk", filter=Q(next_step_date__lt=self.today))),
                upcoming=Window(Count("pk", filter=Q(next_step_date__gte=self.today) & due)),
            )
            .filter(
                Q(move_rank__lte=PER_MOVE)
                | Q(size_rank__lte=BIGGEST)
                | Q(step_rank__lte=NEXT_STEPS)
            )
            .values(
                "pk",
                "move",
                "move_rank",
                "move_count",
                "move_amount",
                "size_rank",
                "step_rank",
                "overdue",
                "upcoming",
            )
        )

    @staticmethod
    def _shown(ids: list[int]) -> dict:
        """The ranked deals with their account, the facts of moves 3–5 and the qualification
        setting (scalar subqueries, read back by deals.page.qualification_rules), by id."""
        shown = (
            Opportunity.objects.filter(pk__in=ids)
            .select_related("account")
            .annotate(**setting_columns(*QUALIFICATION))
        )
        return {deal.pk: deal for deal in stored_facts.with_move_gate_facts(shown)}

    def _first(self, rank: str, limit: int) -> list:
        """The deals ranked 1 to `limit` by `rank` (the rows hold other panels' deals too)."""
        rows = (row for row in self.ranked if row[rank] and row[rank] <= limit)
        return [self.deals[row["pk"]] for row in sorted(rows, key=lambda row: row[rank])]

    def columns(self) -> list[dict]:
        """Moves 1–5: count and amount of the move's deals, its deals closing soonest with
        the exit check to work on (as selectors.board and the gates of stages.py)."""
        by_move = {}
        shown = (row for row in self.ranked if row["move_rank"] <= PER_MOVE)
        for row in sorted(shown, key=lambda row: row["move_rank"]):
            by_move.setdefault(row["move"], []).append(row)
        cards = [self.deals[row["pk"]] for rows in by_move.values() for row in rows]
        self._check(cards)
        columns = []
        for move in OPEN_MOVES:
            rows = by_move.get(move.value, [])
            count = rows[0]["move_count"] if rows else 0
            columns.append(
                {
                    "move": move,
                    "definition": stages.MOVES[move],
                    "count": count,
                    "amount": (rows[0]["move_amount"] if rows else None) or 0,
                    "cards": [self.deals[row["pk"]] for row in rows],
                    "hidden": max(count - len(rows), 0),
                }
            )
        return columns

    def _check(self, cards: list) -> None:
        """Each card's first unmet (else not yet measurable) exit check: stakeholders with
        their roles joined and folded (one query); the qualification rules come with the
        cards' rows."""
        if not cards:
            return
        groups: dict[int, list] = {deal.pk: [] for deal in cards}
        rows = (
            Stakeholder.objects.filter(opportunity__in=list(groups))
            .select_related("contact")
            .annotate(
                relationship_stage=F("contact__relationship__stage"),
                evidence_stage=selectors.evidence_stage(self.today),
                role_code=F("roles__role"),
                role_pk=F("roles__pk"),
            )
            .order_by("contact__name", "pk", "role_pk")
        )
        for stakeholder in fold(rows, "role_codes", lambda row: row.role_code):
            groups[stakeholder.opportunity_id].append(stakeholder)
        rules = qualification_rules(cards[0])
        for deal in cards:
            group = groups[deal.pk]
            result = selectors.qualify(deal, group, rules, self.today)
            facts = selectors.gate_facts(group, result, moves=stored_facts.move_gate_facts(deal))
            checks = gates.exit_checks(deal.move, facts)
            deal.gate_check = next(
                (c for c in checks if c.status == stages.CheckStatus.UNMET),
                next((c for c in checks if not c.is_met), None),
            )
            deal.checks_met = sum(1 for c in checks if c.is_met)
            deal.checks_total = len(checks)
            deal.next_step_overdue = bool(deal.next_step_date and deal.next_step_date < self.today)

    def next_steps(self) -> dict:
        """The next steps overdue or due within a week, soonest first, and how many are
        overdue and upcoming."""
        rows = self._first("step_rank", NEXT_STEPS)
        for deal in rows:
            late = deal.next_step_date < self.today
            deal.overdue_days = (self.today - deal.next_step_date).days if late else 0
        first = self.ranked[0] if self.ranked else {"overdue": 0, "upcoming": 0}
        return {
            "overdue": first["overdue"],
            "upcoming": first["upcoming"],
            "rows": rows,
            "days": UPCOMING_DAYS,
        }

    def thinnest_dossiers(self) -> list[dict]:
        """Among the biggest deals, the accounts whose dossier is least complete, with the
        next question to find out (one query: accounts.selectors.assessments)."""
        biggest = self._first("size_rank", BIGGEST)
        accounts = list({deal.account_id: deal.account for deal in biggest}.values())
        assessments = account_selectors.assessments(accounts)
        rows, seen = [], set()
        for deal in biggest:
            if deal.account_id in seen:
                continue
            seen.add(deal.account_id)
            assessment = assessments[deal.account_id]
            questions = assessment.next_questions
            rows.append(
                {
                    "account": deal.account,
                    "deal": deal,
                    "percent": assessment.percent,
                    "next_question": questions[0] if questions else "",
                }
            )
        return sorted(rows, key=lambda row: (row["percent"], -row["deal"].amount))[:THINNEST]


def milestones_due(user, *, today: date) -> dict:
    """Unpaid payment milestones of the user's deals overdue or due within 30 days (one
    query). The user's deals as an array drive the milestones' opportunity index
    (crm/lookups.py); joined, PostgreSQL scanned every milestone due."""
    rows = list(
        PaymentMilestone.objects.filter(
            opportunity__in_array=Opportunity.objects.filter(owner=user).values("pk"),
            due_date__lte=today + timedelta(days=MILESTONE_DAYS),
        )
        .exclude(status="paid")
        .annotate(received=move_selectors.received_subquery())
        .select_related("opportunity__account")
        .order_by("due_date", "pk")[:NEXT_STEPS]
    )
    for row in rows:
        row.remaining = row.amount - row.received
        row.overdue = row.due_date < today
    return {"rows": rows, "days": MILESTONE_DAYS}
