"""The learn page (/opportunities/learn/): every figure against a plain-Python reference
computed from the generated history, the scope of each persona, the bounded queries, the CSV
download and the admin's apply of a suggested probability."""

import csv
import datetime
import io
import math
import random
import statistics
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from opportunities.models import MoveChange, MoveProbabilitySetting, Opportunity, Status
from opportunities.models.learning import LearningSetting, ProbabilityChange
from opportunities.rules import stages

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    """The assertions read the English texts (requests without Accept-Language get them)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


URL = "/opportunities/learn/"
Z = 1.959963984540054
CHECKS = ["Guide identified", "Decision maker identified", "move 1: five criteria pass"]


@dataclass
class Spec:
    """What a generated deal is, for the reference computations."""

    owner_id: int
    status: str
    start: int
    furthest: int
    estimate: int | None
    days: int  # from creation to closing
    # (from_move, is_override, approver id, check labels) of every forward change
    passes: list = field(default_factory=list)

    @property
    def won(self) -> bool:
        return self.status == Status.WON


def make_history(owners, approvers, *, deals_per_owner, seed) -> list[Spec]:
    """Closed deals (won, lost, abandoned) with their move history, some gates passed by a
    manager's override; an open deal per owner, which no figure counts."""
    rng = random.Random(seed)
    now = timezone.now()
    specs = []
    for owner in owners:
        Opportunity.objects.create(
            owner=owner,
            name="open",
            move=3,
            next_step="Call",
            next_step_date=timezone.localdate(),
            expected_close_date=None,
        )
        for _ in range(deals_per_owner):
            start = rng.choice([1, 1, 1, 2])
            furthest = rng.randint(start, 5)
            status = rng.choice([Status.WON, Status.WON, Status.LOST, Status.ABANDONED])
            spec = Spec(
                owner_id=owner.pk,
                status=status,
                start=start,
                furthest=furthest,
                estimate=rng.choice([None, *range(0, 101, 5)]),
                days=rng.randint(5, 300),
            )
            created = now - datetime.timedelta(days=spec.days + 10)
            closed = now - datetime.timedelta(days=10)
            deal = Opportunity.objects.create(
                owner=owner,
                name="closed",
                status=status,
                move=stages.WON_MOVE if spec.won else furthest,
                closed_at=closed,
                win_estimate=spec.estimate,
                lost_reason="" if spec.won else "Too expensive",
                lost_at_buyer_stage="evaluate" if status == Status.LOST else "",
                expected_close_date=None,
            )
            Opportunity.objects.filter(pk=deal.pk).update(created_at=created)
            steps = list(range(start, furthest + 1)) + ([6] if spec.won else [])
            changes, previous = [], None
            for i, step in enumerate(steps):
                is_override = previous is not None and rng.random() < 0.3
                approver = rng.choice(approvers) if is_override else owner
                labels = rng.sample(CHECKS, rng.randint(1, 2)) if is_override else []
                to_status = Status.WON if step == 6 else Status.OPEN
                changes.append(
                    MoveChange(
                        opportunity=deal,
                        from_move=previous,
                        to_move=step,
                        from_status="" if previous is None else Status.OPEN,
                        to_status=to_status,
                        changed_at=created + datetime.timedelta(days=i),
                        changed_by=approver,
                        is_override=is_override,
                        reason="because" if is_override else "",
                        overridden_checks="\n".join(f"{label}: not met" for label in labels),
                    )
                )
                if previous is not None:
                    spec.passes.append((previous, is_override, approver.pk, labels))
                previous = step
            if not spec.won:  # the closing change stays in the move
                changes.append(
                    MoveChange(
                        opportunity=deal,
                        from_move=furthest,
                        to_move=furthest,
                        from_status=Status.OPEN,
                        to_status=status,
                        changed_at=closed,
                        changed_by=owner,
                    )
                )
            MoveChange.objects.bulk_create(changes)
            specs.append(spec)
    return specs


@pytest.fixture
def history(personas):
    owners = [personas.owner, personas.teammate, personas.manager, personas.outsider]
    approvers = [personas.manager, personas.outsider_manager]
    return make_history(owners, approvers, deals_per_owner=12, seed=7)


# --- references -----------------------------------------------------------------------------------


def wilson(won, n):
    """The Wilson score interval as the two roots of its quadratic in p."""
    if not n:
        return None, None
    phat = won / n
    a = 1 + Z * Z / n
    b = -(2 * phat + Z * Z / n)
    c = phat * phat
    root = math.sqrt(max(b * b - 4 * a * c, 0))
    return round(100 * max((-b - root) / (2 * a), 0), 1), round(
        100 * min((-b + root) / (2 * a), 1), 1
    )


def reference_calibration(specs, probabilities, minimum):
    rows = {}
    for move in range(1, 6):
        reached = [s for s in specs if s.start <= move <= s.furthest]
        won = sum(s.won for s in reached)
        n = len(reached)
        rows[move] = {
            "closed": n,
            "won": won,
            "share": round(100 * won / n, 1) if n else None,
            "interval": wilson(won, n),
            "configured": probabilities[move],
            "suggested": round(100 * won / n) if n >= minimum else None,
        }
    return rows


def reference_forecasts(specs, probabilities):
    by_owner = {}
    for s in specs:
        if s.estimate is not None:
            by_owner.setdefault(s.owner_id, []).append(s)
    result = {}
    for owner, deals in by_owner.items():
        est = [(s.estimate / 100, s.won) for s in deals]
        evi = [(probabilities[s.furthest] / 100, s.won) for s in deals]

        def brier(pairs):
            return round(sum((p - w) ** 2 for p, w in pairs) / len(pairs), 3)

        def buckets(pairs):
            out = []
            for low in range(0, 100, 20):
                inside = [
                    (p, w) for p, w in pairs if low <= 100 * p < low + 20 or (low == 80 and p == 1)
                ]
                out.append(
                    (
                        len(inside),
                        round(100 * sum(p for p, _ in inside) / len(inside), 1) if inside else None,
                        round(100 * sum(w for _, w in inside) / len(inside), 1) if inside else None,
                    )
                )
            return out

        result[owner] = {
            "count": len(deals),
            "won": sum(s.won for s in deals),
            "brier": brier(est),
            "evidence_brier": brier(evi),
            "buckets": buckets(est),
            "evidence_buckets": buckets(evi),
        }
    return result


def reference_gates(specs):
    def outcome(group):
        won = sum(s.won for s in group)
        n = len(group)
        return (
            n,
            round(100 * won / n, 1) if n else None,
            statistics.median([s.days for s in group]) if group else None,
        )

    gates = {}
    for move in range(1, 6):
        overridden = [s for s in specs if any(m == move and o for m, o, _, _ in s.passes)]
        normal = [
            s for s in specs if any(m == move for m, _, _, _ in s.passes) and s not in overridden
        ]
        gates[move] = (outcome(normal), outcome(overridden))
    labels = {label for s in specs for _, o, _, ls in s.passes if o for label in ls}
    checks = {
        label: outcome([s for s in specs if any(o and label in ls for _, o, _, ls in s.passes)])
        for label in labels
    }
    approver_ids = {a for s in specs for _, o, a, _ in s.passes if o}
    approvers = {
        a: outcome([s for s in specs if any(o and b == a for _, o, b, _ in s.passes)])
        for a in approver_ids
    }
    return gates, checks, approvers


def outcome_tuple(o):
    return (o.rate.closed, o.rate.share_percent, o.median_days)


# --- the figures ----------------------------------------------------------------------------------


def in_reach(specs, *users):
    ids = {u.pk for u in users}
    return [s for s in specs if s.owner_id in ids]


def test_calibration_agrees_with_the_reference(client_for, personas, history):
    LearningSetting.objects.create(min_closed_deals=10)
    MoveProbabilitySetting.objects.create(move=2, probability=25, stall_days=60)
    response = client_for(personas.manager).get(URL)
    assert response.status_code == 200
    probabilities = {m: d.default_probability for m, d in stages.MOVES.items()} | {2: 25}
    mine = in_reach(history, personas.owner, personas.teammate, personas.manager)
    expected = reference_calibration(mine, probabilities, 10)
    for row in response.context["calibration"]:
        ref = expected[row.move]
        assert row.rate.closed == ref["closed"]
        assert row.rate.won == ref["won"]
        assert row.rate.share_percent == ref["share"]
        assert (row.rate.low_percent, row.rate.high_percent) == ref["interval"]
        assert row.configured == ref["configured"]
        assert row.suggested == ref["suggested"]
    # some moves have enough deals and some not, so both cases are on the page
    assert any(r["suggested"] is None for r in expected.values())
    assert any(r["suggested"] is not None for r in expected.values())
    assert "too few deals to suggest" in response.content.decode()


def test_forecasts_agree_with_the_reference(client_for, personas, history):
    response = client_for(personas.manager).get(URL)
    mine = in_reach(history, personas.owner, personas.teammate, personas.manager)
    probabilities = {m: d.default_probability for m, d in stages.MOVES.items()}
    expected = reference_forecasts(mine, probabilities)
    reps = response.context["forecasts"]
    assert {r.user.pk for r in reps} == set(expected)
    for rep in reps:
        ref = expected[rep.user.pk]
        assert (rep.count, rep.won) == (ref["count"], ref["won"])
        assert rep.brier == ref["brier"]
        assert rep.evidence_brier == ref["evidence_brier"]
        # a mean of exactly x.x5 may round to either neighbour in binary floats
        assert [(b.count, b.mean_estimate, b.won_share) for b in rep.buckets] == [
            pytest.approx(row, abs=0.101) for row in ref["buckets"]
        ]
        assert [(b.count, b.mean_estimate, b.won_share) for b in rep.evidence_buckets] == [
            pytest.approx(row, abs=0.101) for row in ref["evidence_buckets"]
        ]


def test_gates_agree_with_the_reference(client_for, personas, history):
    response = client_for(personas.manager).get(URL)
    mine = in_reach(history, personas.owner, personas.teammate, personas.manager)
    gates, checks, approvers = reference_gates(mine)
    for row in response.context["gates"]:
        assert (outcome_tuple(row.normal), outcome_tuple(row.override)) == gates[row.move]
    assert {o.label: outcome_tuple(o) for o in response.context["checks"]} == checks
    names = {str(u): u.pk for u in (personas.manager, personas.outsider_manager)}
    assert {names[o.label]: outcome_tuple(o) for o in response.context["approvers"]} == approvers
    assert sum(o[0] for o in checks.values()) > 0


# --- access ---------------------------------------------------------------------------------------


def test_a_rep_sees_only_their_own_deals(client_for, personas, history):
    response = client_for(personas.owner).get(URL)
    mine = in_reach(history, personas.owner)
    expected = reference_calibration(mine, stages_probabilities(), 20)
    assert [r.rate.closed for r in response.context["calibration"]] == [
        expected[m]["closed"] for m in range(1, 6)
    ]
    assert {r.user.pk for r in response.context["forecasts"]} <= {personas.owner.pk}
    # a crafted rep filter widens nothing
    response = client_for(personas.owner).get(URL, {"rep": personas.teammate.pk})
    assert [r.rate.closed for r in response.context["calibration"]] == [
        expected[m]["closed"] for m in range(1, 6)
    ]


def test_an_outsiders_deals_are_never_counted(client_for, personas, history):
    outside = in_reach(history, personas.outsider)
    response = client_for(personas.manager).get(URL, {"rep": personas.outsider.pk})
    inside = in_reach(history, personas.owner, personas.teammate, personas.manager)
    expected = reference_calibration(inside, stages_probabilities(), 20)
    assert [r.rate.closed for r in response.context["calibration"]] == [
        expected[m]["closed"] for m in range(1, 6)
    ]
    assert personas.outsider.pk not in {r.user.pk for r in response.context["forecasts"]}
    assert outside  # there were some to leave out


def test_the_admin_sees_every_team(client_for, personas, history):
    response = client_for(personas.admin).get(URL)
    expected = reference_calibration(history, stages_probabilities(), 20)
    assert [r.rate.closed for r in response.context["calibration"]] == [
        expected[m]["closed"] for m in range(1, 6)
    ]
    assert response.context["may_apply"]


def test_a_manager_filters_on_a_rep_of_their_team(client_for, personas, history):
    response = client_for(personas.manager).get(URL, {"rep": personas.teammate.pk})
    expected = reference_calibration(
        in_reach(history, personas.teammate), stages_probabilities(), 20
    )
    assert [r.rate.closed for r in response.context["calibration"]] == [
        expected[m]["closed"] for m in range(1, 6)
    ]


def test_anonymous_is_sent_to_sign_in(client):
    for method in (client.get, client.post):
        response = method(URL)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_pipeline_page_links_to_the_learn_page(client_for, personas):
    response = client_for(personas.manager).get(reverse("opportunities:pipeline"))
    assert reverse("opportunities:learn") in response.content.decode()


def stages_probabilities():
    return {m: d.default_probability for m, d in stages.MOVES.items()}


# --- queries --------------------------------------------------------------------------------------


def count_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# session, user; "manages a team?" (filter choices); move settings; the ids of the owners in
# reach (opportunities/pipeline/figures/scope.py); the figures' generation (crm/figures.py);
# learning setting; calibration aggregate; forecasts grouped, their reps; gate passes, their
# approvers; the team and rep choices of the filter. The charts are built from these figures:
# no query of their own. Until the next write, a second view reads the figures from the cache.
LEARN_QUERIES = 14
LEARN_CACHED_QUERIES = 8


def test_the_queries_do_not_grow_with_the_history(client_for, personas):
    client = client_for(personas.manager)
    owners = [personas.owner, personas.teammate, personas.manager, personas.outsider]
    approvers = [personas.manager, personas.outsider_manager]
    make_history(owners, approvers, deals_per_owner=3, seed=1)
    small = count_queries(client)
    make_history(owners, approvers, deals_per_owner=15, seed=2)
    large = count_queries(client)
    assert small == large == LEARN_QUERIES
    assert count_queries(client) == LEARN_CACHED_QUERIES


def test_a_cached_learn_page_is_never_stale_after_a_write(client_for, personas):
    """The figures come from the cache until a deal changes, then from the data again."""
    client = client_for(personas.manager)
    make_history([personas.owner], [personas.manager], deals_per_owner=3, seed=3)
    before = client.get(URL).context["calibration"]
    assert client.get(URL).context["calibration"] == before
    make_history([personas.owner], [personas.manager], deals_per_owner=6, seed=4)
    after = client.get(URL).context["calibration"]
    assert after != before
    assert after == client.get(URL).context["calibration"]


# --- CSV ------------------------------------------------------------------------------------------


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_the_calibration_csv_matches_the_table(client_for, personas, history):
    client = client_for(personas.manager)
    page = client.get(URL)
    response = client.get(URL, {"format": "csv", "table": "calibration"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = read_csv(response)
    assert len(header) == 8
    assert [
        [r.label, str(r.rate.closed), str(r.rate.won), str(r.rate.share_percent or "")]
        for r in page.context["calibration"]
    ] == [row[:4] for row in rows]
    assert [row[7] for row in rows] == [
        "" if r.suggested is None else str(r.suggested) for r in page.context["calibration"]
    ]


def test_the_gates_and_forecast_csvs_match_the_tables(client_for, personas, history):
    client = client_for(personas.manager)
    page = client.get(URL)
    _header, *rows = read_csv(client.get(URL, {"format": "csv", "table": "gates"}))
    assert [int(r[2]) for r in rows] == [
        n for g in page.context["gates"] for n in (g.normal.rate.closed, g.override.rate.closed)
    ]
    _header, *rows = read_csv(client.get(URL, {"format": "csv", "table": "forecasts"}))
    assert [(r[0], int(r[1]), r[3]) for r in rows] == [
        (str(f.user), f.count, str(f.brier)) for f in page.context["forecasts"]
    ]
    _header, *rows = read_csv(client.get(URL, {"format": "csv", "table": "approvers"}))
    # the table's rows, then the deals never overridden (for comparison)
    *approvers, never = rows
    assert [r[0] for r in approvers] == [o.label for o in page.context["approvers"]]
    baseline = page.context["never_overridden"].rate
    assert never[0] == "never overridden (for comparison)"
    assert (int(never[1]), int(never[2])) == (baseline.closed, baseline.won) != (0, 0)
    _header, *rows = read_csv(client.get(URL, {"format": "csv", "table": "reliability"}))
    assert len(rows) == 10 * len(page.context["forecasts"])


def test_an_unknown_csv_table_is_not_found(client_for, personas):
    response = client_for(personas.manager).get(URL, {"format": "csv", "table": "secrets"})
    assert response.status_code == 404


# --- apply ----------------------------------------------------------------------------------------


def suggested_row(client):
    rows = client.get(URL).context["calibration"]
    return next(r for r in rows if r.suggested is not None and r.differs)


def test_the_admin_applies_a_suggestion_and_it_is_recorded(client_for, personas, history):
    LearningSetting.objects.create(min_closed_deals=5)
    client = client_for(personas.admin)
    row = suggested_row(client)
    assert not MoveProbabilitySetting.objects.filter(move=row.move).exists()
    response = client.post(URL, {"move": row.move, "probability": row.suggested})
    assert response.status_code == 302
    setting = MoveProbabilitySetting.objects.get(move=row.move)
    assert setting.probability == row.suggested
    change = ProbabilityChange.objects.get()
    assert change.changed_by == personas.admin
    assert abs(timezone.now() - change.changed_at) < datetime.timedelta(minutes=1)  # pinned clock
    assert (change.move, change.old_probability, change.new_probability) == (
        row.move,
        row.configured,
        row.suggested,
    )
    assert (change.won, change.closed) == (row.rate.won, row.rate.closed)
    # the page now shows the applied value as configured
    again = next(r for r in client.get(URL).context["calibration"] if r.move == row.move)
    assert again.configured == row.suggested and not again.differs


def test_applying_over_an_existing_setting_records_its_old_value(client_for, personas, history):
    LearningSetting.objects.create(min_closed_deals=5)
    client = client_for(personas.admin)
    row = suggested_row(client)
    old = 99 if row.suggested != 99 else 98
    MoveProbabilitySetting.objects.create(move=row.move, probability=old, stall_days=7)
    row = next(r for r in client.get(URL).context["calibration"] if r.move == row.move)
    client.post(URL, {"move": row.move, "probability": row.suggested})
    change = ProbabilityChange.objects.get()
    assert (change.old_probability, change.new_probability) == (old, row.suggested)
    assert MoveProbabilitySetting.objects.get(move=row.move).stall_days == 7


def test_a_stale_suggestion_is_not_applied(client_for, personas, history):
    LearningSetting.objects.create(min_closed_deals=5)
    client = client_for(personas.admin)
    row = suggested_row(client)
    response = client.post(URL, {"move": row.move, "probability": (row.suggested + 1) % 101})
    assert response.status_code == 302
    assert not ProbabilityChange.objects.exists()
    assert not MoveProbabilitySetting.objects.filter(move=row.move).exists()


def test_too_few_deals_cannot_be_applied(client_for, personas, history):
    LearningSetting.objects.create(min_closed_deals=10_000)
    response = client_for(personas.admin).post(URL, {"move": 1, "probability": 50})
    assert response.status_code == 302
    assert not ProbabilityChange.objects.exists()


def test_a_bad_move_is_refused(client_for, personas):
    response = client_for(personas.admin).post(URL, {"move": 6, "probability": 50})
    assert response.status_code == 400


@pytest.mark.parametrize("who", ["owner", "teammate", "manager", "outsider"])
def test_only_an_admin_may_apply(client_for, personas, history, who):
    LearningSetting.objects.create(min_closed_deals=1)
    client = client_for(getattr(personas, who))
    response = client.post(URL, {"move": 1, "probability": 50})
    assert response.status_code == 403
    assert not ProbabilityChange.objects.exists()
    assert not MoveProbabilitySetting.objects.exists()
    page = client.get(URL)
    assert not page.context["may_apply"]
    assert 'name="probability"' not in page.content.decode()


def test_a_filtered_admin_page_offers_no_apply(client_for, personas, history):
    LearningSetting.objects.create(min_closed_deals=1)
    page = client_for(personas.admin).get(URL, {"rep": personas.owner.pk})
    assert not page.context["may_apply"]
    assert 'name="probability"' not in page.content.decode()


@pytest.mark.parametrize("who", ["owner", "teammate", "manager", "outsider", "admin"])
def test_the_page_opens_without_any_closed_deal(client_for, personas, who):
    response = client_for(getattr(personas, who)).get(URL)
    assert response.status_code == 200
    assert [r.rate.closed for r in response.context["calibration"]] == [0] * 5
    assert "too few deals to suggest" in response.content.decode()
