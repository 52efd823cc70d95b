"""Forms of moves 3–6. Every foreign key is limited to the deal's own account and records,
and to what the user may see (crm.policy, through `visible_to`); a deal whose account is
unknown offers no contacts. Edit forms refuse a stale save (crm.concurrency)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Competitor, CompetitorPresence, Contact
from crm.concurrency import ConcurrentEditMixin
from crm.models import User
from opportunities.models import (
    Concern,
    ConcernStatus,
    Evaluation,
    Need,
    NeedCategory,
    NegotiationItem,
    Origin,
    ProjectApproval,
    PurchaseCriterion,
    ValuePoint,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FIT_CHOICES = [("", "—")] + [(i, str(i)) for i in range(1, 6)]
TEXTAREA = forms.Textarea(attrs={"rows": 2})


class MoveForm(ConcurrentEditMixin, forms.ModelForm):
    """A record of one deal: `opportunity` is set by the view, never posted."""

    def __init__(self, *args, opportunity, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.opportunity = opportunity
        self.user = user
        self.instance.opportunity = opportunity
        contacts = (
            Contact.objects.visible_to(user)
            .filter(account_id=opportunity.account_id)
            .order_by("name")
        )
        for field in self.fields.values():
            if (
                getattr(field, "queryset", None) is not None
                and field.queryset.model.__name__ == "Contact"
            ):
                field.queryset = contacts


class NeedForm(MoveForm):
    class Meta:
        model = Need
        fields = [
            "problem",
            "category",
            "contact",
            "severity",
            "target",
            "motive_organisation",
            "motive_personal",
            "source",
        ]
        widgets = {"motive_organisation": TEXTAREA, "motive_personal": TEXTAREA}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.category_id if self.instance.pk else None
        self.fields["category"].queryset = NeedCategory.objects.filter(is_active=True) | (
            NeedCategory.objects.filter(pk=current)
        )


class ApprovalForm(MoveForm):
    value_proposal_url = forms.URLField(
        label=_("value proposal document"), required=False, assume_scheme="https"
    )

    class Meta:
        model = ProjectApproval
        fields = [
            "decision",
            "decided_on",
            "approved_budget",
            "approver",
            "roi_note",
            "value_proposal_url",
        ]
        widgets = {"decided_on": DATE, "roi_note": TEXTAREA}


class CriterionForm(MoveForm):
    """A criterion with our fit and each competitor's: one field per competitor present at the
    account or already scored, and one spare to add another."""

    other_competitor = forms.ModelChoiceField(
        Competitor.objects.order_by("name"), required=False, label=_("add a competitor")
    )
    other_fit = forms.TypedChoiceField(
        choices=FIT_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        label=_("their fit (1–5)"),
    )

    class Meta:
        model = PurchaseCriterion
        fields = [
            "text",
            "threshold",
            "need",
            "weight",
            "origin",
            "origin_competitor",
            "our_fit",
            "status",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        opportunity = self.opportunity
        self.fields["need"].queryset = opportunity.needs.order_by("pk")
        self.fields["our_fit"].widget = forms.Select(choices=FIT_CHOICES)
        self.fields["weight"].widget.attrs.update(min=0, max=100)
        existing = {}
        if self.instance.pk:
            existing = {f.competitor_id: f for f in self.instance.competitor_fits.all()}
        present = set(
            CompetitorPresence.objects.filter(account_id=opportunity.account_id).values_list(
                "competitor_id", flat=True
            )
        )
        self.competitors = list(
            Competitor.objects.filter(pk__in=present | set(existing)).order_by("name")
        )
        for competitor in self.competitors:
            fit = existing.get(competitor.pk)
            self.fields[f"fit_{competitor.pk}"] = forms.TypedChoiceField(
                choices=FIT_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                label=_("%(name)s: fit (1–5)") % {"name": competitor.name},
                initial=fit.fit if fit else None,
            )
            self.fields[f"weakness_{competitor.pk}"] = forms.CharField(
                max_length=300,
                required=False,
                label=_("%(name)s: weakness and its harm to the customer")
                % {"name": competitor.name},
                initial=fit.weakness if fit else "",
            )
        self.fields["other_competitor"].queryset = Competitor.objects.exclude(
            pk__in=[c.pk for c in self.competitors]
        ).order_by("name")
        if not self.fields["other_competitor"].queryset.exists():
            del self.fields["other_competitor"], self.fields["other_fit"]

    def clean(self):
        data = super().clean()
        if data.get("other_competitor") and data.get("other_fit") is None:
            self.add_error("other_fit", _("Give this competitor's fit, 1 to 5."))
        if data.get("origin") == Origin.COMPETITOR and not data.get("origin_competitor"):
            self.add_error("origin_competitor", _("Which competitor proposed it?"))
        if data.get("origin") != Origin.COMPETITOR:
            data["origin_competitor"] = None
            self.instance.origin_competitor = None
        return data

    def fits(self) -> dict[int, tuple[int | None, str]]:
        """competitor id → (fit or None to remove, weakness)."""
        data = self.cleaned_data
        result = {
            c.pk: (data.get(f"fit_{c.pk}"), data.get(f"weakness_{c.pk}", ""))
            for c in self.competitors
        }
        if data.get("other_competitor"):
            result[data["other_competitor"].pk] = (data["other_fit"], "")
        return result


class EvaluationForm(MoveForm):
    class Meta:
        model = Evaluation
        fields = [
            "rfp_date",
            "bid_deadline",
            "method",
            "commercial_percent",
            "panel",
            "standing",
            "standing_evidence",
        ]
        widgets = {"rfp_date": DATE, "bid_deadline": DATE, "panel": TEXTAREA}


class ValuePointForm(MoveForm):
    class Meta:
        model = ValuePoint
        fields = ["feature", "advantage", "benefit", "proof_type", "proof", "criteria"]
        widgets = {"criteria": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria"].queryset = self.opportunity.criteria.order_by("-weight", "pk")


class ConcernForm(MoveForm):
    class Meta:
        model = Concern
        fields = [
            "signal",
            "raised_by",
            "risk_type",
            "prevention_plan",
            "remedy_plan",
            "owner",
            "status",
            "activity",
        ]
        widgets = {
            "prevention_plan": TEXTAREA,
            "remedy_plan": TEXTAREA,
            "activity": forms.HiddenInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from relationships.models import Activity

        user = self.user
        self.fields["owner"].queryset = User.objects.visible_to(user).filter(
            is_active=True
        ).order_by("username") | User.objects.filter(pk=self.opportunity.owner_id)
        if not self.instance.pk:
            self.fields["owner"].initial = self.opportunity.owner_id
        self.fields["activity"].queryset = Activity.objects.visible_to(user).filter(
            account=self.opportunity.account_id
        )
        self.fields["status"].help_text = _(
            "“Planned” needs both plans; a concern without them blocks leaving move 5."
        )

    def clean(self):
        data = super().clean()
        both = (data.get("prevention_plan") or "").strip() and (
            data.get("remedy_plan") or ""
        ).strip()
        if data.get("status") == ConcernStatus.OPEN and both:
            # Both plans written: the concern is planned (the gate reads the plans anyway).
            data["status"] = ConcernStatus.PLANNED
            self.instance.status = ConcernStatus.PLANNED
        return data


class NegotiationItemForm(MoveForm):
    class Meta:
        model = NegotiationItem
        fields = [
            "topic",
            "our_position",
            "their_position",
            "concession",
            "discount_percent",
            "status",
        ]

    def __init__(self, *args, limit: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit = limit
        self.fields["discount_percent"].widget.attrs.update(min=0, max=100)
        self.fields["discount_percent"].help_text = _(
            "Above %(limit)s%% a manager of the owner's team approves it."
        ) % {"limit": f"{limit:g}"}

    def needs_approval(self) -> bool:
        discount = self.cleaned_data.get("discount_percent")
        return discount is not None and discount > self.limit

    def clean(self):
        data = super().clean()
        from opportunities.models import Approval, ItemStatus

        if not self.errors and self.needs_approval():
            unchanged = self.instance.pk and "discount_percent" not in self.changed_data
            approved = unchanged and self.instance.approval == Approval.APPROVED
            if data.get("status") == ItemStatus.AGREED and not approved:
                self.add_error(
                    "status",
                    _(
                        "A discount above %(limit)s%% needs a manager's approval before it is "
                        "agreed."
                    )
                    % {"limit": f"{self.limit:g}"},
                )
        return data
