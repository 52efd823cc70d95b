"""The opportunities' panels of the home page (crm.panels): the rep's open deals by move with
the gate check to work on, next steps, payment milestones due, the thinnest dossiers among the
biggest deals, and for a manager the team's pipeline at a glance."""

from django.utils import timezone

from crm.panels import Panel
from opportunities import pipeline


def panels(request) -> list[Panel]:
    user = request.user
    today = timezone.localdate()
    result = []
    manager = pipeline.manages_anyone(user)
    if manager:
        result.append(
            Panel(
                "team-pipeline",
                "opportunities/home/_team.html",
                {"summary": pipeline.team_summary(user, today=today)},
                order=5,
                width="full",
            )
        )
    if manager and not pipeline.owns_open_deals(user):
        return result  # a manager without deals of their own: the team comes first
    columns = pipeline.my_open_deals(user, today=today)
    result += [
        Panel(
            "next-steps",
            "opportunities/home/_next_steps.html",
            {"steps": pipeline.my_next_steps(user, today=today), "today": today},
            order=10,
            width="half",
        ),
        Panel(
            "milestones",
            "opportunities/home/_milestones.html",
            {"milestones": pipeline.my_milestones_due(user, today=today), "today": today},
            order=15,
            width="half",
        ),
        Panel(
            "my-deals",
            "opportunities/home/_my_deals.html",
            {
                "columns": columns,
                "any_open": any(column["count"] for column in columns),
                "today": today,
            },
            order=20,
            width="full",
        ),
        Panel(
            "dossiers",
            "opportunities/home/_dossiers.html",
            {"rows": pipeline.my_thinnest_dossiers(user)},
            order=40,
            width="half",
        ),
    ]
    return result
