"""The relationships' panels of the home page (crm.panels): care reminders, cooling
relationships and activity next steps; gift approvals waiting."""

from django.utils import timezone

from crm.panels import Panel
from relationships import care_selectors, selectors

HOME_CARE_DAYS = 14
HOME_ROWS = 5


def panels(request) -> list[Panel]:
    """Queries: birthdays and festivals (one statement); cooling relationships (with a window
    count); "is a manager?" (asked once per request); next steps and gifts waiting (one
    statement) and their people."""
    user = request.user
    today = timezone.localdate()
    manager = selectors.is_manager(user)
    cooling, cooling_more = care_selectors.cooling_preview(user, today, shown=HOME_ROWS)
    activities = care_selectors.next_steps_and_gifts(user, today, rows=HOME_ROWS, manager=manager)
    reminders = care_selectors.care_reminders(user, today, days=HOME_CARE_DAYS)
    return [
        Panel(
            "care",
            "relationships/home/_care.html",
            {
                "reminders": reminders[:HOME_ROWS],
                "cooling": cooling,
                "cooling_more": cooling_more,
                "next_steps": activities["next_steps"],
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
                "pending": activities["pending"],
                "pending_count": activities["pending_count"],
                "manager": manager,
            },
            order=35,
            width="half",
        ),
    ]
