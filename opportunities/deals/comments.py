"""Posting a comment on a deal or an account, and telling whom it @-mentions (issue 21).

A mention is an @ and a user name. Only active people who may see the record are told (in
their inbox, in their own language, and through their digest and robots like every
notification); anyone else named is listed back to the author as not told, never shown the
record's text.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Account
from crm.models import User
from crm.notifications import services as notifications
from crm.notifications.models import Kind
from crm.notifications.registry import Reminder
from opportunities.models import Comment, Opportunity

MENTION = re.compile(r"(?<![\w@])@([\w.+-]{1,150})")
EXCERPT = 200


@dataclass
class Posted:
    comment: Comment
    told: list = field(default_factory=list)
    not_told: list = field(default_factory=list)  # names that are nobody who may see it


def mentioned_names(body: str) -> list[str]:
    return sorted({name.rstrip(".") for name in MENTION.findall(body)})


def may_see(user, record) -> bool:
    model = Opportunity if isinstance(record, Opportunity) else Account
    return model.objects.visible_to(user).filter(pk=record.pk).exists()


@transaction.atomic
def post(record, *, author, body: str) -> Posted:
    """`body` as a comment on `record` (a deal or an account) by `author`, mentions told."""
    deal = record if isinstance(record, Opportunity) else None
    comment = Comment.objects.create(
        account_id=deal.account_id if deal else record.pk,
        opportunity=deal,
        author=author,
        body=body,
    )
    names = mentioned_names(body)
    people = User.objects.filter(username__in=names, is_active=True).exclude(pk=author.pk)
    told = [person for person in people if may_see(person, record)]
    comment.mentioned.set(told)
    of = "deal" if deal else "account"
    url = reverse("opportunities:timeline", args=[of, record.pk]) + "?kind=comment"
    for person in told:
        with translation.override(notifications.language_of(person)):
            title = _("%(author)s mentioned you on %(record)s") % {
                "author": author,
                "record": record.name,
            }
        reminder = Reminder(
            Kind.MENTION, f"comment:{comment.pk}", title, body=body[:EXCERPT], url=url
        )
        notifications.record(user=person, reminders=[reminder])
    known = {person.username for person in told} | {author.username}
    return Posted(comment, told, [name for name in names if name not in known])
