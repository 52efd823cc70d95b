"""The 立项 form with 何时购买 (when to buy): the approval records three of the decision level's
five decisions — whether, when and how much (METHOD.md §3.4, §5.3)."""

from opportunities.moves.forms import DATE, ApprovalForm


class ApprovalWithTimingForm(ApprovalForm):
    class Meta(ApprovalForm.Meta):
        fields = [*ApprovalForm.Meta.fields[:2], "purchase_by", *ApprovalForm.Meta.fields[2:]]
        widgets = {**ApprovalForm.Meta.widgets, "purchase_by": DATE}
