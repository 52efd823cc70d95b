"""Writes of the accounts app that span rows: each one all or nothing."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.forms import AccountForm, PersonalProfileForm
from accounts.models import Account, Contact, PersonalDataAccess, PersonalProfile
from accounts.signals import announce_people_changed
from crm.models import User
from crm.webhooks import payloads
from crm.webhooks.events import Event, emit


@transaction.atomic
def save_account(form: AccountForm) -> Account:
    """Save a valid account form with its sharing (the account row and its collaborators)."""
    creating = form.instance.pk is None
    account = form.save()
    if creating:
        emit(Event.ACCOUNT_CREATED, payloads.account(account))
    return account


def owners_handing_over(user) -> set[int]:
    """The owners whose accounts `user` may hand over or share: themself and the members of
    the teams they manage (an admin: everyone). The account form's rule (`can_share`), which
    an import follows too; an account only shared with `user` stays with its owner."""
    return set(User.objects.visible_to(user).values_list("pk", flat=True))


def handover_refusal(account: Account, owner_id: int, owners: set[int]) -> str:
    """Why `account` may not go to `owner_id` (empty if it may), given `owners_handing_over()`."""
    if account.pk is None or owner_id == account.owner_id or account.owner_id in owners:
        return ""
    return _("Only the owner or their manager can change this.")


@transaction.atomic
def save_form(form):
    """Save a valid model form (and whatever its save() creates) in one transaction."""
    return form.save()


@transaction.atomic
def save_contact(form) -> Contact:
    """Save a valid contact form; the deals the person is in recheck their exit checks (the
    guide flag and the level are two of them)."""
    contact = form.save()
    announce_people_changed([contact.pk])
    return contact


@transaction.atomic
def save_personal_profile(*, contact: Contact, form: PersonalProfileForm) -> PersonalProfile | None:
    """Create or update the contact's personal profile from a valid form. An empty form for a
    contact without a profile creates nothing (keep only what is needed, METHOD.md §10)."""
    if form.instance.pk is None and not form.has_data():
        return None
    form.instance.contact = contact
    # The form's own save: an existing profile is saved under the row lock and its version
    # re-checked (crm.concurrency), which a save(commit=False) would skip.
    return form.save()


def log_personal_data_access(
    *, contact, user, changed: bool = False, channel: str = PersonalDataAccess.Channel.PAGE
) -> None:
    """Record that `user` saw (or changed) `contact`'s personal profile, and where (PIPL)."""
    log_personal_data_accesses(contacts=[contact], user=user, changed=changed, channel=channel)


def log_personal_data_accesses(
    *, contacts, user, changed: bool = False, channel: str = PersonalDataAccess.Channel.PAGE
) -> None:
    """One access record per contact (a list, an export), with the names the contacts have now
    so that the record still reads after a contact is deleted."""
    action = PersonalDataAccess.Action.EDIT if changed else PersonalDataAccess.Action.VIEW
    PersonalDataAccess.objects.bulk_create(
        (
            PersonalDataAccess(
                contact=contact,
                contact_name=contact.name,
                account_name=contact.account.name if contact.account_id else "",
                user=user,
                action=action,
                channel=channel,
            )
            for contact in contacts
        ),
        batch_size=1000,
    )
