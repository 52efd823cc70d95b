"""Sign-in throttling on top of django-axes (settings: AXES_*).

Two locks: axes' own, on a username from one address (so a stranger cannot lock a colleague
out from elsewhere), and a looser one on the username across all addresses (so that guessing
from many addresses is still limited). Behind proxies the client's address is read from
X-Forwarded-For, trusting exactly as many entries as there are proxies (AXES_PROXY_COUNT)."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR without proxies; with N proxies, each appending the
    address it saw to X-Forwarded-For, the N-th entry from the right (what the outermost proxy
    saw). Entries left of it are whatever the client sent, so they are never trusted."""
    count = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if not count:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]


class SignInThrottle(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        if self.username_failures(request, credentials) < settings.AXES_USERNAME_FAILURE_LIMIT:
            return False
        # Axes flags a lock-out for its middleware only from its own count; this one is ours.
        request.axes_locked_out = True
        return True

    def username_failures(self, request, credentials=None) -> int:
        """Failed sign-ins for this username from every address within the cool-off time."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        attempts = AccessAttempt.objects.filter(
            username=username, attempt_time__gte=get_cool_off_threshold(request)
        )
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
