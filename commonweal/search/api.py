"""`GET /api/search?q=&kind=&unit_id=&offset=`: the search page's results, as data."""

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from commonweal.config.api_errors import errors

from . import selectors

router = Router(tags=["search"])


class SearchIn(Schema):
    # Longer words than a search takes are refused by the search itself, with its reason.
    q: str = Field("", max_length=selectors.QUERY_MAX * 5)
    kind: str = Field("", max_length=40)
    unit_id: int | None = Field(None, ge=1, le=2**62)
    offset: int = Field(0, ge=0, le=selectors.OFFSET_MAX)


class HitOut(Schema):
    kind: str
    label: str
    id: int
    title: str
    title_html: str
    url: str
    unit_id: int | None
    unit: str
    snippet_html: str


class ResultsOut(Schema):
    query: str
    kind: str
    unit_id: int | None
    offset: int
    next_offset: int | None
    results: list[HitOut]


@router.get(
    "",
    response={200: ResultsOut, **errors(400, 404)},
    summary="Search what I may open, best match first (a page of 20; `next_offset` for more)",
)
def search(request, params: Query[SearchIn]):
    if not request.auth.has_perm("search.search"):
        raise HttpError(404, "Not found.")
    found = selectors.search(
        request.auth,
        query=params.q,
        kind=params.kind,
        unit_id=params.unit_id,
        offset=params.offset,
    )
    return {
        "query": found.query,
        "kind": found.kind,
        "unit_id": found.unit.pk if found.unit else None,
        "offset": found.offset,
        "next_offset": found.next_offset,
        "results": [
            {
                "kind": hit.kind,
                "label": hit.label,
                "id": hit.object_id,
                "title": hit.title,
                "title_html": str(hit.title_html),
                "url": hit.url,
                "unit_id": hit.unit_id,
                "unit": hit.unit_name,
                "snippet_html": str(hit.snippet),
            }
            for hit in found.hits
        ],
    }
