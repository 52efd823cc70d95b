"""Accounts screens: the list, the account page with its four-category dossier, contacts, the
org map, and the inline (htmx) editing of the dossier rows. Every record is fetched through the
access policy: a record the user may not see answers 404."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from accounts import birthdays, duplicates, selectors, services
from accounts.dossier import Category
from accounts.filters import AccountFilter
from accounts.forms import (
    AccountForm,
    CompetitorPresenceForm,
    ContactForm,
    ContactTieForm,
    DepartmentForm,
    DepartmentRelationForm,
    InstalledProductForm,
    PersonalProfileForm,
    PurchasePlanForm,
)
from accounts.models import (
    Account,
    CompetitorPresence,
    Contact,
    ContactTie,
    Department,
    DepartmentRelation,
    InstalledProduct,
    MergedAccount,
    MergedContact,
    PersonalDataAccess,
    PersonalProfile,
    PurchasePlan,
)
from crm import policy
from crm.params import id_param, safe_next
from crm.policy import get_visible_or_404
from crm.saved import lists as saved_lists

PAGE_SIZE = 25


def _account(request, pk):
    return get_visible_or_404(
        Account.objects.select_related("owner", "parent"), request.user, pk=pk
    )


@require_GET
def account_list(request):
    saved = saved_lists.panel(request, "accounts:list")
    if default := saved.default_redirect():
        return default
    visible = Account.objects.visible_to(request.user)
    filterset = AccountFilter(request.GET or None, queryset=visible, request=request)
    accounts = filterset.qs.select_related("owner")
    if not filterset.form.data.get("sort"):
        accounts = accounts.order_by("name", "pk")
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    scores = selectors.assessments(rows)
    return render(
        request,
        "accounts/account_list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": [(account, scores[account.pk]) for account in rows],
            "filtered": any(v for k, v in request.GET.items() if k not in ("page", "sort")),
            "sees_duplicates": policy.manages_a_team(request.user),
            "saved": saved,
        },
    )


def account_create(request):
    form = AccountForm(request.POST or None, user=request.user)
    found = duplicates.account_check(request, form) if form.is_valid() else []
    if form.is_valid() and not found:
        account = services.save_account(form)
        messages.success(request, _("Account “%(name)s” created.") % {"name": account.name})
        return redirect("accounts:detail", pk=account.pk)
    return render(request, "accounts/account_form.html", _form_context(form, found))


def _form_context(form, found, **context):
    """A form with the likely duplicates to look at before saving (accounts.duplicates)."""
    confirmation = duplicates.confirmation(found) if found else ""
    return {"form": form, "duplicates": found, "confirmation": confirmation, **context}


def account_edit(request, pk):
    account = _account(request, pk)
    form = AccountForm(request.POST or None, instance=account, user=request.user)
    found = duplicates.account_check(request, form, exclude_pk=pk) if form.is_valid() else []
    # A save that loses a race to someone else's lists their changes instead (crm/concurrency.py).
    if (
        form.is_valid()
        and not found
        and form.try_save(lambda: services.save_account(form)) is not None
    ):
        messages.success(request, _("Account saved."))
        return redirect("accounts:detail", pk=account.pk)
    return render(
        request, "accounts/account_form.html", _form_context(form, found, account=account)
    )


@require_GET
def account_detail(request, pk):
    try:
        account = _account(request, pk)
    except Http404:
        # An account merged into another answers with the survivor, for those who may see it.
        merged = MergedAccount.objects.filter(old_pk=pk).first()
        if merged and Account.objects.visible_to(request.user).filter(pk=merged.survivor_id):
            return redirect("accounts:detail", pk=merged.survivor_id)
        raise
    page = selectors.account_page(account)
    return render(request, "accounts/account_detail.html", {"account": account, "page": page})


SECTIONS = {category.value for category in Category}


@require_GET
def account_section(request, pk, category):
    """One category section of the account page (htmx: cancelling an inline form)."""
    if category not in SECTIONS:
        raise Http404
    account = _account(request, pk)
    return _section_response(request, account, category)


def _section_response(request, account, category):
    page = selectors.account_page(account, with_changes=False)
    return render(
        request,
        "accounts/_section_refresh.html",
        {"account": account, "page": page, "category": category},
    )


@require_GET
def org_map(request, pk):
    account = _account(request, pk)
    return render(
        request,
        "accounts/org_map.html",
        {"account": account, "map": selectors.org_map(account)},
    )


# --- contacts ----------------------------------------------------------------------------------


def _contact(request, pk):
    return get_visible_or_404(
        Contact.objects.select_related(
            "account", "account__owner", "department", "reports_to", "profile"
        ),
        request.user,
        pk=pk,
    )


def contact_create(request, account_pk):
    account = _account(request, account_pk)
    form = ContactForm(request.POST or None, account=account)
    found = duplicates.contact_check(request, form, account) if form.is_valid() else []
    if form.is_valid() and not found:
        contact = services.save_form(form)
        messages.success(request, _("Contact “%(name)s” added.") % {"name": contact.name})
        return redirect("accounts:contact", pk=contact.pk)
    return render(
        request, "accounts/contact_form.html", _form_context(form, found, account=account)
    )


def contact_edit(request, pk):
    contact = _contact(request, pk)
    form = ContactForm(request.POST or None, instance=contact, account=contact.account)
    found = (
        duplicates.contact_check(request, form, contact.account, exclude_pk=pk)
        if form.is_valid()
        else []
    )
    if (
        form.is_valid()
        and not found
        and form.try_save(lambda: services.save_contact(form)) is not None
    ):
        messages.success(request, _("Contact saved."))
        return redirect("accounts:contact", pk=contact.pk)
    return render(
        request,
        "accounts/contact_form.html",
        _form_context(form, found, account=contact.account, contact=contact),
    )


@require_GET
def contact_detail(request, pk):
    try:
        contact = _contact(request, pk)
    except Http404:
        merged = MergedContact.objects.filter(old_pk=pk).first()
        if merged and Contact.objects.visible_to(request.user).filter(pk=merged.survivor_id):
            return redirect("accounts:contact", pk=merged.survivor_id)
        raise
    profile = getattr(contact, "profile", None)
    if profile is not None:
        services.log_personal_data_access(contact=contact, user=request.user)
    return render(
        request,
        "accounts/contact_detail.html",
        {
            "contact": contact,
            "account": contact.account,
            "profile": profile,
            "next_birthday": profile
            and birthdays.next_birthday(profile.birthday_rule, timezone.localdate()),
            **selectors.contact_page(contact),
        },
    )


def profile_edit(request, pk):
    """The contact's personal profile (个人资料): sensitive, so on its own page and logged."""
    contact = _contact(request, pk)
    profile = getattr(contact, "profile", None) or PersonalProfile(contact=contact)
    if request.method == "GET" and profile.pk:
        services.log_personal_data_access(
            contact=contact, user=request.user, channel=PersonalDataAccess.Channel.FORM
        )
    form = PersonalProfileForm(request.POST or None, instance=profile)
    if form.is_valid():
        # None is also "nothing to create", so a lost race shows as the form's error instead.
        form.try_save(lambda: services.save_personal_profile(contact=contact, form=form))
    if form.is_bound and form.is_valid():
        services.log_personal_data_access(
            contact=contact,
            user=request.user,
            changed=True,
            channel=PersonalDataAccess.Channel.FORM,
        )
        messages.success(request, _("Personal profile saved."))
        return redirect("accounts:contact", pk=contact.pk)
    return render(
        request,
        "accounts/profile_form.html",
        {"form": form, "contact": contact, "account": contact.account},
    )


# --- dossier rows edited on the account page ---------------------------------------------------


@dataclass(frozen=True)
class Part:
    model: type
    form: type
    category: str
    title: str
    account_lookup: str = "account"


PARTS = {
    "installed": Part(
        InstalledProduct,
        InstalledProductForm,
        Category.BACKGROUND,
        gettext_lazy("installed product"),
    ),
    "plan": Part(
        PurchasePlan, PurchasePlanForm, Category.BACKGROUND, gettext_lazy("purchase plan")
    ),
    "department": Part(
        Department, DepartmentForm, Category.ORGANISATION, gettext_lazy("department")
    ),
    "department-relation": Part(
        DepartmentRelation,
        DepartmentRelationForm,
        Category.ORGANISATION,
        gettext_lazy("relation between departments"),
        account_lookup="source__account",
    ),
    "competitor": Part(
        CompetitorPresence,
        CompetitorPresenceForm,
        Category.COMPETITION,
        gettext_lazy("competitor at this account"),
    ),
    "tie": Part(
        ContactTie,
        ContactTieForm,
        Category.PERSONAL,
        gettext_lazy("friend or rival"),
        account_lookup="contact__account",
    ),
}


def _part(kind) -> Part:
    try:
        return PARTS[kind]
    except KeyError as exc:
        raise Http404 from exc


def _next_url(request, account, part):
    return safe_next(request) or (
        f"{reverse('accounts:detail', args=[account.pk])}#section-{part.category}"
    )


def _part_form(request, account, kind, instance=None):
    part = _part(kind)
    initial = {}
    if instance is None and kind == "tie" and id_param(request.GET, "contact"):
        initial["contact"] = request.GET["contact"]
    form = part.form(request.POST or None, instance=instance, account=account, initial=initial)
    if form.is_valid() and form.try_save(lambda: services.save_form(form)) is not None:
        if request.htmx:
            return _section_response(request, account, part.category)
        messages.success(request, _("Saved."))
        return redirect(_next_url(request, account, part))
    context = {
        "account": account,
        "form": form,
        "part": part,
        "kind": kind,
        "instance": instance,
        "next": safe_next(request),
    }
    if request.htmx:
        response = render(request, "accounts/_part_form.html", context)
        if request.method == "POST":
            # Invalid: show the form again with its messages, where it was.
            response = reswap(retarget(response, f"#form-{part.category}"), "innerHTML")
        return response
    return render(request, "accounts/part_form.html", context)


def part_create(request, account_pk, kind):
    account = _account(request, account_pk)
    return _part_form(request, account, kind)


def part_edit(request, account_pk, kind, pk):
    account = _account(request, account_pk)
    part = _part(kind)
    instance = _part_instance(part, account, pk)
    return _part_form(request, account, kind, instance)


def _part_instance(part, account, pk):
    try:
        return part.model.objects.get(pk=pk, **{part.account_lookup: account})
    except part.model.DoesNotExist as exc:
        raise Http404 from exc


@require_POST
def part_delete(request, account_pk, kind, pk):
    account = _account(request, account_pk)
    part = _part(kind)
    _part_instance(part, account, pk).delete()
    if request.htmx:
        return _section_response(request, account, part.category)
    messages.success(request, _("Deleted."))
    return redirect(_next_url(request, account, part))
