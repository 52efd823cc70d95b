from django import template

from bulk.actions import ACTIONS
from bulk.lists import LISTS
from crm import policy

register = template.Library()


@register.inclusion_tag("bulk/_bar.html", takes_context=True)
def bulk_bar(context, list_name: str, total: int):
    """The bar above a list's rows: how many are chosen, all that match, the actions."""
    request = context["request"]
    bulk_list = LISTS[list_name]
    query = request.GET.copy()
    query.pop("page", None)
    offered = [(key, ACTIONS[key]) for key in bulk_list.actions]
    if any(action.managers_only for _key, action in offered) and not policy.manages_a_team(
        request.user
    ):
        offered = [(key, action) for key, action in offered if not action.managers_only]
    return {
        "list_name": list_name,
        "actions": offered,
        "export": bool(bulk_list.export),
        "query": query.urlencode(),
        "total": total,
        "csrf_token": context.get("csrf_token"),
    }
