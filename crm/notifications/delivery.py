"""Deliveries through the channels: the daily e-mail digest and the team robots.

Claiming (services.claim) decides *whether* a delivery happens, once; `attempt()` performs
one try and logs it, and is safe to repeat: a delivery already sent is not sent again. Each
delivery is its own task, so a failing channel never holds up the others.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crm.models import User
from crm.notifications import robots, rules, services
from crm.notifications.models import Channel, Delivery, Notification, RobotChannel

ROBOT_LOOKBACK = timedelta(days=2)


def _quiet(preference, local_now: datetime) -> bool:
    return rules.in_quiet_hours(local_now.time(), preference.quiet_from, preference.quiet_until)


def claim_robot_deliveries(*, now: datetime) -> list[int]:
    """Claim a robot delivery for each recent notification and each active robot of the
    user's teams, unless the user turned robots or the kind off or is in quiet hours (those
    wait for the next run). Returns the ids of the deliveries claimed."""
    local_now = timezone.localtime(now)
    robots_by_team: dict[int, list[RobotChannel]] = {}
    for robot in RobotChannel.objects.filter(is_active=True):
        robots_by_team.setdefault(robot.team_id, []).append(robot)
    if not robots_by_team:
        return []
    claimed = []
    recent = (
        Notification.objects.filter(created_at__gte=now - ROBOT_LOOKBACK, user__is_active=True)
        .select_related("user__notification_preference")
        .prefetch_related("user__memberships")
        .order_by("pk")
    )
    for notification in recent:
        user = notification.user
        preference = services.preference_of(user)
        if not preference.robot or not rules.wants(preference.kinds, notification.kind):
            continue
        if _quiet(preference, local_now):
            continue
        for membership in user.memberships.all():
            for robot in robots_by_team.get(membership.team_id, []):
                delivery = services.claim(
                    user=user,
                    event=notification.key,
                    channel=Channel.ROBOT,
                    robot=robot,
                    target=robot.name,
                )
                if delivery is not None:
                    delivery.notifications.add(notification)
                    claimed.append(delivery.pk)
    return claimed


def digest_notifications(user, today):
    """What a digest carries: the user's unread notifications of the last day, and those
    still unread that are due or overdue."""
    since = timezone.now() - timedelta(days=1)
    unread = Notification.objects.for_user(user).unread()
    recent = unread.filter(created_at__gte=since)
    due = unread.filter(due_on__lte=today)
    return (recent | due).distinct().order_by("due_on", "pk")


def claim_digests(*, now: datetime) -> list[int]:
    """Claim today's digest of every user whose hour has come (not in quiet hours, with an
    e-mail address and something to say)."""
    local_now = timezone.localtime(now)
    today = local_now.date()
    claimed = []
    users = (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .select_related("notification_preference")
        .order_by("pk")
    )
    for user in users:
        preference = services.preference_of(user)
        if not preference.email or not rules.digest_due(local_now, preference.digest_hour):
            continue
        if _quiet(preference, local_now):
            continue
        notifications = [
            n for n in digest_notifications(user, today) if rules.wants(preference.kinds, n.kind)
        ]
        if not notifications:
            continue
        delivery = services.claim(
            user=user, event=f"digest:{today.isoformat()}", channel=Channel.EMAIL, target=user.email
        )
        if delivery is not None:
            delivery.notifications.set(notifications)
            claimed.append(delivery.pk)
    return claimed


def robot_message(delivery: Delivery) -> robots.Message:
    robot = delivery.robot
    notifications = list(delivery.notifications.order_by("pk"))
    today = timezone.localdate()
    with translation.override(robot.language):
        lines = []
        for n in notifications:
            due = rules.due_label(n.due_on, today)
            link = f"{settings.SITE_URL}{n.url}" if settings.SITE_URL and n.url else ""
            title = f"[{n.title}]({link})" if link else n.title
            lines.append(f"- **{title}**" + (f" · {due}" if due else ""))
            if n.body:
                lines.append(f"  {n.body}")
        title = _("Reminder for %(name)s") % {"name": delivery.user}
    preference = services.preference_of(delivery.user)
    mobiles = (preference.mobile,) if robot.mention_by_mobile and preference.mobile else ()
    return robots.Message(
        title=title, markdown=f"### {title}\n" + "\n".join(lines), mobiles=mobiles
    )


def _send_robot(delivery: Delivery) -> str:
    robot = delivery.robot
    if robot is None or not robot.is_active:
        raise robots.RobotError("the robot was removed or switched off")
    message = robot_message(delivery)
    return robots.post(robot.platform, robot.webhook_url, robot.secret, message)


def _send_digest(delivery: Delivery) -> str:
    user = delivery.user
    today = timezone.localdate()
    notifications = list(delivery.notifications.order_by("due_on", "pk"))
    with translation.override(services.language_of(user)):
        rows = [(n, rules.due_label(n.due_on, today)) for n in notifications]
        context = {"user": user, "rows": rows, "site_url": settings.SITE_URL, "today": today}
        subject = _("Your Cuilong CRM day: %(count)d reminder(s)") % {"count": len(rows)}
        text = render_to_string("crm/notifications/digest.txt", context)
        html = render_to_string("crm/notifications/digest.html", context)
    send_mail(subject, text, None, [user.email], html_message=html, fail_silently=False)
    return f"sent to {user.email}"


def attempt(delivery_id: int) -> bool:
    """One try of one delivery, logged; True once it is sent (a sent delivery is never sent
    again, so a retry after a lost acknowledgement is harmless)."""
    delivery = (
        Delivery.objects.select_related("user__notification_preference", "robot")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:
        return True
    if delivery.status == Delivery.Status.SENT:
        return True
    try:
        if delivery.channel == Channel.EMAIL:
            result = _send_digest(delivery)
        else:
            result = _send_robot(delivery)
    except Exception as exc:  # any failure of the channel is logged and retried
        services.record_result(delivery=delivery, ok=False, result=f"{type(exc).__name__}: {exc}")
        return False
    services.record_result(delivery=delivery, ok=True, result=result)
    return True
