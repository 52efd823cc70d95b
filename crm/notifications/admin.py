from django.contrib import admin

from crm.notifications.models import Delivery, Notification, NotificationPreference, RobotChannel
from crm.worker import JobRun


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "title", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "key", "user__username"]
    raw_id_fields = ["user"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "channel", "robot", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["event", "user__username", "result"]
    raw_id_fields = ["user", "notifications"]


@admin.register(RobotChannel)
class RobotChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "platform", "language", "is_active"]
    list_filter = ["platform", "is_active"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "robot", "digest_hour", "quiet_from", "quiet_until"]
    raw_id_fields = ["user"]


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["name", "started_at", "finished_at", "ok"]
    readonly_fields = ["name", "started_at", "finished_at", "ok", "result"]
