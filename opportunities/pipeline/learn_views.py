"""The learn page: what our own closed deals say about the stage probabilities, the reps' win
estimates and the overridden gates (METHOD.md §9.2), for the pipeline's scope; and an admin's
apply of a suggested probability."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from crm import figures as cached_figures
from crm import policy, replica
from crm.exporting import csv_response
from opportunities.models import MoveProbabilitySetting
from opportunities.models.learning import LearningSetting, ProbabilityChange
from opportunities.pipeline import learn, learn_charts
from opportunities.pipeline.figures.scope import (
    DEFAULT_STALL_DAYS,
    OPEN_MOVES,
    scope_for,
    teams_for,
)
from opportunities.pipeline.forms import PipelineFilterForm
from opportunities.rules import stages
from opportunities.rules.stages import Move

CSV_TABLES = ("calibration", "forecasts", "reliability", "gates", "checks", "approvers")


def _figures(scope) -> dict:
    setting = LearningSetting.current()
    return {
        "learning_setting": setting,
        "calibration": learn.calibration(scope, setting.min_closed_deals),
        "forecasts": learn.forecasts(scope),
        **learn.gates(scope),
    }


@require_http_methods(["GET", "POST"])
def learn_page(request):
    """The learn page; `?format=csv&table=…` downloads one of its tables; a POST is an
    admin's apply of a suggested probability."""
    if request.method == "POST":
        return apply_probability(request)
    return _show(request)


@replica.reports
def _show(request):
    form = PipelineFilterForm(request.GET or None, user=request.user)
    arguments = form.scope_arguments()
    scope = scope_for(request.user, team=arguments["team"], rep=arguments["rep"])
    if request.GET.get("format") == "csv":
        name = request.GET.get("table", "")
        if name not in CSV_TABLES:
            raise Http404
        header, rows = csv_table(name, _figures(scope))
        stamp = timezone.localdate().isoformat()
        return csv_response(f"learn-{name}-{stamp}.csv", header, rows)
    # Exact: recomputed after any write to the deals' data (crm/figures.py).
    key = cached_figures.key(
        "learn",
        request.user.pk,
        scope.team and scope.team.pk,
        scope.rep and scope.rep.pk,
        scope.today,
        get_language(),
    )
    figures = cached_figures.cached(key, lambda: _figures(scope))
    context = {
        "form": form,
        "scope": scope,
        "is_rep_only": not teams_for(request.user).exists(),
        # Applying changes the company's setting: only from the company's whole history.
        "may_apply": policy.is_admin(request.user) and not (scope.team or scope.rep),
        "charts": learn_charts.charts(figures),
        **figures,
    }
    return render(request, "opportunities/pipeline/learn.html", context)


def _pct(value):
    return "" if value is None else value


def _rate_cells(rate):
    return [
        rate.closed,
        rate.won,
        _pct(rate.share_percent),
        _pct(rate.low_percent),
        _pct(rate.high_percent),
    ]


def csv_table(name: str, figures: dict) -> tuple[list, list]:
    """The header and rows of one table of the page, as the page shows it."""
    rate_header = [
        _("Closed deals"),
        _("Won"),
        _("Win rate (%)"),
        _("95% interval from (%)"),
        _("95% interval to (%)"),
    ]
    if name == "calibration":
        header = [_("Move"), *rate_header, _("Configured probability (%)"), _("Suggested (%)")]
        rows = [
            [r.label, *_rate_cells(r.rate), r.configured, _pct(r.suggested)]
            for r in figures["calibration"]
        ]
        return header, rows
    if name == "forecasts":
        header = [
            _("Rep"),
            _("Closed deals with an estimate"),
            _("Won"),
            _("Brier score: rep's estimate"),
            _("Brier score: stage probability"),
            _("Estimate minus win share (points)"),
            _("Stage probability minus win share (points)"),
        ]
        rows = [
            [
                str(r.user),
                r.count,
                r.won,
                _pct(r.brier),
                _pct(r.evidence_brier),
                _pct(r.gap),
                _pct(r.evidence_gap),
            ]
            for r in figures["forecasts"]
        ]
        return header, rows
    if name == "reliability":
        header = [
            _("Rep"),
            _("Forecast"),
            _("Bucket (%)"),
            _("Deals"),
            _("Mean forecast (%)"),
            _("Won (%)"),
        ]
        rows = []
        for r in figures["forecasts"]:
            for kind, buckets in (
                (_("rep's estimate"), r.buckets),
                (_("stage probability"), r.evidence_buckets),
            ):
                rows += [
                    [
                        str(r.user),
                        kind,
                        f"{b.low}–{b.high}",
                        b.count,
                        _pct(b.mean_estimate),
                        _pct(b.won_share),
                    ]
                    for b in buckets
                ]
        return header, rows
    if name == "gates":
        header = [_("Exit gate of move"), _("Passed"), *rate_header, _("Median days to close")]
        rows = []
        for g in figures["gates"]:
            for kind, outcome in ((_("normally"), g.normal), (_("by override"), g.override)):
                rows.append([g.label, kind, *_rate_cells(outcome.rate), _pct(outcome.median_days)])
        return header, rows
    label = _("Overridden check") if name == "checks" else _("Approving manager")
    header = [label, *rate_header, _("Median days to close")]
    rows = [[o.label, *_rate_cells(o.rate), _pct(o.median_days)] for o in figures[name]]
    if rows:  # the page shows the deals never overridden below, for comparison
        never = figures["never_overridden"]
        label = _("never overridden (for comparison)")
        rows.append([label, *_rate_cells(never.rate), _pct(never.median_days)])
    return header, rows


# --- apply ----------------------------------------------------------------------------------------


class ApplyForm(forms.Form):
    move = forms.TypedChoiceField(choices=[(m, m) for m in OPEN_MOVES], coerce=int)
    probability = forms.IntegerField(
        label=gettext_lazy("Suggested probability (%)"), min_value=0, max_value=100
    )


def apply_suggested_probability(
    *, move: int, probability: int, won: int, closed: int, by
) -> ProbabilityChange:
    """Set `move`'s stage probability to `probability` and record who, when, the old and new
    value and the sample (`won` of `closed` deals) it came from, in one transaction."""
    with transaction.atomic():
        setting = MoveProbabilitySetting.objects.select_for_update().filter(move=move).first()
        if setting is None:
            setting = MoveProbabilitySetting(move=move, stall_days=DEFAULT_STALL_DAYS.get(move))
            old = stages.MOVES[Move(move)].default_probability
        else:
            old = setting.probability
        setting.probability = probability
        setting.full_clean()
        setting.save()
        return ProbabilityChange.objects.create(
            move=move,
            old_probability=old,
            new_probability=probability,
            won=won,
            closed=closed,
            changed_by=by,
        )


def apply_probability(request):
    """An admin applies a move's suggested probability, computed again here from the whole
    history: a page shown before the history changed is refused, never applied."""
    if not policy.is_admin(request.user):
        return HttpResponseForbidden(_("Only an administrator can change the stage probabilities."))
    form = ApplyForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("This is not a move whose probability can be applied."))
    move, shown = form.cleaned_data["move"], form.cleaned_data["probability"]
    scope = scope_for(request.user)
    row = next(
        r
        for r in learn.calibration(scope, LearningSetting.current().min_closed_deals)
        if r.move == move
    )
    if row.suggested is None or row.suggested != shown:
        messages.warning(
            request, _("The history changed since the page was shown: look at it again.")
        )
        return redirect("opportunities:learn")
    change = apply_suggested_probability(
        move=move,
        probability=row.suggested,
        won=row.rate.won,
        closed=row.rate.closed,
        by=request.user,
    )
    messages.success(
        request,
        _("The stage probability of %(move)s is now %(new)s%% (was %(old)s%%).")
        % {"move": row.label, "new": change.new_probability, "old": change.old_probability},
    )
    return redirect("opportunities:learn")
