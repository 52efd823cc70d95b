from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Contact
from crm.policy import get_visible_or_404
from relationships.greetings import selectors, services
from relationships.greetings.forms import ChannelForm, CommunicationPreferenceForm, DraftForm
from relationships.greetings.models import CommunicationPreference, Greeting, Occasion

PAGE_SIZE = 30


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise Http404 from exc


def _channel(request) -> str:
    form = ChannelForm(request.POST or request.GET or None)
    return (
        form.cleaned_data["channel"]
        if form.is_valid()
        else ChannelForm.base_fields["channel"].initial
    )


def _picked(request, user) -> list[Contact]:
    """The people named in the request (`contact`), all visible to the user, or 404."""
    source = request.POST if request.method == "POST" else request.GET
    try:
        ids = {int(value) for value in source.getlist("contact")}
    except ValueError as exc:
        raise Http404 from exc
    found = selectors.visible_contacts(user, ids)
    if len(found) != len(ids):
        raise Http404
    return found


def _compose(request, *, occasion: str, festival, days: dict[int, date], people, back_url):
    channel = _channel(request)
    drafts = services.drafts(
        user=request.user,
        contacts=people,
        occasion=occasion,
        festival=festival,
        day=None,
        days=days,
        channel=channel,
    )
    drafts.sort(key=lambda d: (d.contact.name, d.contact.pk))
    posted = request.method == "POST"
    rows = [
        (
            draft,
            DraftForm(
                request.POST if posted else None,
                prefix=f"c{draft.contact.pk}",
                initial={
                    "include": not draft.refusal,
                    "subject": draft.subject,
                    "text": draft.text,
                },
            ),
        )
        for draft in drafts
    ]
    error = ""
    if posted:
        chosen = [
            (d, f) for d, f in rows if not d.refusal and f.is_valid() and f.cleaned_data["include"]
        ]
        invalid = [
            f for d, f in rows if not d.refusal and not f.is_valid() and f["include"].value()
        ]
        if not chosen and not invalid:
            error = _("Pick at least one person who can be reached.")
        elif not invalid:
            try:
                sent = _send(request, occasion, festival, chosen)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                if sent:
                    return redirect("relationships:greetings")
                error = _("Nothing was sent.")
    return render(
        request,
        "relationships/greetings/compose.html",
        {
            "rows": rows,
            "channel": channel,
            "channel_form": ChannelForm(initial={"channel": channel}),
            "occasion": occasion,
            "festival": festival,
            "days": sorted(set(days.values())),
            "error": error,
            "back_url": back_url,
        },
    )


def _send(request, occasion, festival, chosen) -> bool:
    schedule = request.POST.get("when") == "morning"
    created, refused = [], {}
    by_day: dict[date, list] = {}
    for draft, form in chosen:
        draft.subject, draft.text = form.cleaned_data["subject"], form.cleaned_data["text"]
        by_day.setdefault(draft.day, []).append(draft)
    # All or nothing: a morning already past for one birthday writes none of the others.
    with transaction.atomic():
        for day, drafts in sorted(by_day.items()):
            made, skipped = services.send(
                user=request.user,
                drafts_to_send=drafts,
                occasion=occasion,
                festival=festival,
                day=day,
                schedule=schedule,
            )
            created += made
            refused.update(skipped)
    names = {draft.contact.pk: draft.contact.name for draft, _form in chosen}
    for contact_pk, reason in refused.items():
        messages.warning(request, f"{names[contact_pk]}: {reason}")
    if created:
        messages.success(
            request, _("%(count)d greeting(s) on their way.") % {"count": len(created)}
        )
    return bool(created)


def festival(request, festival_pk, day):
    """A festival's greetings: to the people named, or to everyone the rep looks after."""
    today = timezone.localdate()
    found = selectors.festival_occasion(festival_pk, _day(day), today)
    if found is None:
        raise Http404
    if "contact" in (request.POST if request.method == "POST" else request.GET):
        people = _picked(request, request.user)
    else:
        people = list(selectors.festival_recipients(request.user)[:200])
    return _compose(
        request,
        occasion=Occasion.FESTIVAL,
        festival=found.festival,
        days=dict.fromkeys((p.pk for p in people), found.day),
        people=people,
        back_url=reverse("relationships:care"),
    )


def birthday(request):
    """Birthday greetings: to the people named, or to all whose birthday is this week."""
    today = timezone.localdate()
    source = request.POST if request.method == "POST" else request.GET
    if "contact" in source:
        people = _picked(request, request.user)
        days = {p.pk: selectors.next_birthday_of(p, today) for p in people}
        people = [p for p in people if days[p.pk]]
    else:
        days = selectors.birthdays_due(request.user, today)
        people = selectors.visible_contacts(request.user, days)
    return _compose(
        request,
        occasion=Occasion.BIRTHDAY,
        festival=None,
        days={p.pk: days[p.pk] for p in people},
        people=people,
        back_url=reverse("relationships:care"),
    )


@require_GET
def for_contact(request, contact_pk):
    """The person's coming occasions, each a link to its preview, and their greetings."""
    contact = get_visible_or_404(
        Contact.objects.select_related("account", "profile", "communication_preference"),
        request.user,
        pk=contact_pk,
    )
    today = timezone.localdate()
    return render(
        request,
        "relationships/greetings/for_contact.html",
        {
            "contact": contact,
            "birthday": selectors.next_birthday_of(contact, today),
            "festivals": selectors.festivals_coming(today),
            "greetings": selectors.for_contact(request.user, contact),
            "preference": getattr(contact, "communication_preference", None),
        },
    )


def communication(request, contact_pk):
    contact = get_visible_or_404(
        Contact.objects.select_related("account"), request.user, pk=contact_pk
    )
    preference = CommunicationPreference.objects.filter(contact=contact).first() or (
        CommunicationPreference(contact=contact)
    )
    form = CommunicationPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.instance.set_by = request.user
        if form.try_save() is not None:
            messages.success(request, _("Saved."))
            return redirect("relationships:greet_contact", contact_pk=contact.pk)
    return render(
        request, "relationships/greetings/communication.html", {"form": form, "contact": contact}
    )


@require_GET
def greetings(request):
    page = Paginator(selectors.greetings_of(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    template = "relationships/greetings/list.html"
    if request.htmx:
        template = "relationships/greetings/_rows.html"
    waiting = any(g.status in (Greeting.Status.QUEUED, Greeting.Status.SENDING) for g in page)
    return render(request, template, {"page": page, "waiting": waiting})


def _act(request, pk, action, done: str, refused: str):
    greeting = get_visible_or_404(Greeting.objects.all(), request.user, pk=pk)
    if action(greeting):
        messages.success(request, done)
    else:
        messages.warning(request, refused)
    return redirect("relationships:greetings")


@require_POST
def cancel(request, pk):
    return _act(
        request,
        pk,
        services.cancel,
        _("Cancelled."),
        _("Only a scheduled greeting can be cancelled."),
    )


@require_POST
def retry(request, pk):
    return _act(
        request,
        pk,
        services.retry,
        _("Sent again to the worker."),
        _("Only a failed greeting is retried."),
    )


@require_POST
def confirm(request, pk):
    return _act(
        request,
        pk,
        services.confirm_copied,
        _("Logged as sent."),
        _("This greeting was not waiting for a confirmation."),
    )
