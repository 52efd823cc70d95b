"""crm's panel of the home page: the user's teams and role."""

from crm import policy
from crm.panels import Panel


def panels(request) -> list[Panel]:
    memberships = list(request.user.memberships.select_related("team").order_by("team__name"))
    # The other panels ask whether the user manages a team: answered from these rows.
    policy.note_memberships(request.user, memberships)
    return [
        Panel(
            "teams",
            "crm/home/_teams.html",
            {"memberships": memberships},
            order=900,
            width="half",
        )
    ]
