from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.models import Account, Contact
from crm import figures as cached_figures
from crm.params import id_param
from crm.policy import get_visible_or_404, is_admin
from crm.saved import lists as saved_lists
from opportunities.deals import comments, selectors, services, timeline
from opportunities.deals.changes import opportunity_changes, relationship_changes
from opportunities.deals.filters import OpportunityFilter
from opportunities.deals.forms import (
    CommentForm,
    LineItemFormSet,
    MoveForm,
    OpportunityForm,
    OutcomeForm,
    StakeholderForm,
)
from opportunities.deals.page import opportunity_page, page_opportunity
from opportunities.models import MoveProbabilitySetting, Opportunity, Stakeholder, Status
from opportunities.moves import selectors as move_selectors
from opportunities.rules.stages import Move

PAGE_SIZE = 25


def _get_opportunity(request, pk):
    # With the moves 3–6 one-to-ones in the same row (move_selectors.ONE_TO_ONES).
    return get_visible_or_404(
        Opportunity.objects.select_related(
            "account", "owner", "lost_to", *move_selectors.ONE_TO_ONES
        ),
        request.user,
        pk=pk,
    )


def _get_opportunity_for_page(request, pk):
    # The same row, with the override right, the move's probability, the settings the page
    # reads and the line items, in one query (deals/page.py; 404 outside reach).
    return page_opportunity(request.user, pk)


@require_GET
def opportunity_list(request):
    saved = saved_lists.panel(request, "opportunities:list")
    if default := saved.default_redirect():
        return default
    # The move probabilities and the totals over every deal the filters leave are kept until
    # a deal, an account, a person or a setting changes (crm/figures.py): exact, and the list
    # no longer sums 12,700 deals on every page a manager turns.
    generation = cached_figures.current()
    probabilities = cached_figures.cached(
        "move-probabilities", MoveProbabilitySetting.probabilities, current=generation
    )
    base = selectors.opportunities_for(request.user, probabilities)
    filterset = OpportunityFilter(request.GET or None, queryset=base, user=request.user)
    queryset = filterset.qs
    if not request.GET.get("sort"):
        queryset = queryset.order_by(*selectors.default_order(request.user))
    filters = sorted((k, v) for k, v in request.GET.lists() if k not in ("page", "sort"))
    totals = cached_figures.cached(
        cached_figures.key("opportunity-totals", request.user.pk, timezone.localdate(), filters),
        lambda: selectors.totals(queryset),
        current=generation,
    )
    # The page's ids in the list's order first (narrow rows to sort), then those deals with
    # their joins; the totals counted the rows already: no second pass for the paginator.
    paginator = Paginator(queryset.values_list("pk", flat=True), PAGE_SIZE)
    paginator.count = totals["count"]
    page = paginator.get_page(request.GET.get("page"))
    deals = {deal.pk: deal for deal in queryset.filter(pk__in=list(page.object_list))}
    page.object_list = [deals[pk] for pk in page.object_list]
    context = {
        "filter": filterset,
        "page": page,
        "totals": totals,
        "probabilities": probabilities,
        "saved": saved,
    }
    return render(request, "opportunities/list.html", context)


@require_GET
def opportunity_board(request):
    base = selectors.opportunities_for(request.user)
    filterset = OpportunityFilter(request.GET or None, queryset=base, user=request.user)
    columns = selectors.board(filterset.qs)
    return render(
        request,
        "opportunities/board.html",
        {
            "filter": filterset,
            "columns": columns,
            "per_move": selectors.BOARD_CARDS_PER_MOVE,
            "today": timezone.localdate(),
        },
    )


def _edit(request, opportunity, template):
    creating = opportunity.pk is None
    form = OpportunityForm(request.POST or None, instance=opportunity, user=request.user)
    line_items = LineItemFormSet(request.POST or None, instance=opportunity, prefix="items")
    if request.method == "POST" and form.is_valid() and line_items.is_valid():
        # A concurrent save is refused (crm/concurrency.py): the form then lists what changed.
        saved = form.try_save(lambda: services.save_opportunity(form, line_items, by=request.user))
        if saved is not None:
            opportunity = saved
            if creating:
                messages.success(request, _("Opportunity created in move 1, customer analysis."))
            else:
                messages.success(request, _("Opportunity saved."))
            return redirect("opportunities:detail", pk=opportunity.pk)
    return render(
        request,
        template,
        {"form": form, "line_items": line_items, "opportunity": opportunity},
    )


def opportunity_create(request):
    opportunity = Opportunity(owner=request.user)
    account_id = id_param(request.GET, "account")
    if request.method == "GET" and account_id:
        account = Account.objects.visible_to(request.user).filter(pk=account_id).first()
        if account:
            opportunity.account = account
    return _edit(request, opportunity, "opportunities/form.html")


def opportunity_edit(request, pk):
    return _edit(request, _get_opportunity(request, pk), "opportunities/form.html")


def _detail_context(request, opportunity, *, move_form=None, refusal=None):
    today = timezone.localdate()
    shown = opportunity_page(opportunity, today=today)
    # Keep the stored snapshot (used by the list's filter) in step with what the page shows.
    services.store_qualification(opportunity, shown["qualification"], today)
    if move_form is None:
        initial = {"to_move": min(opportunity.move + 1, Move.COLLECTION)}
        move_form = MoveForm(initial=initial)
    move_form.fields["to_move"].choices = [
        (value, label) for value, label in Move.choices if value != opportunity.move
    ]
    return {
        **shown,
        "today": today,
        "weighted": opportunity.amount * shown["probability"] / 100,
        "opportunity": opportunity,
        "move_form": move_form,
        "refusal": refusal,
        "next_move": Move(opportunity.move + 1) if opportunity.move < Move.COLLECTION else None,
    }


@require_GET
def opportunity_detail(request, pk):
    opportunity = _get_opportunity_for_page(request, pk)
    return render(request, "opportunities/detail.html", _detail_context(request, opportunity))


@require_POST
def opportunity_move(request, pk):
    """Change the move. A refusal lists the unmet checks; htmx swaps only the gate panel."""
    opportunity = _get_opportunity_for_page(request, pk)
    form = MoveForm(request.POST)
    form.fields["to_move"].choices = Move.choices
    refusal = None
    if form.is_valid():
        try:
            services.change_move(
                opportunity,
                to_move=form.cleaned_data["to_move"],
                by=request.user,
                override=form.cleaned_data["override"],
                reason=form.cleaned_data["reason"],
            )
        except services.MoveRefused as exc:
            refusal = exc
        else:
            messages.success(
                request,
                _("Moved to %(move)s.") % {"move": Move(form.cleaned_data["to_move"]).label},
            )
            url = reverse("opportunities:detail", args=[opportunity.pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    context = _detail_context(request, opportunity, move_form=form, refusal=refusal)
    template = "opportunities/_gate.html" if request.htmx else "opportunities/detail.html"
    return render(request, template, context, status=200 if request.htmx else 400)


def opportunity_outcome(request, pk):
    """Close or reopen a deal. Won goes through the gate (services.gate): a refusal lists the
    unmet checks of every move it skips; a manager of the owner's team may override."""
    opportunity = _get_opportunity(request, pk)
    initial = {"next_step": opportunity.next_step, "next_step_date": opportunity.next_step_date}
    may_override = selectors.can_override(request.user, opportunity)
    form = OutcomeForm(
        request.POST or None, opportunity=opportunity, initial=initial, may_override=may_override
    )
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            services.set_outcome(
                opportunity,
                status=form.cleaned_data["status"],
                by=request.user,
                data=form.cleaned_data,
                override=form.cleaned_data.get("override", False),
                reason=form.cleaned_data.get("reason", ""),
            )
        except services.MoveRefused as exc:
            refusal = exc
        else:
            messages.success(
                request,
                _("Status changed to %(status)s.")
                % {"status": Status(form.cleaned_data["status"]).label},
            )
            return redirect("opportunities:detail", pk=opportunity.pk)
    context = {"form": form, "opportunity": opportunity, "refusal": refusal}
    return render(request, "opportunities/outcome.html", context)


def _get_stakeholder(opportunity, stakeholder_pk):
    return get_object_or_404(
        Stakeholder.objects.select_related("contact").prefetch_related("roles"),
        opportunity=opportunity,
        pk=stakeholder_pk,
    )


def stakeholder_edit(request, pk, stakeholder_pk=None):
    opportunity = _get_opportunity(request, pk)
    stakeholder = _get_stakeholder(opportunity, stakeholder_pk) if stakeholder_pk else Stakeholder()
    form = StakeholderForm(request.POST or None, instance=stakeholder, opportunity=opportunity)
    if (
        request.method == "POST"
        and form.is_valid()
        and form.try_save(lambda: services.save_stakeholder(form, opportunity=opportunity))
    ):
        messages.success(request, _("Buying group saved."))
        return redirect(reverse("opportunities:detail", args=[opportunity.pk]) + "#buying-group")
    return render(
        request,
        "opportunities/stakeholder_form.html",
        {"form": form, "opportunity": opportunity, "stakeholder": stakeholder},
    )


@require_POST
def stakeholder_remove(request, pk, stakeholder_pk):
    opportunity = _get_opportunity(request, pk)
    with transaction.atomic():
        services.remove_stakeholder(_get_stakeholder(opportunity, stakeholder_pk))
    messages.success(request, _("Removed from the buying group."))
    return redirect(reverse("opportunities:detail", args=[opportunity.pk]) + "#buying-group")


@require_GET
def record_changes(request, kind, pk):
    """Who changed what and when on an opportunity or a relationship (by the contact's id):
    a card the record's page loads with htmx, or a page of its own."""
    admin_url = ""
    if kind == "opportunity":
        opportunity = get_visible_or_404(Opportunity.objects.all(), request.user, pk=pk)
        changes = opportunity_changes(opportunity)
        title, back = opportunity.name, reverse("opportunities:detail", args=[pk])
        if is_admin(request.user):
            admin_url = reverse("admin:opportunities_opportunity_history", args=[pk])
    elif kind == "relationship":
        contact = get_visible_or_404(
            Contact.objects.select_related("relationship"), request.user, pk=pk
        )
        relationship = getattr(contact, "relationship", None)
        changes = relationship_changes(relationship)
        title, back = contact.name, reverse("relationships:contact", args=[pk])
        if relationship is not None and is_admin(request.user):
            admin_url = reverse("admin:relationships_relationship_history", args=[relationship.pk])
    else:
        raise Http404
    context = {"changes": changes, "title": title, "back": back, "admin_url": admin_url}
    template = (
        "opportunities/history/_card.html" if request.htmx else "opportunities/history/page.html"
    )
    return render(request, template, context)


def timeline_page(request, of, pk):
    """A deal's or an account's timeline, newest first, one kind or all, a page at a time;
    a comment posted here (POST) mentions people by @user name."""
    if of == "deal":
        record = get_visible_or_404(
            Opportunity.objects.select_related("account"), request.user, pk=pk
        )
        back = reverse("opportunities:detail", args=[pk])
    elif of == "account":
        record = get_visible_or_404(Account.objects.all(), request.user, pk=pk)
        back = reverse("accounts:detail", args=[pk])
    else:
        raise Http404
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        posted = comments.post(record, author=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Comment posted."))
        if posted.told:
            names = ", ".join(str(person) for person in posted.told)
            messages.info(request, _("Told: %(names)s.") % {"names": names})
        if posted.not_told:
            names = ", ".join(f"@{name}" for name in posted.not_told)
            messages.warning(
                request,
                _("Not told (nobody who may see this record): %(names)s.") % {"names": names},
            )
        return redirect(request.get_full_path())
    kind = request.GET.get("kind", "")
    kind = kind if kind in timeline.KINDS else ""
    page = min(id_param(request.GET, "page") or 1, timeline.LAST_PAGE)
    entries, more = timeline.timeline(record, kind=kind, page=page)
    context = {
        "form": form,
        "record": record,
        "of": of,
        "back": back,
        "entries": entries,
        "kinds": timeline.KINDS,
        "kind": kind,
        "page": page,
        "more": more,
    }
    return render(request, "opportunities/timeline.html", context)
