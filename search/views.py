"""The search box's suggestions (htmx, as you type) and the full results page."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from search import selectors

SUGGESTIONS, RESULTS = 5, 20


def _search(request, per_kind):
    raw = request.GET.get("q", "")
    try:
        term = selectors.clean_term(raw)
    except selectors.TermError as error:
        return {"q": raw[: selectors.TERM_MAX], "error": str(error), "groups": []}
    groups = selectors.search(request.user, term, per_kind=per_kind)
    return {"q": term, "error": None, "groups": [g for g in groups if g.hits]}


@require_GET
def suggest(request):
    return render(request, "search/_suggestions.html", _search(request, SUGGESTIONS))


@require_GET
def results(request):
    return render(request, "search/results.html", _search(request, RESULTS))
