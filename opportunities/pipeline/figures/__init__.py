"""Pipeline queries: THE package that owns the figures of the dashboards (METHOD.md §9).

Every figure is an aggregate computed in the database (grouped COUNT/SUM/AVG with filters,
subqueries and EXISTS), never by looping over deals in Python; each function costs a fixed
number of queries whatever the data size. Lists (stalled, inflated, late) are capped and say
how many more there are; the CSV export of a list has every row.

Scope: a figure is about the deals (and targets, accounts) *owned* by the people in the
viewer's reach (crm.policy.reachable_owner_ids): a rep only their own, a manager themself and
the members of the teams they manage, an admin everyone. The filters (team, rep) only ever
narrow that set: they are intersected with it, never substituted for it.

One module per part: scope.py (the scope and the one-pass aggregate), funnel.py (funnel,
overview, forecast), flow.py (conversion, lost reasons, scores), lists.py (stalled, inflated,
late), reps.py (the rep table), collection.py (moves 3–6 data), team.py (the home panel).
Every name is re-exported here, so `figures.X` stays the import path.
"""

from opportunities.pipeline.figures.collection import cash_forecast
from opportunities.pipeline.figures.flow import (
    SCORE_BUCKETS,
    MoveFlow,
    lost_analysis,
    move_flow,
    score_distribution,
)
from opportunities.pipeline.figures.funnel import ForecastRow, FunnelRow, forecast, funnel, overview
from opportunities.pipeline.figures.lists import (
    inflated,
    late_condition,
    late_list,
    late_summary,
    stalled,
    with_gate_checks,
)
from opportunities.pipeline.figures.reps import RepRow, rep_table
from opportunities.pipeline.figures.scope import (
    CLOSED,
    DEFAULT_STALL_DAYS,
    FORECAST_MONTHS,
    LIST_LIMIT,
    OPEN_MOVES,
    ZERO,
    Scope,
    deals,
    first_rows_and_count,
    move_settings,
    reach,
    reps_for,
    scope_for,
    stall_limits,
    teams_for,
)
from opportunities.pipeline.figures.team import (
    HOME_TEAM_ROWS,
    HOME_UPCOMING_DAYS,
    manages_anyone,
    team_summary,
)

__all__ = [
    "CLOSED",
    "DEFAULT_STALL_DAYS",
    "FORECAST_MONTHS",
    "ForecastRow",
    "FunnelRow",
    "HOME_TEAM_ROWS",
    "HOME_UPCOMING_DAYS",
    "LIST_LIMIT",
    "MoveFlow",
    "OPEN_MOVES",
    "RepRow",
    "SCORE_BUCKETS",
    "Scope",
    "ZERO",
    "cash_forecast",
    "deals",
    "first_rows_and_count",
    "forecast",
    "funnel",
    "inflated",
    "late_condition",
    "late_list",
    "late_summary",
    "lost_analysis",
    "manages_anyone",
    "move_flow",
    "move_settings",
    "overview",
    "reach",
    "rep_table",
    "reps_for",
    "scope_for",
    "score_distribution",
    "stall_limits",
    "stalled",
    "team_summary",
    "teams_for",
    "with_gate_checks",
]
