"""Reading query parameters that a user (or an attacker) controls: an id, a local link to go
back to. Each returns None or "" for anything else, never raises."""

from django.utils.http import url_has_allowed_host_and_scheme

# Bigger than any id a BigAutoField hands out, and small enough for every database's integer.
MAX_ID = 2**63 - 1


def id_param(params, name: str) -> int | None:
    """`params[name]` as a positive id (ASCII digits only: "²".isdigit() is true), else None."""
    raw = params.get(name, "")
    if not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


def id_list(params, name: str) -> list[int] | None:
    """Every `params[name]` (a repeated parameter) as ids, or None when any one is not an id."""
    values = [id_param({name: raw}, name) for raw in params.getlist(name)]
    return None if None in values else values


def safe_next(request) -> str:
    """The `next` link of the request when it points to this site, else "" (an off-site or
    `javascript:` link must never become a link or a redirect on our pages)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""
