from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from relationships.greetings import placeholders
from relationships.greetings.models import (
    CommunicationPreference,
    Greeting,
    GreetingSetting,
    GreetingTemplate,
)


class GreetingTemplateForm(forms.ModelForm):
    class Meta:
        model = GreetingTemplate
        fields = ["occasion", "festival", "language", "personality", "subject", "body", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _("Placeholders: %(names)s") % {
            "names": placeholders.help_text()
        }


@admin.register(GreetingTemplate)
class GreetingTemplateAdmin(admin.ModelAdmin):
    form = GreetingTemplateForm
    list_display = ["occasion", "festival", "language", "personality", "subject", "is_active"]
    list_filter = ["occasion", "language", "personality", "is_active"]
    search_fields = ["subject", "body"]


@admin.register(CommunicationPreference)
class CommunicationPreferenceAdmin(SimpleHistoryAdmin):
    list_display = ["contact", "email_allowed", "sms_allowed", "set_on", "reason"]
    list_filter = ["email_allowed", "sms_allowed"]
    search_fields = ["contact__name", "reason"]
    raw_id_fields = ["contact", "set_by"]


@admin.register(GreetingSetting)
class GreetingSettingAdmin(admin.ModelAdmin):
    list_display = ["sms_quiet_from", "sms_quiet_until", "morning_at"]

    def has_add_permission(self, request):
        return not GreetingSetting.objects.exists()


@admin.register(Greeting)
class GreetingAdmin(admin.ModelAdmin):
    list_display = ["occasion_date", "contact", "channel", "status", "owner", "sent_at"]
    list_filter = ["status", "channel", "occasion"]
    search_fields = ["contact__name", "text"]
    raw_id_fields = ["account", "contact", "owner", "festival", "activity"]
    readonly_fields = ["status", "sent_at", "attempts", "result", "activity"]
