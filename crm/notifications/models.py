"""Notifications: what a user should hear about, and every attempt to tell them.

Notification: one event for one user (a to-do due, a birthday, a gift decided, …), unique per
(user, key) so that a scan running twice records it once; it *is* the inbox entry, so a
notification no channel could deliver is never lost. Delivery: one channel's attempt (e-mail
digest, a team robot) for one event and user, unique per (event, channel, user): the worker
that inserts the row is the one that sends, so two racing workers never send twice.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.models import Team, TimeStampedModel


class Kind(models.TextChoices):
    TODO_DUE = "todo_due", _("to-dos due or overdue")
    NEXT_STEP_DUE = "next_step_due", _("next steps due or overdue")
    PLAN_TODAY = "plan_today", _("today's planned activities")
    PAYMENT_DUE = "payment_due", _("payment milestones due soon or overdue")
    CARE = "care", _("birthdays and festivals")
    GIFT_APPROVAL = "gift_approval", _("gift approvals asked and decided")
    REVIEW_DUE = "review_due", _("deal reviews due")
    TRANSFER_DONE = "transfer_done", _("imports and exports finished")
    MENTION = "mention", _("@-mentions in comments")
    POOL_WARNING = "pool_warning", _("accounts about to return to the shared pool")


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail digest")
    ROBOT = "robot", _("team group robot")


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        """A user's own inbox: nobody reads another person's notifications."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    key = models.CharField(_("event"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("details"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    due_on = models.DateField(_("date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_event"),
        ]
        indexes = [
            # The bell and the inbox: a user's unread notifications, newest first.
            models.Index(fields=["user", "read_at", "-created_at"], name="notification_inbox_idx"),
        ]

    def __str__(self):
        return self.key


# The hosts each platform's webhooks live on (ROBOT_EXTRA_HOSTS adds others, e.g. a proxy).
ROBOT_HOSTS = {
    "wecom": ("qyapi.weixin.qq.com",),
    "dingtalk": ("oapi.dingtalk.com",),
    "feishu": ("open.feishu.cn", "open.larksuite.com"),
}


class RobotChannel(TimeStampedModel):
    """A group robot of one team (企业微信, 钉钉 or 飞书), set up by its manager or an admin."""

    class Platform(models.TextChoices):
        WECOM = "wecom", _("WeCom (企业微信)")
        DINGTALK = "dingtalk", _("DingTalk (钉钉)")
        FEISHU = "feishu", _("Feishu (飞书)")

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="robots", verbose_name=_("team")
    )
    platform = models.CharField(_("platform"), max_length=10, choices=Platform)
    name = models.CharField(_("name"), max_length=100)
    webhook_url = models.URLField(_("webhook URL"), max_length=500)
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_("DingTalk and Feishu robots with signature security need it."),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    mention_by_mobile = models.BooleanField(
        _("@-mention by mobile"),
        default=False,
        help_text=_("Mention the person by the mobile number on their profile."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        parts = urlsplit(self.webhook_url or "")
        hosts = ROBOT_HOSTS.get(self.platform, ()) + tuple(settings.ROBOT_EXTRA_HOSTS)
        if self.webhook_url and (
            parts.scheme not in {"https", "http"} or parts.hostname not in hosts
        ):
            errors["webhook_url"] = _(
                "This is not a webhook address of this platform (expected a host among: %(hosts)s)."
            ) % {"hosts": ", ".join(ROBOT_HOSTS.get(self.platform, ()))}
        elif self.platform == self.Platform.DINGTALK and "access_token=" not in parts.query:
            errors["webhook_url"] = _("A DingTalk webhook address carries its access_token.")
        if (
            self.platform == self.Platform.DINGTALK
            and self.secret
            and not self.secret.startswith("SEC")
        ):
            errors["secret"] = _("A DingTalk signing secret starts with SEC.")
        if self.platform == self.Platform.WECOM and self.secret:
            errors["secret"] = _("WeCom robots do not sign; leave the secret empty.")
        if errors:
            raise ValidationError(errors)


class NotificationPreference(models.Model):
    """What one user wants to hear about, where, and when not."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    kinds = models.JSONField(
        _("kinds"), default=list, blank=True, help_text=_("Empty: every kind.")
    )
    email = models.BooleanField(_("daily e-mail digest"), default=True)
    robot = models.BooleanField(_("team group robots"), default=True)
    digest_hour = models.PositiveSmallIntegerField(
        _("digest hour"), default=8, validators=[MaxValueValidator(23)]
    )
    quiet_from = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet hours until"), null=True, blank=True)
    mobile = models.CharField(
        _("mobile"), max_length=20, blank=True, help_text=_("For @-mentions by group robots.")
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(digest_hour__lte=23), name="notification_digest_hour_valid"
            ),
        ]

    def __str__(self):
        return str(self.user_id)


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("user"),
    )
    event = models.CharField(_("event"), max_length=200)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    robot = models.ForeignKey(
        RobotChannel,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("group robot"),
    )
    notifications = models.ManyToManyField(
        Notification, related_name="deliveries", verbose_name=_("notifications")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    target = models.CharField(_("sent to"), max_length=300, blank=True)
    result = models.TextField(_("result"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            # Nothing is sent twice: the unique row is the claim (two partial indexes, since
            # NULL robots would never collide in one).
            models.UniqueConstraint(
                fields=["event", "channel", "user"],
                condition=Q(robot__isnull=True),
                name="delivery_once_per_event_channel_user",
            ),
            models.UniqueConstraint(
                fields=["event", "channel", "user", "robot"],
                condition=Q(robot__isnull=False),
                name="delivery_once_per_event_robot_user",
            ),
        ]

    def __str__(self):
        return f"{self.event} {self.channel}"
