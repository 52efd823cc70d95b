"""The signed contract and move 6 in the API (payment milestones, receipts, commitments):
signing goes through the gate as on the web, and every money record keeps the deal's collection
state current — an ERP posts a receipt and sees the milestone collected."""

from contextlib import contextmanager

from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import exceptions, serializers

from crm.api.filters import IdFilter
from crm.api.forms import form_errors
from opportunities.api.records import (
    GateRefused,
    HasReceipts,
    MoveDeletes,
    MoveRecords,
    record_fields,
    record_filters,
    record_inputs,
)
from opportunities.deals import selectors as deal_selectors
from opportunities.deals.forms import GateOverrideForm
from opportunities.deals.services import MoveRefused
from opportunities.models import (
    Commitment,
    Contract,
    MilestoneStatus,
    PaymentMilestone,
    Receipt,
)
from opportunities.models.collection import received_subquery
from opportunities.moves import contract_forms
from opportunities.moves import services as move_services


class ContractSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contract
        fields = record_fields(contract_forms.ContractForm, "collected_at")
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
    filterset_class = record_filters(Contract)
    form_class = contract_forms.ContractForm
    input_serializer_class = record_inputs(
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
        fields = record_fields(contract_forms.MilestoneForm, "status", "received")
        read_only_fields = ["amount"]


class MilestoneViewSet(MoveDeletes, MoveRecords):
    """Payment milestones (move 6), with what has been received; `paid` once the receipts
    cover the amount. A milestone with receipts is not deleted (409)."""

    queryset = PaymentMilestone.objects.annotate(received=received_subquery())
    serializer_class = MilestoneSerializer
    # An ERP finds the milestone to post a receipt against by its invoice or contract number.
    filterset_class = record_filters(
        PaymentMilestone,
        invoice_number=filters.CharFilter(),
        contract_number=filters.CharFilter(field_name="opportunity__contract__number"),
        status=filters.ChoiceFilter(choices=MilestoneStatus.choices),
    )
    ordering_fields = ["id", "due_date", "updated_at"]
    form_class = contract_forms.MilestoneForm
    input_serializer_class = record_inputs(contract_forms.MilestoneForm)
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
    filterset_class = record_filters(
        Receipt,
        parent="milestone__opportunity",
        milestone=IdFilter(),
        reference=filters.CharFilter(),
    )
    ordering_fields = ["id", "received_on", "updated_at"]
    form_class = contract_forms.ReceiptForm
    parent_field = "milestone"
    input_serializer_class = record_inputs(
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
        fields = record_fields(contract_forms.CommitmentForm)


class CommitmentViewSet(MoveDeletes, MoveRecords):
    """Commitments we made to the customer (move 6)."""

    queryset = Commitment.objects.all()
    serializer_class = CommitmentSerializer
    filterset_class = record_filters(Commitment)
    form_class = contract_forms.CommitmentForm
    input_serializer_class = record_inputs(contract_forms.CommitmentForm, optional=["promised_by"])


def routes(router):
    router.register("contracts", ContractViewSet, basename="contract")
    router.register("milestones", MilestoneViewSet, basename="milestone")
    router.register("receipts", ReceiptViewSet, basename="receipt")
    router.register("commitments", CommitmentViewSet, basename="commitment")
