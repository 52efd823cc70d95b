"""The decision level's five decisions (METHOD.md §3.4): 是否购买 / 何时购买 / 预算多少 /
选择哪个供应商 / 是否签署合同 — where each stands and which record records it. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Decision:
    code: str
    name: str  # the method's words, the same in every language
    label: str
    state: str  # "decided", "open" or "against"
    value: str
    recorded_in: str
    anchor: str  # the section of the deal page that records it


@dataclass(frozen=True)
class DecisionFacts:
    buy_decision: str | None = None  # ProjectApproval.decision: "yes", "no", "pending"
    decided_on: date | None = None
    purchase_by: date | None = None
    approved_budget: Decimal | None = None
    standing: str | None = None  # Evaluation.standing
    standing_label: str = ""
    preferred: bool = False
    contract_signed_on: date | None = None


def five_decisions(facts: DecisionFacts) -> list[Decision]:
    approval = str(_("project approval (立项)"))
    whether = {"yes": "decided", "no": "against"}.get(facts.buy_decision or "", "open")
    whether_value = {
        "decided": _("to buy"),
        "against": _("not to buy"),
        "open": _("not decided yet"),
    }[whether]
    if facts.decided_on and whether != "open":
        whether_value = f"{whether_value} ({facts.decided_on.isoformat()})"
    if facts.preferred:
        vendor, vendor_value = "decided", _("us: %(standing)s") % {"standing": facts.standing_label}
    elif facts.standing == "not_selected":
        vendor, vendor_value = "against", facts.standing_label
    else:
        vendor, vendor_value = "open", facts.standing_label or _("not decided yet")
    signed = facts.contract_signed_on
    return [
        Decision(
            "whether",
            "是否购买",
            str(_("whether to buy")),
            whether,
            str(whether_value),
            approval,
            "move-3",
        ),
        Decision(
            "when",
            "何时购买",
            str(_("when to buy")),
            "decided" if facts.purchase_by else "open",
            facts.purchase_by.isoformat() if facts.purchase_by else str(_("not recorded yet")),
            approval,
            "move-3",
        ),
        Decision(
            "budget",
            "预算多少",
            str(_("how much budget")),
            "decided" if facts.approved_budget is not None else "open",
            f"¥{facts.approved_budget:,.0f}"
            if facts.approved_budget is not None
            else str(_("not approved yet")),
            approval,
            "move-3",
        ),
        Decision(
            "vendor",
            "选择哪个供应商",
            str(_("which vendor")),
            vendor,
            str(vendor_value),
            str(_("evaluation (评估)")),
            "move-4",
        ),
        Decision(
            "contract",
            "是否签署合同",
            str(_("whether to sign the contract")),
            "decided" if signed else "open",
            signed.isoformat() if signed else str(_("not signed yet")),
            str(_("contract (合同)")),
            "move-5",
        ),
    ]
