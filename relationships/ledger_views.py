"""The gift ledger (managers and compliance) and "what builds trust": two read-only pages, each
with its CSV download (crm.exporting), scoped by the policy in their selectors."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from crm import figures as cached_figures
from crm.exporting import csv_response
from relationships import gift_ledger, learning, ledger_charts
from relationships.learning_rules import TOO_FEW

PAGE_SIZE = 25
YEARS = (2000, 2100)


class LedgerFilterForm(forms.Form):
    """The ledger's filters; the choices are what the year's gifts the user may see hold."""

    year = forms.IntegerField(
        label=gettext_lazy("year"), min_value=YEARS[0], max_value=YEARS[1], required=False
    )
    account = forms.TypedChoiceField(
        label=gettext_lazy("account"), coerce=int, required=False, empty_value=None
    )
    person = forms.TypedChoiceField(
        label=gettext_lazy("person"), coerce=int, required=False, empty_value=None
    )
    owner = forms.TypedChoiceField(
        label=gettext_lazy("owner"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, ledger, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("all"))]
        self.fields["account"].choices = everyone + ledger.account_choices
        self.fields["person"].choices = everyone + ledger.person_choices
        self.fields["owner"].choices = everyone + ledger.owner_choices


def _number(params, name: str, low: int = 1, high: int = 2**31 - 1) -> int | None:
    value = params.get(name, "")
    return int(value) if value.isdigit() and low <= int(value) <= high else None


LEDGER_HEADER = [
    "year",
    "person",
    "account",
    "customer type",
    "date",
    "activity type",
    "owner",
    "cost (CNY)",
    "people",
    "share (CNY)",
    "running total (CNY)",
    "yearly cap (CNY)",
    "remaining (CNY)",
    "over cap",
    "approval",
    "decided by",
    "decided at",
]


def ledger_rows(found: gift_ledger.Ledger):
    for item in found.items:
        yield [
            found.year,
            item.contact_name,
            item.account_name,
            gift_ledger.type_label(item.account_type),
            item.day,
            item.type_name,
            item.owner_name,
            item.cost,
            item.people,
            item.share,
            item.running_total,
            item.cap,
            item.remaining,
            "yes" if item.over_cap else "no",
            item.approval_label,
            item.decided_by_name,
            timezone.localtime(item.decided_at).strftime("%Y-%m-%d %H:%M")
            if item.decided_at
            else "",
        ]


@require_GET
def gift_ledger_view(request):
    """Every gift and hospitality per person and year, with running totals against the cap."""
    params = request.GET
    year = _number(params, "year", *YEARS) or timezone.localdate().year
    found = gift_ledger.ledger(
        request.user,
        year=year,
        account=_number(params, "account"),
        person=_number(params, "person"),
        owner=_number(params, "owner"),
    )
    if params.get("format") == "csv":
        return csv_response(f"gift-ledger-{year}.csv", LEDGER_HEADER, ledger_rows(found))
    form = LedgerFilterForm(params or None, initial={"year": year}, ledger=found)
    page = Paginator(found.people, PAGE_SIZE).get_page(params.get("page"))
    return render(
        request,
        "relationships/ledger/gift_ledger.html",
        {
            "form": form,
            "ledger": found,
            "year": year,
            "page_obj": page,
            "accounts": sorted(found.accounts, key=lambda row: row[1]),
            "charts": ledger_charts.charts(found, list(page)),
        },
    )


LEARNING_HEADER = [
    "group",
    "activity type",
    "personality",
    "cases",
    "advanced",
    "rate",
    "cost (CNY)",
    "cost per advance (CNY)",
]


def _rate_cell(tally) -> str:
    if tally.too_few:
        return str(TOO_FEW)
    return f"{tally.percent}%" if tally.percent is not None else ""


def learning_rows(found: learning.TrustLearning):
    sections = (
        ("activity type", found.by_type),
        ("personality", found.by_personality),
        ("activity type and personality", found.by_type_and_personality),
    )
    for group, rows in sections:
        for row in rows:
            yield [
                group,
                row.type_name,
                row.personality_name,
                row.tally.count,
                row.tally.advanced,
                _rate_cell(row.tally),
                row.tally.cost,
                row.tally.cost_per_advance or "",
            ]
    for step in found.steps:
        median = str(TOO_FEW) if step.too_few else step.median_days
        yield [f"median days {step.from_stage}→{step.to_stage}", "", "", step.count, "", median]


@require_GET
def trust_learning_view(request):
    """Which activities were followed by a move up the ladder, per type and personality."""
    today = timezone.localdate()
    # Exact: recomputed after any write to the relationships' data (crm/figures.py).
    found = cached_figures.cached(
        cached_figures.key("trust", request.user.pk, today, get_language()),
        lambda: learning.trust_learning(request.user, today=today),
        row=cached_figures.RELATIONSHIPS,
    )
    if request.GET.get("format") == "csv":
        return csv_response("what-builds-trust.csv", LEARNING_HEADER, learning_rows(found))
    return render(
        request,
        "relationships/learning/trust_learning.html",
        {"found": found, "too_few": TOO_FEW, "charts": learning.charts(found)},
    )
