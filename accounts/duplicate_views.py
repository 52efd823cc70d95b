"""The duplicates page (issue 20): groups of look-alike accounts for managers and admins to
clean up. Reps get 404: they see their own book, where the create warning already speaks."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts import duplicates
from crm import policy

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
