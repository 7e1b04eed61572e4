"""The search page: `/search/?q=&kind=&unit=&offset=`."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from commonweal.core.errors import Refused

from . import selectors


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


@login_required
@require_GET
def search(request):
    if not request.user.has_perm("search.search"):
        raise Http404
    query = request.GET.get("q")
    kind = request.GET.get("kind", "")
    unit_id = _number(request.GET.get("unit"))
    results, refusal = None, None
    if query is not None:
        try:
            results = selectors.search(
                request.user,
                query=query,
                kind=kind,
                unit_id=unit_id,
                offset=_number(request.GET.get("offset")) or 0,
            )
        except Refused as refused:
            refusal = refused
    return render(
        request,
        "search/results.html",
        {
            "query": (query or "")[: selectors.QUERY_MAX * 2],
            "query_max": selectors.QUERY_MAX,
            "kind": kind,
            "unit_id": unit_id,
            "kinds": selectors.kinds(),
            "units": selectors.units_to_filter(request.user),
            "results": results,
            "refusal": refusal,
        },
        status=400 if refusal else 200,
    )
