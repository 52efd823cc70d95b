from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Account, Contact
from crm.policy import get_visible_or_404
from crm.saved import lists as saved_lists
from relationships import care_selectors, leverage_selectors, selectors, services
from relationships.filters import ContactFilter
from relationships.forms import (
    ActivityFilter,
    ActivityForm,
    DecisionForm,
    GuideForm,
    RelationshipForm,
    StageForm,
)
from relationships.models import Activity, Relationship, Stage
from relationships.planning import selectors as planning_selectors

PAGE_SIZE = 25


def _contact_or_404(request, contact_pk):
    return get_visible_or_404(
        Contact.objects.select_related("account", "relationship"), request.user, pk=contact_pk
    )


@require_GET
def contact_list(request):
    """Every person the user may see, found by name, number, e-mail or WeChat ID."""
    saved = saved_lists.panel(request, "relationships:contact_list")
    if default := saved.default_redirect():
        return default
    filterset = ContactFilter(
        request.GET or None, queryset=Contact.objects.visible_to(request.user), request=request
    )
    # The page's ids in the list's order first, then those people with what a row shows: asked
    # at once, PostgreSQL joins every visible person before it sorts (docs/performance.md).
    rows = filterset.rows()
    page = Paginator(rows.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    people = Contact.objects.filter(pk__in=list(page.object_list)).select_related(
        "account__owner", "department", "relationship"
    )
    by_pk = {person.pk: person for person in people}
    page.object_list = [by_pk[pk] for pk in page.object_list]
    account_pk = filterset.form.cleaned_data.get("account") if filterset.is_valid() else None
    account = account_pk and Account.objects.visible_to(request.user).filter(pk=account_pk).first()
    return render(
        request,
        "relationships/contact_list.html",
        {
            "filter": filterset,
            "page": page,
            "account": account or None,
            "first_stage_label": Stage.ACQUAINTANCE.label,
            "saved": saved,
            "filtered": any(v for k, v in request.GET.items() if k not in ("page", "sort")),
        },
    )


def _offer(field, rows) -> None:
    """Give a model choice field of a form that is only shown (never bound) the choices of
    `rows` its queryset would read again: the same choices, no query."""
    iterator = field.iterator(field)
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    field.choices = empty + [iterator.choice(row) for row in rows]


@require_GET
def contact(request, contact_pk):
    page = selectors.relationship_page(request.user, contact_pk, timezone.localdate())
    activity_form = ActivityForm(
        account=page.contact.account,
        user=request.user,
        initial={"contacts": [page.contact.pk], "date": timezone.localdate()},
    )
    _offer(activity_form.fields["type"], page.types)  # the page read the active types already
    guide_form = GuideForm(instance=page.contact)
    leverage = leverage_selectors.leverage_for(request.user, [page.contact]).get(page.contact.pk)
    return render(
        request,
        "relationships/contact.html",
        {
            "page": page,
            "leverage": leverage,
            "activity_form": activity_form,
            "guide_form": guide_form,
            "personality_hints": selectors.personality_hints(),
            "planned": planning_selectors.for_contact(request.user, page.contact),
        },
    )


def _log_activity(request, *, account, contact=None, back_url):
    initial = {"date": timezone.localdate()}
    if contact is not None:
        initial["contacts"] = [contact.pk]
    form = ActivityForm(request.POST or None, account=account, user=request.user, initial=initial)
    context = {"form": form, "account": account, "contact": contact, "back_url": back_url}
    if request.method == "POST" and form.is_valid():
        activity = services.log_activity(
            activity=form.save(commit=False),
            contacts=list(form.cleaned_data["contacts"]),
            owner=request.user,
        )
        people = list(form.cleaned_data["contacts"].select_related("relationship"))
        context.update(
            activity=activity,
            suggestions=services.advance_suggestions(activity, people),
            guide_offers=services.guide_offers(activity, people),
            form=ActivityForm(account=account, user=request.user, initial=initial),
        )
        if request.htmx:
            response = render(request, "relationships/_activity_logged.html", context)
            response["HX-Trigger"] = "activity-logged"
            return response
        messages.success(request, _("Activity logged."))
        for warning in getattr(activity, "cap_warnings", ()):
            messages.warning(request, warning)  # a person's yearly gift cap (gift_ledger.py)
        if activity.approval_status == Activity.Approval.PENDING:
            messages.warning(request, _("Above the gift limit: sent to your manager for approval."))
        if not context["suggestions"] and not context["guide_offers"]:
            return redirect(back_url)
        return render(request, "relationships/activity_logged.html", context)
    template = "relationships/_activity_form.html" if request.htmx else "relationships/log.html"
    return render(request, template, context)


def log_for_contact(request, contact_pk):
    contact = _contact_or_404(request, contact_pk)
    back_url = reverse("relationships:contact", args=[contact.pk])
    return _log_activity(request, account=contact.account, contact=contact, back_url=back_url)


def log_for_account(request, account_pk):
    account = get_visible_or_404(Account.objects, request.user, pk=account_pk)
    back_url = reverse("relationships:account", args=[account.pk])
    return _log_activity(request, account=account, back_url=back_url)


def change_stage(request, contact_pk):
    contact = _contact_or_404(request, contact_pk)
    current = selectors.stage_of(contact)
    initial = {}
    if request.method == "GET":
        initial = {k: request.GET[k] for k in ("stage", "activity") if k in request.GET}
    form = StageForm(
        request.POST or None,
        initial=initial,
        contact=contact,
        user=request.user,
        current_stage=current,
    )
    if request.method == "POST" and form.is_valid():
        try:
            change = services.change_stage(
                contact=contact,
                to_stage=form.cleaned_data["stage"],
                by=request.user,
                activity=form.cleaned_data["activity"],
                note=form.cleaned_data["note"],
                expected_from=form.cleaned_data["from_stage"] or None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.htmx:
                response = render(
                    request,
                    "relationships/_stage_confirmed.html",
                    {"change": change, "contact": contact},
                )
                response["HX-Trigger"] = "stage-changed"
                return response
            messages.success(
                request,
                _("%(name)s is now at %(stage)s.")
                % {"name": contact.name, "stage": change.get_to_stage_display()},
            )
            return redirect("relationships:contact", contact_pk=contact.pk)
    if request.htmx:
        return render(
            request, "relationships/_stage_error.html", {"form": form, "contact": contact}
        )
    return render(
        request,
        "relationships/stage.html",
        {"form": form, "contact": contact, "current": current},
    )


def edit_relationship(request, contact_pk):
    contact = _contact_or_404(request, contact_pk)
    relationship = getattr(contact, "relationship", None) or Relationship(contact=contact)
    form = RelationshipForm(request.POST or None, instance=relationship)
    posted = request.method == "POST" and form.is_valid()
    # A save that loses a race to someone else's lists their changes instead (crm/concurrency.py).
    if posted and form.try_save(lambda: services.save_person_form(form, contact)) is not None:
        messages.success(request, _("Saved."))
        return redirect("relationships:contact", contact_pk=contact.pk)
    return render(request, "relationships/edit.html", {"form": form, "contact": contact})


def edit_guide(request, contact_pk):
    contact = _contact_or_404(request, contact_pk)
    form = GuideForm(request.POST or None, instance=contact)
    posted = request.method == "POST" and form.is_valid()
    if posted and form.try_save(lambda: services.save_person_form(form, contact)) is not None:
        messages.success(request, _("Saved."))
        return redirect("relationships:contact", contact_pk=contact.pk)
    return render(request, "relationships/guide.html", {"form": form, "contact": contact})


@require_POST
def mark_guide(request, contact_pk):
    """One click after logging 成为向导: the person becomes a guide of the chosen type (through
    the guide form, so the change is validated, kept in the contact's history and announced)."""
    contact = _contact_or_404(request, contact_pk)
    already = contact.is_guide
    form = GuideForm(
        {
            "is_guide": True,
            "guide_type": request.POST.get("guide_type", ""),
            "guide_since": request.POST.get("guide_since", ""),
            "version": request.POST.get("version", ""),
        },
        instance=contact,
    )
    saved = not already and form.is_valid()
    if saved:
        services.save_person_form(form, contact, reason=_("Marked as a guide after 成为向导"))
    if request.htmx:
        response = render(
            request,
            "relationships/_guide_offer.html",
            {"contact": contact, "form": form, "saved": saved, "already": already},
        )
        if saved:
            response["HX-Trigger"] = "guide-marked"  # the page refreshes its guide card
        return response
    if saved or already:
        messages.success(request, _("%(name)s is a guide (向导).") % {"name": contact.name})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("relationships:contact", contact_pk=contact.pk)


@require_GET
def account(request, account_pk):
    account = get_visible_or_404(Account.objects, request.user, pk=account_pk)
    heat = selectors.account_heatmap(account)
    timeline = selectors.activities_with_details(
        Activity.objects.visible_to(request.user).filter(account=account)
    ).order_by("-date", "-pk")
    page_obj = Paginator(timeline, PAGE_SIZE).get_page(request.GET.get("page"))
    form = ActivityForm(account=account, user=request.user, initial={"date": timezone.localdate()})
    return render(
        request,
        "relationships/account.html",
        {
            "account": account,
            "heat": heat,
            "page_obj": page_obj,
            "activity_form": form,
            "stages": Stage.choices,
            "planned": planning_selectors.for_account(request.user, account),
        },
    )


@require_GET
def activity_list(request):
    saved = saved_lists.panel(request, "relationships:activities")
    if default := saved.default_redirect():
        return default
    scope = "all" if request.GET.get("scope") == "all" else "mine"
    queryset = selectors.activity_list(request.user, scope=scope)
    activity_filter = ActivityFilter(request.GET or None, queryset=queryset)
    page_obj = Paginator(activity_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "relationships/activity_list.html",
        {
            "filter": activity_filter,
            "page_obj": page_obj,
            "scope": scope,
            "is_manager": selectors.is_manager(request.user),
            "saved": saved,
        },
    )


@require_GET
def approvals(request):
    if not selectors.is_manager(request.user):
        raise Http404
    pending, decided = selectors.approvals(request.user)
    return render(
        request,
        "relationships/approvals.html",
        {"pending": pending, "decided": decided, "form": DecisionForm()},
    )


@require_POST
def decide(request, activity_pk):
    activity = get_visible_or_404(
        selectors.activities_with_details(
            Activity.objects.approvable_by(request.user).pending_approval()
        ),
        request.user,
        pk=activity_pk,
    )
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            activity = services.decide_gift(
                activity=activity,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
    if request.htmx:
        return render(request, "relationships/_approval_row.html", {"item": activity, "form": form})
    if form.errors:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("relationships:approvals")


@require_GET
def care_page(request):
    scope = "all" if request.GET.get("scope") == "all" else "mine"
    context = care_selectors.care_page(request.user, timezone.localdate(), scope=scope)
    context.update(scope=scope, is_manager=selectors.is_manager(request.user))
    return render(request, "relationships/care.html", context)
