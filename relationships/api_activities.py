"""Activities in the API: logged through the web's activity form and `log_activity` (a gift
above its type's limit is saved pending approval), edited and deleted by their author or a
manager of the author's (the web's own check: others who see them get 404, as there),
and a pending gift decided by a manager as on the approvals page."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action

from accounts.models import Account
from crm.api.base import Deletes, RecordViewSet
from crm.api.forms import form_errors, input_serializer
from crm.api.schema import Problem
from crm.policy import get_visible_or_404
from relationships import selectors, services
from relationships.api_common import IdFilter, Refused, ServiceWrites, by_id, looked_up_id, refusal
from relationships.forms import ActivityEditForm, ActivityFilter, ActivityForm, DecisionForm
from relationships.models import Activity, ActivityType
from relationships.selectors import activities_with_details

EDITS = ("update", "partial_update", "destroy")


class ActivityTypeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = ActivityType
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "name_zh",
            "stage",
            "style",
            "is_gift",
            "approval_limit",
            "position",
            "is_active",
        ]


class ActivityTypeViewSet(RecordViewSet):
    """The activity types (the admin's taxonomy, each with the stage it evidences): what an
    activity's `type` names. Everyone reads them; the form offers the active ones."""

    queryset = ActivityType.objects.all()
    serializer_class = ActivityTypeSerializer
    filterset_fields = ["code", "stage", "is_gift", "is_active"]
    ordering_fields = ["id", "position", "code"]

    def get_queryset(self):
        return self.queryset.all()


class ActivitySerializer(serializers.ModelSerializer):
    type_code = serializers.CharField(source="type.code", read_only=True)
    contacts = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "account",
            "owner",
            *ActivityForm.Meta.fields,
            "type_code",
            "approval_status",
            "decided_by",
            "decided_at",
            "decision_reason",
            "created_at",
            "updated_at",
        ]


class ActivityApiFilter(ActivityFilter):
    """The activity list's filters, and the account and owner (the web's "mine")."""

    contact = IdFilter(method="filter_contact")
    account = by_id("account")
    owner = by_id("owner")

    class Meta(ActivityFilter.Meta):
        fields = [*ActivityFilter.Meta.fields, "account", "owner"]


DecisionInput = input_serializer(DecisionForm, name="GiftDecisionInput")


class ActivityViewSet(ServiceWrites, Deletes, RecordViewSet):
    """Activities one may see (with their account or their owner). DELETE of an activity that
    a move on the ladder rests on is refused (409) unless sent with `?unsupported_ok=1`, as the
    web asks for a tick; the move then stays with no supporting activity."""

    queryset = Activity.objects.all()
    serializer_class = ActivitySerializer
    filterset_class = ActivityApiFilter
    ordering_fields = ["id", "date", "updated_at"]
    parent_field = "account"
    input_serializer_class = input_serializer(
        ActivityForm,
        extra={
            "account": serializers.IntegerField(
                min_value=1, required=False, help_text="The activity's account (on create only)."
            )
        },
    )
    action_inputs = {"decision": DecisionInput}
    refusals = ("decision",)

    @property
    def form_class(self):
        return ActivityEditForm if self.action in EDITS else ActivityForm

    def get_queryset(self):
        return activities_with_details(super().get_queryset())

    def get_object(self):
        if self.action in EDITS:
            # The web's rule of who edits (the author, a manager of theirs): 404 for the rest.
            return selectors.editable_activity_or_404(self.request.user, looked_up_id(self))
        return super().get_object()

    def parent_queryset(self):
        return Account.objects.visible_to(self.request.user)

    def form_kwargs(self, instance):
        return {"account": instance.account, "user": self.request.user}

    def service_save(self, form):
        if form.instance.pk:
            return services.save_activity_edit(form)
        return services.log_activity(
            activity=form.save(commit=False),
            contacts=list(form.cleaned_data["contacts"]),
            owner=self.request.user,
        )

    @extend_schema(responses={204: None, 409: Problem})
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)

    def delete_record(self, activity):
        moves = list(activity.stage_changes.select_related("relationship"))
        if moves and self.request.query_params.get("unsupported_ok") != "1":
            raise Refused(
                _(
                    "A move on the ladder rests on this activity: send unsupported_ok=1 to "
                    "delete it all the same, and the move then shows as unsupported."
                ),
                moves=[
                    {"contact": move.relationship.contact_id, "to_stage": move.to_stage}
                    for move in moves
                ],
            )
        services.delete_activity(activity)

    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        """Approve or reject a pending gift or hospitality: for a manager of its owner (never
        the owner), as on the approvals page; anyone else gets 404."""
        pending = Activity.objects.approvable_by(request.user).pending_approval()
        activity = get_visible_or_404(pending, request.user, pk=looked_up_id(self))
        DecisionInput(data=request.data).is_valid(raise_exception=True)
        form = DecisionForm(
            {name: request.data[name] for name in ("decision", "reason") if name in request.data}
        )
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        try:
            services.decide_gift(
                activity=activity,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except DjangoValidationError as error:
            raise refusal(error) from error
        return self._respond(activity)
