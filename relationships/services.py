"""Writes of move 2 that span models: logging an activity (and its gift check), changing a
relationship's stage (and recording it), deciding a gift approval."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account, Contact
from accounts.signals import announce_people_changed
from crm.notifications import services as notifications
from crm.notifications.models import Kind
from crm.notifications.registry import Reminder
from crm.webhooks import payloads
from crm.webhooks.events import Event, emit
from relationships import gift_ledger, ladder
from relationships.defaults import GUIDE_TYPE_CODE
from relationships.models import Activity, Relationship, Stage, StageChange


def needs_approval(activity_type, cost) -> bool:
    """§10 "within the law": a gift or hospitality above its type's limit needs approval."""
    return bool(
        activity_type.is_gift
        and activity_type.approval_limit is not None
        and cost is not None
        and cost > activity_type.approval_limit
    )


@dataclass(frozen=True)
class AdvanceSuggestion:
    contact: Contact
    current: int
    suggested: int

    @property
    def suggested_label(self) -> str:
        return Stage(self.suggested).label


@transaction.atomic
def log_activity(*, activity: Activity, contacts, owner) -> Activity:
    """Save a new activity (unsaved instance from the form) with its contacts; a gift above the
    limit, or one that takes a person above their yearly cap (gift_ledger), is saved as pending
    approval, never silently accepted. `activity.cap_warnings` says whose cap it breaks; the
    rep also finds it among their notifications."""
    accounts = {contact.account_id for contact in contacts}
    if len(accounts) != 1:
        raise ValidationError(_("All the people of one activity must belong to one account."))
    activity.account_id = accounts.pop()
    activity.owner = owner
    breaches = _cap_breaches(activity, contacts)
    activity.approval_status = (
        Activity.Approval.PENDING
        if needs_approval(activity.type, activity.cost) or breaches
        else Activity.Approval.NOT_NEEDED
    )
    activity.save()
    activity.contacts.set(contacts)
    _warn_of_caps(activity, breaches)
    return activity


def _cap_breaches(activity: Activity, contacts) -> list:
    if not activity.type.is_gift:
        return []
    account_type = Account.objects.filter(pk=activity.account_id).values_list(
        "account_type", flat=True
    )
    return gift_ledger.cap_breaches(
        activity_type=activity.type,
        cost=activity.cost,
        day=activity.date,
        contacts=contacts,
        account_type=account_type.first() or "",
        activity_id=activity.pk,
    )


def _warn_of_caps(activity: Activity, breaches) -> None:
    activity.cap_warnings = [breach.message for breach in breaches]
    if breaches:
        notifications.record(
            user=activity.owner,
            reminders=[
                Reminder(
                    Kind.GIFT_APPROVAL,
                    f"gift_cap:{activity.pk}:{activity.cost}",
                    " ".join(activity.cap_warnings),
                    url=reverse("relationships:gift_ledger") + f"?year={activity.date.year}",
                )
            ],
        )


def advance_suggestions(activity: Activity, contacts) -> list[AdvanceSuggestion]:
    """For each person of the activity, the advance it evidences (ladder.suggest_advance).
    `contacts` come with `relationship` selected (or without one: 认识)."""
    suggestions = []
    for contact in contacts:
        relationship = getattr(contact, "relationship", None)
        current = relationship.stage if relationship else ladder.ACQUAINTANCE
        suggested = ladder.suggest_advance(current, activity.type.stage)
        if suggested is not None:
            suggestions.append(AdvanceSuggestion(contact, current, suggested))
    return suggestions


def guide_offers(activity: Activity, contacts) -> list[Contact]:
    """The people of a 成为向导 activity who are not guides yet: the rep is offered to mark them
    (METHOD.md §3.2: at 同盟 the contact becomes a guide feeding continuous intelligence)."""
    if activity.type.code != GUIDE_TYPE_CODE:
        return []
    return [contact for contact in contacts if not contact.is_guide]


def relationship_for(contact: Contact) -> Relationship:
    relationship, _created = Relationship.objects.get_or_create(contact=contact)
    return relationship


@transaction.atomic
def change_stage(
    *,
    contact: Contact,
    to_stage: int,
    by,
    activity: Activity | None = None,
    note: str = "",
    expected_from: int | None = None,
) -> StageChange:
    """Set the relationship's stage and record the change (from, to, when, who, activity).

    `expected_from` is the stage the user saw: if someone changed it meanwhile the change is
    refused rather than silently overwriting theirs."""
    relationship_for(contact)
    relationship = Relationship.objects.select_for_update().get(contact=contact)
    if expected_from is not None and relationship.stage != expected_from:
        raise ValidationError(
            _("Someone changed this stage in the meantime; look at it again and retry.")
        )
    if relationship.stage == to_stage:
        raise ValidationError(_("The relationship is already at this stage."))
    if activity is not None and not activity.contacts.filter(pk=contact.pk).exists():
        raise ValidationError(_("The supporting activity must involve this person."))
    change = StageChange.objects.create(
        relationship=relationship,
        from_stage=relationship.stage,
        to_stage=to_stage,
        changed_by=by,
        activity=activity,
        note=note,
    )
    relationship.stage = to_stage
    relationship._change_reason = note[:100] if note else None
    relationship.save(update_fields=["stage", "updated_at"])
    announce_people_changed([contact.pk])
    emit(Event.RELATIONSHIP_STAGE_CHANGED, payloads.stage_change(change))
    return change


@transaction.atomic
def save_person_form(form, contact: Contact, reason: str = ""):
    """Save the relationship or guide form of a person (`reason` goes into the record's
    history); their deals recheck their exit checks."""
    if reason:
        form.instance._change_reason = reason[:100]
    saved = form.save()
    announce_people_changed([contact.pk])
    return saved


@transaction.atomic
def decide_gift(*, activity: Activity, by, approve: bool, reason: str = "") -> Activity:
    """Approve or reject a pending gift or hospitality (who, when, why)."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.approval_status != Activity.Approval.PENDING:
        raise ValidationError(_("This item has already been decided."))
    if activity.owner_id == by.pk:
        raise ValidationError(_("Nobody approves their own gifts."))
    if not approve and not reason.strip():
        raise ValidationError(_("Give a reason when you reject."))
    activity.approval_status = Activity.Approval.APPROVED if approve else Activity.Approval.REJECTED
    activity.decided_by = by
    activity.decided_at = timezone.now()
    activity.decision_reason = reason
    activity.save(
        update_fields=[
            "approval_status",
            "decided_by",
            "decided_at",
            "decision_reason",
            "updated_at",
        ]
    )
    return activity


@transaction.atomic
def save_activity_edit(form) -> Activity:
    """Save an edited activity (a versioned form, crm.concurrency). A new type or cost decides
    its approval again: an approved gift made dearer goes back to the manager."""
    activity = form.instance
    breaches = []
    if {"type", "cost"} & set(form.changed_data):
        people = form.cleaned_data.get("contacts") or activity.contacts.all()
        breaches = _cap_breaches(activity, people)
        activity.approval_status = (
            Activity.Approval.PENDING
            if needs_approval(activity.type, activity.cost) or breaches
            else Activity.Approval.NOT_NEEDED
        )
        activity.decided_by, activity.decided_at, activity.decision_reason = None, None, ""
    activity = form.save()
    _warn_of_caps(activity, breaches)
    announce_people_changed(list(activity.contacts.values_list("pk", flat=True)))
    return activity


@transaction.atomic
def delete_activity(activity: Activity) -> list[StageChange]:
    """Delete an activity; the moves on the ladder it supported stay, shown as unsupported."""
    unsupported = list(activity.stage_changes.select_related("relationship__contact"))
    people = list(activity.contacts.values_list("pk", flat=True))
    activity.delete()
    announce_people_changed(people)
    return unsupported
