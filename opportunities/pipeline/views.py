"""The manager's pipeline page and the deal review (METHOD.md §9)."""

from django.contrib import messages
from django.db.models import OuterRef
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from crm import figures as cached_figures
from crm import replica
from crm.exporting import as_download, csv_text
from crm.policy import decides_for_annotation, get_visible_or_404
from opportunities.models import Opportunity, PipelineSetting
from opportunities.pipeline import collections as after_sale
from opportunities.pipeline import facts
from opportunities.pipeline import figures as pipeline
from opportunities.pipeline import review as reviews
from opportunities.pipeline.forms import DealReviewForm, PipelineFilterForm
from opportunities.rules import stages

CSV_TABLES = (
    "funnel",
    "forecast",
    "reps",
    "flow",
    "stalled",
    "inflated",
    "late",
    "lost",
    "competitors",
    "scores",
)


def _figures(scope, setting, limits) -> dict:
    """Everything the page shows, each figure one or two aggregate queries; the lists are the
    first rows only (their counts come with the overview)."""
    late = pipeline.late_list(scope, setting.late_entry_move)
    reps = pipeline.rep_table(scope, setting)
    inflated = pipeline.with_gate_checks(list(pipeline.inflated(scope)[: pipeline.LIST_LIMIT]))
    for deal in inflated:
        deal.unmet = unmet_labels(deal)
    return {
        **pipeline.overview(scope, setting.late_entry_move),
        "reps": reps,
        "after_sale": after_sale.add_to_rep_rows(reps, scope, setting),
        "stalled": list(pipeline.stalled(scope, limits)[: pipeline.LIST_LIMIT]),
        "inflated": inflated,
        "late": list(late[: pipeline.LIST_LIMIT]),
    }


def _charts(figures) -> dict:
    """Plain numbers for static/js/charts.js (passed with json_script; the CSP forbids inline
    scripts). Labels are already translated; amounts are floats of yuan."""
    funnel = figures["funnel"]
    forecast = figures["forecast"]
    months = forecast["months"]
    return {
        "funnel": {
            "labels": [row.label for row in funnel["basin"]] + [_("signed (碗)")],
            "series": [
                {
                    "label": _("Amount"),
                    "data": [float(r.amount) for r in funnel["basin"]]
                    + [float(funnel["bowl"].amount)],
                },
                {
                    "label": _("Weighted"),
                    "data": [float(r.weighted) for r in funnel["basin"]]
                    + [float(funnel["bowl"].amount)],
                },
            ],
            "horizontal": True,
        },
        "forecast": {
            "labels": [row.month.strftime("%Y-%m") for row in months],
            "series": [
                {"label": _("Weighted forecast"), "data": [float(r.weighted) for r in months]},
                {"label": _("Signed"), "data": [float(r.signed) for r in months]},
            ]
            + [{"label": _("Cash due"), "data": [float(r.cash_due or 0) for r in months]}],
        },
        "reps": {
            "labels": [str(row.user) for row in figures["reps"]],
            "series": [
                {
                    "label": _("Won this period"),
                    "data": [float(r.won_amount) for r in figures["reps"]],
                    "colour": "#b3261e",
                },
                {
                    "label": _("Target"),
                    "data": [
                        float(r.target) if r.target is not None else None for r in figures["reps"]
                    ],
                    "colour": "#adb5bd",
                },
                {
                    "label": _("Weighted pipeline"),
                    "data": [float(r.weighted) for r in figures["reps"]],
                    "colour": "#1565c0",
                },
            ],
        },
    }


@require_GET
@replica.reports
def pipeline_page(request):
    """Funnel, forecasts, per-rep table, conversion, stalled / inflated / late deals, lost
    reasons and scores for the viewer's scope; `?format=csv&table=…` exports one table."""
    form = PipelineFilterForm(request.GET or None, user=request.user)
    scope = pipeline.scope_for(request.user, **form.scope_arguments())
    if request.GET.get("format") == "csv":
        return _csv(request, scope)
    setting = PipelineSetting.current()
    limits = pipeline.stall_limits(scope)
    # Exact: recomputed after any write to the data under them (crm/figures.py).
    key = cached_figures.key(
        "pipeline",
        request.user.pk,
        scope.team and scope.team.pk,
        scope.rep and scope.rep.pk,
        scope.period,
        scope.close_month,
        scope.today,
        get_language(),
    )
    figures = cached_figures.cached(key, lambda: _figures(scope, setting, limits))
    context = {
        "form": form,
        "scope": scope,
        "setting": setting,
        "limits": limits,
        "now": timezone.now(),
        "charts": _charts(figures),
        "is_rep_only": not pipeline.teams_for(request.user).exists(),
        "empty": not figures["funnel"]["basin_total"].count
        and not figures["funnel"]["bowl"].count
        and not any(r.closed_count for r in figures["reps"]),
        **figures,
    }
    return render(request, "opportunities/pipeline/page.html", context)


# --- CSV ---------------------------------------------------------------------------------------


def _deal_rows(queryset, extra_header, extra):
    header = [_("Opportunity"), _("Account"), _("Owner"), _("Move"), _("Amount"), *extra_header]
    rows = [
        [d.name, d.account.name if d.account else "", str(d.owner), d.move, d.amount, *extra(d)]
        for d in queryset
    ]
    return header, rows


def _csv_table(name, scope):
    setting = PipelineSetting.current()
    now = timezone.now()
    if name == "funnel":
        funnel = pipeline.funnel(scope)
        header = [_("Horizon"), _("Move"), _("Deals"), _("Amount"), _("Weighted")]
        rows = [[_("pot (锅): target accounts"), "", funnel["pot"].count, "", ""]]
        rows += [
            [_("basin (盆): open opportunities"), r.label, r.count, r.amount, r.weighted]
            for r in funnel["basin"]
        ]
        bowl = funnel["bowl"]
        rows.append([_("bowl (碗): signed orders"), "6", bowl.count, bowl.amount, bowl.amount])
        return header, rows
    if name == "forecast":
        data = pipeline.forecast(scope)
        header = [
            _("Month"),
            _("Deals"),
            _("Amount"),
            _("Weighted"),
            _("Signed"),
            _("Cash due"),
            _("Collected"),
        ]
        rows = []
        for row in [data["overdue"], *data["months"], data["later"]]:
            label = (
                row.month.strftime("%Y-%m")
                if row.month
                else (_("later") if row.later else _("close date passed"))
            )
            rows.append(
                [
                    label,
                    row.count,
                    row.amount,
                    row.weighted,
                    row.signed,
                    row.cash_due,
                    row.collected,
                ]
            )
        return header, rows
    if name == "reps":
        header = [
            _("Rep"),
            _("Open"),
            _("Pipeline"),
            _("Weighted"),
            _("Won (count)"),
            _("Won (amount)"),
            _("Win rate (%)"),
            _("Average cycle (days)"),
            _("Target"),
            _("Attainment (%)"),
            _("Colour"),
            _("Collected"),
            _("Collected ÷ target (%)"),
            _("Overdue"),
            _("DSO (days)"),
        ]
        reps = pipeline.rep_table(scope, setting)
        after_sale.add_to_rep_rows(reps, scope, setting)
        rows = [
            [
                str(r.user),
                r.open_count,
                r.pipeline,
                r.weighted,
                r.won_count,
                r.won_amount,
                r.win_rate,
                r.cycle_days,
                r.target,
                r.attainment,
                r.colour_label,
                r.collected_amount,
                r.cash_attainment,
                r.collections.overdue,
                r.collections.dso,
            ]
            for r in reps
        ]
        return header, rows
    if name == "flow":
        header = [
            _("Move"),
            _("Reached"),
            _("Advanced"),
            _("Lost or abandoned here"),
            _("Still open here"),
            _("Conversion (%)"),
            _("Average days in move"),
        ]
        rows = [
            [f.label, f.reached, f.advanced, f.dropped, f.still_open, f.conversion, f.avg_days]
            for f in pipeline.move_flow(scope)
        ]
        return header, rows
    if name == "stalled":
        limits = pipeline.stall_limits(scope)
        return _deal_rows(
            pipeline.stalled(scope, limits),
            [_("Days in move"), _("Limit (days)")],
            lambda d: [(now - d.entered_move_at).days, limits.get(d.move)],
        )
    if name == "inflated":
        return _deal_rows(
            pipeline.inflated(scope).annotate(**facts.gate_annotations()),
            [_("Unmet earlier checks")],
            lambda d: [_unmet(d)],
        )
    if name == "late":
        return _deal_rows(
            pipeline.late_list(scope, setting.late_entry_move),
            [_("First recorded in move"), _("Source")],
            lambda d: [d.first_move, d.get_source_display()],
        )
    if name == "lost":
        lost = pipeline.lost_analysis(scope)
        header = [_("Buyer's stage"), _("Deals"), _("Amount"), _("Share (%)")]
        rows = [[r["label"], r["count"], r["amount"], r["share"]] for r in lost["stages"]]
        rows.append(
            [_("abandoned (放弃)"), lost["abandoned"]["count"], lost["abandoned"]["amount"], ""]
        )
        return header, rows
    if name == "competitors":
        header = [_("Lost to"), _("Deals"), _("Amount")]
        rows = [
            [r["lost_to__name"] or _("unknown"), r["count"], r["amount"]]
            for r in pipeline.lost_analysis(scope)["competitors"]
        ]
        return header, rows
    scores = pipeline.score_distribution(scope)
    header = [_("Qualification score"), _("Open deals")]
    rows = [[b["label"], b["count"]] for b in scores["buckets"]]
    rows.append([_("not scored"), scores["unscored"]])
    rows += [[v["label"], v["count"]] for v in scores["verdicts"]]
    return header, rows


def _unmet(deal) -> str:
    return "; ".join(str(label) for label in unmet_labels(deal))


def unmet_labels(deal) -> list[str]:
    """The earlier moves' unmet checks of an inflated deal, from its SQL annotations."""
    labels = []
    if deal.move > 1:
        if deal.qualification_verdict != "qualified":
            labels.append(_("move 1: five criteria do not pass"))
        if not deal.check_decision_maker:
            labels.append(_("move 1: no decision maker (决策者)"))
        if not deal.check_guide:
            labels.append(_("move 1: no guide (向导)"))
    if deal.move > 2:
        if not deal.has_key or deal.key_behind:
            labels.append(_("move 2: key people below the gate's stage"))
        if not deal.check_guide_trust:
            labels.append(_("move 2: too few guides (向导) at the gate's stage"))
        if not deal.check_decision_level:
            labels.append(_("move 2: too few decision-level people at the gate's stage"))
    if deal.move > 3:
        if getattr(deal, "check_budget_approved", True) is False:
            labels.append(_("move 3: no project approval with budget (立项)"))
        if getattr(deal, "check_criteria_recorded", True) is False:
            labels.append(_("move 3: no purchase criteria (采购指标)"))
    if deal.move > 4 and getattr(deal, "check_preferred_vendor", True) is False:
        labels.append(_("move 4: not preferred or shortlisted"))
    return labels


def _csv(request, scope):
    name = request.GET.get("table", "")
    if name not in CSV_TABLES:
        raise Http404
    header, rows = _csv_table(name, scope)
    response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    return as_download(response, f"pipeline-{name}-{stamp}.csv")


# --- deal review ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def deal_review(request, pk):
    """One opportunity on one page for the manager's review: the eight questions of §9.3,
    the trust plan of the buying group, what changed since the last review, and the agreed
    next steps. Anyone who may see the
    deal may read it; a manager of the owner's team (or an admin) records the review."""
    # In the same row: the one-to-ones of moves 3–6 the answers read, the move-2 gate's rule
    # the trust plan reads, and whether the user may record the review.
    rows = Opportunity.objects.select_related(
        "account", "owner", "project_approval", "evaluation", "contract"
    ).annotate(may_record=decides_for_annotation(request.user, OuterRef("owner_id")))
    opportunity = get_visible_or_404(facts.with_move_gate_facts(rows), request.user, pk=pk)
    review = reviews.deal_review(opportunity, request.user)
    form = DealReviewForm(request.POST or None)
    if request.method == "POST":
        if not review["may_record"]:
            return HttpResponseForbidden(
                _("Only a manager of the owner's team can record a deal review.")
            )
        if form.is_valid():
            record = form.save(commit=False)
            record.opportunity = opportunity
            record.reviewed_by = request.user
            record.self_approved = request.user.pk == opportunity.owner_id
            record.reviewed_at = timezone.now()
            record.unknown_answers = review["unknown_count"]
            record.save()
            messages.success(request, _("Review recorded with its agreed next steps."))
            return redirect(reverse("opportunities:review", args=[opportunity.pk]))
    return render(
        request,
        "opportunities/pipeline/review.html",
        {
            "opportunity": opportunity,
            "form": form,
            "move": stages.MOVES[stages.Move(opportunity.move)],
            **review,
        },
        status=400 if request.method == "POST" else 200,
    )
