"""The relationships' panels of the home page (crm.panels): care reminders, cooling
relationships and activity next steps; gift approvals waiting."""

from django.utils import timezone

from crm.panels import Panel
from relationships import selectors
from relationships.models import Activity

HOME_CARE_DAYS = 14
HOME_ROWS = 5


def panels(request) -> list[Panel]:
    user = request.user
    today = timezone.localdate()
    care = selectors.care_page(user, today, days=HOME_CARE_DAYS)
    manager = selectors.is_manager(user)
    if manager:
        pending = selectors.approvals(user)[0]
    else:
        pending = selectors.activities_with_details(
            Activity.objects.filter(owner=user).pending_approval()
        ).order_by("date", "pk")
    return [
        Panel(
            "care",
            "relationships/home/_care.html",
            {
                "reminders": care["reminders"][:HOME_ROWS],
                "cooling": care["cooling"][:HOME_ROWS],
                "cooling_more": max(len(care["cooling"]) - HOME_ROWS, 0),
                "next_steps": list(care["next_steps"][:HOME_ROWS]),
                "days": HOME_CARE_DAYS,
                "today": today,
            },
            order=30,
            width="half",
        ),
        Panel(
            "approvals",
            "relationships/home/_approvals.html",
            {
                "pending": list(pending[:HOME_ROWS]),
                "pending_count": pending.count(),
                "manager": manager,
            },
            order=35,
            width="half",
        ),
    ]
