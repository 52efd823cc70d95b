from django import template

from accounts.models import PersonalProfile

register = template.Library()

# What a person records on a profile; the birthday counts once, whichever calendar keeps it.
PROFILE_FIELDS = [
    f.name
    for f in PersonalProfile._meta.concrete_fields
    if f.name not in {"id", "contact", "created_at", "updated_at", *PersonalProfile.BIRTHDAY_FIELDS}
]


@register.filter
def score_colour(percent) -> str:
    """The Bootstrap colour of a completeness percentage."""
    percent = percent or 0
    if percent >= 70:
        return "success"
    if percent >= 40:
        return "warning"
    return "danger"


@register.filter
def profile_known(profile) -> int:
    """How many personal-profile fields are filled (0 without a profile); reads no rows."""
    if not profile:  # None, or "" when the template found no profile
        return 0
    filled = sum(1 for name in PROFILE_FIELDS if getattr(profile, name) not in (None, ""))
    return filled + profile.has_birthday


@register.simple_tag
def profile_field_count() -> int:
    return len(PROFILE_FIELDS) + 1
