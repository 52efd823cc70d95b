"""What the API's records of moves 3–6 share: the parent deal posted on create, the web's
form and service for each write, the collection state kept current, the refusals as 409."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, status

from crm.api.base import Deletes, FormWrites, RecordViewSet
from crm.api.filters import ApiFilterSet, IdFilter
from crm.api.forms import input_serializer
from opportunities.deals.services import MoveRefused
from opportunities.models import (
    Opportunity,
)
from opportunities.moves import services as move_services
from opportunities.pipeline import facts


class GateRefused(exceptions.APIException):
    """A gate refused (MoveRefused): a move, an outcome or the signed contract would pass
    unmet exit checks. The web's message and each unmet check, in one shape for every path."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "gate_refused"

    def __init__(self, refusal: MoveRefused):
        self.detail = {
            "detail": str(refusal.message),
            "blocking": [
                {"code": c.code, "label": str(c.label), "status_label": str(c.status_label)}
                for c in refusal.blocking
            ],
        }


class HasReceipts(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "has_receipts"
    default_detail = _("This milestone has receipts: delete them first.")  # the web's words


def record_fields(form, *more, parent="opportunity"):
    return ["id", parent, *form.Meta.fields, *more, "created_at", "updated_at"]


def record_inputs(form, *, parent="opportunity", extra=None, **options):
    help_text = (
        _("The receipt's payment milestone (on create only).")
        if parent == "milestone"
        else _("The record's opportunity (on create only).")
    )
    described = {parent: serializers.IntegerField(min_value=1, required=False, help_text=help_text)}
    return input_serializer(form, extra={**described, **(extra or {})}, **options)


def record_filters(model, parent="opportunity", **more):
    """`opportunity` on every list, as a plain id rather than a choice: a deal out of reach
    lists nothing, with no "invalid choice" to tell that it exists."""
    deal = IdFilter(field_name=parent, help_text=_("The opportunity's id."))
    declared = {"opportunity": deal, **more}
    meta = type("Meta", (), {"model": model, "fields": []})
    return type(f"{model.__name__}Filter", (ApiFilterSet,), {**declared, "Meta": meta})


class MoveRecords(FormWrites, RecordViewSet):
    """A record of one deal: posted with its deal, which is fixed after; saved by the web's
    service for its kind (`save_record`), then the deal's stored facts are refreshed as the
    web does (approval, criteria and evaluation are exit checks)."""

    parent_field = "opportunity"
    single = False  # one per deal (approval, evaluation, contract)
    ordering_fields = ["id", "updated_at"]

    def parent_queryset(self):
        return Opportunity.objects.visible_to(self.request.user)

    def opportunity_of(self, instance):
        return instance.opportunity

    def form_kwargs(self, instance):
        return {"opportunity": self.opportunity_of(instance), "user": self.request.user}

    def save_form(self, form):
        if self.single and form.instance.pk is None:
            existing = type(form.instance).objects.filter(opportunity=form.opportunity).first()
            if existing is not None:
                # The web's "add" edits the one there is; the API does not change a record
                # without its ETag, so it points there instead.
                raise exceptions.ValidationError(
                    {
                        self.parent_field: [
                            _(
                                "This opportunity already has one (id %(id)s): change that one, "
                                "with its ETag in If-Match."
                            )
                            % {"id": existing.pk}
                        ]
                    }
                )
        saved = self.save_record(form)
        if saved is not None:
            facts.refresh([form.opportunity.pk])
        return saved

    def save_record(self, form):
        return form.save()


class MoveDeletes(Deletes):
    def delete_record(self, instance):
        move_services.delete_record(instance)  # keeps the collection state and facts in step
