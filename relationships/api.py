"""The relationships app in the API: the contacts (with the contact list's filters, which live
here, and the stage change the web makes on a contact), each person's relationship, and — from
the modules beside this one — activities, planned activities and to-dos.

A relationship row is made when it is first needed (`services.relationship_for`): a visible
contact without one is at 认识 with no personality recorded, and is simply not in
/relationships/. A stage change on the contact, or a POST naming the contact, makes the row."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Max, OuterRef, Prefetch, Subquery
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api import ContactViewSet as BaseContactViewSet
from accounts.models import Contact
from crm.api.base import RecordViewSet
from crm.api.forms import form_errors, input_serializer
from relationships import ladder, selectors, services
from relationships.api_activities import ActivityTypeViewSet, ActivityViewSet
from relationships.api_common import Refused, ServiceWrites, by_id, refusal
from relationships.api_planning import PlannedActivityViewSet, TodoViewSet
from relationships.filters import ContactFilter
from relationships.forms import RelationshipForm, StageForm
from relationships.models import Activity, Relationship, StageChange

StageInput = input_serializer(StageForm, name="StageChangeInput")


class StageChangeSerializer(serializers.ModelSerializer):
    contact = serializers.IntegerField(source="relationship.contact_id", read_only=True)

    class Meta:
        model = StageChange
        fields = [
            "id",
            "relationship",
            "contact",
            "from_stage",
            "to_stage",
            "changed_at",
            "changed_by",
            "activity",
            "note",
        ]


class ContactViewSet(BaseContactViewSet):
    filterset_class = ContactFilter
    filterset_fields = None
    action_inputs = {"stage": StageInput}
    refusals = ("stage",)

    @extend_schema(responses={201: StageChangeSerializer})
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None):
        """Move the person on the ladder, optionally naming the activity that shows it (one of
        theirs you can see), as the web's stage form does; `from_stage` (the stage you saw)
        refuses the change with 409 if someone moved them meanwhile."""
        contact = self.get_object()
        StageInput(data=request.data).is_valid(raise_exception=True)
        form = StageForm(
            {name: request.data[name] for name in StageForm.base_fields if name in request.data},
            contact=contact,
            user=request.user,
            current_stage=selectors.stage_of(contact),
        )
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        try:
            change = services.change_stage(
                contact=contact,
                to_stage=form.cleaned_data["stage"],
                by=request.user,
                activity=form.cleaned_data["activity"],
                note=form.cleaned_data["note"],
                expected_from=form.cleaned_data["from_stage"] or None,
            )
        except DjangoValidationError as error:
            raise refusal(error) from error
        return Response(StageChangeSerializer(change).data, status=status.HTTP_201_CREATED)


def _best_evidence():
    """The highest stage the person's activities evidence, a rejected gift not counting (as the
    relationship page counts it)."""
    links = Activity.contacts.through.objects.filter(contact=OuterRef("contact_id"))
    return Subquery(
        links.exclude(activity__approval_status=Activity.Approval.REJECTED)
        .order_by()
        .values("contact")
        .annotate(best=Max("activity__type__stage"))
        .values("best")
    )


class RelationshipSerializer(serializers.ModelSerializer):
    account = serializers.IntegerField(source="contact.account_id", read_only=True)
    is_guide = serializers.BooleanField(source="contact.is_guide", read_only=True)
    guide_type = serializers.CharField(source="contact.guide_type", read_only=True)
    guide_since = serializers.DateField(
        source="contact.guide_since", read_only=True, allow_null=True
    )
    quadrant = serializers.SerializerMethodField()
    best_evidence = serializers.IntegerField(read_only=True, allow_null=True)
    supported = serializers.SerializerMethodField()
    stage_changes = StageChangeSerializer(many=True, read_only=True)

    class Meta:
        model = Relationship
        fields = [
            "id",
            "contact",
            "account",
            "stage",
            *RelationshipForm.Meta.fields,
            "quadrant",
            "best_evidence",
            "supported",
            "is_guide",
            "guide_type",
            "guide_since",
            "stage_changes",
            "created_at",
            "updated_at",
        ]

    def get_quadrant(self, relationship) -> str:
        return ladder.trust_quadrant(
            relationship.institutional_needs_met, relationship.personal_needs_met
        )

    def get_supported(self, relationship) -> bool:
        """False when the stage is above what the activities evidence (the page's "unsupported")."""
        return ladder.is_supported(relationship.stage, [relationship.best_evidence])


class RelationshipFilter(django_filters.FilterSet):
    contact = by_id("contact")
    account = by_id("contact__account")

    class Meta:
        model = Relationship
        fields = ["stage", "personality"]


class RelationshipInputBase(serializers.Serializer):
    # The form reads interest points as one line; the API takes the list it answers with.
    interest_points = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False
    )


class RelationshipViewSet(ServiceWrites, RecordViewSet):
    """The relationships recorded with the people one may see: stage, personality, interest
    points, needs (the trust quadrant), the guide flags and every move on the ladder. Written
    through the web's relationship form; the stage moves by POST /contacts/{id}/stage/."""

    queryset = Relationship.objects.all()
    serializer_class = RelationshipSerializer
    filterset_class = RelationshipFilter
    ordering_fields = ["id", "stage", "updated_at"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    form_class = RelationshipForm
    parent_field = "contact"
    refusals = ("create",)
    input_serializer_class = type(
        "RelationshipInput",
        (
            RelationshipInputBase,
            input_serializer(
                RelationshipForm, exclude=["interest_points"], name="RelationshipFormFields"
            ),
        ),
        {"contact": serializers.IntegerField(min_value=1, required=False)},
    )

    def get_queryset(self):
        changes = StageChange.objects.order_by("-changed_at", "-pk")
        return (
            super()
            .get_queryset()
            .select_related("contact")
            .prefetch_related(Prefetch("stage_changes", queryset=changes))
            .annotate(best_evidence=_best_evidence())
        )

    def parent_queryset(self):
        return Contact.objects.visible_to(self.request.user)

    def form_kwargs(self, instance):
        return {}

    def _checked_input(self, partial):
        posted = super()._checked_input(partial)
        if isinstance(posted.get("interest_points"), list):
            posted["interest_points"] = ", ".join(posted["interest_points"])
        return posted

    def service_save(self, form):
        contact = form.instance.contact
        if form.instance.pk is None:
            existing = Relationship.objects.filter(contact=contact).first()
            if existing is not None:
                message = _(
                    "This person's relationship is recorded already: change that one "
                    "(/api/v1/relationships/%(id)s/)."
                )
                raise Refused(message % {"id": existing.pk}, id=existing.pk)
        return services.save_person_form(form, contact)


def routes(router):
    router.register("contacts", ContactViewSet, basename="contact")
    router.register("relationships", RelationshipViewSet, basename="relationship")
    router.register("activity-types", ActivityTypeViewSet, basename="activity-type")
    router.register("activities", ActivityViewSet, basename="activity")
    router.register("planned-activities", PlannedActivityViewSet, basename="planned-activity")
    router.register("todos", TodoViewSet, basename="todo")
