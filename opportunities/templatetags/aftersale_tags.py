"""The opportunity page's after-sale section (move 6, METHOD.md §8.2): the satisfaction checks,
the referrals and the prompts, read here so that the page's view stays as it is (two
queries on a won deal: the checks, the referrals, and the setting where the deal's row does
not hold it; none on any other)."""

from django import template
from django.core.exceptions import ObjectDoesNotExist

from opportunities.models import AftersaleSetting, Status
from opportunities.rules import aftersale

register = template.Library()


@register.inclusion_tag("opportunities/moves/_aftersale.html", takes_context=True)
def aftersale_section(context, opportunity):
    if opportunity.status != Status.WON:
        return {"shown": False}
    try:
        contract = opportunity.contract
    except ObjectDoesNotExist:
        contract = None
    # The opportunity page reads the setting in the deal's row (deals/page.py).
    setting = getattr(opportunity, "aftersale_setting", None) or AftersaleSetting.current()
    checks = list(
        opportunity.satisfaction_checks.select_related("answered_by").order_by("-checked_on", "-pk")
    )
    referrals = list(
        opportunity.referrals.select_related("referred_account", "referred_contact").order_by(
            "-created_at", "-pk"
        )
    )
    complete = contract is not None and contract.collected_at is not None
    latest = checks[0].score if checks else None
    return {
        "shown": True,
        "opportunity": opportunity,
        "checks": checks,
        "referrals": referrals,
        "complete": complete,
        "threshold": setting.referral_score,
        "ask_satisfaction": aftersale.satisfaction_due(True, len(checks)),
        "ask_referral": aftersale.referral_due(
            complete, latest, setting.referral_score, len(referrals)
        ),
        "request": context.get("request"),
    }
