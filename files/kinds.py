"""The records a file may be attached to, by the short name URLs use. Each is reached by its
model's label (no import of the apps above), and each model's `visible_to` decides who may see
its files: a file is seen with its record, never on its own (crm.policy)."""

from django.apps import apps
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

KINDS = {
    "account": ("accounts.Account", pgettext_lazy("customer", "account")),
    "contact": ("accounts.Contact", _("contact")),
    "deal": ("opportunities.Opportunity", _("opportunity")),
    "activity": ("relationships.Activity", _("activity")),
    "approval": ("opportunities.ProjectApproval", _("project approval (立项)")),
    "evaluation": ("opportunities.Evaluation", _("evaluation")),
    "contract": ("opportunities.Contract", _("contract")),
    "milestone": ("opportunities.PaymentMilestone", _("payment milestone")),
}


def model_of(kind: str):
    if kind not in KINDS:
        raise Http404
    return apps.get_model(KINDS[kind][0])


def kind_of(record) -> str:
    label = record._meta.label
    return next(name for name, (model, _label) in KINDS.items() if model == label)


def visible_record_or_404(kind: str, pk: int, user):
    """The record `kind` `pk` if `user` may see it, else 404 (the same for "no such record")."""
    model = model_of(kind)
    record = model.objects.visible_to(user).filter(pk=pk).first()
    if record is None:
        raise Http404
    return record
