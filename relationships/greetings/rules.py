"""Whether a greeting may go, as pure functions over plain values: consent per channel, the
address it needs, one greeting per person and occasion, and quiet hours for SMS."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext as _

from crm.notifications.rules import in_quiet_hours

EMAIL, SMS, WECHAT = "email", "sms", "wechat"


@dataclass(frozen=True)
class Reach:
    """What is known of one person for one channel."""

    channel: str
    address: str  # the e-mail or mobile the channel would use; WeChat needs none
    allowed: bool  # the person's communication preference for this channel
    first_sent_on: date | None = None  # the occasion's earlier greeting, if any


def refusal(reach: Reach) -> str:
    """Why this greeting may not go ("" when it may). Consent first: no address leaves
    through a channel the person has not allowed (PIPL, METHOD.md §10)."""
    if reach.first_sent_on is not None:
        return _("Already greeted for this occasion on %(date)s.") % {
            "date": reach.first_sent_on.isoformat()
        }
    if reach.channel == WECHAT:
        return ""
    if not reach.allowed:
        if reach.channel == EMAIL:
            return _("Does not want e-mail.")
        return _("Does not want SMS.")
    if not reach.address:
        if reach.channel == EMAIL:
            return _("No e-mail address.")
        return _("No mobile number.")
    return ""


def sms_hold_until(local_now: datetime, quiet_from: time, quiet_until: time) -> datetime | None:
    """When an SMS asked for at `local_now` may go: None for now, or the end of the quiet
    hours (the same local day or the next)."""
    if not in_quiet_hours(local_now.time(), quiet_from, quiet_until):
        return None
    end = local_now.replace(
        hour=quiet_until.hour, minute=quiet_until.minute, second=0, microsecond=0
    )
    return end if end > local_now else end + timedelta(days=1)


def morning_of(day: date, morning: time, local_now: datetime) -> datetime | None:
    """The moment a greeting scheduled for `day` goes (its morning, local time); None when
    that moment has passed."""
    moment = datetime.combine(day, morning, tzinfo=local_now.tzinfo)
    return moment if moment > local_now else None
