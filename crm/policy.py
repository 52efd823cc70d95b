"""The access policy: who may see which records. The one place this rule lives.

- an admin (superuser or staff) sees everything;
- a manager sees what they own and everything owned by the members of the teams they manage;
- a rep sees what they own and what is shared with them;
- everyone else sees nothing, and a record outside a user's reach answers 404.

Models expose it as `Model.objects.visible_to(user)`; their querysets call `visible()` with the
name of their owner field (and, where records can be shared, of their sharing field), or
delegate to the policy of the record they belong to (a contact is visible with its account).
"""

from django.db.models import Q, QuerySet
from django.http import Http404


def is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.is_staff))


def manages_a_team(user) -> bool:
    """Whether `user` is an admin or the manager of a team. Several panels of one page ask
    (the home page's relationships and opportunities panels): the answer is kept on the user
    object, which lives for one request (`request.user`)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if is_admin(user):
        return True
    cached = getattr(user, "_manages_a_team", None)
    if cached is None:
        from crm.models import Membership

        cached = Membership.objects.filter(user=user, role=Membership.Role.MANAGER).exists()
        user._manages_a_team = cached
    return cached


def reachable_owner_ids(user) -> QuerySet:
    """A subquery of the ids of the users whose records `user` may see (admins excepted)."""
    from crm.models import Membership, User

    managed_teams = Membership.objects.filter(user=user, role=Membership.Role.MANAGER).values(
        "team"
    )
    return (
        User.objects.filter(Q(pk=user.pk) | Q(memberships__team__in=managed_teams))
        .values("pk")
        .distinct()
    )


def visible(queryset: QuerySet, user, *, owner: str, shared: str | None = None) -> QuerySet:
    """Narrow `queryset` to the rows `user` may see.

    `owner` is the lookup of the owning user ("owner", "account__owner", "pk" for users);
    `shared` the lookup of a many-to-many of users the record is shared with.
    """
    if not (user.is_authenticated and user.is_active):
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


def within(queryset: QuerySet, user, *, parent: str, parents: QuerySet) -> QuerySet:
    """Narrow `queryset` to the rows whose `parent` (e.g. "account") is among `parents` —
    a queryset already narrowed by `visible()`: a record is visible with its parent."""
    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    if is_admin(user):
        return queryset
    return queryset.filter(**{f"{parent}__in_array": parents.values("pk")})


def get_visible_or_404(queryset: QuerySet, user, **lookup):
    """The one record matching `lookup` among those `user` may see, or 404."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
