from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mediateka.search import query as search_query
from mediateka.search.facets import FACETS


def _page_number(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 10_000))
    except ValueError:
        return 1


@require_GET
def search(request):
    text = request.GET.get("q", "")
    results = search_query.search(
        text,
        request.GET,
        page=_page_number(request.GET.get("page")),
        language=request.LANGUAGE_CODE,
        # The "search instead for" link of a corrected search: the words exactly as typed.
        correct=request.GET.get("literal") != "1",
    )
    # The address without the page (pagination links add it back) and without any facet
    # (the "clear filters" link and the facet form start from it).
    params = request.GET.copy()
    params.pop("page", None)
    plain = request.GET.copy()
    for name in ["page", *(name for name, _label in FACETS)]:
        plain.pop(name, None)
    return render(
        request,
        "web/search.html",
        {
            "results": results,
            "query": text,
            # An empty box submitted gets a "no results" answer; the bare page just the box.
            "asked": "q" in request.GET,
            "page_query": params.urlencode(),
            "plain_query": plain.urlencode(),
            "any_facet_chosen": any(v.selected for f in results.facets for v in f.values),
        },
    )


@require_GET
def suggest(request):
    suggestions = search_query.suggest(request.GET.get("q", ""), language=request.LANGUAGE_CODE)
    response = JsonResponse({"suggestions": suggestions})
    # Typing the same letters again is common; a short private cache saves the round trip.
    response["Cache-Control"] = "private, max-age=60"
    return response
