"""Deals in the API: the opportunity with its line items, its buying group, the catalogue,
and the two ways a deal changes move — through the same forms, services and gates as the web."""

from decimal import Decimal

from django.db import transaction
from rest_framework import exceptions, serializers
from rest_framework.decorators import action

from crm.api.base import Deletes, FormWrites, RecordViewSet
from crm.api.forms import form_errors, input_serializer
from opportunities.api.records import GateRefused
from opportunities.deals import selectors, services
from opportunities.deals.filters import OpportunityFilter
from opportunities.deals.forms import (
    LineItemForm,
    LineItemFormSet,
    MoveForm,
    OpportunityForm,
    OutcomeForm,
    StakeholderForm,
)
from opportunities.models import LineItem, Opportunity, Product, Stakeholder
from opportunities.rules.qualification import Verdict

LINES = "items"  # the web's prefix of the line-item formset
# Not LineItemForm.Meta.fields: Django's inline formset appends the deal's key to that list.
LINE_FIELDS = ("product", "quantity", "unit_price", "discount_percent")


class LineItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = LineItem
        fields = ["id", *LINE_FIELDS]


class OpportunitySerializer(serializers.ModelSerializer):
    line_items = LineItemSerializer(many=True, read_only=True)
    # Empty until the deal is first qualified.
    qualification_verdict = serializers.ChoiceField(
        choices=Verdict.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Opportunity
        fields = [
            "id",
            *OpportunityForm.Meta.fields,
            "move",
            "status",
            "amount",
            "entered_move_at",
            "closed_at",
            "lost_to",
            "lost_at_buyer_stage",
            "lost_reason",
            "qualification_score",
            "qualification_verdict",
            "line_items",
            "created_at",
            "updated_at",
        ]


class StakeholderSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = Stakeholder
        fields = ["id", "opportunity", *StakeholderForm.Meta.fields, "created_at", "updated_at"]

    def get_roles(self, stakeholder) -> list[str]:
        return sorted(role.role for role in stakeholder.roles.all())


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "name", "series", "list_price", "is_active"]


class ApiOpportunityFilter(OpportunityFilter):
    """The opportunity list's filters; the owners offered are the ones the requester sees. The
    list's `sort` does nothing here: the API pages by cursor, in the order `ordering=` names."""

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, user=request.user, **kwargs)

    def filter_queryset(self, queryset):
        self.form.cleaned_data.pop("sort", None)
        return super().filter_queryset(queryset)


LineInput = input_serializer(LineItemForm, optional=["unit_price"], name="LineItemInput")


class OpportunityViewSet(FormWrites, RecordViewSet):
    queryset = Opportunity.objects.prefetch_related("line_items")
    serializer_class = OpportunitySerializer
    filterset_class = ApiOpportunityFilter
    ordering_fields = ["id", "expected_close_date", "amount", "updated_at"]
    form_class = OpportunityForm
    input_serializer_class = input_serializer(
        OpportunityForm,
        optional=["owner"],
        extra={
            "line_items": LineInput(
                many=True,
                required=False,
                help_text="Replaces the deal's line items when sent; kept when left out.",
            )
        },
    )
    action_inputs = {
        "move": input_serializer(MoveForm, name="MoveInput"),
        "outcome": input_serializer(OutcomeForm, name="OutcomeInput"),
    }
    refusals = ("move", "outcome")

    def new_instance(self):
        return Opportunity(owner=self.request.user)

    def _checked_input(self, partial):
        data = super()._checked_input(partial)
        self._lines = self.request.data.get("line_items")
        return data

    def _line_items(self, opportunity):
        """The web's formset: the current lines, all deleted and replaced when the request
        sends `line_items`, untouched when it does not."""
        # The list's prefetched lines would be stale once the formset has saved.
        getattr(opportunity, "_prefetched_objects_cache", {}).pop("line_items", None)
        current = list(opportunity.line_items.order_by("pk")) if opportunity.pk else []
        sent = self._lines if isinstance(self._lines, list) else None
        data = {}
        for index, line in enumerate(current):
            data.update(_line_data(index, line, delete=sent is not None))
        for offset, line in enumerate(sent or []):
            index = len(current) + offset
            for name in LINE_FIELDS:
                value = line.get(name, LineItemForm.base_fields[name].initial)
                data[f"{LINES}-{index}-{name}"] = "" if value is None else value
        data[f"{LINES}-TOTAL_FORMS"] = len(current) + len(sent or [])
        data[f"{LINES}-INITIAL_FORMS"] = len(current)
        return LineItemFormSet(data, instance=opportunity, prefix=LINES)

    def _write(self, form, seen=""):
        self._formset = self._line_items(form.instance)
        if not self._formset.is_valid():
            lines = [form_errors(line) for line in self._formset.forms]
            errors = {"line_items": [e for e in lines if e] or []}
            if self._formset.non_form_errors():
                errors["line_items"] += list(self._formset.non_form_errors())
            raise exceptions.ValidationError(errors)
        return super()._write(form, seen)

    def save_form(self, form):
        return services.save_opportunity(form, self._formset, by=self.request.user)

    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Change the deal's move: forward only through the exit checks of every move passed
        (a manager of the owner's team may override with a reason), as on the deal page."""
        opportunity = self.get_object()
        form = MoveForm(request.data)
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        try:
            services.change_move(
                opportunity,
                to_move=form.cleaned_data["to_move"],
                by=request.user,
                override=form.cleaned_data["override"],
                reason=form.cleaned_data["reason"],
            )
        except services.MoveRefused as refused:
            raise GateRefused(refused) from refused
        return self._respond(opportunity)

    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        """Close the deal as won (through the gate), lost or abandoned, or reopen it."""
        opportunity = self.get_object()
        may_override = selectors.can_override(request.user, opportunity)
        form = OutcomeForm(request.data, opportunity=opportunity, may_override=may_override)
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        try:
            services.set_outcome(
                opportunity,
                status=form.cleaned_data["status"],
                by=request.user,
                data=form.cleaned_data,
                override=form.cleaned_data.get("override", False),
                reason=form.cleaned_data.get("reason", ""),
            )
        except services.MoveRefused as refused:
            raise GateRefused(refused) from refused
        return self._respond(opportunity)


def _line_data(index, line: LineItem, *, delete: bool) -> dict:
    prefix = f"{LINES}-{index}"
    data = {f"{prefix}-id": line.pk}
    for name in LINE_FIELDS:
        value = getattr(line, f"{name}_id" if name == "product" else name)
        data[f"{prefix}-{name}"] = str(value) if isinstance(value, Decimal) else value
    if delete:
        data[f"{prefix}-DELETE"] = "on"
    return data


class StakeholderViewSet(FormWrites, Deletes, RecordViewSet):
    """The buying group: a contact of the deal's account with their purchase roles."""

    queryset = Stakeholder.objects.prefetch_related("roles")
    serializer_class = StakeholderSerializer
    filterset_fields = ["opportunity", "contact"]
    ordering_fields = ["id"]
    form_class = StakeholderForm
    parent_field = "opportunity"
    input_serializer_class = input_serializer(
        StakeholderForm,
        extra={
            "opportunity": serializers.IntegerField(
                min_value=1, required=False, help_text="The deal (on create only)."
            )
        },
    )

    def parent_queryset(self):
        return Opportunity.objects.visible_to(self.request.user)

    def form_kwargs(self, instance):
        return {"opportunity": instance.opportunity}

    def save_form(self, form):
        return services.save_stakeholder(form, opportunity=form.instance.opportunity)

    def delete_record(self, instance):
        with transaction.atomic():
            services.remove_stakeholder(instance)


class ProductViewSet(RecordViewSet):
    """The catalogue a deal's line items choose from (everyone signed in reads it)."""

    queryset = Product.objects.order_by("pk")
    serializer_class = ProductSerializer
    filterset_fields = ["is_active", "series"]
    ordering_fields = ["id", "name"]

    def get_queryset(self):
        return self.queryset.all()


def routes(router):
    router.register("opportunities", OpportunityViewSet, basename="opportunity")
    router.register("stakeholders", StakeholderViewSet, basename="stakeholder")
    router.register("products", ProductViewSet, basename="product")
