"""The calendar: week and month views of the user's (or a manager's team's) dated work, and
the per-user ICS feed at a secret address (crm.agenda)."""

from datetime import date, datetime, timedelta

import icalendar
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET, require_POST

from crm import agenda, policy
from crm.agenda import CalendarFeed

FEED_PAST_DAYS = 30
FEED_FUTURE_DAYS = 180


def _day(raw: str, default: date) -> date:
    try:
        return date.fromisoformat(raw)
    except (TypeError, ValueError):
        return default


def _span(view: str, day: date) -> tuple[date, date]:
    if view == "month":
        first = day.replace(day=1)
        start = first - timedelta(days=first.weekday())
        next_month = (first + timedelta(days=32)).replace(day=1)
        last = next_month - timedelta(days=1)
        end = last + timedelta(days=6 - last.weekday())
        return start, end
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def _page(request, *, feed_url: str = ""):
    view = "month" if request.GET.get("view") == "month" else "week"
    today = timezone.localdate()
    day = _day(request.GET.get("day"), today)
    manager = policy.manages_a_team(request.user)
    scope = "team" if manager and request.GET.get("scope") == "team" else "mine"
    start, end = _span(view, day)
    by_day: dict[date, list] = {}
    for entry in agenda.collect(request.user, start, end, scope=scope):
        by_day.setdefault(entry.day, []).append(entry)
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    weeks = [[(d, by_day.get(d, [])) for d in days[i : i + 7]] for i in range(0, len(days), 7)]
    step = timedelta(days=31 if view == "month" else 7)
    return render(
        request,
        "crm/calendar.html",
        {
            "view": view,
            "scope": scope,
            "is_manager": manager,
            "weeks": weeks,
            "today": today,
            "day": day,
            "previous": (day.replace(day=1) - timedelta(days=1)) if view == "month" else day - step,
            "following": (day.replace(day=28) + timedelta(days=4))
            if view == "month"
            else day + step,
            "feed_url": feed_url,
            "has_feed": CalendarFeed.objects.filter(user=request.user).exists(),
        },
    )


@require_GET
def calendar(request):
    return _page(request)


@require_POST
def feed_reset(request):
    """A new secret feed address, shown this once; the old address stops working."""
    token = CalendarFeed.reset(request.user)
    return _page(
        request, feed_url=request.build_absolute_uri(reverse("crm:calendar_feed", args=[token]))
    )


@login_not_required
@require_GET
def feed(request, token):
    user = CalendarFeed.user_for(token)
    if user is None:
        raise Http404
    today = timezone.localdate()
    start, end = today - timedelta(days=FEED_PAST_DAYS), today + timedelta(days=FEED_FUTURE_DAYS)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        entries = agenda.collect(user, start, end, scope="mine", private=False)
        name = translation.gettext("Cuilong CRM")
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Cuilong CRM//calendar feed//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{name} · {user}")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", f"{entry.uid}@cuilong-crm")
        event.add("dtstamp", stamp)
        event.add("summary", entry.title)
        if entry.at is not None:
            start_at: datetime = entry.at
            event.add("dtstart", start_at)
            event.add("dtend", start_at + timedelta(hours=1))
        else:
            event.add("dtstart", entry.day)
            event.add("dtend", entry.day + timedelta(days=1))
        if settings.SITE_URL and entry.url:
            event.add("url", f"{settings.SITE_URL}{entry.url}")
        if entry.done:
            event.add("status", "CANCELLED" if entry.kind == "plan" else "CONFIRMED")
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="cuilong.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
