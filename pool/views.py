"""The shared pool's page: what lies in the pool of one's teams, claims and assignments."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from crm import policy
from crm.models import Membership, Team
from crm.params import id_param
from pool import rules, selectors, services
from pool.models import PooledAccount, PoolMove

PAGE_SIZE = 25
MOVES_SHOWN = 10


@require_safe
def pool_page(request):
    user = request.user
    teams = list(policy.pooled(Team.objects, user, team="pk").order_by("name"))
    if not teams:
        raise Http404
    team_id = id_param(request.GET, "team")
    query = request.GET.get("q", "").strip()[:100]
    rows = selectors.pool_page(user, team_id=team_id, query=query).annotate(
        contact_count=Count("account__contacts", distinct=True)
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    people = selectors.first_people([row.account_id for row in shown])
    memberships = dict(Membership.objects.filter(user=user).values_list("team_id", "role"))
    if policy.is_admin(user):
        managed = {row.team_id for row in shown}
    else:
        managed = {team for team, role in memberships.items() if role == Membership.Role.MANAGER}
    assignable = _assignable(managed)
    rule = selectors.rule_for(user)
    left = (
        rules.claims_left(rule.claim_limit, selectors.claimed_recently(user, timezone.now()))
        if rule
        else None
    )
    moves = (
        PoolMove.objects.filter(team__in=teams)
        .select_related("account", "from_owner", "to_owner", "by")
        .order_by("-at", "-pk")[:MOVES_SHOWN]
    )
    return render(
        request,
        "pool/pool.html",
        {
            "page": page,
            "rows": [
                (
                    row,
                    people.get(row.account_id, []),
                    row.team_id in memberships,
                    assignable.get(row.team_id),
                )
                for row in shown
            ],
            "teams": teams,
            "team_id": team_id,
            "query": query,
            "rule": rule,
            "left": left,
            "moves": moves,
            "sees_accounts": policy.is_admin(user),
        },
    )


def _assignable(team_ids) -> dict:
    """The active members of each team a user manages here: whom an account may go to."""
    found: dict[int, list] = {}
    members = (
        Membership.objects.filter(team__in=team_ids, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
    for membership in members:
        found.setdefault(membership.team_id, []).append(membership.user)
    return found


@require_POST
def claim(request, pk):
    _visible_or_404(request.user, pk)
    try:
        account = services.claim(pk, user=request.user, now=timezone.now())
    except services.PoolError as error:
        messages.error(request, str(error))
        return redirect("pool:list")
    messages.success(request, _("“%(name)s” is yours now.") % {"name": account.name})
    return redirect("accounts:detail", pk=account.pk)


@require_POST
def assign(request, pk):
    row = _visible_or_404(request.user, pk)
    if not policy.manages_team(request.user, row.team_id):
        raise Http404
    owner_id = id_param(request.POST, "owner")
    to = Membership.objects.filter(team=row.team_id, user_id=owner_id).select_related("user")
    membership = to.first()
    if membership is None:
        messages.error(request, _("Choose a member of %(team)s.") % {"team": row.team})
        return redirect("pool:list")
    try:
        account = services.assign(pk, to=membership.user, by=request.user, now=timezone.now())
    except services.PoolError as error:
        messages.error(request, str(error))
        return redirect("pool:list")
    messages.success(
        request,
        _("“%(name)s” assigned to %(owner)s.") % {"name": account.name, "owner": membership.user},
    )
    return redirect("pool:list")


def _visible_or_404(user, pk) -> PooledAccount:
    row = PooledAccount.objects.visible_to(user).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row
