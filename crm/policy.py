"""The access policy: who may see which records. The one place this rule lives.

- an admin (a superuser, or staff granted `crm.see_every_team`) sees everything;
- a manager sees what they own and everything owned by the members of the teams they manage;
- a rep sees what they own and what is shared with them;
- everyone else sees nothing, and a record outside a user's reach answers 404.

Models expose it as `Model.objects.visible_to(user)`; their querysets call `visible()` with the
name of their owner field (and, where records can be shared, of their sharing field), or
delegate to the policy of the record they belong to (a contact is visible with its account).
The team queries it builds on are `crm` queryset methods (`Membership.objects.managing(user)`,
`Team.objects.managed_by(user)`); this module reaches the models through the app registry, so
that `crm.models` may import it without a cycle.
"""

from django.apps import apps
from django.conf import settings
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.http import Http404


def _membership():
    return apps.get_model("crm", "Membership")


def _team():
    return apps.get_model("crm", "Team")


def _user():
    return apps.get_model("crm", "User")


def is_active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


ADMIN_PERMISSION = "crm.see_every_team"


def is_admin(user) -> bool:
    """A superuser, or a staff user granted `crm.see_every_team` (directly or by a group). Staff
    status alone opens Django admin, nothing more: such a user reaches what their team
    membership gives. Reps and managers are not staff, so asking costs them no query."""
    if not is_active(user):
        return False
    if user.is_superuser:
        return True
    return bool(user.is_staff and user.has_perm(ADMIN_PERMISSION))


def manages_a_team(user) -> bool:
    """Whether `user` is an admin or the manager of a team. Several panels of one page ask
    (the home page's relationships and opportunities panels): the answer is kept on the user
    object, which lives for one request (`request.user`)."""
    if not is_active(user):
        return False
    if is_admin(user):
        return True
    cached = getattr(user, "_manages_a_team", None)
    if cached is None:
        cached = _membership().objects.managing(user).exists()
        user._manages_a_team = cached
    return cached


def note_memberships(user, memberships) -> None:
    """Answer `manages_a_team` for this request from all of `user`'s memberships, already read
    (the home page's teams panel): a manager row among them is what it would ask for."""
    if getattr(user, "_manages_a_team", None) is None:
        manager = _membership().Role.MANAGER
        user._manages_a_team = any(m.role == manager for m in memberships)


def reachable_owner_ids(user) -> QuerySet:
    """A subquery of the ids of the users whose records `user` may see (admins excepted)."""
    managed_teams = _membership().objects.managing(user).values("team")
    return (
        _user()
        .objects.filter(Q(pk=user.pk) | Q(memberships__team__in=managed_teams))
        .values("pk")
        .distinct()
    )


def reachable_user_ids(user) -> QuerySet:
    """Ids of the users whose figures `user` may see: everyone for an admin, else the
    reachable owners (a rep: only themself); nobody for an anonymous or inactive user."""
    if not is_active(user):
        return _user().objects.none().values("pk")
    if is_admin(user):
        return _user().objects.values("pk")
    return reachable_owner_ids(user)


def teams_in_reach(user) -> QuerySet:
    """Teams whose figures `user` may filter on: all for an admin, the managed ones else."""
    if is_admin(user):
        return _team().objects.order_by("name")
    return _team().objects.managed_by(user).order_by("name")


def managed_member_ids(user) -> QuerySet:
    """A subquery of the ids of the members of the teams `user` manages (themself included)."""
    return _membership().objects.managed_by(user).values("user")


def manages_owner(user, owner_id) -> bool:
    """Whether `user` is an admin or a manager of a team that `owner_id` is in: who may
    override a stage gate or decide on a deal's records as its owner's manager."""
    if is_admin(user):
        return True
    if not user.is_authenticated:
        return False
    return _membership().objects.managing(user).filter(team__memberships__user_id=owner_id).exists()


def decides_for(user, owner_id) -> bool:
    """Whether `user` may approve, override or review for the owner of a record: a manager of
    one of the owner's teams or an admin, but never the owner themself (separation of duties;
    ALLOW_SELF_APPROVAL lets a one-person team do it, and the record then says so)."""
    if user.pk == owner_id and not settings.ALLOW_SELF_APPROVAL:
        return False
    return manages_owner(user, owner_id)


def decides_for_annotation(user, owner_ref):
    """`decides_for()` as an annotation over rows whose owner is `owner_ref` (an OuterRef)."""
    allowed = manages_owner_annotation(user, owner_ref)
    if settings.ALLOW_SELF_APPROVAL or not user.is_authenticated:
        return allowed
    return Case(
        When(owner_id=user.pk, then=Value(False)), default=allowed, output_field=BooleanField()
    )


def manages_owner_annotation(user, owner_ref):
    """`manages_owner()` as an annotation over rows whose owner is `owner_ref` (an OuterRef)."""
    if is_admin(user):
        return Value(True)
    if not user.is_authenticated:
        return Value(False)
    return Exists(_membership().objects.managing(user).filter(team__memberships__user_id=owner_ref))


def manages_team(user, team_id) -> bool:
    """Whether `user` is an admin or a manager of the team `team_id`."""
    if is_admin(user):
        return True
    if not is_active(user):
        return False
    return _membership().objects.managing(user).filter(team_id=team_id).exists()


def pooled(queryset: QuerySet, user, *, team: str) -> QuerySet:
    """Rows of a team's shared pool (公海): every member of the team sees them (an account
    there has no owner to reach it through); an admin sees every team's."""
    if not is_active(user):
        return queryset.none()
    if is_admin(user):
        return queryset
    return queryset.filter(**{f"{team}__in": team_ids(user)})


def team_ids(user) -> QuerySet:
    """A subquery of the ids of the teams `user` belongs to (as rep or manager)."""
    return _membership().objects.filter(user=user).values("team")


def share_candidates(user) -> QuerySet:
    """Active users `user` may share a record with: everyone they can see plus the members of
    their own teams (a rep cannot see a teammate's records, but may share with them)."""
    own_teams = _membership().objects.filter(user=user).values("team")
    return (
        _user()
        .objects.filter(
            Q(pk__in=_user().objects.visible_to(user).values("pk"))
            | Q(memberships__team__in=own_teams)
        )
        .filter(is_active=True)
        .distinct()
        .order_by("first_name", "username")
    )


def visible(queryset: QuerySet, user, *, owner: str, shared: str | None = None) -> QuerySet:
    """Narrow `queryset` to the rows `user` may see.

    `owner` is the lookup of the owning user ("owner", "account__owner", "pk" for users);
    `shared` the lookup of a many-to-many of users the record is shared with.
    """
    if not is_active(user):
        return queryset.none()
    if is_admin(user):
        return queryset
    # Subqueries, not joins (joining the sharing table would repeat rows), as arrays so that
    # PostgreSQL drives the OR from the indexes (crm/lookups.py).
    condition = Q(**{f"{owner}__in_array": reachable_owner_ids(user)})
    if shared:
        shared_rows = queryset.model._base_manager.filter(**{shared: user}).values("pk")
        condition |= Q(pk__in_array=shared_rows)
    return queryset.filter(condition)


def owners_in_reach(queryset: QuerySet, user, *, owner: str, shared: str | None = None):
    """The users owning at least one row of `queryset` that `user` may see (`visible()` with
    the same lookups), for a list's owner menu: probes the owner index once per reachable
    user, instead of reading every visible row (docs/performance.md)."""
    users = _user().objects.all()
    if not is_active(user):
        return users.none()
    owns = Exists(queryset.model._base_manager.filter(**{owner: OuterRef("pk")}))
    if is_admin(user):
        return users.filter(owns)
    condition = Q(pk__in=reachable_owner_ids(user)) & Q(owns)
    if shared:
        shared_rows = queryset.model._base_manager.filter(**{shared: user})
        condition |= Q(pk__in=shared_rows.values(owner))
    return users.filter(condition)


def visible_or_within(
    queryset: QuerySet, user, *, owner: str, parent: str, parents: QuerySet
) -> QuerySet:
    """Rows whose owner `user` may reach, and every row whose `parent` is among `parents` (a
    queryset already narrowed by this policy): people who work an account work its deals."""
    if not is_active(user):
        return queryset.none()
    if is_admin(user):
        return queryset
    return queryset.filter(
        Q(**{f"{owner}__in_array": reachable_owner_ids(user)})
        | Q(**{f"{parent}__in_array": parents.values("pk")})
    )


def within(queryset: QuerySet, user, *, parent: str, parents: QuerySet) -> QuerySet:
    """Narrow `queryset` to the rows whose `parent` (e.g. "account") is among `parents` —
    a queryset already narrowed by `visible()`: a record is visible with its parent."""
    if not is_active(user):
        return queryset.none()
    if is_admin(user):
        return queryset
    return queryset.filter(**{f"{parent}__in_array": parents.values("pk")})


def own(queryset: QuerySet, user, *, owner: str) -> QuerySet:
    """Rows `user` created or owns, every row for an admin: uploads that may hold other
    people's records are seen by their uploader only."""
    if not is_active(user):
        return queryset.none()
    if is_admin(user):
        return queryset
    return queryset.filter(**{owner: user})


def get_visible_or_404(queryset: QuerySet, user, **lookup):
    """The one record matching `lookup` among those `user` may see, or 404."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
