"""Moves 3–5 in the API (needs, approval, criteria, evaluation, value points, concerns,
negotiation items), written through the web's move forms and services
(opportunities/moves/views.py): the same checks and messages."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.decorators import action

from opportunities.api.records import (
    MoveDeletes,
    MoveRecords,
    record_fields,
    record_filters,
    record_inputs,
)
from opportunities.deals import selectors as deal_selectors
from opportunities.models import (
    Concern,
    CriterionCompetitorFit,
    Evaluation,
    MoveThresholdSetting,
    Need,
    NegotiationItem,
    ProjectApproval,
    PurchaseCriterion,
    ValuePoint,
)
from opportunities.moves import forms
from opportunities.moves import services as move_services
from opportunities.moves.approval_form import ApprovalWithTimingForm


class NeedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Need
        fields = record_fields(forms.NeedForm)


class NeedViewSet(MoveDeletes, MoveRecords):
    """Needs (move 3): the customer's problems, with their motives."""

    queryset = Need.objects.all()
    serializer_class = NeedSerializer
    filterset_class = record_filters(Need)
    form_class = forms.NeedForm
    input_serializer_class = record_inputs(forms.NeedForm)


class ApprovalSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectApproval
        fields = record_fields(ApprovalWithTimingForm)


class ApprovalViewSet(MoveDeletes, MoveRecords):
    """The project approval (立项, move 3): one per deal."""

    queryset = ProjectApproval.objects.all()
    serializer_class = ApprovalSerializer
    filterset_class = record_filters(ProjectApproval)
    form_class = ApprovalWithTimingForm
    input_serializer_class = record_inputs(ApprovalWithTimingForm)
    single = True


class FitSerializer(serializers.ModelSerializer):
    class Meta:
        model = CriterionCompetitorFit
        fields = ["competitor", "fit", "weakness"]


class CriterionSerializer(serializers.ModelSerializer):
    competitor_fits = FitSerializer(many=True, read_only=True)

    class Meta:
        model = PurchaseCriterion
        fields = record_fields(forms.CriterionForm, "competitor_fits")


class CriterionViewSet(MoveDeletes, MoveRecords):
    """Purchase criteria (move 3), with each competitor's fit; a competitor's fit is added
    through `other_competitor` and `other_fit`."""

    queryset = PurchaseCriterion.objects.prefetch_related("competitor_fits")
    serializer_class = CriterionSerializer
    filterset_class = record_filters(PurchaseCriterion)
    form_class = forms.CriterionForm
    input_serializer_class = record_inputs(forms.CriterionForm)

    def save_record(self, form):
        return move_services.save_criterion(form)


class EvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = record_fields(forms.EvaluationForm)


class EvaluationViewSet(MoveDeletes, MoveRecords):
    """The evaluation (评估比较, move 4): one per deal."""

    queryset = Evaluation.objects.all()
    serializer_class = EvaluationSerializer
    filterset_class = record_filters(Evaluation)
    form_class = forms.EvaluationForm
    input_serializer_class = record_inputs(forms.EvaluationForm)
    single = True


class ValuePointSerializer(serializers.ModelSerializer):
    class Meta:
        model = ValuePoint
        fields = record_fields(forms.ValuePointForm)


class ValuePointViewSet(MoveDeletes, MoveRecords):
    """Value points (FAB, move 4), each answering purchase criteria."""

    queryset = ValuePoint.objects.prefetch_related("criteria")
    serializer_class = ValuePointSerializer
    filterset_class = record_filters(ValuePoint)
    form_class = forms.ValuePointForm
    input_serializer_class = record_inputs(forms.ValuePointForm)


class ConcernSerializer(serializers.ModelSerializer):
    class Meta:
        model = Concern
        fields = record_fields(forms.ConcernForm)


class ConcernViewSet(MoveDeletes, MoveRecords):
    """Concerns (move 5) with their prevention and remedy plans."""

    queryset = Concern.objects.all()
    serializer_class = ConcernSerializer
    filterset_class = record_filters(Concern)
    form_class = forms.ConcernForm
    input_serializer_class = record_inputs(forms.ConcernForm, optional=["owner"])


class NegotiationItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = NegotiationItem
        fields = record_fields(
            forms.NegotiationItemForm, "approval", "decided_by", "decided_at", "self_approved"
        )


class DecisionInput(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true approves the discount, false rejects it.")


class NegotiationItemViewSet(MoveDeletes, MoveRecords):
    """Negotiation items (move 5); a discount above the limit waits for a manager's
    approval."""

    queryset = NegotiationItem.objects.all()
    serializer_class = NegotiationItemSerializer
    filterset_class = record_filters(NegotiationItem)
    form_class = forms.NegotiationItemForm
    input_serializer_class = record_inputs(forms.NegotiationItemForm)

    def form_kwargs(self, instance):
        limit = MoveThresholdSetting.current().discount_approval_percent
        return {**super().form_kwargs(instance), "limit": limit}

    action_inputs = {"decision": DecisionInput}

    def save_record(self, form):
        return move_services.save_negotiation_item(form)

    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        """A manager of the owner's team (or an admin) approves or rejects the discount, as on
        the deal page; the owner may not (403)."""
        item = self.get_object()
        if not deal_selectors.can_override(request.user, item.opportunity):
            raise exceptions.PermissionDenied(
                _("Only a manager of the owner's team decides on a discount.")
            )
        serializer = DecisionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        move_services.decide_negotiation_item(
            item, approve=serializer.validated_data["approve"], by=request.user
        )
        return self._respond(item)


def routes(router):
    from opportunities.api import collection

    router.register("needs", NeedViewSet, basename="need")
    router.register("approvals", ApprovalViewSet, basename="approval")
    router.register("criteria", CriterionViewSet, basename="criterion")
    router.register("evaluations", EvaluationViewSet, basename="evaluation")
    router.register("value-points", ValuePointViewSet, basename="value-point")
    router.register("concerns", ConcernViewSet, basename="concern")
    router.register("negotiation-items", NegotiationItemViewSet, basename="negotiation-item")
    collection.routes(router)
