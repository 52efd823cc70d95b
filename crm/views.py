from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from crm import panels


def locked_out(request, response=None, credentials=None):
    """django-axes' lock-out page: what happened, for how long, and who can help."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


@require_GET
def home(request):
    """The user's day: the panels every app contributes (crm.panels), in one page."""
    return render(
        request, "crm/home.html", {"panels": panels.collect(request), "today": timezone.localdate()}
    )


@login_not_required
@require_POST
def switch_language(request):
    """Django's set_language (cookie + redirect), remembered on the user's profile too."""
    response = set_language(request)
    code = request.POST.get("language")
    if request.user.is_authenticated and code in dict(settings.LANGUAGES):
        request.user.language = code
        request.user.save(update_fields=["language"])
    return response
