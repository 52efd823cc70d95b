from django import template

from crm import phones

register = template.Library()


@register.filter
def phone(stored):
    """A stored number as people read it (crm.phones.shown)."""
    return phones.shown(stored)


@register.filter
def tel(stored):
    """A stored number for a tel: link."""
    return phones.dialled(stored)
