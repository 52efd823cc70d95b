"""Small display helpers of the pipeline dashboards."""

from django import template

register = template.Library()


@register.filter
def pct(value):
    """42.5 → "42.5%"; None (nothing to divide by) → "—"."""
    if value is None:
        return "—"
    return f"{value}%"


@register.filter
def dash(value):
    """None → "—", else the value."""
    return "—" if value is None or value == "" else value


@register.filter
def days_since(moment, now):
    """Whole days from `moment` to `now`."""
    if moment is None or now is None:
        return ""
    return max((now - moment).days, 0)
