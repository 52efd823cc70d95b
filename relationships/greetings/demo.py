"""The greetings' share of the demo: the seeded templates and one greeting the rep sent by
WeChat for a person's last birthday, logged on them (so that the demo's history shows one)."""

from datetime import timedelta

from relationships.greetings import services
from relationships.greetings.defaults import ensure_greeting_defaults
from relationships.greetings.models import Greeting, GreetingSetting, GreetingTemplate
from relationships.models import ActivityType, Festival


def seed(*, rep, contacts, today) -> None:
    ensure_greeting_defaults(GreetingTemplate, Festival, GreetingSetting, ActivityType)
    if not contacts or Greeting.objects.filter(owner=rep).exists():
        return
    person = contacts[-1]
    day = today - timedelta(days=20)
    (draft,) = services.drafts(
        user=rep, contacts=[person], occasion="birthday", festival=None, day=day, channel="wechat"
    )
    created, _refused = services.send(
        user=rep, drafts_to_send=[draft], occasion="birthday", festival=None, day=day
    )
    for greeting in created:
        services.confirm_copied(greeting)
