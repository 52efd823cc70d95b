"""Keeping the book clean (issue 20): the duplicates page (groups of look-alike accounts for
managers and admins; reps get 404, the create warning speaks to them) and merging two
accounts, for whoever may see and edit both."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts import duplicates, merging
from accounts.models import Account, Contact
from crm import policy
from crm.policy import get_visible_or_404

GROUPS_PER_PAGE = 20


@require_GET
def duplicate_list(request):
    if not (policy.is_admin(request.user) or policy.manages_a_team(request.user)):
        raise Http404
    page = Paginator(duplicates.account_groups(request.user), GROUPS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    groups = [
        (duplicates.REASONS[reason], list(duplicates.group_members(request.user, reason, value)))
        for reason, value, _count in page.object_list
    ]
    return render(request, "accounts/duplicates.html", {"page": page, "groups": groups})


def _pair(request, pk, other_pk):
    if pk == other_pk:
        raise Http404
    survivor = get_visible_or_404(Account.objects.select_related("owner"), request.user, pk=pk)
    other = get_visible_or_404(Account.objects.select_related("owner"), request.user, pk=other_pk)
    return survivor, other


@require_GET
def merge_pick(request, pk):
    """Choose the account to merge into this one: its likely duplicates, or a search."""
    survivor = get_visible_or_404(Account.objects.all(), request.user, pk=pk)
    found = duplicates.for_account(
        request.user,
        name=survivor.name,
        uscc=survivor.uscc,
        phone=survivor.phone,
        website=survivor.website,
        exclude_pk=survivor.pk,
    )
    term = request.GET.get("q", "").strip()[:100]
    matches = []
    if len(term) >= 2:
        matches = list(
            Account.objects.visible_to(request.user)
            .filter(name__icontains=term)
            .exclude(pk=survivor.pk)
            .select_related("owner")
            .order_by("name", "pk")[:20]
        )
    context = {"account": survivor, "duplicates": found, "matches": matches, "q": term}
    return render(request, "accounts/merge_pick.html", context)


def merge(request, pk, other_pk):
    """Side by side: which value to keep for each field, what moves; then the merge."""
    survivor, other = _pair(request, pk, other_pk)
    return _merge_page(request, survivor, other, pick=reverse("accounts:merge_pick", args=[pk]))


def _merge_page(request, survivor, other, *, pick):
    rows = merging.choices(survivor, other)
    if request.method == "POST":
        take = {name for name, *_rest in rows if request.POST.get(name) == "other"}
        merged = merging.merge(survivor, other, take=take, user=request.user)
        messages.success(
            request,
            _("“%(other)s” was merged into “%(name)s”; its address now leads here.")
            % {"other": other.name, "name": merged.name},
        )
        return redirect(duplicates.page_url(merged))
    context = {
        "record": survivor,
        "other": other,
        "rows": rows,
        "plan": merging.plan(survivor, other),
        "pick_url": pick,
    }
    return render(request, "accounts/merge.html", context)


@require_GET
def contact_merge_pick(request, pk):
    """Choose the person of the same account to merge into this one."""
    survivor = get_visible_or_404(Contact.objects.select_related("account"), request.user, pk=pk)
    found = duplicates.for_contact(
        survivor.account, mobile=survivor.mobile, email=survivor.email, exclude_pk=survivor.pk
    )
    same_name = survivor.account.contacts.filter(name=survivor.name).exclude(pk=survivor.pk)
    seen = {d.record.pk for d in found}
    found += [duplicates.Duplicate(c, ["name"]) for c in same_name if c.pk not in seen]
    people = survivor.account.contacts.exclude(pk=survivor.pk).order_by("name", "pk")[:200]
    context = {"contact": survivor, "duplicates": found, "people": people}
    return render(request, "accounts/contact_merge_pick.html", context)


def contact_merge(request, pk, other_pk):
    if pk == other_pk:
        raise Http404
    survivor = get_visible_or_404(Contact.objects.select_related("account"), request.user, pk=pk)
    other = get_object_or_404(survivor.account.contacts.all(), pk=other_pk)
    return _merge_page(
        request, survivor, other, pick=reverse("accounts:contact_merge_pick", args=[pk])
    )
