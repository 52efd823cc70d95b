"""Moves 3–6 on the opportunity page: inline add/edit/delete of needs, approval, criteria,
evaluation, value points, concerns, negotiation items, contract, milestones, receipts and
commitments (htmx fragments, with full-page fallbacks), and the receivables page."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from crm.params import id_param
from crm.policy import get_visible_or_404
from opportunities.deals import selectors
from opportunities.deals import services as deal_services
from opportunities.deals.forms import GateOverrideForm
from opportunities.models import (
    Commitment,
    Concern,
    ConcernSignal,
    Contract,
    Evaluation,
    MoveThresholdSetting,
    Need,
    NegotiationItem,
    Opportunity,
    PaymentMilestone,
    ProjectApproval,
    PurchaseCriterion,
    Receipt,
    ValuePoint,
)
from opportunities.moves import contract_forms, forms, receivables_selectors
from opportunities.moves import receivables as money_rules
from opportunities.moves import services as move_services
from opportunities.moves.approval_form import ApprovalWithTimingForm
from opportunities.pipeline import collections as after_sale
from opportunities.pipeline import facts

PAGE_SIZE = 25


@dataclass(frozen=True)
class Kind:
    model: type
    form: type
    anchor: str
    title_new: str
    title_edit: str
    single: bool = False  # one per opportunity: "new" edits the existing one


KINDS = {
    "need": Kind(
        Need, forms.NeedForm, "move-3", gettext_lazy("Add a need"), gettext_lazy("Edit the need")
    ),
    "approval": Kind(
        ProjectApproval,
        ApprovalWithTimingForm,
        "move-3",
        gettext_lazy("Project approval (立项)"),
        gettext_lazy("Project approval (立项)"),
        single=True,
    ),
    "criterion": Kind(
        PurchaseCriterion,
        forms.CriterionForm,
        "move-3-criteria",
        gettext_lazy("Add a purchase criterion"),
        gettext_lazy("Edit the purchase criterion"),
    ),
    "evaluation": Kind(
        Evaluation,
        forms.EvaluationForm,
        "move-4",
        gettext_lazy("Evaluation (评估比较)"),
        gettext_lazy("Evaluation (评估比较)"),
        single=True,
    ),
    "value": Kind(
        ValuePoint,
        forms.ValuePointForm,
        "move-4",
        gettext_lazy("Add a value point (FAB)"),
        gettext_lazy("Edit the value point (FAB)"),
    ),
    "concern": Kind(
        Concern,
        forms.ConcernForm,
        "move-5",
        gettext_lazy("Log a concern"),
        gettext_lazy("Edit the concern"),
    ),
    "negotiation": Kind(
        NegotiationItem,
        forms.NegotiationItemForm,
        "move-5",
        gettext_lazy("Add a negotiation item"),
        gettext_lazy("Edit the negotiation item"),
    ),
    "contract": Kind(
        Contract,
        contract_forms.ContractForm,
        "move-5",
        gettext_lazy("Record the signed contract"),
        gettext_lazy("Edit the contract"),
        single=True,
    ),
    "milestone": Kind(
        PaymentMilestone,
        contract_forms.MilestoneForm,
        "move-6",
        gettext_lazy("Add a payment milestone"),
        gettext_lazy("Edit the payment milestone"),
    ),
    "receipt": Kind(
        Receipt,
        contract_forms.ReceiptForm,
        "move-6",
        gettext_lazy("Record a receipt"),
        gettext_lazy("Edit the receipt"),
    ),
    "commitment": Kind(
        Commitment,
        contract_forms.CommitmentForm,
        "move-6",
        gettext_lazy("Add a commitment"),
        gettext_lazy("Edit the commitment"),
    ),
}


def _get_opportunity(request, pk):
    return get_visible_or_404(
        Opportunity.objects.select_related("account", "owner"), request.user, pk=pk
    )


def _get_kind(kind: str) -> Kind:
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


def _records(kind: Kind, opportunity):
    if kind.model is Receipt:
        return Receipt.objects.filter(milestone__opportunity=opportunity)
    return kind.model.objects.filter(opportunity=opportunity)


def _detail_url(opportunity, anchor):
    return reverse("opportunities:detail", args=[opportunity.pk]) + f"#{anchor}"


def _reload_at(request, url):
    """Back to the opportunity page at a section. From htmx: a redirect to the same page with
    only a new #fragment would just scroll, so ask for a real reload (HX-Refresh)."""
    if not request.htmx:
        return redirect(url)
    response = HttpResponseClientRedirect(url)
    response["HX-Refresh"] = "true"
    return response


def _done(request, opportunity, anchor, message):
    messages.success(request, message)
    return _reload_at(request, _detail_url(opportunity, anchor))


def _form_kwargs(request, kind_name, opportunity):
    extra = {"user": request.user}  # every form's choices are what the user may see
    if kind_name == "negotiation":
        extra["limit"] = MoveThresholdSetting.current().discount_approval_percent
    return extra


def _initial(request, kind_name, opportunity) -> dict:
    """Pre-fills from the page: a receipt for a milestone, a concern from a detected signal."""
    initial = {}
    if kind_name == "receipt" and id_param(request.GET, "milestone"):
        initial["milestone"] = request.GET["milestone"]
    if kind_name == "concern" and id_param(request.GET, "activity"):
        from relationships.models import Activity

        activity = Activity.objects.filter(
            pk=request.GET["activity"], account_id=opportunity.account_id
        ).first()
        if activity is not None:
            initial["activity"] = activity.pk
            initial["signal"] = (request.GET.get("phrase") or "")[:300]
            risk = (
                ConcernSignal.objects.filter(phrase=request.GET.get("phrase", ""))
                .values_list("risk_type", flat=True)
                .first()
            )
            if risk:
                initial["risk_type"] = risk
            contact = activity.contacts.filter(account_id=opportunity.account_id).first()
            if contact is not None:
                initial["raised_by"] = contact.pk
    return initial


def _save(kind_name, form, request, gate_form=None):
    if kind_name == "criterion":
        return move_services.save_criterion(form)
    if kind_name == "negotiation":
        return move_services.save_negotiation_item(form)
    if kind_name == "contract":
        gate = gate_form.cleaned_data if gate_form is not None else {}
        return move_services.sign_contract(
            form,
            by=request.user,
            override=gate.get("override", False),
            reason=gate.get("reason", ""),
        )
    if kind_name == "milestone":
        return move_services.save_milestone(form)
    if kind_name == "receipt":
        return move_services.save_receipt(form)
    return form.try_save()


def record_edit(request, pk, kind, item_pk=None):
    """Add or edit one record of moves 3–6. htmx: the form opens inside its section, and a
    successful save reloads the page at the section."""
    opportunity = _get_opportunity(request, pk)
    spec = _get_kind(kind)
    if spec.single:
        instance = spec.model.objects.filter(opportunity=opportunity).first() or spec.model()
    elif item_pk is not None:
        instance = get_object_or_404(_records(spec, opportunity), pk=item_pk)
    else:
        instance = spec.model()
    form = spec.form(
        request.POST or None,
        instance=instance,
        opportunity=opportunity,
        initial=_initial(request, kind, opportunity) if request.method == "GET" else None,
        **_form_kwargs(request, kind, opportunity),
    )
    gate_form = None
    if (
        kind == "contract"
        and opportunity.is_open
        and selectors.can_override(request.user, opportunity)
    ):
        gate_form = GateOverrideForm(request.POST or None, prefix="gate")
    refusal, instance_was_new = None, instance.pk is None
    if request.method == "POST" and form.is_valid() and (gate_form is None or gate_form.is_valid()):
        try:
            saved = _save(kind, form, request, gate_form)
        except deal_services.MoveRefused as exc:
            # Rolled back: the contract is not recorded, so the form stays a new one.
            refusal, saved = exc, None
            if instance_was_new:
                form.instance.pk, form.instance._state.adding = None, True
        if saved is not None:
            # Approval, criteria and evaluation are exit checks of moves 3–4 (stage inflation).
            facts.refresh([opportunity.pk])
            message = _("Saved.")
            if kind == "contract" and opportunity.status == "open":
                message = _(
                    "Contract recorded: the opportunity is won and moves on to collecting payment."
                )
            return _done(request, opportunity, spec.anchor, message)
    title = spec.title_edit if instance.pk else spec.title_new
    context = {
        "form": form,
        "gate_form": gate_form,
        "refusal": refusal,
        "opportunity": opportunity,
        "kind": kind,
        "spec": spec,
        "title": title,
        "instance": instance,
        "action": request.path,
        "cancel_url": _detail_url(opportunity, spec.anchor),
    }
    template = "opportunities/moves/_form.html" if request.htmx else "opportunities/moves/form.html"
    return render(request, template, context, status=400 if request.method == "POST" else 200)


@require_POST
def record_delete(request, pk, kind, item_pk):
    opportunity = _get_opportunity(request, pk)
    spec = _get_kind(kind)
    if spec.model is Contract:
        raise Http404  # a signed contract is corrected, not deleted (admin only)
    record = get_object_or_404(_records(spec, opportunity), pk=item_pk)
    try:
        move_services.delete_record(record)
    except (ValueError, ProtectedError):
        messages.error(request, _("This milestone has receipts: delete them first."))
        url = _detail_url(opportunity, spec.anchor)
        return _reload_at(request, url)
    return _done(request, opportunity, spec.anchor, _("Deleted."))


@require_POST
def negotiation_decide(request, pk, item_pk):
    """A manager of the owner's team (or an admin) approves or rejects a discount."""
    opportunity = _get_opportunity(request, pk)
    item = get_object_or_404(NegotiationItem.objects.filter(opportunity=opportunity), pk=item_pk)
    if not selectors.can_override(request.user, opportunity):
        raise PermissionDenied
    approve = request.POST.get("decision") == "approve"
    move_services.decide_negotiation_item(item, approve=approve, by=request.user)
    message = _("Discount approved.") if approve else _("Discount rejected.")
    return _done(request, opportunity, "move-5", message)


class _CountedPaginator(Paginator):
    """A paginator told its count, which the page's summary aggregate already holds."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.count = count


@require_GET
def receivables(request):
    """Overdue and upcoming payment milestones of won deals: a rep's own, a manager's team's.
    Ageing buckets over the whole scope; the list below is filtered and paginated. Two queries
    over the scope (move_selectors): the summary with the list's count, then one page."""
    today = timezone.localdate()
    setting = MoveThresholdSetting.current()
    base = receivables_selectors.open_receivables(request.user)
    scope = request.GET.get("scope", "")
    if scope == "mine":
        base = base.filter(opportunity__owner=request.user)
    else:
        scope = ""
    bucket = request.GET.get("bucket", "")
    listed = receivables_selectors.receivables_listed(bucket, today, setting.reminder_days)
    if listed is None:
        bucket = ""
    totals = receivables_selectors.receivables_summary(base, today, listed)
    ids = (base.filter(listed) if listed else base).order_by("due_date", "pk").values("pk")
    paginator = _CountedPaginator(ids, PAGE_SIZE, count=totals["listed"])
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = receivables_selectors.receivables_page_rows(page.object_list)
    for milestone in page:
        milestone.state = money_rules.state_of(
            milestone.amount, milestone.received, milestone.due_date, today, setting.reminder_days
        )
        milestone.state_label = money_rules.STATE_LABELS[milestone.state]
        milestone.days_overdue = money_rules.days_overdue(milestone.due_date, today)
    context = {
        "page": page,
        "today": today,
        "scope": scope,
        "bucket": bucket,
        "buckets": [
            {"code": d.bucket.value, "label": d.label, "amount": totals[d.bucket.value]}
            for d in money_rules.BUCKETS
        ],
        "total": totals["total"],
        "count": totals["count"],
        "reminder_days": setting.reminder_days,
        **after_sale.receivables_context(request.user, today, mine=scope == "mine"),
    }
    return render(request, "opportunities/moves/receivables.html", context)
