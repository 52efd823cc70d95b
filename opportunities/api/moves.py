"""The records of moves 3–6 in the API (needs, approval, criteria, evaluation, value points,
concerns, negotiation items, contract, payment milestones, receipts, commitments), written
through the web's move forms and services (opportunities/moves/views.py): the same checks, the
same gate when the signed contract makes a deal won, the same collection state."""

from contextlib import contextmanager

from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import exceptions, serializers, status

from crm.api.base import Deletes, FormWrites, RecordViewSet
from crm.api.forms import form_errors, input_serializer
from opportunities.deals import selectors as deal_selectors
from opportunities.deals.forms import GateOverrideForm
from opportunities.deals.services import MoveRefused
from opportunities.models import (
    Commitment,
    Concern,
    Contract,
    CriterionCompetitorFit,
    Evaluation,
    MilestoneStatus,
    MoveThresholdSetting,
    Need,
    NegotiationItem,
    Opportunity,
    PaymentMilestone,
    ProjectApproval,
    PurchaseCriterion,
    Receipt,
    ValuePoint,
)
from opportunities.models.collection import received_subquery
from opportunities.moves import contract_forms, forms
from opportunities.moves import services as move_services
from opportunities.moves.approval_form import ApprovalWithTimingForm
from opportunities.pipeline import facts


class GateRefused(exceptions.APIException):
    """The signed contract would make the deal won past unmet exit checks (MoveRefused)."""

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


def _fields(form, *more, parent="opportunity"):
    return ["id", parent, *form.Meta.fields, *more, "created_at", "updated_at"]


def _inputs(form, *, parent="opportunity", extra=None, **options):
    help_text = (
        _("The receipt's payment milestone (on create only).")
        if parent == "milestone"
        else _("The record's opportunity (on create only).")
    )
    described = {parent: serializers.IntegerField(min_value=1, required=False, help_text=help_text)}
    return input_serializer(form, extra={**described, **(extra or {})}, **options)


def _filters(model, parent="opportunity", **more):
    """`opportunity` on every list, as a plain id rather than a choice: a deal out of reach
    lists nothing, with no "invalid choice" to tell that it exists."""
    deal = filters.NumberFilter(field_name=parent, help_text=_("The opportunity's id."))
    declared = {"opportunity": deal, **more}
    meta = type("Meta", (), {"model": model, "fields": []})
    return type(f"{model.__name__}Filter", (filters.FilterSet,), {**declared, "Meta": meta})


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


class NeedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Need
        fields = _fields(forms.NeedForm)


class NeedViewSet(MoveDeletes, MoveRecords):
    """Needs (move 3): the customer's problems, with their motives."""

    queryset = Need.objects.all()
    serializer_class = NeedSerializer
    filterset_class = _filters(Need)
    form_class = forms.NeedForm
    input_serializer_class = _inputs(forms.NeedForm)


class ApprovalSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectApproval
        fields = _fields(ApprovalWithTimingForm)


class ApprovalViewSet(MoveDeletes, MoveRecords):
    """The project approval (立项, move 3): one per deal."""

    queryset = ProjectApproval.objects.all()
    serializer_class = ApprovalSerializer
    filterset_class = _filters(ProjectApproval)
    form_class = ApprovalWithTimingForm
    input_serializer_class = _inputs(ApprovalWithTimingForm)
    single = True


class FitSerializer(serializers.ModelSerializer):
    class Meta:
        model = CriterionCompetitorFit
        fields = ["competitor", "fit", "weakness"]


class CriterionSerializer(serializers.ModelSerializer):
    competitor_fits = FitSerializer(many=True, read_only=True)

    class Meta:
        model = PurchaseCriterion
        fields = _fields(forms.CriterionForm, "competitor_fits")


class CriterionViewSet(MoveDeletes, MoveRecords):
    """Purchase criteria (move 3), with each competitor's fit; a competitor's fit is added
    through `other_competitor` and `other_fit`."""

    queryset = PurchaseCriterion.objects.prefetch_related("competitor_fits")
    serializer_class = CriterionSerializer
    filterset_class = _filters(PurchaseCriterion)
    form_class = forms.CriterionForm
    input_serializer_class = _inputs(forms.CriterionForm)

    def save_record(self, form):
        return move_services.save_criterion(form)


class EvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = _fields(forms.EvaluationForm)


class EvaluationViewSet(MoveDeletes, MoveRecords):
    """The evaluation (评估比较, move 4): one per deal."""

    queryset = Evaluation.objects.all()
    serializer_class = EvaluationSerializer
    filterset_class = _filters(Evaluation)
    form_class = forms.EvaluationForm
    input_serializer_class = _inputs(forms.EvaluationForm)
    single = True


class ValuePointSerializer(serializers.ModelSerializer):
    class Meta:
        model = ValuePoint
        fields = _fields(forms.ValuePointForm)


class ValuePointViewSet(MoveDeletes, MoveRecords):
    """Value points (FAB, move 4), each answering purchase criteria."""

    queryset = ValuePoint.objects.prefetch_related("criteria")
    serializer_class = ValuePointSerializer
    filterset_class = _filters(ValuePoint)
    form_class = forms.ValuePointForm
    input_serializer_class = _inputs(forms.ValuePointForm)


class ConcernSerializer(serializers.ModelSerializer):
    class Meta:
        model = Concern
        fields = _fields(forms.ConcernForm)


class ConcernViewSet(MoveDeletes, MoveRecords):
    """Concerns (move 5) with their prevention and remedy plans."""

    queryset = Concern.objects.all()
    serializer_class = ConcernSerializer
    filterset_class = _filters(Concern)
    form_class = forms.ConcernForm
    input_serializer_class = _inputs(forms.ConcernForm, optional=["owner"])


class NegotiationItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = NegotiationItem
        fields = _fields(
            forms.NegotiationItemForm, "approval", "decided_by", "decided_at", "self_approved"
        )


class NegotiationItemViewSet(MoveDeletes, MoveRecords):
    """Negotiation items (move 5); a discount above the limit waits for a manager's
    approval."""

    queryset = NegotiationItem.objects.all()
    serializer_class = NegotiationItemSerializer
    filterset_class = _filters(NegotiationItem)
    form_class = forms.NegotiationItemForm
    input_serializer_class = _inputs(forms.NegotiationItemForm)

    def form_kwargs(self, instance):
        limit = MoveThresholdSetting.current().discount_approval_percent
        return {**super().form_kwargs(instance), "limit": limit}

    def save_record(self, form):
        return move_services.save_negotiation_item(form)


class ContractSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contract
        fields = _fields(contract_forms.ContractForm, "collected_at")
        read_only_fields = ["amount"]  # output only (the model's float minimum warns)


@contextmanager
def _gate_refusal():
    try:
        yield
    except MoveRefused as refusal:  # rolled back: nothing of the contract is written
        raise GateRefused(refusal) from refusal


class ContractViewSet(MoveRecords):
    """The signed contract (move 5), one per deal: recording it makes an open deal won through
    the gate of its exit checks (409 with the unmet ones; a manager of the owner's team may
    override with a reason). No DELETE: a signed contract is corrected, not deleted."""

    queryset = Contract.objects.all()
    serializer_class = ContractSerializer
    filterset_class = _filters(Contract)
    form_class = contract_forms.ContractForm
    input_serializer_class = _inputs(
        contract_forms.ContractForm,
        optional=["amount"],  # the deal's amount when it has one, as the web's form starts
        extra={
            "override": serializers.BooleanField(
                required=False,
                help_text=_(
                    "A manager of the owner's team: make the deal won past its unmet exit checks."
                ),
            ),
            "reason": serializers.CharField(
                required=False, allow_blank=True, max_length=2000, help_text=_("Reason")
            ),
        },
    )
    single = True
    refusals = ("create", "update", "partial_update")

    def create(self, request, *args, **kwargs):
        with _gate_refusal():
            return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        with _gate_refusal():
            return super().update(request, *args, **kwargs)

    def _gate(self, opportunity) -> dict:
        """The override the web offers a manager of the owner's team on an open deal; from
        anyone else it is ignored, as the web shows them no such field (the gate refuses)."""
        if not (
            opportunity.is_open and deal_selectors.can_override(self.request.user, opportunity)
        ):
            return {}
        gate = GateOverrideForm(
            {
                "override": self.request.data.get("override") or False,
                "reason": self.request.data.get("reason") or "",
            }
        )
        if not gate.is_valid():
            raise exceptions.ValidationError(form_errors(gate))
        return {"override": gate.cleaned_data["override"], "reason": gate.cleaned_data["reason"]}

    def save_record(self, form):
        gate = self._gate(form.opportunity)
        return move_services.sign_contract(form, by=self.request.user, **gate)


class MilestoneSerializer(serializers.ModelSerializer):
    received = serializers.DecimalField(
        max_digits=16, decimal_places=2, read_only=True, help_text=_("received so far")
    )

    class Meta:
        model = PaymentMilestone
        fields = _fields(contract_forms.MilestoneForm, "status", "received")
        read_only_fields = ["amount"]


class MilestoneViewSet(MoveDeletes, MoveRecords):
    """Payment milestones (move 6), with what has been received; `paid` once the receipts
    cover the amount. A milestone with receipts is not deleted (409)."""

    queryset = PaymentMilestone.objects.annotate(received=received_subquery())
    serializer_class = MilestoneSerializer
    # An ERP finds the milestone to post a receipt against by its invoice or contract number.
    filterset_class = _filters(
        PaymentMilestone,
        invoice_number=filters.CharFilter(),
        contract_number=filters.CharFilter(field_name="opportunity__contract__number"),
        status=filters.ChoiceFilter(choices=MilestoneStatus.choices),
    )
    ordering_fields = ["id", "due_date", "updated_at"]
    form_class = contract_forms.MilestoneForm
    input_serializer_class = _inputs(contract_forms.MilestoneForm)
    refusals = ("destroy",)

    def save_record(self, form):
        return move_services.save_milestone(form)

    def delete_record(self, instance):
        try:
            super().delete_record(instance)
        except (ValueError, ProtectedError) as exc:
            raise HasReceipts() from exc


class ReceiptSerializer(serializers.ModelSerializer):
    opportunity = serializers.IntegerField(source="milestone.opportunity_id", read_only=True)

    class Meta:
        model = Receipt
        fields = ["id", "opportunity", *contract_forms.ReceiptForm.Meta.fields]
        fields += ["created_at", "updated_at"]
        read_only_fields = ["amount"]


class ReceiptViewSet(MoveDeletes, MoveRecords):
    """A receipt belongs to a milestone (posted on create), and through it to a deal."""

    queryset = Receipt.objects.select_related("milestone__opportunity")
    serializer_class = ReceiptSerializer
    filterset_class = _filters(
        Receipt,
        parent="milestone__opportunity",
        milestone=filters.NumberFilter(),
        reference=filters.CharFilter(),
    )
    ordering_fields = ["id", "received_on", "updated_at"]
    form_class = contract_forms.ReceiptForm
    parent_field = "milestone"
    input_serializer_class = _inputs(
        contract_forms.ReceiptForm, parent="milestone", exclude=["milestone"]
    )

    def parent_queryset(self):
        return PaymentMilestone.objects.visible_to(self.request.user).select_related("opportunity")

    def opportunity_of(self, instance):
        return instance.milestone.opportunity

    def save_record(self, form):
        return move_services.save_receipt(form)


class CommitmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commitment
        fields = _fields(contract_forms.CommitmentForm)


class CommitmentViewSet(MoveDeletes, MoveRecords):
    """Commitments we made to the customer (move 6)."""

    queryset = Commitment.objects.all()
    serializer_class = CommitmentSerializer
    filterset_class = _filters(Commitment)
    form_class = contract_forms.CommitmentForm
    input_serializer_class = _inputs(contract_forms.CommitmentForm, optional=["promised_by"])


def routes(router):
    router.register("needs", NeedViewSet, basename="need")
    router.register("approvals", ApprovalViewSet, basename="approval")
    router.register("criteria", CriterionViewSet, basename="criterion")
    router.register("evaluations", EvaluationViewSet, basename="evaluation")
    router.register("value-points", ValuePointViewSet, basename="value-point")
    router.register("concerns", ConcernViewSet, basename="concern")
    router.register("negotiation-items", NegotiationItemViewSet, basename="negotiation-item")
    router.register("contracts", ContractViewSet, basename="contract")
    router.register("milestones", MilestoneViewSet, basename="milestone")
    router.register("receipts", ReceiptViewSet, basename="receipt")
    router.register("commitments", CommitmentViewSet, basename="commitment")
