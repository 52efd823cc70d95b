"""Planned activities and to-dos in the API, through the planning forms and services and with
the web's reach: whoever sees a plan may mark it done (which logs the activity the ladder
counts, a gift above its limit pending approval), reschedule or cancel it, as on the plans
page; a to-do is ticked off likewise. The web edits neither otherwise, nor does the API."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Account, Contact
from crm.api.base import RecordViewSet, etag_of
from crm.api.forms import form_errors, input_serializer
from relationships.api_activities import ActivitySerializer
from relationships.api_common import ServiceWrites, by_id, refusal
from relationships.models import Activity
from relationships.planning import selectors, services
from relationships.planning.forms import DoneForm, PlanForm, RescheduleForm, TodoForm
from relationships.planning.models import PlannedActivity, Todo
from relationships.selectors import activities_with_details

READS_AND_POSTS = ["get", "post", "head", "options"]


def _account_field(what):
    return serializers.IntegerField(min_value=1, required=False, help_text=what)


def _bound(form_class, request):
    """The form bound to what was posted of its fields (the JSON as sent: its own parsing)."""
    names = form_class.base_fields
    return form_class({k: v for k, v in request.data.items() if k in names})


def _valid(form):
    if not form.is_valid():
        raise exceptions.ValidationError(form_errors(form))
    return form.cleaned_data


class PlannedActivitySerializer(serializers.ModelSerializer):
    contacts = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = PlannedActivity
        fields = [
            "id",
            "account",
            "owner",
            *PlanForm.Meta.fields,
            "status",
            "activity",
            "created_at",
            "updated_at",
        ]


class PlanFilter(django_filters.FilterSet):
    account = by_id("account")
    owner = by_id("owner")
    type = by_id("type")
    contact = by_id("contacts")
    starts_from = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte")
    starts_to = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte")

    class Meta:
        model = PlannedActivity
        fields = ["status"]


DoneInput = input_serializer(DoneForm, name="PlanDoneInput")
RescheduleInput = input_serializer(RescheduleForm, name="PlanRescheduleInput")


class PlannedActivityViewSet(ServiceWrites, RecordViewSet):
    queryset = PlannedActivity.objects.all()
    serializer_class = PlannedActivitySerializer
    filterset_class = PlanFilter
    ordering_fields = ["id", "starts_at"]
    http_method_names = READS_AND_POSTS
    form_class = PlanForm
    parent_field = "account"
    input_serializer_class = input_serializer(
        PlanForm, extra={"account": _account_field("The plan's account.")}
    )
    action_inputs = {"done": DoneInput, "reschedule": RescheduleInput, "cancel": None}
    refusals = ("done", "reschedule", "cancel")

    def get_queryset(self):
        return selectors.plans_with_details(super().get_queryset())

    def parent_queryset(self):
        return Account.objects.visible_to(self.request.user)

    def form_kwargs(self, instance):
        return {"account": instance.account, "user": self.request.user}

    def service_save(self, form):
        return services.plan_activity(
            plan=form.save(commit=False),
            contacts=list(form.cleaned_data["contacts"]),
            owner=self.request.user,
        )

    @extend_schema(responses={201: ActivitySerializer})
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """It happened: logs the activity (answered here, 201) dated `happened_on`."""
        plan = self.get_object()
        DoneInput(data=request.data).is_valid(raise_exception=True)
        data = _valid(_bound(DoneForm, request))
        try:
            activity = services.mark_done(
                plan=plan,
                by=request.user,
                happened_on=data["happened_on"],
                outcome=data["outcome"],
                cost=data["cost"],
                next_step=data["next_step"],
                next_step_date=data["next_step_date"],
            )
        except DjangoValidationError as error:
            raise refusal(error) from error
        activity = activities_with_details(Activity.objects.filter(pk=activity.pk)).get()
        response = Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)
        response["ETag"] = etag_of(activity)
        return response

    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        plan = self.get_object()
        RescheduleInput(data=request.data).is_valid(raise_exception=True)
        data = _valid(_bound(RescheduleForm, request))
        try:
            plan = services.reschedule(plan=plan, starts_at=data["starts_at"])
        except DjangoValidationError as error:
            raise refusal(error) from error
        return self._respond(plan)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        plan = self.get_object()
        try:
            plan = services.cancel(plan=plan)
        except DjangoValidationError as error:
            raise refusal(error) from error
        return self._respond(plan)


class TodoSerializer(serializers.ModelSerializer):
    class Meta:
        model = Todo
        fields = [
            "id",
            "account",
            "contact",
            "opportunity",
            "owner",
            *TodoForm.Meta.fields,
            "done_at",
            "created_at",
            "updated_at",
        ]


class TodoFilter(django_filters.FilterSet):
    account = by_id("account")
    contact = by_id("contact")
    opportunity = by_id("opportunity")
    owner = by_id("owner")
    done = django_filters.BooleanFilter(field_name="done_at", lookup_expr="isnull", exclude=True)
    due_from = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_to = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = Todo
        fields = []


class TodoDoneInput(serializers.Serializer):
    done = serializers.BooleanField(default=True, help_text="false opens it again.")


class TodoViewSet(ServiceWrites, RecordViewSet):
    """To-dos on an account, or on one of its people (`contact`, with its `account`)."""

    queryset = Todo.objects.all()
    serializer_class = TodoSerializer
    filterset_class = TodoFilter
    ordering_fields = ["id", "due_date"]
    http_method_names = READS_AND_POSTS
    form_class = TodoForm
    parent_field = "account"
    input_serializer_class = input_serializer(
        TodoForm,
        extra={
            "account": _account_field("The to-do's account."),
            "contact": serializers.IntegerField(
                min_value=1, required=False, allow_null=True, help_text="One of its people."
            ),
        },
    )
    action_inputs = {"done": TodoDoneInput}

    def get_queryset(self):
        return selectors.todos_with_details(super().get_queryset())

    def parent_queryset(self):
        return Account.objects.visible_to(self.request.user)

    def form_kwargs(self, instance):
        return {}

    def _posted_contact(self, account):
        value = self.request.data.get("contact")
        if value in (None, ""):
            return None
        people = Contact.objects.visible_to(self.request.user).filter(account=account)
        is_id = isinstance(value, int) and not isinstance(value, bool)
        found = people.filter(pk=value).first() if is_id else None
        if found is None:
            raise exceptions.ValidationError(
                {"contact": [_("Choose one of the records you can see.")]}
            )
        return found

    def service_save(self, form):
        account = form.instance.account
        return services.add_todo(
            title=form.cleaned_data["title"],
            due_date=form.cleaned_data["due_date"],
            owner=self.request.user,
            account=account,
            contact=self._posted_contact(account),
        )

    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        todo = self.get_object()
        posted = TodoDoneInput(data=request.data)
        posted.is_valid(raise_exception=True)
        return self._respond(services.set_done(todo=todo, done=posted.validated_data["done"]))
