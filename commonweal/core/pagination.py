"""One way of paginating list pages (and API lists), so every list has the same controls."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja import pagination as ninja_pagination
from ninja.conf import settings as ninja_settings

PAGE_SIZE = 25


def paginate(request: HttpRequest, queryset: QuerySet, *, per_page: int = PAGE_SIZE) -> Page:
    """Clamp a bad or out-of-range ?page= to a real page instead of failing."""
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    paginator = Paginator(queryset, per_page, allow_empty_first_page=True)
    return paginator.get_page(number)


# The largest offset a database takes (a signed 64-bit integer), with room for the limit.
MAX_OFFSET = 2**62
MAX_LIMIT = 500


class LimitOffsetPagination(ninja_pagination.LimitOffsetPagination):
    """The API's `?limit=&offset=` with bounds a database can hold.

    django-ninja leaves them unbounded, and an offset past 64 bits was a server error on
    both SQLite and PostgreSQL (found by fuzzing); out of bounds they are now a 422.
    """

    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
