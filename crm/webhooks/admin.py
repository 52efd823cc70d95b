"""Admins subscribe receivers, see each delivery's log, and replay the ones a receiver
missed. The secret is shown on the subscription: the receiver needs it to verify."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from crm.webhooks import delivery, tasks
from crm.webhooks.events import Event
from crm.webhooks.models import Subscription, WebhookDelivery, new_secret


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(
        label=Subscription._meta.get_field("url").verbose_name,
        max_length=500,
        assume_scheme="https",
        help_text=Subscription._meta.get_field("url").help_text,
    )
    events = forms.MultipleChoiceField(
        label=_("events"), choices=Event.choices, widget=forms.CheckboxSelectMultiple
    )
    new_secret = forms.BooleanField(
        label=_("Generate a new secret"),
        required=False,
        help_text=_("The receiver must be given the new one: deliveries are signed with it."),
    )

    class Meta:
        model = Subscription
        fields = ["name", "url", "events", "is_active"]

    def save(self, commit=True):
        if self.cleaned_data.get("new_secret"):
            self.instance.secret = new_secret()
        return super().save(commit=commit)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["name", "url", "event_labels", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    readonly_fields = ["secret", "created_at"]
    fields = ["name", "url", "events", "is_active", "secret", "new_secret", "created_at"]

    @admin.display(description=_("events"))
    def event_labels(self, subscription):
        labels = dict(Event.choices)
        return ", ".join(str(labels.get(code, code)) for code in subscription.events)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "subscription",
        "event",
        "status",
        "attempts",
        "response_code",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["status", "event", "subscription"]
    list_select_related = ["subscription"]
    search_fields = ["error", "subscription__name"]
    readonly_fields = [
        "subscription",
        "event",
        "payload",
        "status",
        "attempts",
        "next_attempt_at",
        "response_code",
        "error",
        "replay_of",
        "created_at",
        "delivered_at",
    ]
    actions = ["replay"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Replay the selected deliveries"))
    def replay(self, request, queryset):
        with transaction.atomic():
            ids = delivery.replay(queryset.order_by("pk"))
            for delivery_id in ids:
                transaction.on_commit(lambda pk=delivery_id: tasks.send_webhook.delay(pk))
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery queued again.", "%(count)d deliveries queued again.", len(ids)
            )
            % {"count": len(ids)},
            messages.SUCCESS,
        )
