from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def money(value, places=0):
    """¥1,234,567 — grouped the same way in both languages (zh_Hans formats do not group)."""
    try:
        number = Decimal(value or 0)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"¥{number:,.{int(places)}f}"
