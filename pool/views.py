"""The shared pool's page: what lies in the pool of one's teams, claims and assignments."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from crm import policy
from crm.models import Membership, Team, User
from crm.params import id_param
from pool import selectors, services
from pool.models import PooledAccount

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
    page = Paginator(selectors.pool_page(user, team_id=team_id, query=query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    shown = list(page.object_list)
    people = selectors.first_people([row.account_id for row in shown])
    memberships = dict(Membership.objects.filter(user=user).values_list("team_id", "role"))
    if policy.is_admin(user):
        managed = {row.team_id for row in shown}
    else:
        managed = {team for team, role in memberships.items() if role == Membership.Role.MANAGER}
    assignable = selectors.assignable(managed)
    rule = selectors.rule_for(user)
    left = selectors.claims_left(user, rule.claim_limit, timezone.now()) if rule else None
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
            "moves": selectors.recent_moves(teams, MOVES_SHOWN),
            "sees_accounts": policy.is_admin(user),
        },
    )


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
    to = User.objects.filter(pk=id_param(request.POST, "owner")).first()
    if to is None:
        messages.error(request, _("Choose a member of %(team)s.") % {"team": row.team})
        return redirect("pool:list")
    try:
        account = services.assign(pk, to=to, by=request.user, now=timezone.now())
    except services.PoolError as error:
        messages.error(request, str(error))
        return redirect("pool:list")
    messages.success(
        request, _("“%(name)s” assigned to %(owner)s.") % {"name": account.name, "owner": to}
    )
    return redirect("pool:list")


def _visible_or_404(user, pk) -> PooledAccount:
    row = PooledAccount.objects.visible_to(user).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row
