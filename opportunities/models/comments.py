"""Comments on a deal or an account (issue 21): a manager's coaching remark, a rep's question,
@-mentions of people who may see the record (opportunities/deals/comments.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm import policy


class CommentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A comment is seen with its deal, or with its account."""
        from accounts.models import Account
        from opportunities.models.opportunity import Opportunity

        deals = Opportunity.objects.visible_to(user)
        accounts = Account.objects.visible_to(user)
        return policy.within(self, user, parent="opportunity", parents=deals) | policy.within(
            self, user, parent="account", parents=accounts
        )


class Comment(models.Model):
    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("account"),
        help_text=_("The deal's account, or the account commented on."),
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("opportunity"),
        help_text=_("Empty: a comment on the account."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="comments",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"), max_length=2000)
    mentioned = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="mentions", verbose_name=_("mentioned")
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["opportunity", "-created_at"], name="comment_deal_idx"),
            models.Index(fields=["account", "-created_at"], name="comment_account_idx"),
        ]

    def __str__(self):
        return self.body[:50]
