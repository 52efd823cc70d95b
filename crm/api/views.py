"""The API's pages for people: one's personal tokens, and the interactive documentation."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from crm.api.models import ApiToken

LIFETIMES = [
    (30, gettext_lazy("30 days")),
    (90, gettext_lazy("90 days")),
    (180, gettext_lazy("180 days")),
    (365, gettext_lazy("one year")),
]
MAX_ACTIVE = 20


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=80,
        help_text=gettext_lazy("What will use it, e.g. “ERP receipts” or “BI dashboard”."),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Scope"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
    )
    lifetime = forms.TypedChoiceField(
        label=gettext_lazy("Expires after"), choices=LIFETIMES, coerce=int, initial=90
    )


def tokens(request):
    """One's own tokens: make one (its key shown once, on this answer only), see when each
    was last used, revoke."""
    mine = ApiToken.objects.filter(user=request.user)
    form = TokenForm(request.POST or None)
    key = None
    if request.method == "POST" and form.is_valid():
        if mine.usable().count() >= MAX_ACTIVE:
            form.add_error(
                None,
                _("You have %(count)d active tokens: revoke one first.") % {"count": MAX_ACTIVE},
            )
        else:
            token, key = ApiToken.issue(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=timezone.now() + timedelta(days=form.cleaned_data["lifetime"]),
            )
            form = TokenForm()
    now = timezone.now()
    rows = [(token, token.state(now)) for token in mine.order_by("-created_at")[:100]]
    response = render(request, "crm/api/tokens.html", {"form": form, "rows": rows, "key": key})
    if key:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
def revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api:tokens")


@csrf_exempt  # it changes nothing, and a PUT from another system carries no CSRF token
def not_found(request):
    return JsonResponse({"detail": _("There is no such address in the API.")}, status=404)


@require_safe
def docs(request):
    return render(request, "crm/api/docs.html")
