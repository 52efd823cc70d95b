"""The charts of the learn page: the figures learn.py computed, as the specs static/js/charts.js
draws (its header describes them). Plain floats and translated labels, built from the figures
the tables show: no query of their own.

Every rate is drawn as its 95% interval (a floating bar from the low to the high bound) with the
win rate marked across it: a rate from few deals is a long bar.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opportunities.pipeline import learn
from opportunities.rules import learning

# The colours of static/js/charts.js and static/css/cuilong.css (.pipe-colour-*).
WON = "#b3261e"
CONFIGURED = "#adb5bd"
NORMAL = "#2e7d32"
OVERRIDE = "#e0a100"


def _float(value) -> float | None:
    return None if value is None else float(value)


def _count(n: int) -> str:
    return _("n=%(count)d") % {"count": n}


def interval(rate: learning.Rate) -> list[float] | None:
    """The 95% interval of a rate in percent, [low, high]; None without any closed deal."""
    if not rate.closed:
        return None
    return [float(rate.low_percent), float(rate.high_percent)]


def _outcome_note(kind: str, outcome: learn.Outcome) -> str:
    n = outcome.rate.closed
    if outcome.median_days is None:
        return ngettext("%(kind)s: %(count)d deal", "%(kind)s: %(count)d deals", n) % {
            "kind": kind,
            "count": n,
        }
    return ngettext(
        "%(kind)s: %(count)d deal, median %(days)s days to close",
        "%(kind)s: %(count)d deals, median %(days)s days to close",
        n,
    ) % {"kind": kind, "count": n, "days": f"{outcome.median_days:g}"}


def _won_of(won: int, closed: int) -> str:
    return ngettext(
        "%(won)d won of %(closed)d closed deal", "%(won)d won of %(closed)d closed deals", closed
    ) % {"won": won, "closed": closed}


def calibration_chart(rows: list[learn.CalibrationRow], min_deals: int) -> dict:
    """Per move: the configured stage probability beside the win rate of the closed deals that
    reached it, with its interval; a move with fewer than `min_deals` is a small sample."""
    return {
        "unit": "percent",
        "max": 100,
        "labels": [[str(row.label), _count(row.rate.closed)] for row in rows],
        "notes": [_won_of(r.rate.won, r.rate.closed) for r in rows],
        "series": [
            {
                "label": _("Configured probability"),
                "data": [float(row.configured) for row in rows],
                "colour": CONFIGURED,
            },
            {
                # xgettext:no-python-format
                "label": _("Win rate (95% interval)"),
                "data": [interval(row.rate) for row in rows],
                "marks": [_float(row.rate.share_percent) for row in rows],
                "small": [row.rate.closed < min_deals for row in rows],
                "colour": WON,
            },
        ],
    }


def forecasts_chart(reps: list[learn.RepForecast]) -> dict:
    """Per rep, the Brier score of their own estimates beside that of the stage probabilities
    (lower is better)."""
    return {
        "unit": "score",
        "labels": [[str(rep.user), _count(rep.count)] for rep in reps],
        "axes": {"y": _("Brier score")},
        "notes": [_won_of(rep.won, rep.count) for rep in reps],
        "series": [
            {
                "label": _("Brier: rep's estimate"),
                "data": [_float(rep.brier) for rep in reps],
                "colour": WON,
            },
            {
                "label": _("Brier: stage probability"),
                "data": [_float(rep.evidence_brier) for rep in reps],
                "colour": CONFIGURED,
            },
        ],
    }


def _points(buckets: list[learning.Bucket]) -> tuple[list[dict], list[str]]:
    points, notes = [], []
    for bucket in buckets:
        if bucket.count:
            points.append({"x": float(bucket.mean_estimate), "y": float(bucket.won_share)})
            notes.append(
                ngettext(
                    "forecast %(low)d–%(high)d%%: %(count)d deal",
                    "forecast %(low)d–%(high)d%%: %(count)d deals",
                    bucket.count,
                )
                % {"low": bucket.low, "high": bucket.high, "count": bucket.count}
            )
    return points, notes


def reliability_chart(rep: learn.RepForecast) -> dict:
    """One rep's reliability: per bucket of forecast, the mean forecast (x) against the share
    won (y), for their estimates and for the stage probabilities; on the diagonal a forecast
    is exactly right."""
    estimates, estimate_notes = _points(rep.buckets)
    evidence, evidence_notes = _points(rep.evidence_buckets)
    return {
        "scatter": True,
        "unit": "percent",
        "max": 100,
        "labels": [
            f"{estimate.low}–{estimate.high}"
            for estimate, proof in rep.bucket_pairs
            if estimate.count or proof.count
        ],
        "axes": {"x": _("Forecast (%)"), "y": _("Won (%)")},
        "series": [
            {
                "label": _("rep's estimate"),
                "data": estimates,
                "notes": estimate_notes,
                "colour": WON,
            },
            {
                "label": _("stage probability"),
                "data": evidence,
                "notes": evidence_notes,
                "colour": "#1565c0",
            },
            {
                "label": _("exactly right"),
                "data": [{"x": 0.0, "y": 0.0}, {"x": 100.0, "y": 100.0}],
                "colour": CONFIGURED,
                "line": True,
                "dashed": True,
            },
        ],
    }


def gates_chart(gates: list[learn.GateRow]) -> dict:
    """Per move's exit gate, the win rate of the deals that passed it normally beside those
    moved on by an override (none drawn when no closed deal passed a gate)."""
    if not any(g.normal.rate.closed or g.override.rate.closed for g in gates):
        return {"labels": []}
    return {
        "unit": "percent",
        "max": 100,
        "labels": [str(gate.label) for gate in gates],
        # xgettext:no-python-format
        "axes": {"y": _("Win rate (95% interval)")},
        "notes": [
            [_outcome_note(_("normally"), g.normal), _outcome_note(_("by override"), g.override)]
            for g in gates
        ],
        "series": [
            {
                "label": _("normally"),
                "data": [interval(g.normal.rate) for g in gates],
                "marks": [_float(g.normal.rate.share_percent) for g in gates],
                "colour": NORMAL,
            },
            {
                "label": _("by override"),
                "data": [interval(g.override.rate) for g in gates],
                "marks": [_float(g.override.rate.share_percent) for g in gates],
                "colour": OVERRIDE,
            },
        ],
    }


def overrides_chart(outcomes: list[learn.Outcome], never: learn.Outcome) -> dict:
    """The win rate of the deals overridden per check (or per approving manager), below that
    of the deals never overridden, for comparison (none drawn without an override)."""
    if not outcomes:
        return {"labels": []}
    rows = [never, *outcomes]
    labels = [_("never overridden"), *(o.label for o in outcomes)]
    return {
        "unit": "percent",
        "max": 100,
        "horizontal": True,
        "legend": False,
        "labels": [[label, _count(o.rate.closed)] for label, o in zip(labels, rows, strict=True)],
        # xgettext:no-python-format
        "axes": {"x": _("Win rate (95% interval)")},
        "notes": [_outcome_note(label, o) for label, o in zip(labels, rows, strict=True)],
        "series": [
            {
                "label": _("Win rate"),
                "data": [interval(o.rate) for o in rows],
                "marks": [_float(o.rate.share_percent) for o in rows],
                "colour": [NORMAL] + [OVERRIDE] * len(outcomes),
            }
        ],
    }


def charts(figures: dict) -> dict:
    """Every chart of the page, by the name its canvas gives (data-chart)."""
    found = {
        "calibration": calibration_chart(
            figures["calibration"], figures["learning_setting"].min_closed_deals
        ),
        "forecasts": forecasts_chart(figures["forecasts"]),
        "gates": gates_chart(figures["gates"]),
        "checks": overrides_chart(figures["checks"], figures["never_overridden"]),
        "approvers": overrides_chart(figures["approvers"], figures["never_overridden"]),
    }
    for rep in figures["forecasts"]:
        found[f"reliability-{rep.user.pk}"] = reliability_chart(rep)
    return found
