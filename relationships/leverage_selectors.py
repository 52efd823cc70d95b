"""Reads for 同盟 leverage (relationships/leverage.py): who can bring us to each of several
people, in a fixed number of queries whatever their number."""

from collections.abc import Iterable

from accounts.models import Contact, ContactTie
from relationships import leverage as rule
from relationships.ladder import ACQUAINTANCE


def _person(contact: Contact) -> rule.Person:
    relationship = getattr(contact, "relationship", None)
    return rule.Person(
        pk=contact.pk,
        name=contact.name,
        stage=relationship.stage if relationship else ACQUAINTANCE,
        is_guide=contact.is_guide,
        department_id=contact.department_id,
        reports_to_id=contact.reports_to_id,
    )


def leverage_for(user, contacts: Iterable) -> dict[int, rule.Leverage]:
    """For each of `contacts` (Contact rows or ids) the user may see: the paths to them through
    the active people of their account the user may see, and their rivals, by contact id.

    Queries: the people of the targets' accounts that the user may see, with their stage; the
    friend and rival ties among them. Two, however many targets."""
    ids = {getattr(c, "pk", c) for c in contacts}
    if not ids:
        return {}
    accounts = Contact.objects.filter(pk__in=ids).values("account_id")
    visible = list(
        Contact.objects.visible_to(user)
        .filter(account_id__in=accounts)
        .select_related("relationship")
    )
    by_pk = {c.pk: _person(c) for c in visible}
    ties = [
        rule.Tie(contact_id, other_id, kind)
        for contact_id, other_id, kind in ContactTie.objects.filter(
            contact__account_id__in=accounts
        ).values_list("contact_id", "other_id", "kind")
    ]
    by_account: dict[int, list[rule.Person]] = {}
    for contact in visible:
        if contact.is_active:
            by_account.setdefault(contact.account_id, []).append(by_pk[contact.pk])
    account_of = {c.pk: c.account_id for c in visible}
    return {
        pk: rule.leverage(by_pk[pk], by_account.get(account_of[pk], []), ties)
        for pk in ids
        if pk in by_pk
    }
