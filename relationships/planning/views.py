from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Account, Contact
from crm.policy import get_visible_or_404
from relationships import selectors as relationship_selectors
from relationships import services as activity_services
from relationships.models import ActivityType
from relationships.planning import selectors, services
from relationships.planning.forms import DoneForm, PlanForm, RescheduleForm, TodoForm
from relationships.planning.models import PlannedActivity, Todo


def _next_url(request, default: str) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return default


def _plan_or_404(request, pk):
    return get_visible_or_404(
        selectors.plans_with_details(PlannedActivity.objects), request.user, pk=pk
    )


def _plan(request, *, account, contact=None):
    initial = {}
    if contact is not None:
        initial["contacts"] = [contact.pk]
    # One click from a next-best action (the trust plan): its activity type comes along.
    code = request.GET.get("type", "")
    if code:
        initial["type"] = ActivityType.objects.filter(code=code, is_active=True).first()
    form = PlanForm(request.POST or None, account=account, user=request.user, initial=initial)
    back_url = (
        reverse("relationships:contact", args=[contact.pk])
        if contact
        else reverse("relationships:account", args=[account.pk])
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_activity(
                plan=form.save(commit=False),
                contacts=list(form.cleaned_data["contacts"]),
                owner=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Activity planned."))
            return redirect(_next_url(request, back_url))
    return render(
        request,
        "relationships/planning/plan.html",
        {"form": form, "account": account, "contact": contact, "back_url": back_url},
    )


def plan_for_contact(request, contact_pk):
    contact = get_visible_or_404(
        Contact.objects.select_related("account"), request.user, pk=contact_pk
    )
    return _plan(request, account=contact.account, contact=contact)


def plan_for_account(request, account_pk):
    account = get_visible_or_404(Account.objects, request.user, pk=account_pk)
    return _plan(request, account=account)


def plan_done(request, pk):
    plan = _plan_or_404(request, pk)
    today = timezone.localdate()
    planned_day = timezone.localtime(plan.starts_at).date()
    form = DoneForm(request.POST or None, initial={"happened_on": min(planned_day, today)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = services.mark_done(
                plan=plan,
                by=request.user,
                happened_on=data["happened_on"],
                outcome=data["outcome"],
                cost=data["cost"],
                next_step=data["next_step"],
                next_step_date=data["next_step_date"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Activity done and logged."))
            people = list(activity.contacts.select_related("relationship"))
            suggestions = activity_services.advance_suggestions(activity, people)
            back_url = _next_url(request, reverse("relationships:plans"))
            if not suggestions:
                return redirect(back_url)
            return render(
                request,
                "relationships/activity_logged.html",
                {"activity": activity, "suggestions": suggestions, "back_url": back_url},
            )
    return render(request, "relationships/planning/done.html", {"form": form, "plan": plan})


def plan_reschedule(request, pk):
    plan = _plan_or_404(request, pk)
    form = RescheduleForm(
        request.POST or None, initial={"starts_at": timezone.localtime(plan.starts_at)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reschedule(plan=plan, starts_at=form.cleaned_data["starts_at"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Activity rescheduled."))
            return redirect(_next_url(request, reverse("relationships:plans")))
    return render(request, "relationships/planning/reschedule.html", {"form": form, "plan": plan})


@require_POST
def plan_cancel(request, pk):
    plan = _plan_or_404(request, pk)
    try:
        services.cancel(plan=plan)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Planned activity cancelled."))
    return redirect(_next_url(request, reverse("relationships:plans")))


@require_GET
def plans(request):
    scope = "all" if request.GET.get("scope") == "all" else "mine"
    context = selectors.plans_page(request.user, scope=scope)
    context.update(
        scope=scope,
        show_owner=scope == "all",
        today=timezone.localdate(),
        now=timezone.now(),
        is_manager=relationship_selectors.is_manager(request.user),
    )
    return render(request, "relationships/planning/plans.html", context)


def _add_todo(request, *, account, contact=None):
    form = TodoForm(request.POST or None)
    back_url = (
        reverse("relationships:contact", args=[contact.pk])
        if contact
        else reverse("relationships:account", args=[account.pk])
    )
    if request.method == "POST" and form.is_valid():
        services.add_todo(
            title=form.cleaned_data["title"],
            due_date=form.cleaned_data["due_date"],
            owner=request.user,
            account=account,
            contact=contact,
        )
        messages.success(request, _("To-do added."))
        return redirect(_next_url(request, back_url))
    return render(
        request,
        "relationships/planning/todo_form.html",
        {"form": form, "account": account, "contact": contact, "back_url": back_url},
    )


def todo_for_contact(request, contact_pk):
    contact = get_visible_or_404(
        Contact.objects.select_related("account"), request.user, pk=contact_pk
    )
    return _add_todo(request, account=contact.account, contact=contact)


def todo_for_account(request, account_pk):
    account = get_visible_or_404(Account.objects, request.user, pk=account_pk)
    return _add_todo(request, account=account)


@require_POST
def todo_done(request, pk):
    todo = get_visible_or_404(Todo.objects, request.user, pk=pk)
    todo = services.set_done(todo=todo, done=request.POST.get("done", "1") != "0")
    messages.success(request, _("To-do ticked off.") if todo.is_done else _("To-do reopened."))
    return redirect(_next_url(request, reverse("relationships:plans")))
